import { createHmac } from 'node:crypto';

/**
 * An independent CloudStack request signer, written from the reference (§2.1), not from the
 * server's code: Java URLEncoder escaping with '+' as %20, names sorted as Java sorts strings
 * (by UTF-16 code unit), the whole string lower-cased, HMAC-SHA1, base64.
 */
export function javaUrlEncode(v: string): string {
  let out = '';
  for (const byte of Buffer.from(v, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (c === ' ') out += '%20';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function signature(params: [string, string][], secret: string): string {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = sorted.map(([k, v]) => `${k}=${javaUrlEncode(v)}`).join('&').toLowerCase();
  return createHmac('sha1', secret).update(canonical, 'utf8').digest('base64');
}

export interface Signed {
  params: [string, string][];
  query: string;
}

/** Adds apiKey (and for v3 signatureVersion + expires), signs, and encodes as a query string. */
export function signed(params: Record<string, string>, key: string, secret: string, opts: { v3?: { expires: string } } = {}): Signed {
  const p: [string, string][] = [...Object.entries(params), ['apiKey', key]];
  if (opts.v3) p.push(['signatureVersion', '3'], ['expires', opts.v3.expires]);
  p.push(['signature', signature(p, secret)]);
  return { params: p, query: p.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') };
}

/** expires in the `cs` client's format: yyyy-MM-ddTHH:mm:ss+0000. */
export const expiresIn = (ms: number): string => new Date(Date.now() + ms).toISOString().slice(0, 19) + '+0000';
