import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// A local cloud logs in often (every test does); N = 2^12 keeps a login near 10 ms and is still a
// salted, memory-hard hash. The cost is stored with the hash, so it can be raised later.
// POLYSTACK_PASSWORD_COST lowers it where the hashes are thrown away by the hundred: the test
// runner sets 16 (scrypt was 4 % of the fast tier's CPU). A power of two from 2 to 2^20.
const COST = costOf(process.env['POLYSTACK_PASSWORD_COST']);

function costOf(given: string | undefined): number {
  if (given === undefined) return 4096;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 2 || n > 2 ** 20 || (n & (n - 1)) !== 0)
    throw new Error(`POLYSTACK_PASSWORD_COST must be a power of two from 2 to 1048576, not ${given}`);
  return n;
}

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
