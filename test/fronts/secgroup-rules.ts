import { isIPv6 } from 'node:net';

/**
 * Security group semantics as sets of allowed (direction, protocol, ports, source): what a request
 * asked for, what CloudStack holds and what a front shows all become these tuples, so a test can
 * say "nothing wider than asked" and "the same as asked" in one language.
 */
export interface Allowed {
  dir: 'ingress' | 'egress';
  /** 'all', 'tcp', 'udp', 'icmp' or a protocol number. */
  proto: string;
  /** tcp/udp: the port range; icmp: type and code (-1 = all); otherwise null. */
  lo: number | null;
  hi: number | null;
  /** A CIDR, or `group:<account>/<name>`. */
  src: string;
}

const NAMES: Record<string, string> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', icmpv6: '58' };
export const protoName = (p: string | number): string => NAMES[String(p).toLowerCase()] ?? String(p).toLowerCase();

export const key = (a: Allowed): string => `${a.dir} ${a.proto} ${a.lo}-${a.hi} ${a.src}`;
export const keys = (as: Allowed[]): string[] => [...new Set(as.map(key))].sort();

function v4(cidr: string): { net: number; prefix: number } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const prefix = Number(m[5]);
  const ip = m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { net: (ip & mask) >>> 0, prefix };
}

/** 10.1.2.3/8 as 10.0.0.0/8; IPv6 lower-cased. */
export function canonical(cidr: string): string {
  const c = v4(cidr);
  if (!c) return cidr.toLowerCase();
  return `${[c.net >>> 24, (c.net >>> 16) & 255, (c.net >>> 8) & 255, c.net & 255].join('.')}/${c.prefix}`;
}

/** Whether every address of `inner` is in `outer` (IPv6: the same range, or ::/0). */
function cidrWithin(inner: string, outer: string): boolean {
  const [a, b] = [v4(inner), v4(outer)];
  if (a && b) return a.prefix >= b.prefix && (b.prefix === 0 || (a.net ^ b.net) >>> (32 - b.prefix) === 0);
  if (a || b) return false;
  return outer === '::/0' || canonical(inner) === canonical(outer);
}

function portsWithin(x: Allowed, y: Allowed): boolean {
  if (y.proto === 'all') return true;
  if (x.proto !== y.proto) return false;
  if (x.proto === 'tcp' || x.proto === 'udp') return x.lo! >= y.lo! && x.hi! <= y.hi!;
  if (x.proto === 'icmp') return y.lo === -1 || (x.lo === y.lo && (y.hi === -1 || x.hi === y.hi));
  return true;
}

/** Whether what `x` allows is all allowed by `y`. */
export function within(x: Allowed, y: Allowed): boolean {
  if (x.dir !== y.dir || !portsWithin(x, y)) return false;
  if (x.src.startsWith('group:') || y.src.startsWith('group:')) return x.src === y.src;
  return cidrWithin(x.src, y.src);
}

/** The tuples of `actual` that nothing in `asked` allows: the widening, empty when there is none. */
export const wider = (actual: Allowed[], asked: Allowed[]): string[] =>
  actual.filter((x) => !asked.some((y) => within(x, y))).map(key);

/** A CloudStack rule (listSecurityGroups) as a tuple. */
export function fromCloudStack(dir: Allowed['dir'], r: any): Allowed {
  const proto = protoName(r.protocol);
  const [lo, hi] =
    proto === 'tcp' || proto === 'udp'
      ? [r.startport, r.endport]
      : proto === 'icmp'
        ? [r.icmptype, r.icmpcode]
        : [null, null];
  // A rule naming neither a CIDR nor a group would have no source; show it as the world so it cannot pass unseen.
  const src = r.cidr
    ? canonical(r.cidr)
    : r.securitygroupname
      ? `group:${r.account}/${r.securitygroupname}`
      : '0.0.0.0/0';
  return { dir, proto, lo: lo ?? null, hi: hi ?? null, src };
}

export const isV6 = (s: string): boolean => isIPv6(s.split('/')[0]!);
