/**
 * IPv6 arithmetic for guest prefixes, public IPv6 ranges and SLAAC addresses (what CloudStack does
 * with com.googlecode.ipv6 and NetUtils). Addresses are 128-bit BigInts; text is written the way
 * IPv6Address.toString writes it: lower case, the longest run of two or more zero groups as `::`.
 */
import { ipToInt, isIpv4 } from './net.js';

export interface Ip6Net {
  network: bigint;
  prefix: number;
}

const ALL = (1n << 128n) - 1n;

/** An IPv6 address as a number, or undefined when the text is not one. */
export function parseIp6(text: string): bigint | undefined {
  let s = text.trim().toLowerCase();
  let tail: number[] = [];
  const v4 = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (v4) {
    if (!isIpv4(v4[2]!)) return undefined;
    const n = ipToInt(v4[2]!);
    tail = [n >>> 16, n & 0xffff];
    s = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const given = [...head, ...rest, ...tail];
  if (halves.length === 1 ? given.length !== 8 : given.length > 7) return undefined;
  const all = halves.length === 1 ? given : [...head, ...new Array<number>(8 - given.length).fill(0), ...rest, ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export const isIp6 = (text: string): boolean => parseIp6(text) !== undefined;

/** The shorthand form: groups without leading zeros, the first longest run of 2+ zero groups as `::`. */
export function formatIp6(n: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

const maskOf = (prefix: number): bigint => (prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL);

/** `addr/len` as a network (the address's host bits cleared), or undefined when it is not one. */
export function parseIp6Net(text: string): Ip6Net | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!m || Number(m[2]) > 128) return undefined;
  const addr = parseIp6(m[1]!);
  if (addr === undefined) return undefined;
  const prefix = Number(m[2]);
  return { network: addr & maskOf(prefix), prefix };
}

export const formatIp6Net = (n: Ip6Net): string => `${formatIp6(n.network)}/${n.prefix}`;

export function ip6NetContains(net: Ip6Net, addr: bigint): boolean {
  return (addr & maskOf(net.prefix)) === net.network;
}

/** NetUtils.ipv6NetworksOverlap: one network holds the other's first address. */
export function ip6NetsOverlap(a: Ip6Net, b: Ip6Net): boolean {
  return ip6NetContains(a, b.network) || ip6NetContains(b, a.network);
}

/** How many /`size` subnets a network splits into (IPv6Network.split). */
export function subnetCount(net: Ip6Net, size: number): bigint {
  return net.prefix > size ? 0n : 1n << BigInt(size - net.prefix);
}

/** The `index`-th /`size` subnet of a network, in IPv6Network.split's order. */
export function subnetAt(net: Ip6Net, size: number, index: bigint): Ip6Net {
  return { network: net.network + (index << BigInt(128 - size)), prefix: size };
}

/** The inclusive first..last addresses of a network (NetUtils.getIpv6RangeFromCidr). */
export function ip6NetBounds(net: Ip6Net): { first: bigint; last: bigint } {
  return { first: net.network, last: net.network | (~maskOf(net.prefix) & ALL) };
}

/**
 * NetUtils.EUI64Address: the SLAAC address a NIC with this MAC takes in a /64 (or larger) network,
 * the MAC's universal/local bit flipped and ff:fe in its middle.
 */
export function eui64(net: Ip6Net, mac: string): bigint {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  if (b.length !== 6 || b.some((x) => !Number.isInteger(x) || x < 0 || x > 255))
    throw new Error(`bad MAC address ${mac}`);
  const id = [b[0]! ^ 2, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!].reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
  return net.network | id;
}

/** NetworkOfferingDao.isIpv6Supported: the offering's internet protocol is DualStack. */
export const isDualStack = (o: { internetProtocol?: string | null } | null | undefined): boolean =>
  o?.internetProtocol?.toLowerCase() === 'dualstack';

/** The MAC of a router's public NIC: CloudStack's 06:<identifier>:<sequence>, the sequence here being the IPv4 address itself. */
export const publicNicMac = (address: string): string =>
  `06:00:${[24, 16, 8, 0].map((s) => ((ipToInt(address) >>> s) & 255).toString(16).padStart(2, '0')).join(':')}`;

/** The range (of those with an IPv6 CIDR) an IPv6 address lies in. */
export function rangeOfIp6<R extends { ip6Cidr?: string | null }>(
  ranges: readonly R[],
  address: string,
): R | undefined {
  const n = parseIp6(address);
  return n === undefined
    ? undefined
    : ranges.find((r) => {
        const net = r.ip6Cidr ? parseIp6Net(r.ip6Cidr) : undefined;
        return !!net && ip6NetContains(net, n);
      });
}
