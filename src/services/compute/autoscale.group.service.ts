import type { Clock } from '../../domain/clock.js';
import {
  checkGroupName,
  DEFAULT_INTERVAL,
  type AsPolicy,
  type AsVmGroup,
  type CounterSource,
  type ScaleAction,
} from '../../domain/autoscale.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { LoadBalancerRule } from '../../domain/networking.js';
import { supportsVmAutoScaling } from '../../domain/netoffering.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import { autoScaleRuleStore as rules } from '../../store/autoscale.store.js';
import type { Db, Store } from '../../store/db.js';
import { loadBalancerStore } from '../../store/loadbalancer.store.js';
import { networkStore } from '../../store/network.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { sameOwner } from './autoscale.rules.service.js';
import { dummyStat, lbProvider } from './autoscale.stats.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const AS_GROUP_JOBS = {
  configure: 'autoscale.group.configure',
  update: 'autoscale.group.update',
  enable: 'autoscale.group.enable',
  disable: 'autoscale.group.disable',
  remove: 'autoscale.group.delete',
} as const;

export interface NewGroup {
  name?: string;
  lbRuleId: string;
  minMembers: number;
  maxMembers: number;
  interval?: number;
  scaleUpPolicyIds: string[];
  scaleDownPolicyIds: string[];
  profileId: string;
  display?: boolean;
}
export interface GroupChange {
  name?: string;
  minMembers?: number;
  maxMembers?: number;
  interval?: number;
  scaleUpPolicyIds?: string[];
  scaleDownPolicyIds?: string[];
  display?: boolean;
}

/** What the group's lifecycle asks of the monitor and the scaler. */
export interface GroupHooks {
  schedule(group: Pick<AsVmGroup, 'id' | 'interval'>): void;
  cancel(groupId: string): void;
  /** Destroys and expunges a VM the group made (AutoScaleManagerImpl.destroyVm). */
  destroyVm(vmId: string): Promise<void>;
}

/** The counter sources a router's load balancer measures (VirtualRouterElement's AutoScaleCounters capability). */
const ROUTER_COUNTERS: CounterSource[] = ['CPU', 'MEMORY', 'VIRTUALROUTER'];

/** AutoScale VM groups: create, update, enable, disable, delete (with cleanup), and listing. */
export class AutoScaleGroupService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private hooks: GroupHooks,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(AS_GROUP_JOBS.configure, ({ params }) => this.configure(params.id));
    jobs.register<{ id: string } & GroupChange>(AS_GROUP_JOBS.update, ({ caller, params }) =>
      this.store.tx((trx) => this.update(trx, caller, params)),
    );
    jobs.register<{ id: string }>(AS_GROUP_JOBS.enable, ({ caller, params }) => this.enable(caller, params.id));
    jobs.register<{ id: string }>(AS_GROUP_JOBS.disable, ({ caller, params }) => this.disable(caller, params.id));
    jobs.register<{ id: string; cleanup?: boolean }>(AS_GROUP_JOBS.remove, ({ caller, params }) =>
      this.remove(caller, params.id, params.cleanup === true),
    );
  }

  /** createAutoScaleVmGroup's create phase: the group is written New; its job configures the rule and enables it. */
  async create(caller: Caller, r: NewGroup, cmd: string): Promise<{ group: AsVmGroup; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const lb = await this.lbRule(trx, caller, r.lbRuleId);
      const ip = await networkStore.getPublicIp(trx, lb.publicIpId);
      if ((await groups.groups(trx, { lbRuleId: lb.id })).length)
        throw invalid(
          'an AutoScaleVmGroup is already attached to the lb rule, the existing vm group has to be first deleted',
          'lbruleid',
        );
      if ((await loadBalancerStore.members(trx, [lb.id])).length)
        throw invalid(
          'there are Vms already bound to the specified LoadBalancing Rule. User bound Vms and AutoScaled Vm Group cannot co-exist on a Load Balancing Rule',
          'lbruleid',
        );
      const group: AsVmGroup = {
        id: newId(),
        name: r.name ?? '',
        lbRuleId: lb.id,
        zoneId: ip?.zoneId ?? '',
        profileId: r.profileId,
        minMembers: r.minMembers,
        maxMembers: r.maxMembers,
        memberPort: lb.privatePort,
        interval: r.interval ?? DEFAULT_INTERVAL,
        lastInterval: null,
        state: 'NEW',
        nextVmSeq: 1,
        display: r.display === false ? 0 : 1,
        accountId: lb.accountId,
        domainId: lb.domainId,
        created: this.clock.now(),
      };
      await this.persist(trx, caller, group, true, r.scaleUpPolicyIds, r.scaleDownPolicyIds);
      await groups.insertStat(trx, dummyStat(group, this.clock.now()));
      await eventLog(trx, this.clock, {
        type: 'AUTOSCALEVMGROUP.CREATE',
        description: `Creating AutoScale Vm Group ${group.id}`,
        accountId: group.accountId,
        domainId: group.domainId,
        userId: caller.userId,
        resourceId: group.id,
        resourceType: 'AutoScaleVmGroup',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: AS_GROUP_JOBS.configure,
        params: { id: group.id },
        instanceType: 'AutoScaleVmGroup',
        instanceId: group.id,
      });
      return { group, jobId };
    });
    this.jobs.kick();
    this.hooks.schedule(out.group);
    return out;
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: {
      id?: string;
      name?: string;
      lbRuleId?: string;
      profileId?: string;
      zoneId?: string;
      policyId?: string;
      display?: boolean;
    },
  ): Promise<AsVmGroup[]> {
    const accountIds = await scopeAccounts(this.store.db, caller, scope);
    return groups.groups(this.store.db, { ...f, accountIds });
  }

  find(id: string): Promise<AsVmGroup | undefined> {
    return groups.group(this.store.db, id);
  }

  /** What a group's view shows beside its own fields: its policies by kind, its live VMs, its rule's provider. */
  async extras(
    g: AsVmGroup,
  ): Promise<{ scaleUp: AsPolicy[]; scaleDown: AsPolicy[]; availableVms: number; lbProvider?: string }> {
    const db = this.store.db;
    const links = await groups.groupPolicies(db, [g.id]);
    const byId = new Map(
      (
        await rules.policiesByIds(
          db,
          links.map((l) => l.policyId),
        )
      ).map((p) => [p.id, p]),
    );
    const policies = links.map((l) => byId.get(l.policyId)).filter((p): p is AsPolicy => !!p);
    const lb = await loadBalancerStore.get(db, g.lbRuleId);
    const net = lb ? await networkStore.get(db, lb.networkId) : undefined;
    const offering = net ? await networkStore.offering(db, net.networkOfferingId) : undefined;
    return {
      scaleUp: policies.filter((p) => p.action === 'SCALEUP'),
      scaleDown: policies.filter((p) => p.action === 'SCALEDOWN'),
      availableVms: await groups.availableVms(db, g.id),
      lbProvider: offering ? lbProvider(offering) : undefined,
    };
  }

  /** The group must be the caller's; the job does the rest. */
  async submit(
    caller: Caller,
    cmd: string,
    kind: Exclude<(typeof AS_GROUP_JOBS)[keyof typeof AS_GROUP_JOBS], 'autoscale.group.configure'>,
    params: { id: string } & Record<string, unknown>,
  ): Promise<string> {
    await this.owned(this.store.db, caller, params.id);
    return this.jobs.run(caller, { cmd, kind, params, instanceType: 'AutoScaleVmGroup', instanceId: params.id });
  }

  /** configureLbAutoScaleVmGroup for a New group: the rule becomes Active and the group Enabled. */
  private async configure(id: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const g = await groups.group(trx, id);
      if (!g) throw invalid('Failed to create Autoscale Vm Group', 'id');
      if (g.state !== 'NEW') return;
      await loadBalancerStore.update(trx, g.lbRuleId, { state: 'Active' });
      await groups.updateGroup(trx, id, { state: 'ENABLED' });
    });
    return obj(id);
  }

  private async update(db: Db, caller: Caller, c: { id: string } & GroupChange): Promise<JobResult> {
    const g = await this.owned(db, caller, c.id);
    const intervalChanged = c.interval !== undefined && c.interval !== g.interval;
    const policiesGiven = !!c.scaleUpPolicyIds?.length || !!c.scaleDownPolicyIds?.length;
    if (
      (c.minMembers !== undefined || c.maxMembers !== undefined || intervalChanged || policiesGiven) &&
      g.state !== 'DISABLED'
    )
      throw invalid(
        'An AutoScale Vm Group can be updated with minMembers/maxMembers/Interval only when it is in disabled state',
        'id',
      );
    const next: AsVmGroup = {
      ...g,
      name: c.name?.trim() ? c.name : g.name,
      minMembers: c.minMembers ?? g.minMembers,
      maxMembers: c.maxMembers ?? g.maxMembers,
      interval: c.interval ?? g.interval,
      display: c.display === undefined ? g.display : c.display ? 1 : 0,
    };
    await this.persist(db, caller, next, false, c.scaleUpPolicyIds, c.scaleDownPolicyIds);
    if (intervalChanged || policiesGiven) await groups.markInactive(db, { groupId: g.id });
    await eventLog(db, this.clock, {
      type: 'AUTOSCALEVMGROUP.UPDATE',
      description: `updating autoscale vm group ${g.id}`,
      accountId: g.accountId,
      domainId: g.domainId,
      userId: caller.userId,
      resourceId: g.id,
      resourceType: 'AutoScaleVmGroup',
    });
    return obj(g.id);
  }

  private async enable(caller: Caller, id: string): Promise<JobResult> {
    const enabled = await this.store.tx(async (trx) => {
      const g = await this.owned(trx, caller, id);
      if (g.state === 'ENABLED') return undefined;
      if (g.state !== 'DISABLED')
        throw invalid('Only a AutoScale Vm Group which is in Disabled state can be enabled.', 'id');
      await groups.updateGroup(trx, id, { state: 'ENABLED' });
      await groups.insertStat(trx, dummyStat(g, this.clock.now()));
      await eventLog(trx, this.clock, {
        type: 'AUTOSCALEVMGROUP.ENABLE',
        description: `enabling autoscale vm group ${id}`,
        accountId: g.accountId,
        domainId: g.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'AutoScaleVmGroup',
      });
      return g;
    });
    if (enabled) this.hooks.schedule(enabled);
    return obj(id);
  }

  private async disable(caller: Caller, id: string): Promise<JobResult> {
    const disabled = await this.store.tx(async (trx) => {
      const g = await this.owned(trx, caller, id);
      if (g.state === 'DISABLED') return false;
      if (g.state !== 'ENABLED' && g.state !== 'SCALING')
        throw invalid('Only a AutoScale Vm Group which is in Enabled or Scaling state can be disabled.', 'id');
      await groups.updateGroup(trx, id, { state: 'DISABLED' });
      await groups.insertStat(trx, dummyStat(g, this.clock.now()));
      await eventLog(trx, this.clock, {
        type: 'AUTOSCALEVMGROUP.DISABLE',
        description: `disabling autoscale vm group ${id}`,
        accountId: g.accountId,
        domainId: g.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'AutoScaleVmGroup',
      });
      return true;
    });
    if (disabled) this.hooks.cancel(id);
    return obj(id);
  }

  /**
   * deleteAutoScaleVmGroup: a New group (its creation failed) just goes; otherwise the group must be
   * Disabled and empty unless `cleanup`, which destroys its VMs first. The rule goes back to Add.
   */
  private async remove(caller: Caller, id: string, cleanup: boolean): Promise<JobResult> {
    const vms = await this.store.tx(async (trx) => {
      const g = await this.owned(trx, caller, id);
      if (g.state === 'NEW') {
        await groups.removeGroup(trx, id);
        return undefined;
      }
      if (g.state !== 'DISABLED' && !cleanup)
        throw invalid(
          `Cannot delete autoscale vm group id : ${id} because it is in ${g.state} state. Please disable it or pass cleanup=true flag which will destroy all VMs.`,
          'id',
        );
      const n = await groups.memberCount(trx, id);
      if (n > 0 && !cleanup)
        throw invalid(
          `Cannot delete autoscale vm group id : ${id} because there are ${n} VMs. Please remove the VMs or pass cleanup=true flag which will destroy all VMs.`,
          'id',
        );
      await groups.updateGroup(trx, id, { state: 'REVOKE' });
      return groups.groupVms(trx, id);
    });
    this.hooks.cancel(id);
    if (!vms) return { type: 'success' };
    for (const m of vms) {
      // Off the group first: the VM is the group's no more, so its destroy is not refused as a group member's would be.
      await this.store.tx((trx) => groups.removeVm(trx, m.vmId));
      await this.hooks.destroyVm(m.vmId);
    }
    await this.store.tx(async (trx) => {
      const g = await groups.group(trx, id);
      if (!g) return;
      await groups.removeGroup(trx, id);
      const members = await loadBalancerStore.members(trx, [g.lbRuleId]);
      if (!members.length) await loadBalancerStore.update(trx, g.lbRuleId, { state: 'Add' });
      await eventLog(trx, this.clock, {
        type: 'AUTOSCALEVMGROUP.DELETE',
        description: `deleting autoscale vm group ${id}`,
        accountId: g.accountId,
        domainId: g.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'AutoScaleVmGroup',
      });
    });
    return { type: 'success' };
  }

  /**
   * checkValidityAndPersist (group): sizes and interval, policies of the right kind and no shorter
   * than the interval, a network whose offering autoscales and whose balancer measures the counters,
   * and policies, rule and profile all the group owner's.
   */
  private async persist(
    db: Db,
    caller: Caller,
    g: AsVmGroup,
    isNew: boolean,
    upIds: string[] | undefined,
    downIds: string[] | undefined,
  ): Promise<void> {
    checkGroupName(g.name);
    if (g.minMembers <= 0) throw invalid(`minmembers is an invalid value: ${g.minMembers}`, 'minmembers');
    if (g.maxMembers <= 0) throw invalid(`maxmembers is an invalid value: ${g.maxMembers}`, 'maxmembers');
    if (g.minMembers > g.maxMembers)
      throw invalid(`minmembers (${g.minMembers})cannot be greater than maxmembers (${g.maxMembers})`, 'minmembers');
    if (g.interval <= 0) throw invalid(`interval is an invalid value: ${g.interval}`, 'interval');
    const current = isNew
      ? []
      : await rules.policiesByIds(
          db,
          (await groups.groupPolicies(db, [g.id])).map((m) => m.policyId),
        );
    const ofAction = (a: ScaleAction) => current.filter((p) => p.action === a).map((p) => p.id);
    const counters = new Set<CounterSource>();
    const up = await this.policies(
      db,
      upIds ?? ofAction('SCALEUP'),
      g.interval,
      'SCALEUP',
      upIds !== undefined,
      counters,
    );
    const down = await this.policies(
      db,
      downIds ?? ofAction('SCALEDOWN'),
      g.interval,
      'SCALEDOWN',
      downIds !== undefined,
      counters,
    );
    const profile = await groups.profile(db, g.profileId);
    if (!profile) throw invalid('Unable to find vmprofileid', 'vmprofileid');
    assertAccess(caller, profile, 'AutoScaleVmProfile', profile.id);
    const lb = await this.lbRule(db, caller, g.lbRuleId);
    await this.checkNetwork(db, lb, counters);
    const given = [...(upIds !== undefined ? up : []), ...(downIds !== undefined ? down : [])];
    sameOwner(caller, [
      ...given.map((p) => ({ ...p, kind: 'AutoScalePolicy' })),
      { ...lb, kind: 'LoadBalancerRule' },
      { ...profile, kind: 'AutoScaleVmProfile' },
    ]);
    const { id: _id, ...patch } = g;
    if (isNew) await groups.insertGroup(db, g);
    else await groups.updateGroup(db, g.id, patch);
    if (upIds !== undefined || downIds !== undefined)
      await groups.setGroupPolicies(
        db,
        g,
        [...up, ...down].map((p) => p.id),
      );
  }

  /** getAutoScalePolicies: the policies given (or the group's), each checked, their counters collected. */
  private async policies(
    db: Db,
    ids: string[],
    interval: number,
    action: ScaleAction,
    given: boolean,
    counters: Set<CounterSource>,
  ): Promise<AsPolicy[]> {
    const kind = action === 'SCALEUP' ? 'ScaleUp' : 'ScaleDown';
    if (given && ids.length === 0)
      throw invalid(`AutoScale VM group must have at least one ${kind} policy`, `${kind.toLowerCase()}policyids`);
    const found = await rules.policiesByIds(db, ids);
    const byId = new Map(found.map((p) => [p.id, p]));
    const ordered = ids.map((id) => byId.get(id)).filter((p): p is AsPolicy => !!p);
    for (const p of ordered) {
      if (p.duration < interval)
        throw invalid(
          `duration : ${p.duration} specified in a policy cannot be less than vm group's interval : ${interval}`,
          'interval',
        );
      if (given && p.action !== action)
        throw invalid(
          `Only ${kind.toLowerCase()} policies can be specified in ${kind.toLowerCase()}policyids`,
          `${kind.toLowerCase()}policyids`,
        );
    }
    const links = await rules.policyConditions(
      db,
      ordered.map((p) => p.id),
    );
    const conditions = await rules.conditionsByIds(
      db,
      links.map((l) => l.conditionId),
    );
    for (const c of conditions) {
      const counter = await rules.counter(db, c.counterId);
      if (counter) counters.add(counter.source);
    }
    return ordered;
  }

  /** validateNetworkCapability and validateAutoScaleCounters. */
  private async checkNetwork(db: Db, lb: LoadBalancerRule, counters: Set<CounterSource>): Promise<void> {
    const net = await networkStore.get(db, lb.networkId);
    const offering = net ? await networkStore.offering(db, net.networkOfferingId) : undefined;
    if (!offering || !supportsVmAutoScaling(offering))
      throw invalid('Vm AutoScaling is not supported by this network.', 'lbruleid');
    const provider = lbProvider(offering);
    if (provider !== 'VirtualRouter' && provider !== 'VpcVirtualRouter')
      throw invalid('AutoScale is not supported in the network', 'lbruleid');
    for (const source of counters) {
      if (!ROUTER_COUNTERS.includes(source))
        throw invalid(`AutoScale counter with source='${source}' is not supported in the network`, 'lbruleid');
    }
  }

  private async lbRule(db: Db, caller: Caller, id: string): Promise<LoadBalancerRule> {
    const lb = await loadBalancerStore.get(db, id);
    if (!lb) throw invalid('Unable to find lbruleid', 'lbruleid');
    assertAccess(caller, lb, 'LoadBalancerRule', id);
    return lb;
  }

  private async owned(db: Db, caller: Caller, id: string): Promise<AsVmGroup> {
    const g = await groups.group(db, id);
    if (!g) throw invalid('Unable to find AutoScale Vm Group', 'id');
    assertAccess(caller, g, 'AutoScaleVmGroup', id);
    return g;
  }
}

const obj = (id: string): JobResult => ({ type: 'object', instanceType: 'AutoScaleVmGroup', id });
