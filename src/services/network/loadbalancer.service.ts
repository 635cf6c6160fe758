import { offersService } from '../../domain/netoffering.js';
import { isIpv4Cidr } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { LbMember, LoadBalancerRule } from '../../domain/networking.js';
import type { Network, Vm } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { ruleSpansOnIp } from '../../store/iprules.store.js';
import { loadBalancerStore } from '../../store/loadbalancer.store.js';
import { networkStore } from '../../store/network.store.js';
import { vmStore } from '../../store/vm.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { assertMayUseNetwork } from './networkpermission.service.js';
import { assertVmActionAllowed, isAutoScaleLoadBalancer } from '../compute/autoscale.guard.js';
import { autoScaleGroupStore } from '../../store/autoscale.group.store.js';
import { eventLog } from '../operations/events.js';
import { assertNoConflict } from './firewall.service.js';
import { ruleNetwork } from './network.service.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const LB_JOBS = {
  apply: 'lb.apply',
  remove: 'lb.delete',
  assign: 'lb.assign',
  unassign: 'lb.unassign',
  update: 'lb.update',
} as const;

export interface NewLoadBalancer {
  name: string;
  description?: string;
  publicIpId?: string;
  networkId?: string;
  publicPort: number;
  privatePort: number;
  algorithm: string;
  protocol?: string;
  cidrList?: string[];
}

export interface LbUpdate {
  name?: string;
  description?: string;
  algorithm?: string;
  protocol?: string;
}

const ALGORITHMS = ['roundrobin', 'leastconn', 'source'];
/** The virtual router's Lb capability (VirtualRouterElement). */
const PROTOCOLS = ['tcp', 'udp', 'tcp-proxy'];
const validPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

function checkAlgorithm(a: string): void {
  if (!ALGORITHMS.includes(a.toLowerCase())) throw invalid(`Invalid algorithm: ${a}`, 'algorithm');
}

/**
 * Public load balancer rules on an address of an isolated network or VPC tier. A rule stays in
 * state Add until it has members, as LoadBalancingRulesManagerImpl leaves it.
 */
export class LoadBalancerService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(LB_JOBS.apply, async ({ params }) => {
      await this.store.tx((trx) => this.applyState(trx, params.id));
      return obj(params.id);
    });
    jobs.register<{ id: string }>(LB_JOBS.remove, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const r = await loadBalancerStore.get(trx, params.id);
        if (!r) return;
        await loadBalancerStore.remove(trx, r.id);
        await eventLog(trx, this.clock, {
          type: 'LB.DELETE',
          description: `Deleted load balancer rule ${r.name}`,
          accountId: r.accountId,
          domainId: r.domainId,
          userId: caller.userId,
          resourceId: r.id,
          resourceType: 'LoadBalancerRule',
        });
      });
      return { type: 'success' };
    });
    jobs.register<{ id: string; vmIds: string[] }>(LB_JOBS.assign, async ({ caller, params }) => {
      await this.store.tx((trx) => this.assign(trx, caller, params.id, params.vmIds));
      return { type: 'success' };
    });
    jobs.register<{ id: string; vmIds: string[] }>(LB_JOBS.unassign, async ({ caller, params }) => {
      await this.store.tx((trx) => this.unassign(trx, caller, params.id, params.vmIds));
      return { type: 'success' };
    });
    jobs.register<{ id: string } & LbUpdate>(LB_JOBS.update, async ({ params: p }) => {
      await this.store.tx(async (trx) => {
        const r = await this.load(trx, p.id);
        await loadBalancerStore.update(trx, r.id, {
          ...(p.name ? { name: p.name } : {}),
          ...(p.description !== undefined ? { description: p.description } : {}),
          ...(p.algorithm ? { algorithm: p.algorithm.toLowerCase() } : {}),
          ...(p.protocol ? { protocol: p.protocol.toLowerCase() } : {}),
        });
      });
      return obj(p.id);
    });
  }

  /** createLoadBalancerRule's first phase (createPublicLoadBalancerRule + createPublicLoadBalancer). */
  async create(caller: Caller, r: NewLoadBalancer, cmd: string): Promise<{ rule: LoadBalancerRule; jobId: string }> {
    for (const c of r.cidrList ?? []) if (!isIpv4Cidr(c)) throw invalid(`CIDR [${c}] is invalid.`, 'cidrlist');
    if (!validPort(r.privatePort)) throw invalid(`privatePort is an invalid value: ${r.privatePort}`, 'privateport');
    checkAlgorithm(r.algorithm);
    if (!validPort(r.publicPort)) throw invalid(`publicPort is an invalid value: ${r.publicPort}`, 'publicport');
    if (!r.publicIpId) throw invalid("Unable to create load balance rule; can't find/allocate source IP", 'publicipid');
    const ipId = r.publicIpId;
    const out = await this.store.tx(async (trx) => {
      const ip = await networkStore.getPublicIp(trx, ipId);
      if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', ipId, 'publicipid');
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
      if (ip.vmId)
        throw new DomainError('Conflict', `Can't do load balance on ip address: ${ip.address}`, {
          kind: 'PublicIpAddress',
          id: ip.id,
        });
      const net = await ruleNetwork(
        trx,
        ip,
        r.networkId,
        'Unable to create load balancer rule ; specified sourceip id is not associated with any network',
      );
      await this.checkService(trx, net);
      const protocol = (r.protocol ?? 'tcp').toLowerCase();
      if (!PROTOCOLS.includes(protocol))
        throw invalid(`Protocol ${r.protocol} is not supported in zone ${net.zoneId}`, 'protocol');
      if (r.publicPort === 53 && ip.isSourceNat && (await this.offers(trx, net, 'Dns')))
        throw invalid(
          'Error adding load balancer rule, cannot add port 53 with network service offering having DNS service and Source NAT.',
          'publicport',
        );
      const rule: LoadBalancerRule = {
        id: newId(),
        name: r.name,
        description: r.description ?? null,
        publicIpId: ip.id,
        networkId: net.id,
        publicPort: r.publicPort,
        privatePort: r.privatePort,
        algorithm: r.algorithm.toLowerCase(),
        protocol,
        cidrList: r.cidrList ? r.cidrList.join(' ') : null,
        state: 'Add',
        accountId: ip.accountId!,
        domainId: ip.domainId!,
        created: this.clock.now(),
      };
      const span = {
        id: rule.id,
        purpose: 'LoadBalancing' as const,
        protocol,
        startPort: r.publicPort,
        endPort: r.publicPort,
        networkId: net.id,
        cidrs: [],
      };
      assertNoConflict(span, await ruleSpansOnIp(trx, ip.id), ip.id);
      await loadBalancerStore.insert(trx, rule);
      await eventLog(trx, this.clock, {
        type: 'LB.CREATE',
        description: `Created load balancer rule ${rule.name}`,
        accountId: rule.accountId,
        domainId: rule.domainId,
        userId: caller.userId,
        resourceId: rule.id,
        resourceType: 'LoadBalancerRule',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: LB_JOBS.apply,
        params: { id: rule.id },
        instanceType: 'FirewallRule',
        instanceId: rule.id,
      });
      return { rule, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /** A rule by id, for showing a job's result to the job's owner. */
  find(id: string): Promise<LoadBalancerRule | undefined> {
    return loadBalancerStore.get(this.store.db, id);
  }

  async owned(caller: Caller, id: string): Promise<LoadBalancerRule> {
    const r = await loadBalancerStore.get(this.store.db, id);
    if (!r) throw notFound('LoadBalancerRule', id);
    assertAccess(caller, r, 'LoadBalancerRule', id);
    return r;
  }

  /** The sync part of the other LB commands: the rule must be the caller's; the job does the rest. */
  async submit(
    caller: Caller,
    cmd: string,
    kind: string,
    params: { id: string } & Record<string, unknown>,
  ): Promise<string> {
    const r = await this.owned(caller, params.id);
    if (kind === LB_JOBS.update) {
      const u = params as LbUpdate;
      if (u.algorithm) checkAlgorithm(u.algorithm);
      if (u.protocol && !PROTOCOLS.includes(u.protocol.toLowerCase()))
        throw invalid(
          `Protocol ${u.protocol} is not supported in zone ${(await networkStore.get(this.store.db, r.networkId))?.zoneId}`,
          'protocol',
        );
    }
    return this.jobs.run(caller, { cmd, kind, params, instanceType: 'FirewallRule', instanceId: params.id });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: {
      id?: string;
      ipId?: string;
      networkId?: string;
      name?: string;
      zoneId?: string;
      vmId?: string;
      keyword?: string;
    },
  ): Promise<LoadBalancerRule[]> {
    const db = this.store.db;
    const accounts = await scopeAccounts(db, caller, scope);
    const zoneIpIds = f.zoneId
      ? (await networkStore.listPublicIps(db, { zoneId: f.zoneId, allocatedOnly: true, accountIds: accounts })).map(
          (ip) => ip.id,
        )
      : undefined;
    const all = await loadBalancerStore.list(db, { ...f, zoneIpIds, accountIds: accounts });
    return all.filter((r) => !f.keyword || r.name.includes(f.keyword) || (r.description ?? '').includes(f.keyword));
  }

  /** listLoadBalancerRuleInstances: the member VMs (and the addresses balanced to). */
  async members(caller: Caller, id: string): Promise<{ vms: Vm[]; members: LbMember[] }> {
    await this.owned(caller, id);
    const members = await loadBalancerStore.members(this.store.db, [id]);
    const vms: Vm[] = [];
    for (const vmId of [...new Set(members.map((m) => m.vmId))]) {
      const vm = await vmStore.get(this.store.db, vmId);
      if (vm) vms.push(vm);
    }
    return { vms, members };
  }

  /** assignToLoadBalancer's checks, then one member row per VM at its NIC address on the rule's network. */
  private async assign(db: Db, caller: Caller, id: string, vmIds: string[]): Promise<void> {
    const rule = await this.load(db, id);
    // Only the group itself adds to a rule an autoscale group balances.
    if (await isAutoScaleLoadBalancer(db, id))
      throw invalid(`Failed to assign to load balancer ${id} because it is being used by an Autoscale VM group.`, 'id');
    if (vmIds.length === 0) throw invalid("Both instanceids and vmidipmap  can't be null", 'virtualmachineids');
    const existing = await loadBalancerStore.members(db, [id]);
    for (const vmId of vmIds) {
      const vm = await vmStore.get(db, vmId);
      if (!vm || vm.state === 'Destroyed' || vm.state === 'Expunging')
        throw invalid('Invalid instance id specified', 'virtualmachineids');
      // checkRuleAndUserVm checks each on its own; the VM's owner must be allowed the rule's network.
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      const net = await networkStore.get(db, rule.networkId);
      if (net) await assertMayUseNetwork(db, { id: vm.accountId }, net);
      const nic = (await vmStore.nicsOf(db, [vm.id])).find((n) => n.networkId === rule.networkId);
      if (!nic?.ipAddress)
        throw invalid(
          "VM with id specified cannot be added because it doesn't belong in the same network.",
          'virtualmachineids',
        );
      const vmIp = nic.ipAddress;
      if (existing.some((m) => m.vmId === vm.id && m.vmIp === vmIp))
        throw invalid(`VM ${vm.id} with ${vmIp} is already mapped to load balancer.`, 'virtualmachineids');
      await loadBalancerStore.addMember(db, { ruleId: id, vmId: vm.id, vmIp });
      existing.push({ ruleId: id, vmId: vm.id, vmIp });
    }
    await this.applyState(db, id);
    await eventLog(db, this.clock, {
      type: 'LB.ASSIGN.TO.RULE',
      description: `Assigned ${vmIds.length} VM(s) to load balancer rule ${rule.name}`,
      accountId: rule.accountId,
      domainId: rule.domainId,
      userId: caller.userId,
      resourceId: rule.id,
      resourceType: 'LoadBalancerRule',
    });
  }

  private async unassign(db: Db, caller: Caller, id: string, vmIds: string[]): Promise<void> {
    const rule = await this.load(db, id);
    if (vmIds.length === 0) throw invalid("Both instanceids and vmidipmap  can't be null", 'virtualmachineids');
    await assertVmActionAllowed(db, vmIds);
    const existing = await loadBalancerStore.members(db, [id]);
    for (const vmId of vmIds) {
      if (!existing.some((m) => m.vmId === vmId))
        throw invalid(
          `Failed to remove vm ${vmId} from load balancer rule ${id}: the vm is not assigned to it`,
          'virtualmachineids',
        );
      await loadBalancerStore.removeMember(db, id, vmId);
    }
    // A VM taken off an autoscale group's rule leaves the group too.
    if (await isAutoScaleLoadBalancer(db, id)) for (const vmId of vmIds) await autoScaleGroupStore.removeVm(db, vmId);
    await this.applyState(db, id);
    await eventLog(db, this.clock, {
      type: 'LB.REMOVE.FROM.RULE',
      description: `Removed ${vmIds.length} VM(s) from load balancer rule ${rule.name}`,
      accountId: rule.accountId,
      domainId: rule.domainId,
      userId: caller.userId,
      resourceId: rule.id,
      resourceType: 'LoadBalancerRule',
    });
  }

  /** assignToLoadBalancer for an autoscale group's new VM (isAutoScaleVM): its address on the rule's network. */
  async addGroupMember(db: Db, id: string, vmId: string): Promise<void> {
    const rule = await this.load(db, id);
    const nic = (await vmStore.nicsOf(db, [vmId])).find((n) => n.networkId === rule.networkId);
    if (!nic?.ipAddress)
      throw invalid(
        "VM with id specified cannot be added because it doesn't belong in the same network.",
        'virtualmachineids',
      );
    if (!(await loadBalancerStore.members(db, [id])).some((m) => m.vmId === vmId))
      await loadBalancerStore.addMember(db, { ruleId: id, vmId, vmIp: nic.ipAddress });
    await this.applyState(db, id);
  }

  /** removeFromLoadBalancer for a VM the group scales down (isAutoScaleVM): no group check. */
  async removeGroupMember(db: Db, id: string, vmId: string): Promise<void> {
    await loadBalancerStore.removeMember(db, id, vmId);
    await this.applyState(db, id);
  }

  /** Active with members, Add without. */
  private async applyState(db: Db, id: string): Promise<void> {
    const r = await loadBalancerStore.get(db, id);
    if (!r) return;
    const state = (await loadBalancerStore.members(db, [id])).length ? 'Active' : 'Add';
    if (r.state !== state) await loadBalancerStore.update(db, id, { state });
  }

  private async load(db: Db, id: string): Promise<LoadBalancerRule> {
    const r = await loadBalancerStore.get(db, id);
    if (!r) throw notFound('LoadBalancerRule', id);
    return r;
  }

  private async checkService(db: Db, net: Network): Promise<void> {
    if (!(await this.offers(db, net, 'Lb')))
      throw invalid('LB service is not supported in specified network id', 'networkid');
  }

  private async offers(db: Db, net: Network, service: string): Promise<boolean> {
    const o = await networkStore.offering(db, net.networkOfferingId);
    return offersService(o, service);
  }
}

const obj = (id: string): JobResult => ({ type: 'object', instanceType: 'LoadBalancerRule', id });
