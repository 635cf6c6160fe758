/** IPv4 helpers: addresses are handled as unsigned 32-bit integers inside the allocator. */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new Error(`not an IPv4 address: ${ip}`);
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIpv4(ip: string): boolean {
  try {
    ipToInt(ip);
    return true;
  } catch {
    return false;
  }
}

export function netmaskToPrefix(mask: string): number {
  const n = ipToInt(mask);
  let bits = 0;
  for (let i = 31; i >= 0; i--) if ((n >>> i) & 1) bits++;
  return bits;
}

export function prefixToNetmask(prefix: number): string {
  return intToIp(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

export interface Cidr {
  network: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr {
  const [ip, p] = cidr.split('/');
  const prefix = Number(p);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`bad CIDR ${cidr}`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (ipToInt(ip) & mask) >>> 0, prefix };
}

export function isCidr(s: string): boolean {
  try {
    parseCidr(s);
    return true;
  } catch {
    return false;
  }
}

/** Usable host addresses of a CIDR: network+2 .. broadcast-1 (network+1 is the gateway). */
export function hostRange(c: Cidr): { first: number; last: number; gateway: number } {
  const size = 2 ** (32 - c.prefix);
  return { gateway: c.network + 1, first: c.network + 2, last: c.network + size - 2 };
}

/** A MAC address in CloudStack's guest range (02:00:xx:xx:xx:xx) derived from a number. */
export function macFromSeq(seq: number): string {
  const hex = (seq >>> 0).toString(16).padStart(8, '0');
  return `02:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}
