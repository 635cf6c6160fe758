import { randomBytes, randomInt } from 'node:crypto';
import { runtimeFailure } from '../../domain/errors.js';
import { base32Decode, base32Encode, totp } from '../../domain/totp.js';
import type { User } from '../../domain/types.js';

/** The code did not match (CloudTwoFactorAuthenticationException): the caller decides what it costs. */
export class TwoFactorCodeInvalid extends Error {
  constructor() {
    super('two-factor authentication code provided is invalid');
  }
}

/** A UserTwoFactorAuthenticator plugin: makes a user's key and checks a code against it. */
export interface TwoFactorProvider {
  name: string;
  description: string;
  /** A new key for a user who has none (setup2FAKey); `accountName` names the account in the refusal. */
  setupKey(user: User, accountName: string): string;
  /** Throws TwoFactorCodeInvalid unless `code` is right for the user's key at `nowMs`. */
  check(code: string, user: User, nowMs: number): void;
}

/** Both plugins refuse a second setup while a key is there; disabling 2FA clears it. */
function assertNoKey(user: User, accountName: string): void {
  if (user.keyFor2fa) throw runtimeFailure(`2FA key is already setup for the user account ${accountName}`);
}

/** StaticPinUserTwoFactorAuthenticator: a six-digit pin handed out once; the code is the pin itself. */
export const staticPin: TwoFactorProvider = {
  name: 'staticpin',
  description: 'Static Pin user two factor authentication provider Plugin',
  setupKey(user, accountName) {
    assertNoKey(user, accountName);
    return String(randomInt(100000, 1000000));
  },
  check(code, user) {
    if (!user.keyFor2fa || code !== user.keyFor2fa) throw new TwoFactorCodeInvalid();
  },
};

/**
 * TotpUserTwoFactorAuthenticator: a base32 key of 20 random bytes for an authenticator app; the
 * code is RFC 6238's for the current 30-second step only (de.taimos TOTP.getOTP allows no skew).
 */
export const timeBased: TwoFactorProvider = {
  name: 'totp',
  description: 'TOTP user two factor authentication provider Plugin',
  setupKey(user, accountName) {
    assertNoKey(user, accountName);
    return base32Encode(randomBytes(20));
  },
  check(code, user, nowMs) {
    if (!user.keyFor2fa || code !== totp(base32Decode(user.keyFor2fa), nowMs)) throw new TwoFactorCodeInvalid();
  },
};

/** The providers listUserTwoFactorAuthenticatorProviders names, in the order it names them. */
export const PROVIDERS: readonly TwoFactorProvider[] = [staticPin, timeBased];

/** A provider by name, case-insensitive (AccountManagerImpl.getUserTwoFactorAuthenticationProvider). */
export function providerNamed(name: string | null | undefined): TwoFactorProvider {
  if (!name) throw runtimeFailure('Two factor authentication provider name is empty');
  const p = PROVIDERS.find((x) => x.name === name.toLowerCase());
  if (!p) throw runtimeFailure(`Failed to find two factor authentication provider by the name: ${name}.`);
  return p;
}
