import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// A local cloud logs in often (every test does); N = 2^12 keeps a login near 10 ms and is still a
// salted, memory-hard hash. The cost is stored with the hash, so it can be raised later.
const COST = 4096;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${COST}$${salt.toString('base64')}$${scryptSync(password, salt, 32, { N: COST }).toString('base64')}`;
}

/** A hash no password matches: for built-in users that must not log in (system). */
export const NO_LOGIN = '!';

export function checkPassword(password: string, stored: string): boolean {
  const [alg, cost, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !cost || !salt || !hash) return false;
  const want = Buffer.from(hash, 'base64');
  const got = scryptSync(password, Buffer.from(salt, 'base64'), want.length, { N: Number(cost) });
  return timingSafeEqual(got, want);
}

/** CloudStack API keys and secrets are 86 characters of URL-safe base64. */
export const newApiKey = (): string => randomBytes(64).toString('base64url');

/** A session key: 20 random bytes, URL-safe base64 without padding. */
export const newSessionKey = (): string => randomBytes(20).toString('base64url');
