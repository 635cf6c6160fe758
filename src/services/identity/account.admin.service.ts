import type { Clock } from '../../domain/clock.js';
import { DOMAIN_NAME_RULES, isDomainName } from '../../domain/domainname.js';
import { failed, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Role } from '../../domain/organisation.js';
import { accountTypeOf, DEFAULT_ROLE_SEQ, privilege, roleTypeOfAccount } from '../../domain/roles.js';
import { acctText } from '../../domain/tenancy.js';
import type { Account, AccountType } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, accountRows, userRows } from '../../store/account.store.js';
import { projectStore } from '../../store/project.store.js';
import type { Db, Store } from '../../store/db.js';
import { roleStore } from '../../store/role.store.js';
import { purgeAccountResources } from './account.cleanup.js';
import type { NewAccount } from './account.input.js';
import { isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { assertDomainAccess } from './scope.js';
import type { SecurityGroupService } from '../network/securitygroup.service.js';
import { newUser } from './account.input.js';
import type { VmService } from '../compute/vm.service.js';
import { vmStore } from '../../store/vm.store.js';

export const ACCOUNT_JOBS = { delete: 'account.delete', disable: 'account.disable' } as const;

export interface AccountRef {
  id?: string;
  name?: string;
  domainId?: string;
}

const isSystem = (a: Account) => a.type === 1 && a.name === 'system';
const isDefaultAccount = (a: Account) => a.type === 1 && (a.name === 'system' || a.name === 'admin');

/** Accounts: create, update, disable, lock, enable and delete with everything they own (AccountManagerImpl). */
export class AccountAdminService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private groups: () => SecurityGroupService,
    private vms: () => VmService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(ACCOUNT_JOBS.delete, async ({ caller, params }) => {
      await this.purge(caller, params.id);
      return { type: 'success' };
    });
    jobs.register<{ id: string; lock: boolean; stopCmd: string }>(ACCOUNT_JOBS.disable, async ({ caller, params }) => {
      await this.disable(caller, params.id, params.lock, params.stopCmd);
      return { type: 'object', instanceType: 'Account', id: params.id };
    });
  }

  /** The role a new or updated account gets: the one named, or its type's default; never more than the caller holds. */
  private async roleFor(
    db: Db,
    caller: Caller,
    roleId: string | undefined,
    type: AccountType | undefined,
  ): Promise<Role> {
    const role = roleId
      ? await roleStore.get(db, roleId)
      : type !== undefined
        ? await roleStore.bySeq(db, DEFAULT_ROLE_SEQ[roleTypeOfAccount(type)])
        : undefined;
    if (roleId && !role) throw invalid(`Unable to find role by id ${roleId}`, 'roleid');
    if (!role) throw invalid('Neither account type and role ID are not provided', 'accounttype');
    const callerType = caller.roleType ?? roleTypeOfAccount(caller.accountType);
    if (privilege(role.type) < privilege(callerType))
      throw forbidden(
        `User of Account ${acctText({ id: caller.accountId, name: caller.accountName })} and domain ${caller.domainPath} can not create an account with access to more privileges they have themself.`,
      );
    return role;
  }

  async create(caller: Caller, a: NewAccount): Promise<Account> {
    if (a.accountType !== undefined && ![0, 1, 2].includes(a.accountType))
      throw invalid(`Invalid account type ${a.accountType} given; unable to create user`, 'accounttype');
    if (!a.password) throw invalid('Empty passwords are not allowed', 'password');
    if (a.networkDomain !== undefined && !isDomainName(a.networkDomain))
      throw invalid(DOMAIN_NAME_RULES, 'networkdomain');
    return this.store.tx(async (trx) => {
      const domain = await accountStore.domainById(trx, a.domainId ?? caller.domainId);
      if (!domain) throw notFound('Domain', a.domainId ?? '', 'domainid');
      if (domain.state === 'Inactive')
        throw failed(`The account cannot be created as domain ${domain.name} is being deleted`);
      assertDomainAccess(caller, domain);
      // In-process callers (seed manifests, tests) may leave both out: a plain user, as before roles existed.
      const role = await this.roleFor(
        trx,
        caller,
        a.roleId,
        (a.roleId ? undefined : (a.accountType ?? 0)) as AccountType | undefined,
      );
      const name = a.accountName || a.username;
      if (await accountStore.accountByName(trx, name, domain.id))
        throw invalid(`The specified account: ${name} already exists`, 'account');
      if (await accountStore.usernameTaken(trx, a.username, domain.id))
        throw failed(`The user ${a.username} already exists in domain ${domain.seq}`);
      const now = this.clock.now();
      const account: Account = {
        id: newId(),
        name,
        type: accountTypeOf(role.type),
        domainId: domain.id,
        state: 'enabled',
        created: now,
        removed: null,
        roleId: role.id,
        networkDomain: a.networkDomain ?? null,
      };
      await accountRows.insert(trx, account);
      await userRows.insert(trx, newUser(account.id, a, now));
      await this.groups().createDefault(trx, account);
      await this.event(trx, caller, 'ACCOUNT.CREATE', `Created account ${name} in domain ${domain.path}`, account.id);
      return account;
    });
  }

  /** An account named by id, or by name in a domain (the caller's by default). */
  async find(db: Db, caller: Caller, ref: AccountRef): Promise<Account> {
    const domainId = ref.domainId ?? caller.domainId;
    const acct = ref.id
      ? await accountStore.accountById(db, ref.id)
      : ref.name
        ? await accountStore.accountByName(db, ref.name, domainId)
        : undefined;
    if (!acct || acct.type === 5)
      throw invalid(
        `Unable to find account by accountId: ${ref.id ?? null} OR by name: ${ref.name ?? null} in domain ${domainId}`,
        ref.id ? 'id' : 'account',
      );
    const domain = await accountStore.domainById(db, acct.domainId);
    if (domain) assertDomainAccess(caller, domain);
    return acct;
  }

  async update(
    caller: Caller,
    ref: AccountRef,
    u: { newName?: string; networkDomain?: string; roleId?: string },
  ): Promise<Account> {
    return this.store.tx(async (trx) => {
      const acct = await this.find(trx, caller, ref);
      if (isSystem(acct)) throw invalid('Can not modify system account', 'id');
      const patch: Partial<Account> = {};
      if (u.newName !== undefined && u.newName !== acct.name) {
        if (!u.newName)
          throw invalid(
            `The new account name for account '${acct.name}' within domain '${acct.domainId}' is empty string. Account will be not renamed.`,
            'newname',
          );
        const twin = await accountStore.accountByName(trx, u.newName, acct.domainId);
        if (twin)
          throw invalid(
            `The account with the proposed name '${u.newName}' exists in the domain '${acct.domainId}' with existing account ${acctText(twin)}`,
            'newname',
          );
        patch.name = u.newName;
      }
      if (u.networkDomain) {
        if (!isDomainName(u.networkDomain)) throw invalid(DOMAIN_NAME_RULES, 'networkdomain');
        patch.networkDomain = u.networkDomain;
      } else if (u.networkDomain === '') patch.networkDomain = null;
      if (u.roleId) {
        const role = await this.roleFor(trx, caller, u.roleId, undefined);
        const domain = await accountStore.domainById(trx, acct.domainId);
        if (role.type === 'Admin' && domain?.parentId)
          throw forbidden(
            `Unable to change the role of account ${acct.name} as the user does not belong to the ROOT domain`,
          );
        Object.assign(patch, { roleId: role.id, type: accountTypeOf(role.type) });
      }
      await accountRows.update(trx, acct.id, patch);
      await this.event(trx, caller, 'ACCOUNT.UPDATE', `Updated account ${patch.name ?? acct.name}`, acct.id);
      return { ...acct, ...patch };
    });
  }

  async submitDelete(caller: Caller, id: string, cmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const acct = await accountStore.accountById(trx, id);
      if (!acct || acct.type === 5) throw invalid('The specified account does not exist in the system', 'id');
      if (acct.id === caller.accountId)
        throw invalid(
          `Deletion of your own account is not allowed. To delete account ${acct.name} (ID: ${acct.id}, Domain: ${acct.domainId}), request to another user with permissions to perform the operation.`,
          'id',
        );
      await this.find(trx, caller, { id });
      if (isDefaultAccount(acct)) throw invalid("The account is default and can't be removed", 'id');
      // AccountManagerImpl.deleteUserAccount: a project's owner stays while the project does.
      const managed = await projectStore.administered(trx, acct.id);
      if (managed.length)
        throw invalid(
          `The account id=${acct.id} manages project(s) with ids ${managed.map((p) => `${p.seq}, `).join('')}and can't be removed`,
          'id',
        );
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: ACCOUNT_JOBS.delete,
        params: { id },
        instanceType: 'Account',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /** deleteAccount's work (also domain cleanup's): the account's resources go, then the account and its users are marked removed. */
  async purge(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const acct = await accountStore.accountById(trx, id);
      if (!acct) return; // a re-run after it went
      await purgeAccountResources(trx, id);
      const now = this.clock.now();
      await accountStore.removeUsers(trx, id, now);
      await accountRows.update(trx, id, { removed: now, state: 'disabled' });
      await this.event(trx, caller, 'ACCOUNT.DELETE', `Deleted account ${acct.name}`, id);
    });
  }

  /** disableAccount's create phase: the checks that fail the call itself. `stopCmd` names the jobs that stop its VMs. */
  async submitDisable(caller: Caller, ref: AccountRef, lock: boolean, cmd: string, stopCmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const acct = await this.checkStateChange(trx, caller, ref, lock ? 'lock' : 'disable');
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: ACCOUNT_JOBS.disable,
        params: { id: acct.id, lock, stopCmd },
        instanceType: 'Account',
        instanceId: acct.id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /** Disabling stops the account's running VMs (doDisableAccount); locking only keeps its users out. */
  private async disable(caller: Caller, id: string, lock: boolean, stopCmd: string): Promise<void> {
    const acct = await this.store.tx(async (trx) => {
      const a = await this.find(trx, caller, { id });
      await this.setState(trx, a, lock ? 'locked' : 'disabled');
      await this.event(trx, caller, 'ACCOUNT.DISABLE', `${lock ? 'Locked' : 'Disabled'} account ${a.name}`, a.id);
      return a;
    });
    if (!lock) await this.stopVms(caller, acct.id, stopCmd);
  }

  /** Stops every running VM of an account, one stop job each, and waits for them. */
  async stopVms(caller: Caller, accountId: string, stopCmd: string): Promise<void> {
    const running = await vmStore.list(this.store.db, { accountIds: [accountId], state: 'Running' });
    for (const vm of running.items)
      await this.jobs.wait(
        await this.vms().submit(caller, vm.id, 'stop', stopCmd, { forced: false }, { internal: true }),
      );
  }

  /** enableAccount and lockAccount, synchronous. */
  async changeState(caller: Caller, ref: AccountRef, state: 'enabled' | 'locked'): Promise<Account> {
    return this.store.tx(async (trx) => {
      const acct = await this.checkStateChange(trx, caller, ref, state === 'enabled' ? 'enable' : 'lock');
      await this.setState(trx, acct, state);
      await this.event(
        trx,
        caller,
        state === 'enabled' ? 'ACCOUNT.ENABLE' : 'ACCOUNT.DISABLE',
        `${state === 'enabled' ? 'Enabled' : 'Locked'} account ${acct.name}`,
        acct.id,
      );
      return { ...acct, state };
    });
  }

  async setState(db: Db, acct: Account, state: string): Promise<void> {
    await accountStore.lockAccount(db, acct.id, state);
  }

  private async checkStateChange(db: Db, caller: Caller, ref: AccountRef, verb: string): Promise<Account> {
    const acct = await this.find(db, caller, ref);
    if (isSystem(acct))
      throw forbidden(`Account: ${acctText(acct)} is a system account, ${verb} is not allowed`, 'Account', acct.id);
    return acct;
  }

  /** listAccounts: users see their own; admins their domain, or with listall the tree below it. */
  async list(
    caller: Caller,
    f: {
      id?: string;
      name?: string;
      domainId?: string;
      keyword?: string;
      listAll?: boolean;
      isRecursive?: boolean;
      type?: number;
      state?: string;
    },
  ): Promise<Account[]> {
    const db = this.store.db;
    const filters = { name: f.name, keyword: f.keyword, type: f.type, state: f.state };
    if (!isAdmin(caller))
      return (await accountStore.listAccounts(db, { ids: [caller.accountId], ...filters })).filter(
        (a) => !f.id || a.id === f.id,
      );
    if (f.id) {
      const acct = await accountStore.accountById(db, f.id);
      if (!acct || acct.type === 5) return [];
      await this.find(db, caller, { id: f.id });
      return accountStore.listAccounts(db, { ids: [f.id], ...filters });
    }
    const base = await accountStore.domainById(db, f.domainId ?? caller.domainId);
    if (!base) throw notFound('Domain', f.domainId ?? '', 'domainid');
    assertDomainAccess(caller, base);
    const everything = isRootAdmin(caller) && !f.domainId;
    const recursive = everything || f.listAll || f.isRecursive;
    const domains = everything ? undefined : recursive ? await accountStore.subtree(db, base.path) : [base];
    return accountStore.listAccounts(db, { domainIds: domains?.map((d) => d.id), ...filters });
  }

  private event(db: Db, caller: Caller, type: string, description: string, accountId: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: accountId,
      resourceType: 'Account',
    });
  }
}
