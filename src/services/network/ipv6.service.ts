import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import {
  eui64,
  formatIp6,
  formatIp6Net,
  ip6NetContains,
  ip6NetsOverlap,
  isDualStack,
  parseIp6Net,
  publicNicMac,
  subnetAt,
  subnetCount,
  type Ip6Net,
} from '../../domain/ipv6.js';
import type { GuestIpv6Prefix, Router } from '../../domain/networking.js';
import type { Network } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { ipv6Store } from '../../store/ipv6.store.js';
import { networkStore, networkRows } from '../../store/network.store.js';
import { routerStore } from '../../store/router.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { SLAAC_PREFIX } from './vlanrange.ipv6.js';
import { zoneRows } from '../../store/datacenter.store.js';

export const IPV6_JOBS = { createPrefix: 'ipv6.prefix.create', deletePrefix: 'ipv6.prefix.delete' } as const;

/** Usage of a prefix as DataCenterGuestIpv6PrefixResponse shows it. */
export interface PrefixUsage {
  used: number;
  total: number;
}

const prefixNet = (p: GuestIpv6Prefix): Ip6Net => parseIp6Net(p.prefix)!;

function inPrefix(net: Ip6Net, subnets: string[]): number {
  return subnets.filter((s) => {
    const n = parseIp6Net(s);
    return !!n && ip6NetContains(net, n.network);
  }).length;
}

/**
 * Ipv6ServiceImpl.preAllocateIpv6SubnetForNetwork: a free /64 of the zone's first prefix that has
 * one, picked at random among its free ones; the gateway is its first host address (::1).
 */
export async function allocateIpv6Subnet(db: Db, zoneId: string): Promise<{ ip6Gateway: string; ip6Cidr: string }> {
  const prefixes = await ipv6Store.prefixes(db, zoneId);
  if (!prefixes.length) throw new DomainError('LimitExceeded', 'Unable to allocate IPv6 network', { kind: 'Network' });
  const used = new Set(await ipv6Store.zoneSubnets(db, zoneId));
  for (const p of prefixes) {
    const net = prefixNet(p);
    const total = subnetCount(net, SLAAC_PREFIX);
    if (BigInt(inPrefix(net, [...used])) >= total) continue;
    const start = randomBytes(8).readBigUInt64BE() % total;
    for (let i = 0n; i < total; i++) {
      const subnet = formatIp6Net(subnetAt(net, SLAAC_PREFIX, (start + i) % total));
      if (!used.has(subnet)) return { ip6Gateway: formatIp6(parseIp6Net(subnet)!.network + 1n), ip6Cidr: subnet };
    }
  }
  throw new DomainError('LimitExceeded', 'Unable to allocate IPv6 guest subnet for the network', { kind: 'Network' });
}

/**
 * Ipv6ServiceImpl.assignPublicIpv6ToNetwork, when a router starts serving a dual-stack network:
 * the router keeps the address its public NIC has; otherwise it takes the network's placeholder
 * (the address an earlier router of the network had); otherwise a new one, the EUI-64 address of
 * its public NIC's MAC in the first /64 of a public IPv6 range on its public VLAN.
 */
export async function attachRouterIp6(db: Db, clock: Clock, router: Router, net: Network): Promise<void> {
  const o = await networkStore.offering(db, net.networkOfferingId);
  if (!isDualStack(o) || !router.publicIp) return;
  let address = router.publicIp6 ?? net.publicIp6 ?? null;
  if (!address) {
    const vlan = await ipv6Store.publicVlanOf(db, router.zoneId, router.publicIp);
    const [range] = (await ipv6Store.ip6Ranges(db, router.zoneId)).filter((r) => r.vlan === vlan);
    if (!range)
      throw new DomainError('InsufficientCapacity', 'Insufficient address capacity', {
        kind: 'DataCenter',
        id: router.zoneId,
        capacity: 'address',
      });
    address = formatIp6(
      eui64({ ...parseIp6Net(range.ip6Cidr!)!, prefix: SLAAC_PREFIX }, publicNicMac(router.publicIp)),
    );
  }
  if (router.publicIp6 !== address) await routerStore.update(db, router.id, { publicIp6: address });
  if (net.publicIp6 === address) return;
  await networkRows.update(db, net.id, { publicIp6: address });
  // publishPublicIpv6AssignActionEvent: a network (or VPC tier) starts using the address.
  await eventLog(db, clock, {
    type: 'NET.IP6ASSIGN',
    description: `Assigned public IPv6 address: ${address} for network ID: ${net.id}. Subnet: ${net.ip6Cidr}, gateway: ${address}`,
    accountId: net.accountId ?? router.accountId,
    domainId: net.domainId,
    resourceId: net.id,
    resourceType: 'Network',
  });
}

/**
 * updateNetwork to another offering (NetworkServiceImpl.updateNetworkIpv6): leaving dual stack
 * drops the network's IPv6 addressing; joining it needs a guest prefix and, for each public
 * address of the network (or its VPC), a public IPv6 range on that address's VLAN
 * (Ipv6Service.checkNetworkIpv6Upgrade), then takes a /64.
 */
export async function ipv6Change(db: Db, net: Network, offeringId: string): Promise<Partial<Network>> {
  const [from, to] = await Promise.all([
    networkStore.offering(db, net.networkOfferingId),
    networkStore.offering(db, offeringId),
  ]);
  if (isDualStack(from) === isDualStack(to)) return {};
  if (!isDualStack(to)) return { ip6Gateway: null, ip6Cidr: null };
  const refused = runtimeFailure(
    `Failed to upgrade network offering to '${to!.displayText}' as unable to allocate IPv6 network`,
  );
  if (!(await ipv6Store.prefixes(db, net.zoneId)).length) throw refused;
  const ips = net.vpcId ? await networkStore.ipsOfVpc(db, net.vpcId) : await networkStore.ipsOfNetwork(db, net.id);
  const vlans = new Set((await ipv6Store.ip6Ranges(db, net.zoneId)).map((r) => r.vlan));
  for (const ip of ips) if (!vlans.has((await ipv6Store.publicVlanOf(db, net.zoneId, ip.address)) ?? '')) throw refused;
  try {
    return await allocateIpv6Subnet(db, net.zoneId);
  } catch (e) {
    throw e instanceof DomainError
      ? runtimeFailure(`failed to update network ${net.id} due to unable to allocate IPv6 network`)
      : e;
  }
}

/** A VPC's router and its dual-stack tiers that are up: the router's public IPv6 address serves them all. */
export async function attachVpcRouterIp6(db: Db, clock: Clock, vpcId: string): Promise<void> {
  for (const tier of await networkStore.list(db, { vpcId })) {
    const router = await routerStore.forVpc(db, vpcId);
    if (router && tier.state === 'Implemented') await attachRouterIp6(db, clock, router, tier);
  }
}

/**
 * createGuestNetworkIpv6Prefix / listGuestNetworkIpv6Prefixes / deleteGuestNetworkIpv6Prefix
 * (GuestIpv6PrefixServiceImpl), root admins only: a prefix of /64 or larger that overlaps no
 * other of the zone, removable while no network holds a /64 of it.
 */
export class GuestIpv6PrefixService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ zoneId: string; prefix: string }>(IPV6_JOBS.createPrefix, async ({ caller, params }) => {
      const p = await this.store.tx((trx) => this.insert(trx, caller, params.zoneId, params.prefix));
      return { type: 'object', instanceType: 'GuestIpv6Prefix', id: p.id };
    });
    jobs.register<{ id: string }>(IPV6_JOBS.deletePrefix, async ({ caller, params }) => {
      await this.store.tx((trx) => this.delete(trx, caller, params.id));
      return { type: 'success' };
    });
  }

  async create(caller: Caller, zoneId: string, prefix: string, cmd: string): Promise<string> {
    if (!(await zoneRows.get(this.store.db, zoneId))) throw notFound('Zone', zoneId, 'zoneid');
    return this.jobs.run(caller, {
      cmd,
      kind: IPV6_JOBS.createPrefix,
      params: { zoneId, prefix },
      instanceType: 'GuestIpv6Prefix',
    });
  }

  async remove(caller: Caller, id: string, cmd: string): Promise<string> {
    if (!(await ipv6Store.prefix(this.store.db, id))) throw notFound('GuestIpv6Prefix', id);
    return this.jobs.run(caller, {
      cmd,
      kind: IPV6_JOBS.deletePrefix,
      params: { id },
      instanceType: 'GuestIpv6Prefix',
      instanceId: id,
    });
  }

  /** listDataCenterGuestIpv6Prefixes: by id (however the zone is given), by zone, or all. */
  async list(f: { id?: string; zoneId?: string }): Promise<GuestIpv6Prefix[]> {
    const db = this.store.db;
    if (f.id) return [await ipv6Store.prefix(db, f.id)].filter((p): p is GuestIpv6Prefix => !!p);
    if (f.zoneId && !(await zoneRows.get(db, f.zoneId))) throw notFound('Zone', f.zoneId, 'zoneid');
    return ipv6Store.prefixes(db, f.zoneId);
  }

  find(id: string): Promise<GuestIpv6Prefix | undefined> {
    return ipv6Store.prefix(this.store.db, id);
  }

  /** getUsedTotalIpv6SubnetForPrefix: the /64s live networks hold, of all the prefix splits into. */
  async usage(p: GuestIpv6Prefix): Promise<PrefixUsage> {
    const net = prefixNet(p);
    return {
      used: inPrefix(net, await ipv6Store.zoneSubnets(this.store.db, p.zoneId)),
      total: Number(subnetCount(net, SLAAC_PREFIX)),
    };
  }

  private async insert(db: Db, caller: Caller, zoneId: string, prefix: string): Promise<GuestIpv6Prefix> {
    const zone = await zoneRows.get(db, zoneId);
    if (!zone) throw invalid(`Unable to find zone by id: ${zoneId}`, 'zoneid');
    // CloudStack's IPv6Network.fromString throws on text that is no CIDR (an internal error).
    const net = parseIp6Net(prefix);
    if (!net) throw invalid(`Invalid IPv6 prefix ${prefix}`, 'prefix');
    if (net.prefix > SLAAC_PREFIX) throw invalid(`IPv6 prefix must be /${SLAAC_PREFIX} or less`, 'prefix');
    for (const other of await ipv6Store.prefixes(db, zoneId)) {
      if (ip6NetsOverlap(prefixNet(other), net))
        throw invalid(
          `IPv6 prefix ${formatIp6Net(net)} overlaps with the existing IPv6 prefix ${formatIp6Net(prefixNet(other))}`,
          'prefix',
        );
    }
    const p: GuestIpv6Prefix = { id: newId(), zoneId, prefix, created: this.clock.now() };
    await ipv6Store.insertPrefix(db, p);
    await eventLog(db, this.clock, {
      type: 'GUEST.IP6.PREFIX.CREATE',
      description: `Creating guest IPv6 prefix ${prefix} for zone=${zoneId}`,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: p.id,
      resourceType: 'GuestIpv6Prefix',
    });
    return p;
  }

  private async delete(db: Db, caller: Caller, id: string): Promise<void> {
    const p = await ipv6Store.prefix(db, id);
    if (!p) throw invalid(`Unable to find guest network IPv6 prefix by id: ${id}`, 'id');
    const net = prefixNet(p);
    if (inPrefix(net, await ipv6Store.zoneSubnets(db, p.zoneId)))
      throw runtimeFailure(`Unable to delete guest network IPv6 prefix ID: ${p.id}. Prefix subnets are in use.`);
    await ipv6Store.removePrefix(db, id);
    await eventLog(db, this.clock, {
      type: 'GUEST.IP6.PREFIX.DELETE',
      description: `Deleting guest IPv6 prefix ${p.prefix}`,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'GuestIpv6Prefix',
    });
  }
}
