import type { Clock } from '../../domain/clock.js';
import { failed, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { inSubtree } from '../../domain/tenancy.js';
import type { Account, User } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, type UserWithAccount, userRows } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import type { AccountAdminService } from './account.admin.service.js';
import { newUser, type NewAccount } from './account.input.js';
import { administers, isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { checkPassword, hashPassword } from './passwords.js';
import { assertDomainAccess } from './scope.js';

export const USER_JOBS = { disable: 'user.disable' } as const;

/** A user the caller may act on: itself, a user of its own account, or one it administers. */
export function assertUserAccess(caller: Caller, u: UserWithAccount): void {
  // checkAccess(caller, null, true, account): an account is its own owner, so its users reach each other.
  if (caller.userId === u.user.id || caller.accountId === u.account.id || isRootAdmin(caller)) return;
  if (
    isAdmin(caller) &&
    (administers(caller, u.domain) || (!caller.domainIds && inSubtree(u.domain.path, caller.domainPath)))
  )
    return;
  throw forbidden(
    `Account '${caller.accountName}' does not have permission to access user ${u.user.id}`,
    'User',
    u.user.id,
  );
}

const isDefaultUser = (u: User) => u.username === 'admin' || u.username === 'system';

export interface UserUpdate {
  username?: string;
  password?: string;
  currentPassword?: string;
  firstname?: string;
  lastname?: string;
  email?: string;
  timezone?: string;
  apiKey?: string;
  secretKey?: string;
}

/** Users of accounts (AccountManagerImpl's user half). */
export class UserService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private accounts: () => AccountAdminService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(USER_JOBS.disable, async ({ caller, params }) => {
      await this.setState(caller, params.id, 'disabled');
      return { type: 'object', instanceType: 'User', id: params.id };
    });
  }

  async create(
    caller: Caller,
    accountName: string,
    domainId: string | undefined,
    a: NewAccount,
  ): Promise<UserWithAccount> {
    return this.store.tx(async (trx) => {
      const domain = await accountStore.domainById(trx, domainId ?? caller.domainId);
      if (!domain) throw notFound('Domain', domainId ?? '', 'domainid');
      if (domain.state === 'Inactive')
        throw failed(`The user cannot be created as domain ${domain.name} is being deleted`);
      assertDomainAccess(caller, domain);
      const account = await accountStore.accountByName(trx, accountName, domain.id);
      if (!account || account.type === 5)
        throw invalid(`Unable to find account ${accountName} in domain ${domain.path} to create user`, 'account');
      if (account.type === 1 && account.name === 'system')
        throw forbidden(`Account: ${account.name} is a system account, can't add a user to it`);
      if (await accountStore.usernameTaken(trx, a.username, domain.id))
        throw failed(`The user ${a.username} already exists in domain ${domain.seq}`);
      const user = newUser(account.id, a, this.clock.now());
      await userRows.insert(trx, user);
      await this.event(trx, caller, 'USER.CREATE', `Created user ${user.username} in account ${account.name}`, user.id);
      return { user, account, domain };
    });
  }

  async get(db: Db, caller: Caller, id: string): Promise<UserWithAccount> {
    const u = await accountStore.userById(db, id);
    if (!u) throw notFound('User', id);
    assertUserAccess(caller, u);
    return u;
  }

  async update(caller: Caller, id: string, u: UserUpdate): Promise<UserWithAccount> {
    return this.store.tx(async (trx) => {
      const found = await this.get(trx, caller, id);
      if (found.account.type === 1 && found.account.name === 'system')
        throw forbidden(`user: ${found.user.username} is a system account; update is not allowed.`, 'User', id);
      const patch: Partial<User> = {};
      for (const k of ['firstname', 'lastname'] as const) {
        if (u[k] === undefined) continue;
        if (!u[k]!.trim()) throw invalid(`${k === 'firstname' ? 'Firstname' : 'Lastname'} cannot be empty.`, k);
        patch[k] = u[k];
      }
      if (u.email) patch.email = u.email;
      if (u.timezone) patch.timezone = u.timezone;
      if (u.username !== undefined && u.username !== found.user.username) {
        if (!u.username.trim()) throw invalid('Username cannot be empty.', 'username');
        if (await accountStore.usernameTaken(trx, u.username, found.domain.id))
          throw invalid(`The user ${u.username} already exists in domain ${found.domain.seq}`, 'username');
        patch.username = u.username;
      }
      if (u.password !== undefined) patch.passwordHash = this.newPassword(caller, found, u);
      if (!!u.apiKey !== !!u.secretKey) throw invalid('Please provide a userApiKey/userSecretKey pair', 'userapikey');
      if (u.apiKey && u.secretKey) {
        const owner = await accountStore.userByApiKey(trx, u.apiKey);
        if (owner && owner.user.id !== id)
          throw invalid(
            `The API key [${u.apiKey}] already exists in the system. Please provide a unique key.`,
            'userapikey',
          );
        Object.assign(patch, { apiKey: u.apiKey, secretKey: u.secretKey });
      }
      await userRows.update(trx, id, patch);
      await this.event(trx, caller, 'USER.UPDATE', `Updated user ${found.user.username}`, id);
      return { ...found, user: { ...found.user, ...patch } };
    });
  }

  /** Admins set passwords outright; a user changing its own must give the current one. */
  private newPassword(caller: Caller, found: UserWithAccount, u: UserUpdate): string {
    if (!u.password!.trim()) throw invalid('Password cannot be empty or blank.', 'password');
    if (!isAdmin(caller)) {
      if (!u.currentPassword)
        throw invalid('To set a new password the current password must be provided.', 'currentpassword');
      if (!checkPassword(u.currentPassword, found.user.passwordHash))
        throw invalid('Current password is incorrect.', 'currentpassword');
    }
    return hashPassword(u.password!);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const found = await this.live(trx, id, "The specified user doesn't exist in the system");
      if (isDefaultUser(found.user) && found.domain.parentId === null)
        throw invalid("The user is default and can't be removed", 'id');
      if (found.account.type === 5) throw invalid('Project users cannot be deleted or moved.', 'id');
      assertUserAccess(caller, found);
      await userRows.update(trx, id, { removed: this.clock.now(), apiKey: null, secretKey: null });
      await this.event(trx, caller, 'USER.DELETE', `Deleted user ${found.user.username}`, id);
    });
  }

  /**
   * moveUser (AccountManagerImpl.moveUser): the user, its uuid and keys go to another account of the
   * same domain, named by name (an enabled account) or else by id.
   */
  async move(caller: Caller, id: string, to: { accountName?: string; accountId?: string }): Promise<void> {
    await this.store.tx(async (trx) => {
      const found = await this.live(trx, id, "The specified user doesn't exist in the system");
      if (isDefaultUser(found.user) && found.domain.parentId === null)
        throw invalid("The user is default and can't be (re)moved", 'id');
      if (found.account.type === 5) throw invalid('Project users cannot be deleted or moved.', 'id');
      assertUserAccess(caller, found);
      if (!to.accountName && !to.accountId)
        throw invalid('provide either an account name or an account id!', 'account');
      let target = to.accountName ? await accountStore.accountByName(trx, to.accountName, found.domain.id) : undefined;
      if (target && target.state !== 'enabled') target = undefined;
      if (!target && to.accountId) target = await accountStore.accountById(trx, to.accountId);
      if (!target || target.type === 5)
        throw failed('no account name or account id. this should have been caught before this point');
      if (target.domainId !== found.domain.id)
        throw invalid(
          'moving a user from an account in one domain to an account in annother domain is not supported!',
          'account',
        );
      if (target.id === found.account.id) return;
      await userRows.update(trx, id, { accountId: target.id });
      await this.event(trx, caller, 'USER.MOVE', `Moved user ${found.user.username} to account ${target.name}`, id);
    });
  }

  async submitDisable(caller: Caller, id: string, cmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      await this.checkStateChange(trx, caller, id, 'disabling');
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: USER_JOBS.disable,
        params: { id },
        instanceType: 'User',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /** enableUser enables the account too; lockUser locks the account once no user of it is enabled. */
  async setState(caller: Caller, id: string, state: 'enabled' | 'disabled' | 'locked'): Promise<UserWithAccount> {
    return this.store.tx(async (trx) => {
      const found = await this.checkStateChange(
        trx,
        caller,
        id,
        state === 'enabled' ? 'enabling' : state === 'locked' ? 'locking' : 'disabling',
      );
      const u = found.user;
      if (state === 'locked') {
        if (u.state === 'locked') return found;
        if (u.state !== 'enabled') throw failed(`Unable to lock user ${u.username}`, 'User', id);
      }
      // enableUser also sets the wrong-password count back to zero (AccountManagerImpl.enableUser).
      await userRows.update(trx, id, state === 'enabled' ? { state, loginAttempts: 0 } : { state });
      if (state === 'enabled' && found.account.state !== 'enabled')
        await this.accounts().setState(trx, found.account, 'enabled');
      if (state === 'locked') {
        const others = await accountStore.usersOfAccounts(trx, [found.account.id]);
        if (!others.some((o) => o.id !== id && o.state === 'enabled'))
          await this.accounts().setState(trx, found.account, 'locked');
      }
      await this.event(
        trx,
        caller,
        `USER.${state === 'enabled' ? 'ENABLE' : state === 'locked' ? 'LOCK' : 'DISABLE'}`,
        `User ${u.username} ${state}`,
        id,
      );
      return { ...found, user: { ...u, state, ...(state === 'enabled' ? { loginAttempts: 0 } : {}) } };
    });
  }

  private async checkStateChange(db: Db, caller: Caller, id: string, verb: string): Promise<UserWithAccount> {
    const found = await this.live(db, id, `Unable to find active user by id ${id}`);
    if (found.account.type === 5) throw invalid(`Unable to find active user ${found.user.username}`, 'id');
    if (found.account.type === 1 && found.account.name === 'system')
      throw invalid(`User: ${found.user.username} is a system user, ${verb} is not allowed`, 'id');
    assertUserAccess(caller, found);
    return found;
  }

  private async live(db: Db, id: string, missing: string): Promise<UserWithAccount> {
    const found = await accountStore.userById(db, id);
    if (!found) throw invalid(missing, 'id');
    return found;
  }

  /** listUsers: the caller's own account's users, or for admins the accounts they may list. */
  async list(
    caller: Caller,
    f: {
      id?: string;
      username?: string;
      accountName?: string;
      domainId?: string;
      listAll?: boolean;
      isRecursive?: boolean;
      accountType?: number;
      state?: string;
      keyword?: string;
    },
  ): Promise<UserWithAccount[]> {
    // Admins list the users of their whole tree, as polystack always has; CloudStack needs listall for that.
    const accounts = await this.accounts().list(caller, {
      domainId: f.domainId,
      name: f.accountName,
      listAll: isAdmin(caller),
      isRecursive: f.isRecursive,
    });
    const users = await accountStore.usersOfAccounts(
      this.store.db,
      accounts.map((a) => a.id),
    );
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const domains = new Map((await accountStore.listDomains(this.store.db)).map((d) => [d.id, d]));
    return users
      .filter(
        (u) =>
          (!f.id || u.id === f.id) && (!f.username || u.username === f.username) && (!f.state || u.state === f.state),
      )
      .filter(
        (u) =>
          !f.keyword ||
          [u.username, u.firstname, u.lastname, u.email ?? ''].some((v) =>
            v.toLowerCase().includes(f.keyword!.toLowerCase()),
          ),
      )
      .filter((u) => f.accountType === undefined || byId.get(u.accountId)?.type === f.accountType)
      .map((u) => ({
        user: u,
        account: byId.get(u.accountId)!,
        domain: domains.get(byId.get(u.accountId)!.domainId)!,
      }));
  }

  /** The live users of these accounts, with their account and domain, for account views. */
  async ofAccounts(accounts: Account[]): Promise<UserWithAccount[]> {
    const users = await accountStore.usersOfAccounts(
      this.store.db,
      accounts.map((a) => a.id),
    );
    const domains = new Map((await accountStore.listDomains(this.store.db)).map((d) => [d.id, d]));
    const byId = new Map(accounts.map((a) => [a.id, a]));
    return users.map((u) => ({
      user: u,
      account: byId.get(u.accountId)!,
      domain: domains.get(byId.get(u.accountId)!.domainId)!,
    }));
  }

  /** getUserKeys: a user's key pair, for itself and those who administer it. */
  async keys(caller: Caller, id: string): Promise<{ apiKey: string | null; secretKey: string | null }> {
    const u = await this.get(this.store.db, caller, id);
    return { apiKey: u.user.apiKey, secretKey: u.user.secretKey };
  }

  private event(db: Db, caller: Caller, type: string, description: string, userId: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: userId,
      resourceType: 'User',
    });
  }
}
