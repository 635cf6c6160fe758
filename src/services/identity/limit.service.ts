import { forbidden, invalid } from '../../domain/errors.js';
import type { Project } from '../../domain/organisation.js';
import { GiB, isStorage, RESOURCE_TYPES, typeNumber, type ResourceName } from '../../domain/resources.js';
import type { Account, Domain } from '../../domain/types.js';
import { accountStore, accountRows } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { projectStore } from '../../store/project.store.js';
import { resourceStore } from '../../store/resource.store.js';
import { isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import {
  accountLimit,
  domainCount,
  domainLimit,
  domainLimits,
  limitDefaults,
  limitOf,
  recount,
  UNLIMITED,
} from '../resources.js';
import { assertDomainAccess, projectFor } from './scope.js';
import type { Clock } from '../../domain/clock.js';

/** A limit or count as the API shows it: for an account (or a project's account) or for a domain. */
export interface OwnedFigure {
  type: ResourceName;
  value: number;
  account?: Account;
  project?: Project;
  domain: Domain;
}

/** Limit and held amount of each type, for the account, domain and project views. */
export type Usage = Map<ResourceName, { limit: number; total: number }>;

export interface OwnerParams {
  account?: string;
  domainId?: string;
  projectId?: string;
}

function parseType(type: number | undefined, name?: string): ResourceName | undefined {
  if (name !== undefined) {
    const n = RESOURCE_TYPES.find((t) => t === name.toLowerCase());
    if (!n) throw invalid('Please specify valid resource type name', 'resourcetypename');
    return n;
  }
  if (type === undefined) return undefined;
  const n = RESOURCE_TYPES[type];
  if (!n) throw invalid('Please specify valid resource type', 'resourcetype');
  return n;
}

/** listResourceLimits, updateResourceLimit and updateResourceCount (ResourceLimitManagerImpl). */
export class LimitService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  /** BaseCmd.finalyzeAccountId: `account` with `domainid`, or `projectid`; undefined when neither is given. */
  private async finalizeAccount(
    db: Db,
    caller: Caller,
    o: OwnerParams,
  ): Promise<{ account: Account; project?: Project } | undefined> {
    if (o.account) {
      if (!o.domainId) throw invalid('Account must be specified with domainId parameter', 'domainid');
      const domain = await accountStore.domainById(db, o.domainId);
      if (!domain) throw invalid('Unable to find domain by id', 'domainid');
      assertDomainAccess(caller, domain);
      const account = await accountStore.accountByName(db, o.account, domain.id);
      if (!account || account.type === 5)
        throw invalid(`Unable to find account by name ${o.account} in domain id=${domain.id}`, 'account');
      return { account };
    }
    if (o.projectId) {
      const project = await projectFor(db, caller, o.projectId);
      return { account: (await accountStore.accountById(db, project.projectAccountId))!, project };
    }
    return undefined;
  }

  private async domainOf(db: Db, id: string): Promise<Domain> {
    return (await accountStore.domainById(db, id))!;
  }

  async list(
    caller: Caller,
    f: OwnerParams & { id?: number; type?: number; typeName?: string },
  ): Promise<OwnedFigure[]> {
    const db = this.store.db;
    const only = parseType(f.type, f.typeName);
    if (f.id !== undefined) {
      const row = await resourceStore.limitById(db, f.id);
      if (!row) return [];
      return [
        await this.figure(
          db,
          caller,
          row.ownerType,
          row.ownerId,
          RESOURCE_TYPES[Number(row.resourceType)]!,
          Number(row.max),
        ),
      ];
    }
    let owner = isAdmin(caller) ? await this.finalizeAccount(db, caller, f) : undefined;
    let domain: Domain | undefined;
    if (!owner && isAdmin(caller) && f.domainId) {
      domain = await this.domainOf(db, f.domainId);
      assertDomainAccess(caller, domain);
    }
    if (!owner && !domain) owner = { account: (await accountStore.accountById(db, caller.accountId))! };
    const types = only ? [only] : RESOURCE_TYPES;
    if (domain)
      return Promise.all(
        types.map(async (t) => ({ type: t, value: await domainLimit(db, domain!, t), domain: domain! })),
      );
    const { account, project } = owner!;
    const d = await this.domainOf(db, account.domainId);
    return Promise.all(
      types.map(async (t) => ({
        type: t,
        value: await accountLimit(db, account, t),
        account,
        project: project ?? (await projectStore.byAccount(db, account.id)),
        domain: d,
      })),
    );
  }

  private async figure(
    db: Db,
    caller: Caller,
    ownerType: 'account' | 'domain',
    ownerId: string,
    type: ResourceName,
    value: number,
  ): Promise<OwnedFigure> {
    if (ownerType === 'domain') {
      const domain = await this.domainOf(db, ownerId);
      assertDomainAccess(caller, domain);
      return { type, value, domain };
    }
    const account = (await accountRows.get(db, ownerId))!;
    const domain = await this.domainOf(db, account.domainId);
    if (account.id !== caller.accountId) assertDomainAccess(caller, domain);
    return { type, value, account, domain, project: await projectStore.byAccount(db, account.id) };
  }

  async update(caller: Caller, f: OwnerParams & { type: number; max?: number }): Promise<OwnedFigure> {
    let max = f.max ?? UNLIMITED;
    if (max < -1)
      throw invalid("Please specify either '-1' for an infinite limit, or a limit that is at least '0'.", 'max');
    const type = parseType(f.type)!;
    if (isStorage(type) && max >= 0) max *= GiB;
    return this.store.tx(async (trx) => {
      const owner = await this.finalizeAccount(trx, caller, f);
      if (owner) {
        const { account, project } = owner;
        if (account.type === 1 && account.name === 'system') throw invalid("Can't update system account", 'account');
        if (account.type === 1 && max !== UNLIMITED)
          throw invalid(`Only ${UNLIMITED} limit is supported for Root Admin accounts`, 'max');
        if (account.id === caller.accountId && !isRootAdmin(caller))
          throw forbidden(
            `Unable to update resource limit for their own account ${account.id}, permission denied`,
            'Account',
            account.id,
          );
        await resourceStore.setLimit(trx, 'account', account.id, typeNumber(type), max);
        await this.event(
          trx,
          caller,
          `Updated the ${type} limit of ${project ? `project ${project.name}` : `account ${account.name}`} to ${max}`,
          account.id,
          'Account',
        );
        return { type, value: max, account, project, domain: await this.domainOf(trx, account.domainId) };
      }
      if (!f.domainId)
        throw invalid('AccountId or domainId have to be specified in order to update resource limit', 'domainid');
      const domain = await this.domainOf(trx, f.domainId);
      assertDomainAccess(caller, domain);
      if (!domain.parentId)
        throw forbidden(
          `Cannot update resource limit for ROOT domain ${domain.id}, permission denied`,
          'Domain',
          domain.id,
        );
      if (domain.id === caller.domainId && !isRootAdmin(caller))
        throw forbidden(
          `Unable to update resource limit for domain ${domain.id}, permission denied`,
          'Domain',
          domain.id,
        );
      const parent = await this.domainOf(trx, domain.parentId);
      const parentMax = await domainLimit(trx, parent, type);
      if (parentMax >= 0 && max > parentMax)
        throw invalid(
          `Domain ${domain.name}(id: ${parent.seq}) has maximum allowed resource limit ${parentMax} for ${type}, please specify a value less that or equal to ${parentMax}`,
          'max',
        );
      await resourceStore.setLimit(trx, 'domain', domain.id, typeNumber(type), max);
      await this.event(
        trx,
        caller,
        `Updated the ${type} limit of domain ${domain.path} to ${max}`,
        domain.id,
        'Domain',
      );
      return { type, value: max, domain };
    });
  }

  /** updateResourceCount: counts taken again from the resources, for an account (or project) or a whole domain tree. */
  async recount(caller: Caller, f: OwnerParams & { domainId: string; type?: number }): Promise<OwnedFigure[]> {
    const only = parseType(f.type);
    return this.store.tx(async (trx) => {
      const domain = await accountStore.domainById(trx, f.domainId);
      if (!domain) throw invalid('Please specify a valid domain ID.', 'domainid');
      assertDomainAccess(caller, domain);
      const owner = await this.finalizeAccount(trx, caller, f);
      if (owner) {
        const counts = await recount(trx, owner.account.id, only);
        const d = await this.domainOf(trx, owner.account.domainId);
        return [...counts].map(([type, value]) => ({
          type,
          value,
          account: owner.account,
          project: owner.project,
          domain: d,
        }));
      }
      const tree = await accountStore.subtree(trx, domain.path);
      for (const a of await accountStore.listAccounts(trx, { domainIds: tree.map((d) => d.id), withProjects: true }))
        await recount(trx, a.id, only);
      const out: OwnedFigure[] = [];
      for (const type of only ? [only] : RESOURCE_TYPES)
        out.push({ type, value: await domainCount(trx, domain, type), domain });
      return out;
    });
  }

  /** Limits and totals of accounts, for the account and project views: a fixed number of queries per page. */
  async usage(accounts: Account[]): Promise<Map<string, Usage>> {
    const db = this.store.db;
    const ids = accounts.map((a) => a.id);
    const [counts, limits, d] = await Promise.all([
      resourceStore.countsOf(db, ids),
      resourceStore.limitsOf(db, 'account', ids),
      limitDefaults(db),
    ]);
    const out = new Map<string, Usage>();
    for (const a of accounts) {
      const u: Usage = new Map();
      for (const t of RESOURCE_TYPES) {
        const total = Number(
          counts.find((c) => c.accountId === a.id && Number(c.resourceType) === typeNumber(t))?.count ?? 0,
        );
        u.set(t, { limit: limitOf(a, t, limits, d), total });
      }
      out.set(a.id, u);
    }
    return out;
  }

  async domainUsage(domain: Domain): Promise<Usage> {
    const db = this.store.db;
    const d = await limitDefaults(db);
    const totals = await resourceStore.sumsOver(
      db,
      (await accountStore.subtree(db, domain.path)).map((x) => x.id),
    );
    const limits = await domainLimits(db, domain, d);
    const u: Usage = new Map();
    for (const t of RESOURCE_TYPES) u.set(t, { limit: limits.get(t)!, total: totals.get(typeNumber(t)) ?? 0 });
    return u;
  }

  private event(db: Db, caller: Caller, description: string, id: string, kind: string): Promise<void> {
    return eventLog(db, this.clock, {
      type: 'RESOURCE.LIMIT.UPDATE',
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: kind,
    });
  }
}
