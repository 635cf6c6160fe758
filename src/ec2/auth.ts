import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ec2Error } from './errors.js';

/** What an EC2 request carries for authentication, as the router saw it. */
export interface SignedRequest {
  method: string;
  path: string;
  /** Raw query string (without '?'). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Decoded parameters (query and form body). */
  params: Map<string, string>;
}

export interface Verified {
  accessKey: string;
  secretKey: string;
}

const SKEW_MS = 15 * 60 * 1000;

/** RFC 3986 encoding as SigV4 and SigV2 canonicalise it. */
export const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const header = (r: SignedRequest, name: string) => {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
};

function amzTime(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw ec2Error('IncompleteSignature', `Invalid X-Amz-Date ${s}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/**
 * Checks Signature Version 4 (Authorization header or presigned query) or Version 2 against the
 * secret of the access key (a CloudStack API key). Returns the key pair the request was signed with.
 */
export async function verify(r: SignedRequest, now: number, secretOf: (key: string) => Promise<string | undefined>): Promise<Verified> {
  const authz = header(r, 'authorization');
  if (authz?.startsWith('AWS4-HMAC-SHA256 ')) return verifyV4(r, parseAuthz(authz), header(r, 'x-amz-date') ?? '', now, secretOf, false);
  if (r.params.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const cred = r.params.get('X-Amz-Credential') ?? '';
    const expires = Number(r.params.get('X-Amz-Expires') ?? '0');
    const date = r.params.get('X-Amz-Date') ?? '';
    if (now > amzTime(date) + expires * 1000) throw ec2Error('RequestExpired', 'Request has expired.');
    return verifyV4(r, { credential: cred, signedHeaders: r.params.get('X-Amz-SignedHeaders') ?? 'host', signature: r.params.get('X-Amz-Signature') ?? '' }, date, now, secretOf, true);
  }
  if (r.params.get('SignatureVersion') === '2') return verifyV2(r, now, secretOf);
  throw ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
}

function parseAuthz(h: string): { credential: string; signedHeaders: string; signature: string } {
  const part = (re: RegExp) => re.exec(h)?.[1] ?? '';
  return { credential: part(/Credential=([^,\s]+)/), signedHeaders: part(/SignedHeaders=([^,\s]+)/), signature: part(/Signature=([^,\s]+)/) };
}

async function verifyV4(
  r: SignedRequest,
  a: { credential: string; signedHeaders: string; signature: string },
  date: string,
  now: number,
  secretOf: (key: string) => Promise<string | undefined>,
  presigned: boolean,
): Promise<Verified> {
  const [accessKey, day, region, service, term] = a.credential.split('/');
  // boto 2 derives the scope's region and service from the endpoint's host name ('127'/'0' for
  // 127.0.0.1); the signature is still checked with the scope as sent.
  if (!accessKey || !day || !region || !service || term !== 'aws4_request' || !a.signature) throw ec2Error('IncompleteSignature', 'Authorization header is malformed');
  const t = amzTime(date);
  if (!presigned && Math.abs(now - t) > SKEW_MS) throw ec2Error('RequestExpired', `Request has expired. Timestamp date is ${date}`);
  if (date.slice(0, 8) !== day) throw ec2Error('AuthFailure', 'Credential should be scoped to a valid date');
  const secret = await secretOf(accessKey);
  if (!secret) throw ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
  const signed = a.signedHeaders.split(';');
  const canonHeaders = signed.map((h) => `${h}:${(header(r, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = r.query
    .split('&')
    .filter((kv) => kv && (!presigned || !kv.startsWith('X-Amz-Signature=')))
    .map((kv) => {
      const [k, v = ''] = kv.split('=');
      return [rfc3986(decodeURIComponent(k!.replace(/\+/g, ' '))), rfc3986(decodeURIComponent(v.replace(/\+/g, ' ')))] as const;
    })
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const payload = header(r, 'x-amz-content-sha256') ?? sha256(r.body);
  const canonical = [r.method, r.path, query, canonHeaders, a.signedHeaders, payload].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  if (!same(createHmac('sha256', key).update(toSign).digest('hex'), a.signature))
    throw ec2Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  return { accessKey, secretKey: secret };
}

async function verifyV2(r: SignedRequest, now: number, secretOf: (key: string) => Promise<string | undefined>): Promise<Verified> {
  const accessKey = r.params.get('AWSAccessKeyId') ?? '';
  const given = r.params.get('Signature') ?? '';
  const ts = r.params.get('Timestamp');
  const expires = r.params.get('Expires');
  if (ts && Math.abs(now - Date.parse(ts)) > SKEW_MS) throw ec2Error('RequestExpired', `Request has expired. Timestamp date is ${ts}`);
  if (expires && Date.parse(expires) < now) throw ec2Error('RequestExpired', `Request has expired. Expires date is ${expires}`);
  if (!ts && !expires) throw ec2Error('MissingParameter', 'The request must contain the parameter Timestamp');
  const secret = await secretOf(accessKey);
  if (!secret) throw ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
  const sorted = [...r.params.entries()]
    .filter(([k]) => k !== 'Signature')
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const host = (header(r, 'host') ?? '').toLowerCase();
  const alg = r.params.get('SignatureMethod') === 'HmacSHA1' ? 'sha1' : 'sha256';
  // libcloud signs with GET whatever verb it sends; accept the verb used and GET.
  for (const verb of new Set([r.method, 'GET'])) {
    const sig = createHmac(alg, secret).update(`${verb}\n${host}\n${r.path}\n${sorted}`).digest('base64');
    if (same(sig, given)) return { accessKey, secretKey: secret };
  }
  throw ec2Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
}
