import { createHash, createHmac } from 'node:crypto';
import type { Pair } from './form.js';

/**
 * The pieces of AWS Signature Version 4, each checkable on its own against AWS's published test
 * suite (test/ec2/signature-conformance.test.ts): canonical request, string to sign, signature.
 * Pure functions; what a request must carry and what is refused lives in auth.ts.
 */

/** RFC 3986 encoding as SigV4 and SigV2 canonicalise it (unreserved: A-Z a-z 0-9 - _ . ~). */
export const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
export const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer => createHmac('sha256', key).update(s, 'utf8').digest();

/** What the canonical request is made of, as the server received it. */
export interface CanonicalParts {
  method: string;
  /** The path as sent (still percent-encoded). */
  path: string;
  /** The query's decoded pairs, without a presigned URL's own X-Amz-Signature. */
  query: readonly Pair[];
  /** A header's value, each occurrence in order (undefined when absent). */
  header: (name: string) => readonly string[] | undefined;
  /** SignedHeaders as the signer listed them. */
  signedHeaders: string;
  /** Hex SHA-256 of the body the server received. */
  payloadHash: string;
}

/**
 * The path with dot segments and empty segments removed, each segment encoded once more: services
 * other than S3 sign the path as sent, encoded again ("double encoding").
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') segments.pop();
    else segments.push(s);
  }
  const trailing = segments.length > 0 && /\/\.{0,2}$/.test(path) ? '/' : '';
  return '/' + segments.map(rfc3986).join('/') + trailing;
}

/** Names and values RFC 3986-encoded, sorted by name and then value (byte order). */
export function canonicalQuery(pairs: readonly Pair[]): string {
  return pairs
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort((a, b) => {
      const [ka, va] = a.split('=') as [string, string];
      const [kb, vb] = b.split('=') as [string, string];
      return ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0;
    })
    .join('&');
}

/** `name:value\n` per signed header: occurrences joined with ',', each trimmed, inner runs of whitespace one space. */
export function canonicalHeaders(header: CanonicalParts['header'], signedHeaders: string): string {
  return signedHeaders
    .split(';')
    .map((h) => `${h}:${(header(h) ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`)
    .join('');
}

export function canonicalRequest(p: CanonicalParts): string {
  return [
    p.method,
    canonicalUri(p.path),
    canonicalQuery(p.query),
    canonicalHeaders(p.header, p.signedHeaders),
    p.signedHeaders,
    p.payloadHash,
  ].join('\n');
}

/** `day/region/service/aws4_request`. */
export interface Scope {
  day: string;
  region: string;
  service: string;
}
export const scopeString = (s: Scope): string => `${s.day}/${s.region}/${s.service}/aws4_request`;

export function stringToSign(amzDate: string, scope: Scope, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scopeString(scope), sha256(canonical)].join('\n');
}

export function signingKey(secret: string, scope: Scope): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.day), scope.region), scope.service), 'aws4_request');
}

/** The hex signature of a string to sign. */
export const signature = (key: Buffer, toSign: string): string =>
  createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
