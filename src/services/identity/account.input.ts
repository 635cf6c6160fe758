import type { User } from '../../domain/types.js';
import { newId } from '../../domain/ids.js';
import { hashPassword } from './passwords.js';

/** What createAccount and createUser take: the account's first user, and the account when there is one to make. */
export interface NewAccount {
  accountName?: string;
  accountType?: number;
  roleId?: string;
  networkDomain?: string;
  domainId?: string;
  username: string;
  password: string;
  email: string;
  firstname: string;
  lastname: string;
  timezone?: string;
}

export function newUser(accountId: string, a: NewAccount, now: number): User {
  return {
    id: newId(),
    accountId,
    username: a.username,
    passwordHash: hashPassword(a.password),
    firstname: a.firstname,
    lastname: a.lastname,
    email: a.email,
    apiKey: null,
    secretKey: null,
    state: 'enabled',
    created: now,
    timezone: a.timezone ?? null,
    removed: null,
    loginAttempts: 0,
  };
}
