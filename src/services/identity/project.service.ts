import type { Clock } from '../../domain/clock.js';
import { failed, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Project, ProjectMember, ProjectRole } from '../../domain/organisation.js';
import { acctText } from '../../domain/tenancy.js';
import type { Account } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, accountRows } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { projectStore, projectRows, projectMemberRows } from '../../store/project.store.js';
import { projectRoleStore } from '../../store/projectrole.store.js';
import { networkStore } from '../../store/network.store.js';
import { templateStore } from '../../store/template.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore } from '../../store/volume.store.js';
import { vpcStore } from '../../store/vpc.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import type { AccountAdminService } from './account.admin.service.js';
import { purgeAccountResources } from './account.cleanup.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { administers, isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume, release } from '../resources.js';
import { assertDomainAccess, projectFor } from './scope.js';

export const PROJECT_JOBS = {
  enable: 'project.enable',
  update: 'project.update',
  delete: 'project.delete',
  activate: 'project.activate',
  suspend: 'project.suspend',
  addAccount: 'project.addAccount',
  addUser: 'project.addUser',
  removeAccount: 'project.removeAccount',
} as const;

export interface ProjectUpdate {
  displayText?: string;
  account?: string;
  roleType?: string;
  swapOwner?: boolean;
}

const parseRole = (r: string | undefined): ProjectRole => {
  if (r === undefined || r.toLowerCase() === 'regular') return 'Regular';
  if (r.toLowerCase() === 'admin') return 'Admin';
  throw invalid(`Invalid role type ${r}; valid values are Admin and Regular`, 'roletype');
};

/**
 * Projects (ProjectManagerImpl): each owns its resources through an account of type 5 in its
 * domain; members are accounts with the role Admin (may change the project) or Regular.
 */
export class ProjectService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private accounts: () => AccountAdminService,
  ) {}

  register(jobs: JobEngine): void {
    const done = (id: string) => ({ type: 'object' as const, instanceType: 'Project', id });
    jobs.register<{ id: string }>(PROJECT_JOBS.enable, async ({ params }) => {
      await this.store.tx((trx) => projectRows.update(trx, params.id, { state: 'Active' }));
      return done(params.id);
    });
    jobs.register<{ id: string; u: ProjectUpdate }>(PROJECT_JOBS.update, async ({ caller, params }) =>
      done((await this.update(caller, params.id, params.u)).id),
    );
    jobs.register<{ id: string; cleanup: boolean }>(PROJECT_JOBS.delete, async ({ caller, params }) => {
      await this.delete(caller, params.id, params.cleanup);
      return { type: 'success' };
    });
    jobs.register<{ id: string }>(PROJECT_JOBS.activate, async ({ caller, params }) =>
      done((await this.activate(caller, params.id)).id),
    );
    jobs.register<{ id: string; stopCmd: string }>(PROJECT_JOBS.suspend, async ({ caller, params }) =>
      done((await this.suspend(caller, params.id, params.stopCmd)).id),
    );
    jobs.register<{ id: string; account: string; role?: string; projectRoleId?: string }>(
      PROJECT_JOBS.addAccount,
      async ({ caller, params }) => {
        await this.addAccount(caller, params.id, params.account, params.role, params.projectRoleId);
        return { type: 'success' };
      },
    );
    jobs.register<{ id: string; username: string; role?: string; projectRoleId?: string }>(
      PROJECT_JOBS.addUser,
      async ({ caller, params }) => {
        await this.addUser(caller, params.id, params.username, params.role, params.projectRoleId);
        return { type: 'success' };
      },
    );
    jobs.register<{ id: string; account: string }>(PROJECT_JOBS.removeAccount, async ({ caller, params }) => {
      await this.removeAccount(caller, params.id, params.account);
      return { type: 'success' };
    });
  }

  /** Runs a project command as a job, after checking the project exists and the caller may reach it. */
  async submit(caller: Caller, id: string, kind: string, cmd: string, params: object): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      await projectFor(trx, caller, id);
      return this.jobs.submit(trx, caller, {
        cmd,
        kind,
        params: { id, ...params },
        instanceType: 'Project',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /** createProject's create phase: the project, its account and its owner's membership, Disabled until the job enables it. */
  async create(
    caller: Caller,
    r: { name: string; displayText: string; account?: string; domainId?: string },
    cmd: string,
  ): Promise<{ project: Project; jobId: string }> {
    if (!isAdmin(caller) && !this.config.bool('allow.user.create.projects', true))
      throw forbidden('Regular user is not permitted to create a project');
    if (!!r.account !== !!r.domainId) throw invalid('Account name and domain id must be specified together', 'account');
    const out = await this.store.tx(async (trx) => {
      const owner = r.account
        ? await this.accounts().find(trx, caller, { name: r.account, domainId: r.domainId })
        : (await accountStore.accountById(trx, caller.accountId))!;
      const domain = (await accountStore.domainById(trx, owner.domainId))!;
      if (await projectStore.byName(trx, r.name, domain.id))
        throw invalid(`Project with name ${r.name} already exists in domain id=${domain.seq}`, 'name');
      await consume(trx, owner.id, { project: 1 });
      const now = this.clock.now();
      const projectAccount: Account = {
        id: newId(),
        name: `PrjAcct-${r.name}-${domain.seq}`,
        type: 5,
        domainId: domain.id,
        state: 'enabled',
        created: now,
        removed: null,
      };
      await accountRows.insert(trx, projectAccount);
      const project: Project = {
        id: newId(),
        seq: await nextSeq(trx, 'project'),
        name: r.name,
        displayText: r.displayText,
        domainId: domain.id,
        projectAccountId: projectAccount.id,
        state: 'Disabled',
        created: now,
        removed: null,
      };
      await projectRows.insert(trx, project);
      await projectMemberRows.insert(trx, {
        id: newId(),
        projectId: project.id,
        accountId: owner.id,
        role: 'Admin',
        created: now,
      });
      await this.event(trx, caller, 'PROJECT.CREATE', `Created project ${r.name}`, project);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: PROJECT_JOBS.enable,
        params: { id: project.id },
        instanceType: 'Project',
        instanceId: project.id,
      });
      return { project, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /** AccessType.ModifyProject: root admins, the admins of the project's domain, and the project's Admin members. */
  private async modifiable(db: Db, caller: Caller, id: string): Promise<Project> {
    const p = await projectFor(db, caller, id);
    if (isRootAdmin(caller)) return p;
    const domain = await accountStore.domainById(db, p.domainId);
    if (domain && isAdmin(caller) && administers(caller, domain)) return p;
    // The user's own membership (addUserToProject) decides before its account's.
    const rows = await projectStore.memberships(db, p.id, caller.accountId);
    if ((rows.find((r) => r.userId === caller.userId) ?? rows.find((r) => !r.userId))?.role === 'Admin') return p;
    throw forbidden(
      `Account ${acctText({ id: caller.accountId, name: caller.accountName })} can't modify project id=${p.id}`,
      'Project',
      p.id,
    );
  }

  private async memberAccount(db: Db, p: Project, name: string): Promise<Account> {
    const acct = await accountStore.accountByName(db, name, p.domainId);
    if (!acct || acct.type === 5 || acct.state !== 'enabled')
      throw invalid(
        `Unable to find account name=${name} in domain id=${(await accountStore.domainById(db, p.domainId))?.seq}`,
        'account',
      );
    return acct;
  }

  async update(caller: Caller, id: string, u: ProjectUpdate): Promise<Project> {
    return this.store.tx(async (trx) => {
      const p = await this.modifiable(trx, caller, id);
      if (u.displayText !== undefined) await projectRows.update(trx, id, { displayText: u.displayText });
      if (u.account) {
        const acct = await this.memberAccount(trx, p, u.account);
        const member = await projectStore.member(trx, id, acct.id);
        if (!member)
          throw invalid(
            `Account ${u.account} doesn't belong to the project. Add it to the project first and then change the project's ownership`,
            'account',
          );
        const admins = (await projectStore.members(trx, [id])).filter((m) => m.role === 'Admin');
        if (u.swapOwner === false) {
          const role = parseRole(u.roleType);
          if (role !== 'Admin' && admins.length === 1 && admins[0]!.accountId === acct.id)
            throw invalid('Cannot demote the only admin of the project', 'roletype');
          await this.setRole(trx, member, role);
        } else if (member.role !== 'Admin') {
          // Swapping ownership: the new owner becomes Admin, the old owners Regular.
          await this.setRole(trx, member, 'Admin');
          for (const a of admins) await this.setRole(trx, a, 'Regular');
        }
      }
      await this.event(trx, caller, 'PROJECT.UPDATE', `Updated project ${p.name}`, p);
      return (await projectStore.get(trx, id))!;
    });
  }

  /** An account counts the projects it administers (resource type 5). */
  private async setRole(db: Db, m: ProjectMember, role: ProjectRole): Promise<void> {
    if (m.role === role) return;
    if (role === 'Admin') await consume(db, m.accountId, { project: 1 });
    else await release(db, m.accountId, { project: 1 });
    await projectStore.setRole(db, m.id, role);
  }

  /** Without cleanup a project that still owns resources is refused; with it they go first. */
  async delete(caller: Caller, id: string, cleanup: boolean): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await this.modifiable(trx, caller, id);
      if (!cleanup) {
        const left = await this.leftovers(trx, p.projectAccountId);
        if (left) throw failed(`Can't delete the project yet because it has ${left}`, 'Project', p.id);
      }
      await this.purgeIn(trx, caller, p);
    });
  }

  /** Domain cleanup's way to remove a project and all it owns. */
  async purge(caller: Caller, p: Project): Promise<void> {
    await this.store.tx((trx) => this.purgeIn(trx, caller, p));
  }

  private async purgeIn(db: Db, caller: Caller, p: Project): Promise<void> {
    for (const m of (await projectStore.members(db, [p.id])).filter((x) => x.role === 'Admin'))
      await release(db, m.accountId, { project: 1 });
    await purgeAccountResources(db, p.projectAccountId);
    await projectStore.removeMembersOf(db, { projectId: p.id });
    await projectRoleStore.removeOfProject(db, p.id);
    const now = this.clock.now();
    await accountRows.update(db, p.projectAccountId, { removed: now, state: 'disabled' });
    await projectRows.update(db, p.id, { removed: now, state: 'Disabled' });
    await this.event(db, caller, 'PROJECT.DELETE', `Deleted project ${p.name}`, p);
  }

  /** The first kind of resource a project still owns, as deleteProject reports it. */
  private async leftovers(db: Db, accountId: string): Promise<string | undefined> {
    // One query at a time: a query still running when the caller's transaction rolls back would fail unheard.
    const kinds: [string, () => Promise<{ id: string }[]>][] = [
      ['VirtualMachineTemplate', () => templateStore.idsOfAccount(db, accountId)],
      ['VirtualMachine', () => vmStore.idsOfAccount(db, accountId)],
      ['Volume', () => volumeStore.detachedIdsOfAccount(db, accountId)],
      ['Network', () => networkStore.idsOfAccount(db, accountId)],
      ['Vpc', () => vpcStore.idsOfAccount(db, accountId)],
    ];
    for (const [name, rows] of kinds) {
      const n = (await rows()).length;
      if (n) return `${n} ${name} to clean up`;
    }
    return undefined;
  }

  async activate(caller: Caller, id: string): Promise<Project> {
    return this.store.tx(async (trx) => {
      const p = await this.modifiable(trx, caller, id);
      if (p.state === 'Active') return p;
      if (p.state !== 'Suspended') throw invalid(`Can't activate the project in ${p.state} state`, 'id');
      await projectRows.update(trx, id, { state: 'Active' });
      await accountRows.update(trx, p.projectAccountId, { state: 'enabled' });
      await this.event(trx, caller, 'PROJECT.ACTIVATE', `Activated project ${p.name}`, p);
      return { ...p, state: 'Active' };
    });
  }

  /** Suspending disables the project's account, which stops its VMs. */
  async suspend(caller: Caller, id: string, stopCmd: string): Promise<Project> {
    const p = await this.store.tx(async (trx) => {
      const found = await this.modifiable(trx, caller, id);
      await projectRows.update(trx, id, { state: 'Suspended' });
      await accountRows.update(trx, found.projectAccountId, { state: 'disabled' });
      await this.event(trx, caller, 'PROJECT.SUSPEND', `Suspended project ${found.name}`, found);
      return { ...found, state: 'Suspended' as const };
    });
    await this.accounts().stopVms(caller, p.projectAccountId, stopCmd);
    return p;
  }

  async addAccount(caller: Caller, id: string, name: string, roleType?: string, projectRoleId?: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await projectFor(trx, caller, id);
      if (p.state !== 'Active')
        throw invalid(
          `Can't add account to the specified project id in state=${p.state} as it's no longer active`,
          'projectid',
        );
      const acct = await this.memberAccount(trx, p, name);
      await this.modifiable(trx, caller, id);
      if (await projectStore.member(trx, id, acct.id)) return;
      await this.projectRole(trx, p, projectRoleId);
      await this.join(trx, p, acct.id, null, parseRole(roleType), projectRoleId);
      await this.event(trx, caller, 'PROJECT.ACCOUNT.ADD', `Added account ${name} to project ${p.name}`, p);
    });
  }

  /** addUserToProject: one user of an account that is not itself a member. */
  async addUser(
    caller: Caller,
    id: string,
    username: string,
    roleType?: string,
    projectRoleId?: string,
  ): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await projectFor(trx, caller, id);
      if (p.state !== 'Active')
        throw invalid(
          `Can't add user to the specified project id in state=${p.state} as it isn't currently active`,
          'projectid',
        );
      const found = await accountStore.userByName(trx, username, p.domainId);
      if (!found || found.account.type === 5) throw invalid('Invalid user ID provided', 'username');
      await this.modifiable(trx, caller, id);
      const rows = await projectStore.memberships(trx, id, found.account.id);
      if (rows.some((r) => !r.userId))
        throw invalid(`User belongs to account ${found.account.id} which is already part of the project`, 'username');
      if (rows.some((r) => r.userId === found.user.id)) return;
      await this.projectRole(trx, p, projectRoleId);
      await this.join(trx, p, found.account.id, found.user.id, parseRole(roleType), projectRoleId);
      await this.event(trx, caller, 'PROJECT.USER.ADD', `Added user ${username} to project ${p.name}`, p);
    });
  }

  /** A project role named on a membership must be one of the project's own. */
  private async projectRole(db: Db, p: Project, projectRoleId: string | undefined): Promise<void> {
    if (!projectRoleId) return;
    const role = await projectRoleStore.projectOf(db, projectRoleId);
    if (!role || role.projectId !== p.id)
      throw invalid('Invalid project role ID for the given project', 'projectroleid');
  }

  private async join(
    db: Db,
    p: Project,
    accountId: string,
    userId: string | null,
    role: ProjectRole,
    projectRoleId: string | undefined,
  ): Promise<void> {
    if (role === 'Admin') await consume(db, accountId, { project: 1 });
    await projectMemberRows.insert(db, {
      id: newId(),
      projectId: p.id,
      accountId,
      role,
      created: this.clock.now(),
      userId,
      projectRoleId: projectRoleId ?? null,
    });
  }

  async removeAccount(caller: Caller, id: string, name: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await projectFor(trx, caller, id);
      const acct = await this.memberAccount(trx, p, name);
      await this.modifiable(trx, caller, id);
      const member = await projectStore.member(trx, id, acct.id);
      if (!member) throw invalid(`Account ${name} is not assigned to the project with specified id`, 'account');
      const admins = (await projectStore.members(trx, [id])).filter((m) => m.role === 'Admin');
      if (member.role === 'Admin' && admins.length === 1)
        throw invalid(
          `Unable to delete account ${name} from the project with specified id as the account is the owner of the project`,
          'account',
        );
      if (member.role === 'Admin') await release(trx, acct.id, { project: 1 });
      await projectStore.removeMember(trx, member.id);
      await this.event(trx, caller, 'PROJECT.ACCOUNT.REMOVE', `Removed account ${name} from project ${p.name}`, p);
    });
  }

  /** listProjects: members see their projects; admins with listall or a domain see the projects of that tree. */
  async list(
    caller: Caller,
    f: {
      id?: string;
      name?: string;
      displayText?: string;
      state?: string;
      keyword?: string;
      account?: string;
      domainId?: string;
      listAll?: boolean;
      isRecursive?: boolean;
    },
  ): Promise<Project[]> {
    const db = this.store.db;
    const filters = {
      ids: f.id ? [f.id] : undefined,
      name: f.name,
      displayText: f.displayText,
      state: f.state,
      keyword: f.keyword,
    };
    if (!isAdmin(caller)) return projectStore.list(db, { ...filters, memberIds: [caller.accountId] });
    if (f.account) {
      const acct = await this.accounts().find(db, caller, { name: f.account, domainId: f.domainId });
      return projectStore.list(db, { ...filters, memberIds: [acct.id] });
    }
    if (f.id || f.domainId || f.listAll) {
      const base = await accountStore.domainById(db, f.domainId ?? caller.domainId);
      if (!base) throw notFound('Domain', f.domainId ?? '', 'domainid');
      assertDomainAccess(caller, base);
      const domains =
        f.listAll || f.isRecursive || (f.id && !f.domainId) ? await accountStore.subtree(db, base.path) : [base];
      return projectStore.list(db, { ...filters, domainIds: domains.map((d) => d.id) });
    }
    return projectStore.list(db, { ...filters, memberIds: [caller.accountId] });
  }

  membersOf(projectIds: string[]): Promise<ProjectMember[]> {
    return projectStore.members(this.store.db, projectIds);
  }

  /** listProjectAccounts: the members, to anyone who may reach the project. */
  async members(
    caller: Caller,
    id: string,
    f: { account?: string; role?: string; userId?: string; projectRoleId?: string },
  ): Promise<{ project: Project; members: ProjectMember[] }> {
    const project = await projectFor(this.store.db, caller, id);
    let members = await projectStore.members(this.store.db, [id]);
    if (f.role) members = members.filter((m) => m.role.toLowerCase() === f.role!.toLowerCase());
    if (f.userId) members = members.filter((m) => m.userId === f.userId);
    if (f.projectRoleId) members = members.filter((m) => m.projectRoleId === f.projectRoleId);
    if (f.account) {
      const acct = await accountStore.accountByName(this.store.db, f.account, project.domainId);
      members = members.filter((m) => m.accountId === acct?.id);
    }
    return { project, members };
  }

  private event(db: Db, caller: Caller, type: string, description: string, p: Project): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: p.projectAccountId,
      domainId: p.domainId,
      userId: caller.userId,
      resourceId: p.id,
      resourceType: 'Project',
    });
  }
}
