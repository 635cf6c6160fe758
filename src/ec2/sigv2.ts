import { createHmac } from 'node:crypto';
import { ec2Error } from './errors.js';
import { rfc3986 } from './sigv4.js';

/** Signature Version 2 (libcloud, old boto): the parameters signed as a sorted, encoded query. */

const ALGORITHMS: Record<string, string> = { HmacSHA256: 'sha256', HmacSHA1: 'sha1' };

/** The string SigV2 signs: verb, lower-case host, path, the parameters but Signature sorted by name. */
export function sigv2StringToSign(
  verb: string,
  host: string,
  path: string,
  params: ReadonlyMap<string, string>,
): string {
  const sorted = [...params.entries()]
    .filter(([k]) => k !== 'Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${verb}\n${host.toLowerCase()}\n${path}\n${sorted}`;
}

/** The base64 signature, or undefined for a SignatureMethod SigV2 does not have. */
export function sigv2Signature(method: string | undefined, secret: string, toSign: string): string | undefined {
  const alg = ALGORITHMS[method ?? ''];
  return alg && createHmac(alg, secret).update(toSign, 'utf8').digest('base64');
}

/**
 * An ISO 8601 date-time as SigV2's Timestamp and Expires carry it (`2011-10-03T15:19:30Z`, with
 * optional fraction and offset; no offset is UTC, as in AWS's own example). Anything else is refused:
 * `Date.parse('not-a-date')` is NaN, and NaN compared with the clock never expired.
 */
export function sigv2Time(name: 'Timestamp' | 'Expires', s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  const t = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${offset(m[8])}`) : NaN;
  if (Number.isNaN(t))
    throw ec2Error(
      'InvalidParameterValue',
      `Value (${s}) for parameter ${name} is invalid. Must be in ISO8601 format.`,
    );
  return t;
}

const offset = (z: string | undefined) =>
  !z || z === 'Z' ? 'Z' : z.includes(':') ? z : `${z.slice(0, 3)}:${z.slice(3)}`;
