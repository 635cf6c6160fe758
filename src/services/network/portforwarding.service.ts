import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { isCidr } from '../../domain/net.js';
import type { PortForwardingRule } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Store } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { portForwardingStore, portForwardingRuleRows } from '../../store/portforwarding.store.js';
import { vmStore } from '../../store/vm.store.js';
import { ruleSpansOnIp } from '../../store/iprules.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { assertNoConflict } from './firewall.service.js';
import { ruleNetwork } from './network.service.js';
import { nicIpStore } from '../../store/nicip.store.js';
import { eventLog } from '../operations/events.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export interface NewPortForwarding {
  ipId: string;
  protocol: string;
  publicPort: number;
  publicEndPort?: number;
  privatePort: number;
  privateEndPort?: number;
  vmId: string;
  vmGuestIp?: string;
  networkId?: string;
  cidrList?: string[];
}

export const PF_JOBS = { apply: 'pf.apply', revoke: 'pf.revoke' } as const;

const validPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/** Port forwarding from a public address of an isolated network to a VM on it. */
export class PortForwardingService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(PF_JOBS.apply, async ({ params }) => {
      await this.store.tx(async (trx) => {
        const r = await portForwardingStore.get(trx, params.id);
        if (r && r.state === 'Add') await portForwardingRuleRows.update(trx, r.id, { state: 'Active' });
      });
      return { type: 'object', instanceType: 'PortForwardingRule', id: params.id };
    });
    jobs.register<{ id: string }>(PF_JOBS.revoke, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const r = await portForwardingStore.get(trx, params.id);
        if (!r) return; // a re-run after the rule went
        await portForwardingStore.remove(trx, r.id);
        await eventLog(trx, this.clock, {
          type: 'NET.RULEDELETE',
          description: `Deleted port forwarding rule ${r.id}`,
          accountId: r.accountId,
          domainId: r.domainId,
          userId: caller.userId,
          resourceId: r.id,
          resourceType: 'FirewallRule',
        });
      });
      return { type: 'success' };
    });
  }

  /** The create phase: the rule is recorded in state Add and a job makes it Active. */
  async create(
    caller: Caller,
    r: NewPortForwarding,
    cmd: string,
  ): Promise<{ rule: PortForwardingRule; jobId: string }> {
    const protocol = r.protocol.toLowerCase();
    if (protocol !== 'tcp' && protocol !== 'udp')
      throw invalid(
        `Invalid protocol ${r.protocol}; only TCP and UDP protocols are supported for port forwarding`,
        'protocol',
      );
    const publicEnd = r.publicEndPort ?? r.publicPort;
    const privateEnd = r.privateEndPort ?? r.privatePort;
    for (const [n, v] of [
      ['publicport', r.publicPort],
      ['publicendport', publicEnd],
      ['privateport', r.privatePort],
      ['privateendport', privateEnd],
    ] as const)
      if (!validPort(v)) throw invalid(`Invalid value for ${n}: ${v}; it must be between 1 and 65535`, n);
    if (publicEnd < r.publicPort || privateEnd < r.privatePort)
      throw invalid('Start port can not be greater than end port', 'publicport');
    if (publicEnd - r.publicPort !== privateEnd - r.privatePort)
      throw invalid('Private port range and public port range should be of the same size', 'privateport');
    for (const c of r.cidrList ?? []) if (!isCidr(c)) throw invalid(`Invalid cidr ${c}`, 'cidrlist');
    const out = await this.store.tx(async (trx) => {
      const ip = await networkStore.getPublicIp(trx, r.ipId);
      if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', r.ipId, 'ipaddressid');
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
      const vm = await vmStore.get(trx, r.vmId);
      if (!vm) throw notFound('VirtualMachine', r.vmId, 'virtualmachineid');
      // Each is checked on its own (the @ACL parameters): a domain admin may forward one account's address to another's VM.
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      const networkId = (
        await ruleNetwork(
          trx,
          ip,
          r.networkId,
          `Unable to create port forwarding rule; ip id=${ip.id} is not associated with any network`,
        )
      ).id;
      const nic = (await vmStore.nicsOf(trx, [vm.id])).find((n) => n.networkId === networkId);
      if (!nic?.ipAddress) throw invalid(`Vm ${vm.id} doesn't belong to network ${networkId}`, 'virtualmachineid');
      // vmguestip may be the NIC's own address or one of its secondary ones (RulesManagerImpl).
      if (
        r.vmGuestIp &&
        r.vmGuestIp !== nic.ipAddress &&
        !(await nicIpStore.ofNics(trx, [nic.id])).some((s) => s.ipAddress === r.vmGuestIp)
      )
        throw invalid("IP Address is not in the VM nic's network ", 'vmguestip');
      if (ip.vmId)
        throw new DomainError(
          'Conflict',
          `Can't create port forwarding rules on IP ${ip.address}: static NAT is enabled on it`,
          { kind: 'PublicIpAddress', id: ip.id },
        );
      const id = newId();
      const cidrs = r.cidrList ?? ['0.0.0.0/0'];
      assertNoConflict(
        { id, purpose: 'PortForwarding', protocol, startPort: r.publicPort, endPort: publicEnd, networkId, cidrs },
        await ruleSpansOnIp(trx, ip.id),
        ip.id,
      );
      const rule: PortForwardingRule = {
        id,
        publicIpId: ip.id,
        protocol,
        publicPort: r.publicPort,
        publicEndPort: publicEnd,
        privatePort: r.privatePort,
        privateEndPort: privateEnd,
        vmId: vm.id,
        vmGuestIp: r.vmGuestIp ?? nic.ipAddress,
        networkId,
        cidrList: cidrs.join(','),
        state: 'Add',
        accountId: ip.accountId!,
        domainId: ip.domainId!,
        created: this.clock.now(),
      };
      await portForwardingStore.insert(trx, rule);
      await eventLog(trx, this.clock, {
        type: 'NET.RULEADD',
        description: `Added port forwarding rule ${ip.address}:${r.publicPort} -> ${vm.name}:${r.privatePort}`,
        accountId: rule.accountId,
        domainId: rule.domainId,
        userId: caller.userId,
        resourceId: rule.id,
        resourceType: 'FirewallRule',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: PF_JOBS.apply,
        params: { id: rule.id },
        instanceType: 'FirewallRule',
        instanceId: rule.id,
      });
      return { rule, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async remove(caller: Caller, id: string, cmd: string): Promise<string> {
    const rule = await portForwardingStore.get(this.store.db, id);
    if (!rule) throw notFound('PortForwardingRule', id);
    assertAccess(caller, rule, 'PortForwardingRule', id);
    return this.jobs.run(caller, {
      cmd,
      kind: PF_JOBS.revoke,
      params: { id },
      instanceType: 'FirewallRule',
      instanceId: id,
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; ipId?: string; vmId?: string; networkId?: string },
  ): Promise<PortForwardingRule[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return portForwardingStore.list(this.store.db, { ...f, accountIds: accounts });
  }
}
