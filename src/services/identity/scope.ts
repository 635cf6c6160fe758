import { accountStore } from '../../store/account.store.js';
import type { Db } from '../../store/db.js';
import { projectStore } from '../../store/project.store.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { acctText } from '../../domain/tenancy.js';
import type { Domain } from '../../domain/types.js';
import type { Project } from '../../domain/organisation.js';
import { administers, isAdmin, isRootAdmin, memberOf, type Caller } from '../../domain/caller.js';

/** The listing parameters every CloudStack list command shares. */
export interface ListScope {
  listAll?: boolean;
  account?: string;
  domainId?: string;
  isRecursive?: boolean;
  /** A project's id, or '-1' for every project the caller may see. */
  projectId?: string;
  /** The `id` the listing names, if any: an admin naming one is not held to its own account. */
  id?: string;
}

/** DomainChecker.checkAccess(caller, domain): an admin outside the domain's tree is refused. */
export function assertDomainAccess(caller: Caller, domain: Domain): void {
  if (administers(caller, domain) || (!isAdmin(caller) && domain.id === caller.domainId)) return;
  throw forbidden(
    `${acctText({ id: caller.accountId, name: caller.accountName })} does not have permission to operate within domain id=${domain.id}`,
    'Domain',
    domain.id,
  );
}

/** canAccessProjectAccount: root admins, the admins of the project's domain, and its members. */
export function canAccessProject(caller: Caller, p: Project, domain: Domain | undefined): boolean {
  return (
    isRootAdmin(caller) ||
    memberOf(caller, p.projectAccountId) ||
    (!!domain && isAdmin(caller) && administers(caller, domain))
  );
}

export async function projectFor(db: Db, caller: Caller, projectId: string): Promise<Project> {
  const p = await projectStore.get(db, projectId);
  if (!p) throw invalid(`Unable to find project by id ${projectId}`, 'projectid');
  if (!canAccessProject(caller, p, await accountStore.domainById(db, p.domainId)))
    throw forbidden(
      `Account ${acctText({ id: caller.accountId, name: caller.accountName })} can't access project id=${p.id}`,
      'Project',
      p.id,
    );
  return p;
}

async function domainOf(db: Db, caller: Caller, id: string | undefined): Promise<Domain> {
  const d = await accountStore.domainById(db, id ?? caller.domainId);
  if (!d) throw invalid(`Unable to find domain by id ${id}`, 'domainid');
  if (isAdmin(caller)) assertDomainAccess(caller, d);
  return d;
}

/** With projectid=-1: the projects' accounts the caller may see (ListProjectResourcesOnly). */
async function allProjects(db: Db, caller: Caller): Promise<string[]> {
  if (!isAdmin(caller)) return caller.projectAccountIds ?? [];
  const projects = await projectStore.list(
    db,
    isRootAdmin(caller) ? {} : { domainIds: caller.domainIds ?? [caller.domainId] },
  );
  return [...new Set([...projects.map((p) => p.projectAccountId), ...(caller.projectAccountIds ?? [])])];
}

/**
 * Which accounts' resources a listing may show: undefined means all. A user sees its own
 * account; an admin sees its own unless it asks for listall, an account or a domain, and then
 * only within its domain's tree. Projects' resources show only when `projectid` asks for them,
 * or when the listing names one resource by `id` (AccountManagerImpl.buildACLSearchParameters
 * skips project resources only when no id is given): then a root admin sees it whoever owns it
 * and a domain admin whenever its owner is in the admin's subtree; a user still sees only its own.
 */
export async function scopeAccounts(db: Db, caller: Caller, s: ListScope): Promise<string[] | undefined> {
  if (s.projectId) {
    if (s.account) throw invalid("ProjectId and account/domainId can't be specified together", 'projectid');
    if (s.projectId === '-1') return allProjects(db, caller);
    return [(await projectFor(db, caller, s.projectId)).projectAccountId];
  }
  if (!isAdmin(caller)) return [caller.accountId];
  if (s.account) {
    const d = await domainOf(db, caller, s.domainId);
    const acct = await accountStore.accountByName(db, s.account, d.id);
    if (!acct) throw invalid(`Unable to find account ${s.account} in domain ${d.id}`, 'account');
    return [acct.id];
  }
  const byId = s.id !== undefined;
  if (s.domainId || s.listAll || byId) {
    const base = await domainOf(db, caller, s.domainId);
    const recursive = s.listAll || s.isRecursive || (byId && !s.domainId);
    if (isRootAdmin(caller) && !s.domainId && (byId || (s.listAll && !(await accountStore.hasProjectAccounts(db)))))
      return undefined;
    const domains = recursive ? await accountStore.subtree(db, base.path) : [base];
    const accounts = await accountStore.listAccounts(db, { domainIds: domains.map((d) => d.id), withProjects: byId });
    return accounts.map((a) => a.id);
  }
  return [caller.accountId];
}
