import { offersService } from '../../domain/netoffering.js';
import { isIpv4Cidr } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { FirewallRule, TrafficDirection } from '../../domain/networking.js';
import { findConflict, type RuleSpan } from '../../domain/rule-conflicts.js';
import type { Network } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { firewallStore } from '../../store/firewall.store.js';
import { egressSpans, ruleSpansOnIp } from '../../store/iprules.store.js';
import { networkStore } from '../../store/network.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const FW_JOBS = { apply: 'fw.apply', revoke: 'fw.revoke' } as const;

/** What createFirewallRule / createEgressFirewallRule / createIpForwardingRule carry. */
export interface PortRule {
  protocol: string;
  startPort?: number;
  endPort?: number;
  icmpType?: number;
  icmpCode?: number;
  cidrList?: string[];
  destCidrList?: string[];
}

/** The virtual router's firewall capabilities (VirtualRouterElement). */
const PROTOCOLS: Record<TrafficDirection, string[]> = {
  Ingress: ['tcp', 'udp', 'icmp'],
  Egress: ['tcp', 'udp', 'icmp', 'all'],
};

const validPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/**
 * FirewallManagerImpl.validateFirewallRule and the ICMP checks of createFirewallRule, for a rule
 * already known to target `net`. Returns the rule's normalised ports and ICMP fields.
 */
export function checkPortRule(
  r: PortRule,
  net: Network,
  direction: TrafficDirection,
): Pick<FirewallRule, 'protocol' | 'startPort' | 'endPort' | 'icmpType' | 'icmpCode'> {
  const protocol = r.protocol.trim().toLowerCase();
  const start = r.startPort ?? null;
  const end = r.endPort ?? start;
  if (start !== null && !validPort(start)) throw invalid(`publicPort is an invalid value: ${start}`, 'startport');
  if (end !== null && !validPort(end)) throw invalid(`Public port range is an invalid value: ${end}`, 'endport');
  if (start !== null && end !== null && start > end)
    throw invalid("Start port can't be bigger than end port", 'startport');
  if (!PROTOCOLS[direction].includes(protocol))
    throw invalid(`Protocol ${r.protocol} is not supported in zone ${net.zoneId}`, 'protocol');
  const icmp = protocol === 'icmp';
  if (!icmp && (r.icmpCode !== undefined || r.icmpType !== undefined))
    throw invalid('Can specify icmpCode and icmpType for ICMP protocol only', 'icmptype');
  if (icmp && (r.startPort !== undefined || r.endPort !== undefined))
    throw invalid("Can't specify start/end port when protocol is ICMP", 'startport');
  return {
    protocol,
    startPort: start,
    endPort: end,
    icmpType: icmp ? (r.icmpType ?? -1) : null,
    icmpCode: icmp ? (r.icmpCode ?? -1) : null,
  };
}

export function checkCidrs(cidrs: string[] | undefined, param: string, what = 'Source CIDRs'): void {
  for (const c of cidrs ?? []) if (!isIpv4Cidr(c)) throw invalid(`${what} formatting error ${c}`, param);
}

/** Throws CloudStack's NetworkRuleConflictException (537) or InvalidParameterValueException for a clash. */
export function assertNoConflict(rule: RuleSpan, others: RuleSpan[], ipId: string | null): void {
  const c = findConflict(rule, others, ipId);
  if (c)
    throw new DomainError(c.kind === 'conflict' ? 'Conflict' : 'InvalidParameter', c.message, { kind: 'FirewallRule' });
}

/** Ingress rules on a public address and egress rules on an isolated network. */
export class FirewallService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(FW_JOBS.apply, async ({ params }) => {
      await this.store.tx(async (trx) => {
        const r = await firewallStore.get(trx, params.id);
        if (r && r.state === 'Add') await firewallStore.setState(trx, r.id, 'Active');
      });
      return { type: 'object', instanceType: 'NetFirewallRule', id: params.id };
    });
    jobs.register<{ id: string }>(FW_JOBS.revoke, async ({ caller, params }) => {
      await this.store.tx(async (trx) => {
        const r = await firewallStore.get(trx, params.id);
        if (!r) return; // a re-run after the rule went
        await firewallStore.remove(trx, r.id);
        const type =
          r.purpose === 'StaticNat'
            ? 'NET.RULEDELETE'
            : r.purpose === 'Ipv6Firewall'
              ? 'IPV6.FIREWALL.RULE.DELETE'
              : r.trafficType === 'Egress'
                ? 'FIREWALL.EGRESS.CLOSE'
                : 'FIREWALL.CLOSE';
        await eventLog(trx, this.clock, {
          type,
          description: `Deleted ${r.purpose === 'StaticNat' ? 'ip forwarding' : 'firewall'} rule ${r.id}`,
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

  /** createFirewallRule's first phase: the rule in state Add, and the job that applies it. */
  async createIngress(
    caller: Caller,
    ipId: string,
    r: PortRule,
    cmd: string,
  ): Promise<{ rule: FirewallRule; jobId: string }> {
    checkCidrs(r.cidrList, 'cidrlist');
    return this.submit(caller, cmd, async (trx) => {
      const ip = await networkStore.getPublicIp(trx, ipId);
      if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', ipId, 'ipaddressid');
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
      if (!ip.networkId)
        throw invalid(
          `Unable to create firewall rule for the IP address ID=${ip.id} as IP is not associated with any network and no networkId is passed in`,
          'ipaddressid',
        );
      const net = await this.firewalled(trx, ip.networkId);
      const rule = this.row(checkPortRule(r, net, 'Ingress'), net, 'Ingress', r.cidrList ?? ['0.0.0.0/0'], null, {
        publicIpId: ip.id,
        accountId: ip.accountId!,
        domainId: ip.domainId!,
      });
      assertNoConflict(span(rule), await ruleSpansOnIp(trx, ip.id), ip.id);
      return rule;
    });
  }

  /** createEgressFirewallRule: traffic leaving an isolated network; the source defaults to the network's CIDR. */
  async createEgress(
    caller: Caller,
    networkId: string,
    r: PortRule,
    cmd: string,
  ): Promise<{ rule: FirewallRule; jobId: string }> {
    checkCidrs(r.cidrList, 'cidrlist');
    checkCidrs(r.destCidrList, 'destcidrlist', 'Destination CIDRs');
    return this.submit(caller, cmd, async (trx) => {
      const net = await networkStore.get(trx, networkId);
      if (!net) throw notFound('Network', networkId, 'networkid');
      assertAccess(caller, net, 'Network', net.id);
      if (net.type !== 'Isolated' || net.vpcId)
        throw invalid('Egress firewall rules can be created only for isolated networks outside a VPC', 'networkid');
      await this.firewalled(trx, net.id);
      const rule = this.row(
        checkPortRule(r, net, 'Egress'),
        net,
        'Egress',
        r.cidrList ?? (net.cidr ? [net.cidr] : []),
        r.destCidrList ?? null,
        { publicIpId: null, accountId: net.accountId!, domainId: net.domainId },
      );
      assertNoConflict(span(rule), await egressSpans(trx, net.id), null);
      return rule;
    });
  }

  /** A rule by id, for showing a job's result to the job's owner. */
  find(id: string): Promise<FirewallRule | undefined> {
    return firewallStore.get(this.store.db, id);
  }

  async owned(caller: Caller, id: string, direction: TrafficDirection): Promise<FirewallRule> {
    const r = await firewallStore.get(this.store.db, id);
    if (!r || r.purpose !== 'Firewall' || r.trafficType !== direction) throw notFound('FirewallRule', id);
    assertAccess(caller, r, 'FirewallRule', id);
    return r;
  }

  async remove(caller: Caller, id: string, direction: TrafficDirection, cmd: string): Promise<string> {
    await this.owned(caller, id, direction);
    return this.jobs.run(caller, {
      cmd,
      kind: FW_JOBS.revoke,
      params: { id },
      instanceType: 'FirewallRule',
      instanceId: id,
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; ipId?: string; networkId?: string; trafficType: TrafficDirection },
  ): Promise<FirewallRule[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return firewallStore.list(this.store.db, { ...f, purpose: 'Firewall', accountIds: accounts });
  }

  /** The network, if its offering has the Firewall service (VPC tiers use network ACLs instead). */
  private async firewalled(db: Db, networkId: string): Promise<Network> {
    const net = await networkStore.get(db, networkId);
    if (!net) throw notFound('Network', networkId, 'networkid');
    const o = await networkStore.offering(db, net.networkOfferingId);
    if (!offersService(o, 'Firewall'))
      throw invalid(`Service Firewall is not supported in the network id=${net.id}`, 'ipaddressid');
    return net;
  }

  private row(
    ports: ReturnType<typeof checkPortRule>,
    net: Network,
    trafficType: TrafficDirection,
    cidrs: string[],
    dest: string[] | null,
    owner: Pick<FirewallRule, 'publicIpId' | 'accountId' | 'domainId'>,
  ): FirewallRule {
    return {
      id: newId(),
      purpose: 'Firewall',
      trafficType,
      networkId: net.id,
      ...ports,
      cidrList: cidrs.join(','),
      destCidrList: dest ? dest.join(',') : null,
      state: 'Add',
      ...owner,
      created: this.clock.now(),
    };
  }

  /** Records the rule (built and checked in the transaction) and the job that applies it, in one transaction. */
  async submit(
    caller: Caller,
    cmd: string,
    build: (trx: Db) => Promise<FirewallRule>,
  ): Promise<{ rule: FirewallRule; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const rule = await build(trx);
      await firewallStore.insert(trx, rule);
      const type =
        rule.purpose === 'Ipv6Firewall'
          ? 'IPV6.FIREWALL.RULE.CREATE'
          : rule.trafficType === 'Egress'
            ? 'FIREWALL.EGRESS.OPEN'
            : 'FIREWALL.OPEN';
      await eventLog(trx, this.clock, {
        type,
        description: `Created firewall rule ${rule.id}`,
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
}

/** A stored firewall rule as the conflict check sees it. */
export function span(r: FirewallRule): RuleSpan {
  const list = (s: string | null) => (s ? s.split(',').filter((c) => c !== '') : []);
  return {
    id: r.id,
    purpose: r.purpose === 'StaticNat' ? 'StaticNat' : 'Firewall',
    protocol: r.protocol,
    startPort: r.startPort,
    endPort: r.endPort,
    networkId: r.networkId,
    cidrs: list(r.cidrList),
    destCidrs: list(r.destCidrList),
    icmpType: r.icmpType,
    icmpCode: r.icmpCode,
  };
}
