/** CIDR arithmetic the networking rules need (NetUtils' isNetworkAWithinNetworkB, validateGuestCidr, ...). */
import { isIPv6 } from 'node:net';
import { intToIp, ipToInt, isIpv4, parseCidr, type Cidr } from './net.js';

const size = (c: Cidr) => 2 ** (32 - c.prefix);

/** Strict a.b.c.d/n with each octet 0..255 and n 0..32. */
export function isIpv4Cidr(s: string): boolean {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(s);
  return !!m && isIpv4(m[1]!) && Number(m[2]) <= 32;
}

/** addr/n with an IPv6 address and n 0..128 (NetUtils.isValidIp6Cidr). */
export function isIpv6Cidr(s: string): boolean {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(s);
  return !!m && isIPv6(m[1]!) && Number(m[2]) <= 128;
}

/** Whether all of `inner` lies inside `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  return a.prefix >= b.prefix && a.network >= b.network && a.network + size(a) <= b.network + size(b);
}

export function cidrsOverlap(x: string, y: string): boolean {
  return cidrWithin(x, y) || cidrWithin(y, x);
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** RFC 1918 space only, as guest networks and VPCs must be. */
export function isRfc1918(cidr: string): boolean {
  return PRIVATE.some((p) => cidrWithin(cidr, p));
}

/** A contiguous netmask such as 255.255.255.0. */
export function isNetmask(mask: string): boolean {
  if (!isIpv4(mask)) return false;
  const n = ipToInt(mask);
  const inv = ~n >>> 0;
  return (inv & (inv + 1)) === 0 && n !== 0;
}

export function maskPrefix(mask: string): number {
  return 32 - Math.log2((~ipToInt(mask) >>> 0) + 1);
}

/** gateway + netmask → network CIDR, e.g. 10.1.2.1 + 255.255.255.0 → 10.1.2.0/24. */
export function cidrOf(gateway: string, netmask: string): string {
  return `${intToIp((ipToInt(gateway) & ipToInt(netmask)) >>> 0)}/${maskPrefix(netmask)}`;
}

/** Whether `ip` is the network or broadcast address of the CIDR. */
export function isNetworkOrBroadcast(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  const n = ipToInt(ip);
  return n === c.network || n === c.network + size(c) - 1;
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const c = parseCidr(cidr);
  const n = ipToInt(ip);
  return n >= c.network && n < c.network + size(c);
}

/** First and last usable guest address of a CIDR, and its gateway (the first address). */
export function guestRange(cidr: string) {
  const c = parseCidr(cidr);
  return {
    gateway: intToIp(c.network + 1),
    netmask: intToIp(c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0),
    first: c.network + 2,
    last: c.network + size(c) - 2,
  };
}
