import { createHash, createHmac } from 'node:crypto';

const amzDateOf = (when: Date) =>
  when
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const h = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();
const sign = (secret: string, day: string, region: string, service: string, toSign: string) =>
  createHmac('sha256', h(h(h(h(`AWS4${secret}`, day), region), service), 'aws4_request'))
    .update(toSign)
    .digest('hex');

export interface SignOptions {
  /** The credential scope's service (`ec2`). */
  service?: string;
  region?: string;
  /** More headers to send and sign (lower-case names), e.g. x-amz-content-sha256. */
  headers?: Record<string, string>;
  /** The payload hash to sign instead of the body's (what a signer that lies about the body does). */
  payloadHash?: string;
  /** A query string (already encoded, sorted) sent and signed with the POST. */
  query?: string;
}

/**
 * An independent SigV4 signer for EC2 Query POSTs (form body, botocore's signed headers),
 * written from the reference, not from the server's code.
 */
export function sigv4(
  url: URL,
  body: string,
  key: string,
  secret: string,
  when = new Date(),
  o: SignOptions = {},
): Record<string, string> {
  const amzDate = amzDateOf(when);
  const day = amzDate.slice(0, 8);
  const [region, service] = [o.region ?? 'us-east-1', o.service ?? 'ec2'];
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    host: url.host,
    'x-amz-date': amzDate,
    ...o.headers,
  };
  const signed = Object.keys(headers).sort();
  const canonical = [
    'POST',
    '/',
    o.query ?? '',
    signed.map((n) => `${n}:${headers[n]}\n`).join(''),
    signed.join(';'),
    o.payloadHash ?? sha256(body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const sig = sign(secret, day, region, service, ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n'));
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${key}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${sig}`,
  };
}

/** A presigned GET URL (SigV4 in the query, host signed), from the reference. `expires` is sent as given, or left out. */
export function presignV4(
  base: string,
  params: Record<string, string>,
  key: string,
  secret: string,
  o: { when?: Date; expires?: string; service?: string } = {},
): string {
  const url = new URL(base);
  const amzDate = amzDateOf(o.when ?? new Date());
  const day = amzDate.slice(0, 8);
  const service = o.service ?? 'ec2';
  const scope = `${day}/us-east-1/${service}/aws4_request`;
  const all: Record<string, string> = {
    ...params,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${key}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-SignedHeaders': 'host',
  };
  if (o.expires !== undefined) all['X-Amz-Expires'] = o.expires;
  const query = Object.keys(all)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(all[k]!)}`)
    .join('&');
  const canonical = ['GET', '/', query, `host:${url.host}\n`, 'host', sha256('')].join('\n');
  const sig = sign(
    secret,
    day,
    'us-east-1',
    service,
    ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n'),
  );
  return `${url.origin}/?${query}&X-Amz-Signature=${sig}`;
}

/** RFC 3986 encoding, as SigV2 canonicalises names and values. */
export const rfc3986 = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** A SigV2 (HmacSHA256) signed parameter set for a POST to `/` of `host`. */
export function sigv2(
  host: string,
  params: Record<string, string>,
  key: string,
  secret: string,
  when = new Date(),
): Record<string, string> {
  const all: Record<string, string> = {
    ...params,
    AWSAccessKeyId: key,
    SignatureVersion: '2',
    SignatureMethod: 'HmacSHA256',
    Timestamp: when.toISOString().replace(/\.\d{3}/, ''),
  };
  const canon = Object.keys(all)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(all[k]!)}`)
    .join('&');
  return { ...all, Signature: createHmac('sha256', secret).update(`POST\n${host}\n/\n${canon}`).digest('base64') };
}
