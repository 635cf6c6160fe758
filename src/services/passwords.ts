import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [alg, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length);
  return timingSafeEqual(got, want);
}

/** CloudStack API keys and secrets are 86 characters of URL-safe base64. */
export const newApiKey = (): string => randomBytes(64).toString('base64url');

/** A session key: 20 random bytes, URL-safe base64 without padding. */
export const newSessionKey = (): string => randomBytes(20).toString('base64url');
