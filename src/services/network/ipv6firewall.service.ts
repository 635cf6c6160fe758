import { offersService } from '../../domain/netoffering.js';
import type { Clock } from '../../domain/clock.js';
import { invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { parseIp6Net } from '../../domain/ipv6.js';
import type { FirewallRule, TrafficDirection } from '../../domain/networking.js';
import type { Network } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Store } from '../../store/db.js';
import { firewallStore } from '../../store/firewall.store.js';
import { networkStore } from '../../store/network.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { FW_JOBS, type FirewallService, type PortRule } from './firewall.service.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const IPV6_FW_JOBS = { update: 'ipv6fw.update' } as const;

/** What createIpv6FirewallRule carries: a port rule of a network, its direction and display flag. */
export interface Ipv6RuleRequest extends PortRule {
  networkId: string;
  trafficType?: string;
  forDisplay?: boolean;
}

/** The virtual router's Firewall capabilities: SupportedProtocols and SupportedEgressProtocols. */
const PROTOCOLS: Record<TrafficDirection, string[]> = {
  Ingress: ['tcp', 'udp', 'icmp'],
  Egress: ['tcp', 'udp', 'icmp', 'all'],
};
const NUMBERED: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp' };
const ANY_IP6 = '::/0';
const validPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/** CreateIpv6FirewallRuleCmd.getTrafficType (and listIpv6FirewallRules' filter): Ingress when not given. */
export function trafficTypeOf(given: string | undefined): TrafficDirection {
  if (given === undefined) return 'Ingress';
  const t = (['Ingress', 'Egress'] as const).find((x) => x.toLowerCase() === given.toLowerCase());
  if (!t) throw invalid(`Invalid traffic type ${given}`, 'traffictype');
  return t;
}

/** CreateIpv6FirewallRuleCmd.getProtocol: a protocol number becomes its name; only 1, 6 and 17 have one. */
function protocolOf(given: string): string {
  const p = given.trim();
  if (!/^\d+$/.test(p)) return p;
  const name = NUMBERED[String(Number(p))];
  if (!name) throw invalid(`Protocol ${Number(p)} not supported`, 'protocol');
  return name;
}

/**
 * IPv6 firewall rules of an isolated network (Ipv6ServiceImpl): ingress and egress rules on the
 * network's IPv6 traffic, kept in the firewall rule table with purpose Ipv6Firewall. They never
 * conflict with other rules (detectRulesConflict compares them with no rule of their purpose).
 */
export class Ipv6FirewallService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private firewall: FirewallService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string; forDisplay?: boolean }>(IPV6_FW_JOBS.update, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const r = await firewallStore.get(trx, params.id);
        if (!r || r.purpose !== 'Ipv6Firewall')
          throw invalid(`Unable to find IPv6 firewall rule with id ${params.id}`, 'id');
        if (params.forDisplay !== undefined)
          await firewallStore.update(trx, r.id, { forDisplay: params.forDisplay ? 1 : 0 });
        await eventLog(trx, this.clock, {
          type: 'IPV6.FIREWALL.RULE.UPDATE',
          description: `Updating IPv6 firewall rule ${r.id}`,
          accountId: r.accountId,
          domainId: r.domainId,
          userId: caller.userId,
          resourceId: r.id,
          resourceType: 'FirewallRule',
        });
      });
      return { type: 'object', instanceType: 'NetFirewallRule', id: params.id };
    });
  }

  /** createIpv6FirewallRule's first phase (Ipv6ServiceImpl.createIpv6FirewallRule): the rule in state Add, and the job that applies it. */
  async create(caller: Caller, r: Ipv6RuleRequest, cmd: string): Promise<{ rule: FirewallRule; jobId: string }> {
    const protocol = protocolOf(r.protocol);
    const trafficType = trafficTypeOf(r.trafficType);
    const sources = r.cidrList ?? [ANY_IP6];
    const dests = r.destCidrList ?? [ANY_IP6];
    for (const c of sources) if (!parseIp6Net(c)) throw invalid(`Invalid source IPv6 CIDR: ${c}`, 'cidrlist');
    for (const c of dests) if (!parseIp6Net(c)) throw invalid(`Invalid destination IPv6 CIDR: ${c}`, 'destcidrlist');
    const start = r.startPort ?? null;
    const end = r.endPort ?? start;
    if (start !== null && !validPort(start)) throw invalid(`publicPort is an invalid value: ${start}`, 'startport');
    if (end !== null && !validPort(end)) throw invalid(`Public port range is an invalid value: ${end}`, 'endport');
    if (start !== null && end !== null && start > end)
      throw invalid("Start port can't be bigger than end port", 'startport');
    return this.firewall.submit(caller, cmd, async (trx) => {
      const net = await networkStore.get(trx, r.networkId);
      if (!net) throw notFound('Network', r.networkId, 'networkid');
      assertAccess(caller, net, 'Network', net.id);
      await this.checkCapabilities(trx, net, protocol, trafficType);
      const icmp = protocol.toLowerCase() === 'icmp';
      if (!icmp && (r.icmpCode !== undefined || r.icmpType !== undefined))
        throw invalid('Can specify icmpCode and icmpType for ICMP protocol only', 'icmptype');
      if (icmp && (r.startPort !== undefined || r.endPort !== undefined))
        throw invalid("Can't specify start/end port when protocol is ICMP", 'startport');
      return {
        id: newId(),
        purpose: 'Ipv6Firewall',
        trafficType,
        publicIpId: null,
        networkId: net.id,
        protocol: protocol.toLowerCase(),
        startPort: start,
        endPort: end,
        icmpType: icmp ? (r.icmpType ?? -1) : null,
        icmpCode: icmp ? (r.icmpCode ?? -1) : null,
        cidrList: sources.join(','),
        destCidrList: dests.join(','),
        state: 'Add',
        accountId: net.accountId!,
        domainId: net.domainId,
        created: this.clock.now(),
        forDisplay: r.forDisplay === false ? 0 : null,
      };
    });
  }

  async owned(caller: Caller, id: string): Promise<FirewallRule> {
    const r = await firewallStore.get(this.store.db, id);
    if (!r || r.purpose !== 'Ipv6Firewall') throw notFound('FirewallRule', id);
    assertAccess(caller, r, 'FirewallRule', id);
    return r;
  }

  /** deleteIpv6FirewallRule: the rule goes in a job (revokeIpv6FirewallRule). */
  async remove(caller: Caller, id: string, cmd: string): Promise<string> {
    await this.owned(caller, id);
    return this.jobs.run(caller, {
      cmd,
      kind: FW_JOBS.revoke,
      params: { id },
      instanceType: 'FirewallRule',
      instanceId: id,
    });
  }

  /** updateIpv6FirewallRule: only its display flag changes (the rest of the command's parameters are not read). */
  async update(caller: Caller, id: string, forDisplay: boolean | undefined, cmd: string): Promise<string> {
    await this.owned(caller, id);
    return this.jobs.run(caller, {
      cmd,
      kind: IPV6_FW_JOBS.update,
      params: { id, forDisplay },
      instanceType: 'FirewallRule',
      instanceId: id,
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; networkId?: string; trafficType?: string; forDisplay?: boolean },
  ): Promise<FirewallRule[]> {
    const trafficType = f.trafficType === undefined ? undefined : trafficTypeOf(f.trafficType);
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    const rules = await firewallStore.list(this.store.db, {
      id: f.id,
      networkId: f.networkId,
      trafficType,
      purpose: 'Ipv6Firewall',
      accountIds: accounts,
    });
    return f.forDisplay === undefined ? rules : rules.filter((r) => (r.forDisplay !== 0) === f.forDisplay);
  }

  /** The network's Firewall capabilities (NetworkModel.getNetworkServiceCapabilities): the service, the protocol for the direction. */
  private async checkCapabilities(
    db: Parameters<typeof networkStore.offering>[0],
    net: Network,
    protocol: string,
    trafficType: TrafficDirection,
  ): Promise<void> {
    const o = await networkStore.offering(db, net.networkOfferingId);
    if (!offersService(o, 'Firewall'))
      throw invalid(`Service Firewall is not supported in the network id=${net.id}`, 'networkid');
    // CloudStack tests the name against the capability text ("tcp,udp,icmp") by substring.
    if (!PROTOCOLS[trafficType].join(',').includes(protocol.toLowerCase()))
      throw invalid(`Protocol ${protocol} is not supported in zone`, 'protocol');
  }
}
