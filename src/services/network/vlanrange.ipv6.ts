import { invalid } from '../../domain/errors.js';
import {
  ip6NetBounds,
  ip6NetContains,
  ip6NetsOverlap,
  isIp6,
  parseIp6,
  parseIp6Net,
  type Ip6Net,
} from '../../domain/ipv6.js';
import type { Network, VlanRange, Zone } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { ipv6Store } from '../../store/ipv6.store.js';
import { vlanRangeStore } from '../../store/vlanrange.store.js';

/** Ipv6Service.IPV6_SLAAC_CIDR_NETMASK: networks get /64s, so prefixes and public ranges are /64 or larger. */
export const SLAAC_PREFIX = 64;

export interface Ip6Request {
  ip6Gateway?: string;
  ip6Cidr?: string;
  startIpv6?: string;
  endIpv6?: string;
}

/**
 * createVlanIpRange's first IPv6 check (before anything is looked up): the CIDR must be /64 or
 * larger. CloudStack parses it with IPv6Network.fromString, which throws on text that is no CIDR
 * (an internal error); here that is the later "valid IPv6 CIDR" refusal.
 */
export function ip6CidrOf(r: Ip6Request): Ip6Net | undefined {
  if (r.ip6Cidr === undefined) return undefined;
  const net = parseIp6Net(r.ip6Cidr);
  if (!net) throw invalid('Please specify a valid IPv6 CIDR', 'ip6cidr');
  if (net.prefix > SLAAC_PREFIX) throw invalid(`For IPv6 range, prefix must be /${SLAAC_PREFIX} or less`, 'ip6cidr');
  return net;
}

/**
 * ConfigurationManagerImpl.hasSameSubnet for IPv6 on a guest network's range: the gateway and
 * CIDR given must be the network's own. No network here has IPv6 addressing of its own (shared
 * networks are IPv4 only), so any IPv6 part is refused this way.
 */
export function checkGuestIp6(network: Network, r: Ip6Request): void {
  if (r.ip6Gateway !== undefined && r.ip6Gateway !== network.ip6Gateway)
    throw invalid(
      `The input gateway ${r.ip6Gateway} is not same as network gateway ${network.ip6Gateway ?? null}`,
      'ip6gateway',
    );
  if (r.ip6Cidr !== undefined && r.ip6Cidr !== network.ip6Cidr)
    throw invalid(`The input cidr ${r.ip6Cidr} is not same as network cidr ${network.ip6Cidr ?? null}`, 'ip6cidr');
}

/**
 * createVlanAndPublicIpRange's IPv6 part: a valid gateway, the optional start/end inside the
 * CIDR (NetworkModel.checkIp6Parameters' wording), and no overlap with another IPv6 range of the
 * zone, compared as whole CIDRs or as start-end ranges. Returns the range's `start-end` text.
 */
export async function checkPublicIp6(db: Db, zone: Zone, net: Ip6Net, r: Ip6Request): Promise<string | null> {
  if (!r.ip6Gateway)
    throw invalid(
      'Gateway, netmask and zoneId have to be passed in for virtual and direct untagged networks',
      'ip6gateway',
    );
  if (!isIp6(r.ip6Gateway)) throw invalid('Please specify a valid IPv6 gateway', 'ip6gateway');
  const end = r.endIpv6 ?? r.startIpv6;
  for (const [name, a] of [
    ['startIPv6', r.startIpv6],
    ['endIPv6', end],
  ] as const) {
    if (a === undefined) continue;
    const n = parseIp6(a);
    if (n === undefined) throw invalid(`Invalid format for the ${name} parameter`, name.toLowerCase());
    if (!ip6NetContains(net, n)) throw invalid(`${name} is not in ip6cidr indicated network!`, name.toLowerCase());
  }
  const range = r.startIpv6 !== undefined ? `${r.startIpv6}-${end}` : null;
  const mine = bounds(net, range);
  for (const other of await vlanRangeStore.list(db, { zoneId: zone.id })) {
    const otherNet = other.ip6Cidr ? parseIp6Net(other.ip6Cidr) : undefined;
    if (!other.ip6Gateway || !otherNet) continue;
    const clash =
      !range && !other.ip6Range
        ? ip6NetsOverlap(net, otherNet)
        : overlaps(mine, bounds(otherNet, other.ip6Range ?? null));
    if (clash)
      throw invalid(
        `The IPv6 range with tag: ${other.vlan} already has IPs that overlap with the new range.`,
        'ip6cidr',
      );
  }
  return range;
}

function bounds(net: Ip6Net, range: string | null): { first: bigint; last: bigint } {
  const [a, b] = (range ?? '').split('-');
  const first = a ? parseIp6(a) : undefined;
  const last = b ? parseIp6(b) : first;
  return first !== undefined && last !== undefined ? { first, last } : ip6NetBounds(net);
}

const overlaps = (x: { first: bigint; last: bigint }, y: { first: bigint; last: bigint }) =>
  x.first <= y.last && y.first <= x.last;

/**
 * Ipv6Service.getAllocatedIpv6FromVlanRange: the public IPv6 addresses a range has given out,
 * one per NIC holding it (a router's public NIC and each network's placeholder of it).
 */
export async function ip6InUse(db: Db, r: VlanRange): Promise<number> {
  const net = r.ip6Cidr ? parseIp6Net(r.ip6Cidr) : undefined;
  if (!net) return 0;
  const held = await ipv6Store.publicIp6Holders(db, r.zoneId);
  return held.filter((a) => {
    const n = parseIp6(a);
    return n !== undefined && ip6NetContains(net, n);
  }).length;
}
