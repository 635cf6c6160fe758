import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * CloudStack request signing (signature versions 1 and 3). The canonical form is Java's
 * URLEncoder with '+' as %20, sorted case-sensitively, lower-cased whole; real clients deviate
 * in small ways, so a mismatch is retried with their variants before the request is rejected.
 */
export type Pair = [name: string, value: string];

interface Variant {
  tildeRaw: boolean;
  bracketsRaw: boolean;
  sortLower: boolean;
}

const VARIANTS: Variant[] = [
  { tildeRaw: false, bracketsRaw: false, sortLower: false }, // Java, the server's own form
  { tildeRaw: true, bracketsRaw: false, sortLower: false }, // cs, cloudstack-go, cmk: '~' left as is
  { tildeRaw: true, bracketsRaw: true, sortLower: true }, // libcloud: '[]' left as is, names sorted lower-cased
  { tildeRaw: false, bracketsRaw: true, sortLower: true },
  { tildeRaw: true, bracketsRaw: false, sortLower: true },
];

export function javaEncode(v: string, tildeRaw = false, bracketsRaw = false): string {
  let s = encodeURIComponent(v).replace(/[!'()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  if (!tildeRaw) s = s.replace(/~/g, '%7E');
  if (bracketsRaw) s = s.replace(/%5B/gi, '[').replace(/%5D/gi, ']');
  return s;
}

export function canonicalString(pairs: Pair[], v: Variant = VARIANTS[0]!): string {
  const sorted = pairs
    .filter(([n]) => n.toLowerCase() !== 'signature')
    .slice()
    .sort(([a], [b]) => {
      const x = v.sortLower ? a.toLowerCase() : a;
      const y = v.sortLower ? b.toLowerCase() : b;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return sorted
    .map(([n, val]) => `${n}=${javaEncode(val, v.tildeRaw, v.bracketsRaw)}`)
    .join('&')
    .toLowerCase();
}

export function sign(pairs: Pair[], secret: string, v: Variant = VARIANTS[0]!): string {
  return createHmac('sha1', secret).update(canonicalString(pairs, v), 'utf8').digest('base64');
}

export function verifySignature(pairs: Pair[], secret: string, given: string): boolean {
  const want = Buffer.from(given, 'utf8');
  const seen = new Set<string>();
  for (const v of VARIANTS) {
    const canon = canonicalString(pairs, v);
    if (seen.has(canon)) continue;
    seen.add(canon);
    const got = Buffer.from(createHmac('sha1', secret).update(canon, 'utf8').digest('base64'), 'utf8');
    if (got.length === want.length && timingSafeEqual(got, want)) return true;
  }
  return false;
}

/** Parses the `expires` formats DateUtil.parseTZDateString accepts; undefined when it cannot. */
export function parseExpires(s: string): number | undefined {
  // yyyy-MM-dd'T'HH:mm:ss[.SSSSSS](Z|+hh:mm|+hhmm), and the legacy ...'Z'+hhmm
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,6})?(Z)?([+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m || (!m[3] && !m[4])) return undefined;
  let off = m[4] ?? 'Z';
  if (off !== 'Z' && !off.includes(':')) off = `${off.slice(0, 3)}:${off.slice(3)}`;
  const t = Date.parse(`${m[1]}${(m[2] ?? '').slice(0, 4)}${off}`);
  return Number.isNaN(t) ? undefined : t;
}
