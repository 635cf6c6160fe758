import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Account, Domain, User } from '../../domain/types.js';
import { VersionedCache } from '../versioned.js';
import { accountStore, CALLER_TABLES, type UserWithAccount, userRows } from '../../store/account.store.js';
import type { Store } from '../../store/db.js';
import { sessionStore, sessionRows } from '../../store/session.store.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { checkPassword, newApiKey, newSessionKey } from './passwords.js';
import type { AccountAdminService } from './account.admin.service.js';
import { assertUserAccess, type UserService } from './user.service.js';
import type { NewAccount } from './account.input.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { secondFactorDue } from './twofactor.policy.js';

export const SESSION_TIMEOUT_S = 1800;

export function toCaller(u: UserWithAccount): Caller {
  return {
    userId: u.user.id,
    username: u.user.username,
    accountId: u.account.id,
    accountName: u.account.name,
    accountType: u.account.type,
    domainId: u.domain.id,
    domainPath: u.domain.path,
    roleId: u.access?.role?.id,
    roleType: u.access?.role?.type,
    roleSeq: u.access?.role?.seq,
    domainIds: u.access?.domainIds,
    projectAccountIds: u.access?.projectAccountIds,
  };
}

const usable = (u: UserWithAccount | undefined): u is UserWithAccount =>
  !!u && u.user.state === 'enabled' && u.account.state === 'enabled';

/**
 * A password check: the user, or why not. `disabled` is CloudStack's answer when the password was
 * right but the user or its account is not enabled; every other failure gets one common answer.
 */
export type PasswordCheck = { user: UserWithAccount } | { user?: undefined; disabled?: string };

/**
 * AccountManagerImpl.isInternalAccount: root admins are never disabled by wrong passwords.
 * (CloudStack passes the user's id where an account id is expected; for its first admin the two
 * are both 2, which is the case this follows.)
 */
const internal = (u: UserWithAccount): boolean => isRootAdmin(toCaller(u));

export class AccountService {
  constructor(
    private store: Store,
    private clock: Clock,
    private admin: () => AccountAdminService,
    private users: () => UserService,
    private config: () => ConfigService,
  ) {}

  private keyCache = new VersionedCache<string, { caller: Caller; secret: string } | undefined>();

  /** The user an API key belongs to, with the secret to check the signature against. */
  byApiKey(apiKey: string): Promise<{ caller: Caller; secret: string } | undefined> {
    // Kept while no table a caller is read from is written: deploys and their polls write all the time.
    return this.keyCache.get(apiKey, this.store.versionOf(CALLER_TABLES), async () => {
      const u = await accountStore.userByApiKey(this.store.db, apiKey);
      return usable(u) && u.user.secretKey ? { caller: toCaller(u), secret: u.user.secretKey } : undefined;
    });
  }

  /** The user a username and password belong to, if both are right and the user may log in. */
  async verifyPassword(
    username: string,
    password: string,
    domain: { path?: string; id?: string },
  ): Promise<UserWithAccount | undefined> {
    return (await this.checkPassword(username, password, domain)).user;
  }

  /**
   * AccountManagerImpl.getUserAccount: a wrong password counts toward incorrect.login.attempts.allowed
   * and the user is disabled when they run out; a right one sets the count back to zero.
   */
  async checkPassword(
    username: string,
    password: string,
    domain: { path?: string; id?: string },
  ): Promise<PasswordCheck> {
    const db = this.store.db;
    const d = domain.id
      ? await accountStore.domainById(db, domain.id)
      : await accountStore.domainByPath(db, normaliseDomainPath(domain.path));
    const u = d && (await accountStore.userByName(db, username, d.id));
    if (!d || !u) return {};
    if (!checkPassword(password, u.user.passwordHash)) {
      await this.countFailedLogin(u);
      return {};
    }
    if (!usable(u))
      return {
        disabled: `User ${username} (or their account) in domain ${d.name} is disabled/locked. Please contact the administrator.`,
      };
    // CloudStack writes the zero on every login; only a count that moved needs the write.
    if (u.user.loginAttempts !== 0 && !internal(u))
      await this.store.tx((trx) => accountStore.setLoginAttempts(trx, u.user.id, 0, false));
    return { user: u };
  }

  /** updateLoginAttemptsWhenIncorrectLoginAttemptsEnabled, on the locked row so every node counts the same attempts. */
  private async countFailedLogin(u: UserWithAccount): Promise<void> {
    const allowed = Math.trunc(this.config().num('incorrect.login.attempts.allowed', 5));
    if (allowed <= 0 || u.user.state !== 'enabled' || internal(u)) return;
    await this.store.tx(async (trx) => {
      const now = await accountStore.loginStateForUpdate(trx, u.user.id);
      if (now?.state !== 'enabled') return;
      const made = Number(now.loginAttempts) + 1;
      await accountStore.setLoginAttempts(trx, u.user.id, Math.min(made, allowed), made >= allowed);
    });
  }

  /** A new session for a right password; otherwise what checkPassword found (a refusal text, or none). */
  async login(
    username: string,
    password: string,
    domain: { path?: string; id?: string },
  ): Promise<{ sessionId: string; sessionKey: string; user: UserWithAccount } | { disabled?: string }> {
    const checked = await this.checkPassword(username, password, domain);
    const u = checked.user;
    if (!u) return checked;
    const now = this.clock.now();
    // A login that needs a second factor starts unverified (the session's is2faverified attribute).
    const verified = (await secondFactorDue(this.config(), this.store.db, u)) ? 0 : 1;
    const session = {
      id: newId().replace(/-/g, '').toUpperCase(),
      sessionKey: newSessionKey(),
      userId: u.user.id,
      created: now,
      lastAccess: now,
      twoFactorVerified: verified,
    };
    await this.store.tx(async (trx) => {
      await sessionRows.insert(trx, session);
    });
    return { sessionId: session.id, sessionKey: session.sessionKey, user: u };
  }

  private userCache = new VersionedCache<string, UserWithAccount | undefined>();

  /** A session's user, kept as `byApiKey` keeps a key's. */
  private userOfSession(userId: string): Promise<UserWithAccount | undefined> {
    return this.userCache.get(userId, this.store.versionOf(CALLER_TABLES), () =>
      accountStore.userById(this.store.db, userId),
    );
  }

  /** The caller behind a session, if it is alive and its key matches; refreshes its idle timer. */
  async bySession(sessionId: string, sessionKey: string | undefined): Promise<Caller | undefined> {
    const db = this.store.db;
    const s = await sessionStore.get(db, sessionId);
    if (!s || (sessionKey !== undefined && sessionKey !== s.sessionKey)) return undefined;
    const now = this.clock.now();
    if (now - s.lastAccess > SESSION_TIMEOUT_S * 1000) {
      await sessionStore.remove(db, s.id);
      return undefined;
    }
    const u = await this.userOfSession(s.userId);
    if (!usable(u)) return undefined;
    // Only move the idle timer when it has aged, so reads through a session do not write each time.
    if (now - s.lastAccess > 60_000) await sessionStore.touch(db, s.id, now);
    return toCaller(u);
  }

  /** The caller behind a live session found by its key alone (for endpoints outside /client, which get no session cookie). */
  async bySessionKey(sessionKey: string): Promise<Caller | undefined> {
    const s = sessionKey ? await sessionStore.byKey(this.store.db, sessionKey) : undefined;
    return s ? this.bySession(s.id, sessionKey) : undefined;
  }

  /** Moves a session's idle timer to now: the console session that moved the clock is in use at the new time. */
  async touchSession(sessionKey: string): Promise<void> {
    const s = await sessionStore.byKey(this.store.db, sessionKey);
    if (s) await sessionStore.touch(this.store.db, s.id, this.clock.now());
  }

  /** Whether a session is still there and not idle past its timeout, without moving its idle timer. */
  async sessionLive(sessionKey: string): Promise<boolean> {
    const s = await sessionStore.byKey(this.store.db, sessionKey);
    return !!s && this.clock.now() - s.lastAccess <= SESSION_TIMEOUT_S * 1000;
  }

  async sessionKeyOf(sessionId: string): Promise<string | undefined> {
    return (await sessionStore.get(this.store.db, sessionId))?.sessionKey;
  }

  async logout(sessionId: string): Promise<void> {
    await sessionStore.remove(this.store.db, sessionId);
  }

  /** createAccount, kept here for in-process callers (seed manifests, tests); the rules live in AccountAdminService. */
  createAccount(caller: Caller, a: NewAccount): Promise<Account> {
    return this.admin().create(caller, a);
  }

  async createUser(caller: Caller, accountName: string, domainId: string | undefined, a: NewAccount): Promise<User> {
    return (await this.users().create(caller, accountName, domainId, a)).user;
  }

  /** New keys for a user: admins for users they administer, anyone for themselves. */
  async registerUserKeys(caller: Caller, userId: string): Promise<{ apiKey: string; secretKey: string }> {
    const u = await accountStore.userById(this.store.db, userId);
    if (!u) throw notFound('User', userId);
    assertUserAccess(caller, u);
    const keys = { apiKey: newApiKey(), secretKey: newApiKey() };
    await this.store.tx((trx) => userRows.update(trx, userId, keys));
    return keys;
  }

  /** Sets a user's key pair to given values (seed manifests pin them so test clients need no setup). */
  async setUserKeys(caller: Caller, userId: string, keys: { apiKey: string; secretKey: string }): Promise<void> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can set API keys');
    const taken = await accountStore.userByApiKey(this.store.db, keys.apiKey);
    if (taken && taken.user.id !== userId) throw invalid('That API key belongs to another user', 'apikey');
    await this.store.tx((trx) => userRows.update(trx, userId, keys));
  }

  async getUserByApiKey(caller: Caller, apiKey: string): Promise<UserWithAccount> {
    const u = await accountStore.userByApiKey(this.store.db, apiKey);
    if (!u) throw invalid(`Unable to find user by apikey ${apiKey}`, 'userapikey');
    assertUserAccess(caller, u);
    return u;
  }

  domains(): Promise<Domain[]> {
    return accountStore.listDomains(this.store.db);
  }
}

export function normaliseDomainPath(p: string | undefined): string {
  // The server adds the leading and trailing '/': '' and '/' are ROOT, 'a/b' is ROOT/a/b.
  const trimmed = (p ?? '').replace(/^\/+|\/+$/g, '');
  if (trimmed === '' || trimmed.toUpperCase() === 'ROOT') return 'ROOT';
  return trimmed.toUpperCase().startsWith('ROOT/') ? trimmed : `ROOT/${trimmed}`;
}
