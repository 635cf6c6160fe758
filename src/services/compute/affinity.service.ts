import type { Clock } from '../../domain/clock.js';
import { invalid, invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Account, AffinityGroup, AffinityType } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { affinityStore } from '../../store/affinity.store.js';
import type { Db, Store } from '../../store/db.js';
import { vmStore } from '../../store/vm.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const AFFINITY_TYPES: { type: AffinityType }[] = [
  { type: 'host anti-affinity' },
  { type: 'host affinity' },
  { type: 'non-strict host anti-affinity' },
  { type: 'non-strict host affinity' },
];
export const AFFINITY_JOBS = {
  create: 'affinity.create',
  remove: 'affinity.delete',
  update: 'affinity.updatevm',
} as const;

/** Host affinity and anti-affinity groups; the planner reads them in `placementRules`. */
export class AffinityService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    // The group was made with the job (submitCreate); the job answers it.
    jobs.register<{ id: string }>(AFFINITY_JOBS.create, async ({ params: p }) => ({
      type: 'object',
      instanceType: 'AffinityGroup',
      id: p.id,
    }));
    jobs.register<{ id?: string; name?: string; owner: OwnerRequest }>(
      AFFINITY_JOBS.remove,
      async ({ caller, params: p }) => {
        await this.remove(caller, p);
        return { type: 'success' };
      },
    );
    jobs.register<{ vmId: string; ids?: string[]; names?: string[] }>(
      AFFINITY_JOBS.update,
      async ({ caller, params: p }) => {
        await this.updateVm(caller, p.vmId, p.ids, p.names);
        return { type: 'object', instanceType: 'VirtualMachine', id: p.vmId };
      },
    );
  }

  async create(
    caller: Caller,
    name: string,
    type: string,
    description: string | undefined,
    owner: OwnerRequest,
  ): Promise<AffinityGroup> {
    return this.store.tx((trx) => this.createIn(trx, caller, name, type, description, owner));
  }

  /**
   * createAffinityGroup (CreateAffinityGroupCmd, a BaseAsyncCreateCmd): the group is made before the
   * job, in the job's transaction, so the first answer carries its id beside the job's.
   */
  async submitCreate(
    caller: Caller,
    name: string,
    type: string,
    description: string | undefined,
    owner: OwnerRequest,
    cmd: string,
  ): Promise<{ group: AffinityGroup; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const group = await this.createIn(trx, caller, name, type, description, owner);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: AFFINITY_JOBS.create,
        params: { id: group.id },
        instanceType: 'AffinityGroup',
        instanceId: group.id,
      });
      return { group, jobId };
    });
    this.jobs.kick();
    return out;
  }

  private async createIn(
    trx: Db,
    caller: Caller,
    name: string,
    type: string,
    description: string | undefined,
    owner: OwnerRequest,
  ): Promise<AffinityGroup> {
    const t = AFFINITY_TYPES.find((x) => x.type === type)?.type;
    if (!t)
      throw invalid(`Unable to create affinity group, no Affinity Group Type is supported for type ${type}`, 'type');
    const acct = await resolveOwner(trx, caller, owner);
    if (await affinityStore.byName(trx, acct.id, name))
      throw invalid(`Unable to create affinity group, a group with name ${name} already exists.`, 'name');
    const g: AffinityGroup = {
      id: newId(),
      name,
      description: description ?? null,
      type: t,
      accountId: acct.id,
      domainId: acct.domainId,
      created: this.clock.now(),
    };
    await affinityStore.insert(trx, g);
    await eventLog(trx, this.clock, {
      type: 'AG.CREATE',
      description: `Created affinity group ${name}`,
      accountId: acct.id,
      domainId: acct.domainId,
      userId: caller.userId,
      resourceId: g.id,
      resourceType: 'AffinityGroup',
    });
    return g;
  }

  async find(
    db: Db,
    caller: Caller,
    ref: { id?: string; name?: string; owner?: OwnerRequest },
    param = 'id',
  ): Promise<AffinityGroup> {
    if (ref.id) {
      const g = await affinityStore.get(db, ref.id);
      if (!g) throw notFound('AffinityGroup', ref.id, param);
      assertAccess(caller, g, 'AffinityGroup', g.id);
      return g;
    }
    if (!ref.name) throw invalid('Either the affinity group id or name must be specified', 'id');
    const acct = await resolveOwner(db, caller, ref.owner ?? {});
    const g = await affinityStore.byName(db, acct.id, ref.name);
    if (!g) throw invalid(`Unable to find affinity group by name ${ref.name}`, 'name');
    return g;
  }

  async remove(caller: Caller, ref: { id?: string; name?: string; owner?: OwnerRequest }): Promise<void> {
    await this.store.tx(async (trx) => {
      const g = await this.find(trx, caller, ref);
      // AffinityGroupServiceImpl.deleteAffinityGroup: members are let go (their map rows removed), not a reason to refuse.
      await affinityStore.remove(trx, g.id);
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; type?: string; keyword?: string; vmId?: string },
  ): Promise<AffinityGroup[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return affinityStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  /** Groups a new VM joins; they must belong to the VM's owner. */
  async forDeploy(db: Db, caller: Caller, owner: Account, ids?: string[], names?: string[]): Promise<AffinityGroup[]> {
    const out: AffinityGroup[] = [];
    for (const id of ids ?? []) {
      const g = await this.find(db, caller, { id }, 'affinitygroupids');
      if (g.accountId !== owner.id)
        throw invalid(`Affinity group ${g.name} does not belong to the VM's account`, 'affinitygroupids');
      out.push(g);
    }
    for (const name of names ?? []) {
      const g = await affinityStore.byName(db, owner.id, name);
      if (!g) throw invalid(`Unable to find affinity group by name ${name}`, 'affinitygroupnames');
      out.push(g);
    }
    return out;
  }

  /** updateVMAffinityGroup: only for a stopped VM, replaces its groups. */
  async updateVm(caller: Caller, vmId: string, ids?: string[], names?: string[]): Promise<void> {
    await this.store.tx(async (trx) => {
      const vm = await vmStore.get(trx, vmId);
      if (!vm) throw notFound('VirtualMachine', vmId);
      assertAccess(caller, vm, 'VirtualMachine', vmId);
      if (vm.state !== 'Stopped')
        throw invalidState(
          `Unable to update affinity groups of the virtual machine ${vm.name}: its state is ${vm.state}, not Stopped`,
          'VirtualMachine',
          vm.id,
        );
      const owner = await resolveOwner(trx, caller, {});
      const groups = await this.forDeploy(trx, caller, { ...owner, id: vm.accountId }, ids, names);
      await affinityStore.unlinkVm(trx, vm.id);
      for (const g of groups) await affinityStore.link(trx, vm.id, g.id);
    });
  }

  /**
   * What the planner must respect for a VM: hosts to avoid (anti-affinity with members already
   * running) and, for host affinity, the only hosts allowed (where members already run). The
   * non-strict kinds only weigh hosts (NonStrictHost(Anti)AffinityProcessor.adjustHostPriority):
   * each member on a host lowers (anti-affinity) or raises (affinity) its priority by one.
   */
  async placementRules(
    db: Db,
    vmId: string,
  ): Promise<{ avoid: Set<string>; only?: Set<string>; priority: Map<string, number> }> {
    const avoid = new Set<string>();
    const priority = new Map<string, number>();
    let only: Set<string> | undefined;
    for (const link of await affinityStore.groupsOfVm(db, [vmId])) {
      const g = await affinityStore.get(db, link.affinityGroupId);
      if (!g) continue;
      const hosts = await affinityStore.hostsOfMembers(db, g.id, vmId);
      if (g.type === 'host anti-affinity') hosts.forEach((h) => avoid.add(h));
      else if (g.type === 'host affinity') {
        if (hosts.length) only = new Set(only ? hosts.filter((h) => only!.has(h)) : hosts);
      } else {
        const step = g.type === 'non-strict host anti-affinity' ? -1 : 1;
        for (const h of hosts) priority.set(h, (priority.get(h) ?? 0) + step);
      }
    }
    return { avoid, only, priority };
  }
}
