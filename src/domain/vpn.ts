import { invalid } from './errors.js';
import { ipToInt, isIpv4, parseCidr } from './net.js';
import type { Flag } from './types.js';

/**
 * A remote access (L2TP/IPsec) VPN on a public address: Added while its create job runs, Running
 * once the router serves it (RemoteAccessVpn.State; Removed rows are deleted here).
 */
export interface RemoteAccessVpn {
  id: string;
  publicIpId: string;
  networkId: string | null;
  vpcId: string | null;
  accountId: string;
  domainId: string;
  /** The first address of the client range: the VPN server's own. */
  localIp: string;
  /** The addresses handed to clients: the requested range without its first address. */
  ipRange: string;
  presharedKey: string;
  state: 'Added' | 'Running';
  forDisplay: Flag;
  created: number;
}

/** A VPN user of an account (VpnUser.State: Add until a router took it, Active, Revoke while leaving). */
export interface VpnUser {
  id: string;
  accountId: string;
  domainId: string;
  username: string;
  password: string;
  state: 'Add' | 'Active' | 'Revoke';
  created: number;
}

/** NetUtils.VPN_PORT, VPN_L2TP_PORT, VPN_NATT_PORT: what a VPN reserves on its address, over UDP. */
export const VPN_PORTS = [500, 1701, 4500] as const;

/** RemoteAccessVpnManagerImpl.validateIpRange: `start-end`, two IPv4 addresses, start not after end. */
export function checkClientRange(range: string): [start: number, end: number] {
  const parts = range.split('-');
  if (parts.length !== 2) throw invalid(`IP range [${range}] is an invalid IP range.`, 'iprange');
  const [a, b] = parts as [string, string];
  if (!isIpv4(a) || !isIpv4(b))
    throw invalid(`One or both IPs sets in the range [${range}] are invalid IPs.`, 'iprange');
  const start = ipToInt(a);
  const end = ipToInt(b);
  if (start > end) throw invalid(`Range of IPs [${range}] is invalid.`, 'iprange');
  return [start, end];
}

/** NetUtils.getIpRangeFromCidr: the addresses between a CIDR's network and broadcast addresses. */
export function guestSpan(cidr: string): [first: number, last: number] {
  const c = parseCidr(cidr);
  const size = 2 ** (32 - c.prefix);
  return size <= 2 ? [c.network, c.network + size - 1] : [c.network + 1, c.network + size - 2];
}

/** addVpnUser's username rule: 3-64 characters, starting with a letter or digit. */
export const VALID_VPN_USERNAME = /^[a-zA-Z0-9][a-zA-Z0-9@._-]{2,63}$/;
/** addVpnUser's password rule: 3-32 characters from letters, digits and `@+=._-`. */
export const VALID_VPN_PASSWORD = /^[a-zA-Z0-9][a-zA-Z0-9@+=._-]{2,31}$/;
