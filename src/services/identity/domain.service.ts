import type { Clock } from '../../domain/clock.js';
import { failed, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { DOMAIN_NAME_RULES, isDomainName } from '../../domain/domainname.js';
import type { Domain } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, domainRows } from '../../store/account.store.js';
import { networkStore } from '../../store/network.store.js';
import type { Db, Store } from '../../store/db.js';
import { projectStore } from '../../store/project.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { resourceStore } from '../../store/resource.store.js';
import type { AccountAdminService } from './account.admin.service.js';
import type { ProjectService } from './project.service.js';
import { isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { assertDomainAccess } from './scope.js';

export const DOMAIN_JOBS = { delete: 'domain.delete' } as const;

const NETWORK_DOMAIN_TEXT = `Invalid network domain. Total length should not exceed 190 chars. Each domain label must be between 1 and 63 characters long. It can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'); it cannot start or end with "-".`;

/** The domain tree (DomainManagerImpl): paths ROOT/a/b, names unique among siblings, admins confined to their subtree. */
export class DomainService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private accounts: () => AccountAdminService,
    private projects: () => ProjectService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string; cleanup: boolean }>(DOMAIN_JOBS.delete, async ({ caller, params }) => {
      await this.delete(caller, params.id, params.cleanup);
      return { type: 'success' };
    });
  }

  async get(db: Db, caller: Caller, id: string, param = 'id'): Promise<Domain> {
    const d = await accountStore.domainById(db, id);
    if (!d) throw notFound('Domain', id, param);
    assertDomainAccess(caller, d);
    return d;
  }

  /** searchForDomains: an id names one domain; otherwise non-root callers start at their own, and listall goes down the tree. */
  async list(
    caller: Caller,
    f: { id?: string; name?: string; level?: number; keyword?: string; listAll?: boolean },
  ): Promise<Domain[]> {
    const db = this.store.db;
    let domains: Domain[];
    if (f.id) domains = [await this.get(db, caller, f.id)];
    else if (isRootAdmin(caller)) domains = await accountStore.listDomains(db);
    else {
      const own = (await accountStore.domainById(db, caller.domainId))!;
      domains = f.listAll && isAdmin(caller) ? await accountStore.subtree(db, own.path) : [own];
    }
    return domains.filter(
      (d) =>
        (!f.name || d.name === f.name) &&
        (f.level === undefined || d.level === f.level) &&
        (!f.keyword || d.name.toLowerCase().includes(f.keyword.toLowerCase())),
    );
  }

  /** listDomainChildren: the first level below a domain, or all of its tree with isrecursive. */
  async children(
    caller: Caller,
    f: { id?: string; name?: string; keyword?: string; recursive?: boolean },
  ): Promise<Domain[]> {
    const db = this.store.db;
    const base = f.id ? await this.get(db, caller, f.id) : (await accountStore.domainById(db, caller.domainId))!;
    const below = (await accountStore.subtree(db, base.path)).filter(
      (d) => d.id !== base.id && (f.recursive || d.parentId === base.id),
    );
    const match = (s: string | undefined, d: Domain) => !s || d.name.toLowerCase().includes(s.toLowerCase());
    return below.filter((d) => match(f.name, d) && match(f.keyword, d));
  }

  async create(caller: Caller, r: { name: string; parentId?: string; networkDomain?: string }): Promise<Domain> {
    return this.store.tx(async (trx) => {
      const parent = r.parentId ? await accountStore.domainById(trx, r.parentId) : await accountStore.rootDomain(trx);
      if (!parent)
        throw invalid(`Unable to create domain ${r.name}, parent domain ${r.parentId} not found.`, 'parentdomainid');
      if (parent.state === 'Inactive')
        throw failed(`The domain cannot be created as the parent domain ${parent.name} is being deleted`);
      assertDomainAccess(caller, parent);
      if (r.networkDomain !== undefined && !isDomainName(r.networkDomain))
        throw invalid(NETWORK_DOMAIN_TEXT, 'networkdomain');
      if (await accountStore.childByName(trx, parent.id, r.name))
        throw invalid(`Domain with name [${r.name}] already exists for the parent with ID [${parent.seq}].`, 'name');
      const d: Domain = {
        id: newId(),
        seq: await nextSeq(trx, 'domain'),
        name: r.name,
        path: `${parent.path}/${r.name}`,
        parentId: parent.id,
        level: parent.level + 1,
        state: 'Active',
        created: this.clock.now(),
        networkDomain: r.networkDomain ?? null,
        removed: null,
      };
      await domainRows.insert(trx, d);
      await this.event(trx, caller, 'DOMAIN.CREATE', `Created domain ${d.path}`, d.id);
      return d;
    });
  }

  /** A new name renames the domain's path and every path below it. */
  async update(caller: Caller, id: string, u: { name?: string; networkDomain?: string }): Promise<Domain> {
    return this.store.tx(async (trx) => {
      const d = await accountStore.domainById(trx, id);
      if (!d) throw notFound('Domain', id);
      if (!d.parentId && u.name !== undefined) throw invalid('ROOT domain can not be edited with a new name', 'name');
      assertDomainAccess(caller, d);
      if (u.name !== undefined && u.name !== d.name) {
        const twin = await accountStore.childByName(trx, d.parentId!, u.name);
        if (twin && twin.id !== d.id)
          throw invalid(
            `Failed to update specified domain id with name '${u.name}' since it already exists in the system`,
            'name',
          );
      }
      if (u.networkDomain && !isDomainName(u.networkDomain)) throw invalid(DOMAIN_NAME_RULES, 'networkdomain');
      const patch: Partial<Domain> = {};
      if (u.name !== undefined && u.name !== d.name) {
        const path = `${d.path.slice(0, d.path.lastIndexOf('/'))}/${u.name}`;
        for (const child of (await accountStore.subtree(trx, d.path)).filter((c) => c.id !== d.id)) {
          await domainRows.update(trx, child.id, { path: path + child.path.slice(d.path.length) });
        }
        Object.assign(patch, { name: u.name, path });
      }
      if (u.networkDomain !== undefined) patch.networkDomain = u.networkDomain === '' ? null : u.networkDomain;
      await domainRows.update(trx, id, patch);
      await this.event(trx, caller, 'DOMAIN.UPDATE', `Updated domain ${patch.path ?? d.path}`, id);
      return { ...d, ...patch };
    });
  }

  /** deleteDomain's create phase: the checks that fail the call itself, then the job. */
  async submitDelete(caller: Caller, id: string, cleanup: boolean, cmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const d = await accountStore.domainById(trx, id);
      if (!d) throw notFound('Domain', id);
      if (!d.parentId) throw forbidden("Can't delete ROOT domain", 'Domain', id);
      assertDomainAccess(caller, d);
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: DOMAIN_JOBS.delete,
        params: { id, cleanup },
        instanceType: 'Domain',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /**
   * Without cleanup a domain with accounts, projects, subdomains or networks is refused and stays
   * Active; with cleanup everything below goes first, deepest domains first.
   */
  async delete(caller: Caller, id: string, cleanup: boolean): Promise<void> {
    const d = await accountStore.domainById(this.store.db, id);
    if (!d) return; // a re-run after the domain went
    assertDomainAccess(caller, d);
    if (cleanup) {
      await this.store.tx((trx) => domainRows.update(trx, id, { state: 'Inactive' }));
      const tree = (await accountStore.subtree(this.store.db, d.path)).reverse();
      for (const sub of tree) {
        for (const p of await projectStore.list(this.store.db, { domainIds: [sub.id] }))
          await this.projects().purge(caller, p);
        for (const a of await accountStore.listAccounts(this.store.db, { domainIds: [sub.id] }))
          await this.accounts().purge(caller, a.id);
      }
    }
    await this.store
      .tx(async (trx) => {
        // Children were created after their parents: reverse creation order removes the deepest first.
        for (const sub of cleanup ? (await accountStore.subtree(trx, d.path)).reverse() : [d])
          await this.removeEmpty(trx, sub);
        await this.event(trx, caller, 'DOMAIN.DELETE', `Deleted domain ${d.path}`, d.id);
      })
      .catch(async (e) => {
        await this.store.tx((trx) => domainRows.update(trx, id, { state: 'Active' }));
        throw e;
      });
  }

  private async removeEmpty(db: Db, d: Domain): Promise<void> {
    const accounts = await accountStore.listAccounts(db, { domainIds: [d.id], withProjects: true });
    const children = (await accountStore.subtree(db, d.path)).filter((c) => c.id !== d.id);
    if (accounts.length || children.length)
      throw failed(
        `Delete failed on domain ${d.name} (id: ${d.seq}); Please make sure all users and sub domains have been removed from the domain before deleting`,
        'Domain',
        d.id,
      );
    const networks = await networkStore.domainWide(db, d.id);
    if (networks.length)
      throw failed(
        `Can't delete the domain yet because it has ${networks.length} non-removed networks`,
        'Domain',
        d.id,
      );
    await domainRows.update(db, d.id, { state: 'Inactive', removed: this.clock.now() });
    await resourceStore.removeLimits(db, 'domain', d.id);
  }

  private event(db: Db, caller: Caller, type: string, description: string, domainId: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: domainId,
      resourceType: 'Domain',
    });
  }
}
