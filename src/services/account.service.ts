import type { Clock } from '../domain/clock.js';
import { DomainError, forbidden, invalid, notFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Account, AccountType, Domain, User } from '../domain/types.js';
import { accountStore, type UserWithAccount } from '../store/account.store.js';
import type { Store } from '../store/db.js';
import { insertRow, updateRow } from '../store/repo.js';
import { sessionStore } from '../store/session.store.js';
import { isAdmin, isRootAdmin, type Caller } from './context.js';
import { checkPassword, hashPassword, newApiKey, newSessionKey } from './passwords.js';
import type { SecurityGroupService } from './securitygroup.service.js';

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
  };
}

const usable = (u: UserWithAccount | undefined): u is UserWithAccount =>
  !!u && u.user.state === 'enabled' && u.account.state === 'enabled';

export interface NewAccount {
  accountName?: string;
  accountType?: number;
  domainId?: string;
  username: string;
  password: string;
  email: string;
  firstname: string;
  lastname: string;
  timezone?: string;
}

export class AccountService {
  constructor(
    private store: Store,
    private clock: Clock,
    private groups: () => SecurityGroupService,
  ) {}

  private keyCache = new Map<string, { version: number; found: { caller: Caller; secret: string } | undefined }>();

  /** The user an API key belongs to, with the secret to check the signature against; reused until the next write. */
  async byApiKey(apiKey: string): Promise<{ caller: Caller; secret: string } | undefined> {
    const version = this.store.version();
    const cached = this.keyCache.get(apiKey);
    if (cached && cached.version === version) return cached.found;
    const u = await accountStore.userByApiKey(this.store.db, apiKey);
    const found = usable(u) && u.user.secretKey ? { caller: toCaller(u), secret: u.user.secretKey } : undefined;
    if (this.keyCache.size > 10_000) this.keyCache.clear();
    this.keyCache.set(apiKey, { version, found });
    return found;
  }

  /** The user a username and password belong to, if both are right and the user may log in. */
  async verifyPassword(username: string, password: string, domain: { path?: string; id?: string }): Promise<UserWithAccount | undefined> {
    const db = this.store.db;
    const d = domain.id ? await accountStore.domainById(db, domain.id) : await accountStore.domainByPath(db, normaliseDomainPath(domain.path));
    if (!d) return undefined;
    const u = await accountStore.userByName(db, username, d.id);
    return usable(u) && checkPassword(password, u.user.passwordHash) ? u : undefined;
  }

  async login(username: string, password: string, domain: { path?: string; id?: string }): Promise<{ sessionId: string; sessionKey: string; user: UserWithAccount } | undefined> {
    const u = await this.verifyPassword(username, password, domain);
    if (!u) return undefined;
    const now = this.clock.now();
    const session = { id: newId().replace(/-/g, '').toUpperCase(), sessionKey: newSessionKey(), userId: u.user.id, created: now, lastAccess: now };
    await this.store.tx(async (trx) => {
      await insertRow(trx, 'sessions', session);
    });
    return { sessionId: session.id, sessionKey: session.sessionKey, user: u };
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
    const u = await accountStore.userById(db, s.userId);
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

  async createAccount(caller: Caller, a: NewAccount): Promise<Account> {
    requireAdmin(caller);
    const db = this.store.db;
    const domain = a.domainId ? await accountStore.domainById(db, a.domainId) : await accountStore.domainById(db, caller.domainId);
    if (!domain) throw notFound('Domain', a.domainId ?? '', 'domainid');
    assertDomainAdmin(caller, domain);
    const type = (a.accountType ?? 0) as AccountType;
    if (![0, 1, 2].includes(type)) throw invalid(`Invalid account type ${a.accountType} given; unable to create user`, 'accounttype');
    if (type === 1 && !isRootAdmin(caller)) throw forbidden('Only a root admin can create a root admin account');
    const name = a.accountName || a.username;
    if (await accountStore.accountByName(db, name, domain.id))
      throw new DomainError('InvalidParameter', `The specified account: ${name} already exists`);
    if (await accountStore.usernameTaken(db, a.username, domain.id))
      throw new DomainError('InvalidParameter', `The user ${a.username} already exists in domain ${domain.name}`);
    const now = this.clock.now();
    const account: Account = { id: newId(), name, type, domainId: domain.id, state: 'enabled', created: now, removed: null };
    await this.store.tx(async (trx) => {
      await insertRow(trx, 'accounts', account);
      await insertRow(trx, 'users', this.newUser(account.id, a, now));
      await this.groups().createDefault(trx, account);
    });
    return account;
  }

  async createUser(caller: Caller, accountName: string, domainId: string | undefined, a: NewAccount): Promise<User> {
    requireAdmin(caller);
    const db = this.store.db;
    const domain = await accountStore.domainById(db, domainId ?? caller.domainId);
    if (!domain) throw notFound('Domain', domainId ?? '', 'domainid');
    assertDomainAdmin(caller, domain);
    const account = await accountStore.accountByName(db, accountName, domain.id);
    if (!account) throw invalid(`Unable to find account ${accountName} in domain ${domain.path}`, 'account');
    if (await accountStore.usernameTaken(db, a.username, domain.id))
      throw new DomainError('InvalidParameter', `The user ${a.username} already exists in domain ${domain.name}`);
    const user = this.newUser(account.id, a, this.clock.now());
    await this.store.tx((trx) => insertRow(trx, 'users', user));
    return user;
  }

  private newUser(accountId: string, a: NewAccount, now: number): User {
    return {
      id: newId(), accountId, username: a.username, passwordHash: hashPassword(a.password), firstname: a.firstname,
      lastname: a.lastname, email: a.email, apiKey: null, secretKey: null, state: 'enabled', created: now,
      timezone: a.timezone ?? null, removed: null,
    };
  }

  /** New keys for a user: admins for users they administer, anyone for themselves. */
  async registerUserKeys(caller: Caller, userId: string): Promise<{ apiKey: string; secretKey: string }> {
    const u = await accountStore.userById(this.store.db, userId);
    if (!u) throw notFound('User', userId);
    this.assertUserAccess(caller, u);
    const keys = { apiKey: newApiKey(), secretKey: newApiKey() };
    await this.store.tx((trx) => updateRow(trx, 'users', userId, keys));
    return keys;
  }

  /** Sets a user's key pair to given values (seed manifests pin them so test clients need no setup). */
  async setUserKeys(caller: Caller, userId: string, keys: { apiKey: string; secretKey: string }): Promise<void> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can set API keys');
    const taken = await accountStore.userByApiKey(this.store.db, keys.apiKey);
    if (taken && taken.user.id !== userId) throw invalid('That API key belongs to another user', 'apikey');
    await this.store.tx((trx) => updateRow(trx, 'users', userId, keys));
  }

  async getUserByApiKey(caller: Caller, apiKey: string): Promise<UserWithAccount> {
    const u = await accountStore.userByApiKey(this.store.db, apiKey);
    if (!u) throw invalid(`Unable to find user by apikey ${apiKey}`, 'userapikey');
    this.assertUserAccess(caller, u);
    return u;
  }

  private assertUserAccess(caller: Caller, u: UserWithAccount): void {
    if (caller.userId === u.user.id || isRootAdmin(caller)) return;
    if (caller.accountType === 2 && u.domain.path.startsWith(caller.domainPath)) return;
    throw forbidden(`Account '${caller.accountName}' does not have permission to access user ${u.user.id}`, 'User', u.user.id);
  }

  /** Domains the caller may see: its own and below. */
  async visibleDomains(caller: Caller): Promise<Domain[]> {
    const all = await accountStore.listDomains(this.store.db);
    if (isRootAdmin(caller)) return all;
    if (caller.accountType === 2) return all.filter((d) => d.path.startsWith(caller.domainPath));
    return all.filter((d) => d.id === caller.domainId);
  }

  async listAccounts(caller: Caller, f: { id?: string; name?: string; domainId?: string; keyword?: string; listAll?: boolean }): Promise<Account[]> {
    const db = this.store.db;
    if (!isAdmin(caller)) {
      const own = await accountStore.listAccounts(db, { ids: [caller.accountId] });
      return own.filter((a) => (!f.id || a.id === f.id) && (!f.name || a.name === f.name));
    }
    const domains = await this.visibleDomains(caller);
    let domainIds = domains.map((d) => d.id);
    if (f.domainId) domainIds = domainIds.filter((d) => d === f.domainId);
    else if (!f.listAll && !f.id && !f.name && !isRootAdmin(caller)) domainIds = [caller.domainId];
    return accountStore.listAccounts(db, { ids: f.id ? [f.id] : undefined, domainIds, name: f.name, keyword: f.keyword });
  }

  async listUsers(caller: Caller, f: { id?: string; username?: string; accountName?: string; domainId?: string; listAll?: boolean }): Promise<UserWithAccount[]> {
    const accounts = isAdmin(caller)
      ? await this.listAccounts(caller, { domainId: f.domainId, name: f.accountName, listAll: true })
      : await this.listAccounts(caller, {});
    const users = await accountStore.usersOfAccounts(this.store.db, accounts.map((a) => a.id));
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const domains = new Map((await accountStore.listDomains(this.store.db)).map((d) => [d.id, d]));
    return users
      .filter((u) => (!f.id || u.id === f.id) && (!f.username || u.username === f.username))
      .filter((u) => isAdmin(caller) || u.id === caller.userId || caller.accountId === u.accountId)
      .map((u) => {
        const account = byId.get(u.accountId)!;
        return { user: u, account, domain: domains.get(account.domainId)! };
      });
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

function requireAdmin(caller: Caller): void {
  if (!isAdmin(caller)) throw forbidden(`Account '${caller.accountName}' is not an administrator`);
}

function assertDomainAdmin(caller: Caller, domain: Domain): void {
  if (isRootAdmin(caller)) return;
  if (domain.path.startsWith(caller.domainPath)) return;
  throw forbidden(`Account '${caller.accountName}' does not have permission to domain ${domain.id}`, 'Domain', domain.id);
}
