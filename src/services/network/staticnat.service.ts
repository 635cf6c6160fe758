import { offersService } from '../../domain/netoffering.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { FirewallRule } from '../../domain/networking.js';
import type { PublicIp } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { firewallStore } from '../../store/firewall.store.js';
import { loadBalancerStore } from '../../store/loadbalancer.store.js';
import { networkStore, publicIpRows } from '../../store/network.store.js';
import { portForwardingStore } from '../../store/portforwarding.store.js';
import { ruleSpansOnIp } from '../../store/iprules.store.js';
import { vmStore } from '../../store/vm.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { assertMayUseNetwork } from './networkpermission.service.js';
import { eventLog } from '../operations/events.js';
import { assertNoConflict, checkCidrs, checkPortRule, FW_JOBS, span, type PortRule } from './firewall.service.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { portableMove } from './portableip.transfer.js';

export const STATIC_NAT_JOBS = { disable: 'staticnat.disable' } as const;

/**
 * Static NAT: a public address bound one-to-one to a VM (also EC2's elastic IP association), and
 * the ip forwarding rules (createIpForwardingRule) that open ports of such an address.
 */
export class StaticNatService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ ipId: string }>(STATIC_NAT_JOBS.disable, async ({ caller, params }) => {
      await this.disable(caller, params.ipId);
      return { type: 'success' };
    });
  }

  /** enableStaticNat (synchronous, as in CloudStack): RulesManagerImpl.enableStaticNat's checks, in its order where it matters. */
  async enable(caller: Caller, ipId: string, vmId: string, networkId?: string, vmGuestIp?: string): Promise<PublicIp> {
    return this.store.tx(async (trx) => {
      const ip = await this.ownedIp(trx, caller, ipId);
      const vm = await vmStore.get(trx, vmId);
      if (!vm)
        throw invalid(
          `Can't enable static nat for the address id=${ipId}, invalid virtual machine id specified (${vmId}).`,
          'virtualmachineid',
        );
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      // The address's own network wins over the parameter, as EnableStaticNatCmd.getNetworkId has it, unless the address is portable.
      const netId = ip.isPortable && networkId ? networkId : (ip.networkId ?? networkId);
      if (!netId)
        throw invalid(
          `Unable to enable static NAT for the ipAddress id=${ip.id} as ip is not associated with any network and no networkId is passed in`,
          'networkid',
        );
      const net = await networkStore.get(trx, netId);
      if (!net) throw notFound('Network', netId, 'networkid');
      const nic = (await vmStore.nicsOf(trx, [vm.id])).find((n) => n.networkId === net.id);
      if (!nic) throw invalid("Vm doesn't belong to the network with specified id", 'virtualmachineid');
      if (!(await this.offers(trx, net.networkOfferingId)))
        throw invalid(
          'Unable to create static nat rule; StaticNat service is not supported in network with specified id',
          'networkid',
        );
      const move = ip.isPortable ? await portableMove(trx, ip, net) : undefined;
      if (!move && !ip.networkId && (!ip.vpcId || ip.vpcId !== net.vpcId))
        throw invalid(`Ip address ${ip.address} is not assigned to the network ${net.name}`, 'networkid');
      if (vm.state === 'Destroyed' || vm.state === 'Expunging')
        throw invalid(`Invalid user vm: ${vm.id}`, 'virtualmachineid');
      // The address and the VM may have different owners (a domain admin binds them); the VM's owner must be allowed the network.
      await assertMayUseNetwork(trx, { id: vm.accountId }, net);
      if (vmGuestIp !== undefined && vmGuestIp !== nic.ipAddress)
        throw invalid(`VM ip ${vmGuestIp} address not belongs to the vm`, 'vmguestip');
      await this.readyForStaticNat(trx, ip, vm.id);
      if (move) await move(this.clock, caller);
      const patch = { vmId: vm.id, networkId: net.id };
      await publicIpRows.update(trx, ip.id, patch);
      await eventLog(trx, this.clock, {
        type: 'STATICNAT.ENABLE',
        description: `Enabled static NAT ${ip.address} -> ${vm.name}`,
        accountId: ip.accountId!,
        domainId: ip.domainId!,
        userId: caller.userId,
        resourceId: ip.id,
        resourceType: 'PublicIpAddress',
      });
      return { ...ip, ...patch };
    });
  }

  /** RulesManagerImpl.isIpReadyForStaticNat. */
  private async readyForStaticNat(db: Db, ip: PublicIp, vmId: string): Promise<void> {
    const conflict = (m: string) => new DomainError('Conflict', m, { kind: 'PublicIpAddress', id: ip.id });
    if (ip.isSourceNat)
      throw invalid(`Can't enable static, ip address ${ip.address} is a sourceNat ip address`, 'ipaddressid');
    if (!ip.vmId) {
      if ((await portForwardingStore.onIp(db, ip.id)).length)
        throw conflict(
          `Failed to enable static nat for the ip address ${ip.address} as it already has PortForwarding rules assigned`,
        );
      if ((await loadBalancerStore.onIp(db, ip.id)).length)
        throw conflict(
          `Failed to enable static nat for the ip address ${ip.address} as it already has LoadBalancing rules assigned`,
        );
    } else if (ip.vmId !== vmId) {
      throw conflict(
        `Failed to enable static for the ip address ${ip.address} and vm id=${vmId} as it's already assigned to antoher vm`,
      );
    }
    const other = (await networkStore.natOfVms(db, [vmId])).find((x) => x.id !== ip.id);
    if (other)
      throw invalid(
        `Failed to enable static nat for the ip address id=${ip.id} as vm id=${vmId} is already associated with ip id=${other.id}`,
        'virtualmachineid',
      );
  }

  /** disableStaticNat's job: the binding and the address's ip forwarding rules go. */
  async disable(caller: Caller, ipId: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const ip = await this.ownedIp(trx, caller, ipId);
      if (!ip.vmId) throw invalid('Specified IP address id is not associated with any vm Id', 'ipaddressid');
      await firewallStore.removeForIp(trx, ip.id, 'StaticNat');
      await publicIpRows.update(trx, ip.id, { vmId: null });
      await eventLog(trx, this.clock, {
        type: 'STATICNAT.DISABLE',
        description: `Disabled static NAT on ${ip.address}`,
        accountId: ip.accountId!,
        domainId: ip.domainId!,
        userId: caller.userId,
        resourceId: ip.id,
        resourceType: 'PublicIpAddress',
      });
    });
  }

  /** createIpForwardingRule's first phase (RulesManagerImpl.createStaticNatRule). */
  async createRule(
    caller: Caller,
    ipId: string,
    r: PortRule,
    cmd: string,
  ): Promise<{ rule: FirewallRule; jobId: string }> {
    checkCidrs(r.cidrList, 'cidrlist');
    const out = await this.store.tx(async (trx) => {
      const ip = await this.ownedIp(trx, caller, ipId);
      if (ip.isSourceNat || !ip.vmId || !ip.networkId)
        throw new DomainError('Conflict', `Can't do static nat on ip address: ${ip.address}`, {
          kind: 'PublicIpAddress',
          id: ip.id,
        });
      const net = await networkStore.get(trx, ip.networkId);
      if (!net) throw notFound('Network', ip.networkId, 'networkid');
      const rule: FirewallRule = {
        id: newId(),
        purpose: 'StaticNat',
        trafficType: 'Ingress',
        publicIpId: ip.id,
        networkId: net.id,
        ...checkPortRule(r, net, 'Ingress'),
        cidrList: (r.cidrList ?? ['0.0.0.0/0']).join(','),
        destCidrList: null,
        state: 'Add',
        accountId: ip.accountId!,
        domainId: ip.domainId!,
        created: this.clock.now(),
      };
      assertNoConflict(span(rule), await ruleSpansOnIp(trx, ip.id), ip.id);
      await firewallStore.insert(trx, rule);
      await eventLog(trx, this.clock, {
        type: 'NET.RULEADD',
        description: `Created ip forwarding rule ${rule.id} on ${ip.address}`,
        accountId: rule.accountId,
        domainId: rule.domainId,
        userId: caller.userId,
        resourceId: rule.id,
        resourceType: 'FirewallRule',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: FW_JOBS.apply,
        params: { id: rule.id },
        instanceType: 'FirewallRule',
        instanceId: rule.id,
      });
      return { rule, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async removeRule(caller: Caller, id: string, cmd: string): Promise<string> {
    const r = await firewallStore.get(this.store.db, id);
    if (!r || r.purpose !== 'StaticNat') throw notFound('FirewallRule', id);
    assertAccess(caller, r, 'FirewallRule', id);
    return this.jobs.run(caller, {
      cmd,
      kind: FW_JOBS.revoke,
      params: { id },
      instanceType: 'FirewallRule',
      instanceId: id,
    });
  }

  async listRules(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; ipId?: string; vmId?: string },
  ): Promise<FirewallRule[]> {
    const db = this.store.db;
    const accounts = await scopeAccounts(db, caller, scope);
    const vmIpIds = f.vmId ? (await networkStore.natOfVms(db, [f.vmId])).map((ip) => ip.id) : undefined;
    return firewallStore.list(db, { id: f.id, ipId: f.ipId, vmIpIds, purpose: 'StaticNat', accountIds: accounts });
  }

  private async ownedIp(db: Db, caller: Caller, ipId: string): Promise<PublicIp> {
    const ip = await networkStore.getPublicIp(db, ipId);
    if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', ipId, 'ipaddressid');
    assertAccess(caller, ip, 'PublicIpAddress', ip.id);
    return ip;
  }

  private async offers(db: Db, offeringId: string): Promise<boolean> {
    const o = await networkStore.offering(db, offeringId);
    return offersService(o, 'StaticNat');
  }
}
