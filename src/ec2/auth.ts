import { timingSafeEqual } from 'node:crypto';
import { ec2Error } from './errors.js';
import { formPairs, type Pair } from './form.js';
import { sigv2Signature, sigv2StringToSign, sigv2Time } from './sigv2.js';
import { canonicalRequest, sha256, signature, signingKey, stringToSign, type Scope } from './sigv4.js';

/** What an EC2 request carries for authentication, as the router saw it. */
export interface SignedRequest {
  method: string;
  /** The path as sent. */
  path: string;
  /** Raw query string (without '?'). */
  query: string;
  /** Lower-case names; each occurrence of a header (IncomingMessage.headersDistinct), or one value. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body: string;
  /** Decoded parameters (query and form body). */
  params: ReadonlyMap<string, string>;
}

export interface Verified {
  accessKey: string;
  secretKey: string;
}

export interface VerifyOptions {
  /** The service a SigV4 credential scope must name: `ec2`, or the test suite's `service`. */
  service?: string;
}

type SecretOf = (key: string) => Promise<string | undefined>;

const SKEW_MS = 15 * 60 * 1000;
/** A presigned URL lives at most a week (X-Amz-Expires), as everywhere on AWS. */
const MAX_EXPIRES_S = 604_800;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
const UNKNOWN_KEY = 'AWS was not able to validate the provided access credentials';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const headerOf = (r: SignedRequest) => (name: string) => {
  const v = r.headers[name];
  return v === undefined ? undefined : typeof v === 'string' ? [v] : v;
};
const first = (r: SignedRequest, name: string) => headerOf(r)(name)?.[0];

/**
 * Checks Signature Version 4 (Authorization header or presigned query) or Version 2 against the
 * secret of the access key (a CloudStack API key). Returns the key pair the request was signed with.
 */
export async function verify(
  r: SignedRequest,
  now: number,
  secretOf: SecretOf,
  o: VerifyOptions = {},
): Promise<Verified> {
  const authz = first(r, 'authorization');
  if (authz?.startsWith('AWS4-HMAC-SHA256 '))
    return verifyV4(r, fromHeader(r, authz), now, secretOf, o.service ?? 'ec2');
  const query = formPairs(r.query);
  if (query.some(([k, v]) => k === 'X-Amz-Algorithm' && v === 'AWS4-HMAC-SHA256'))
    return verifyV4(r, fromQuery(query), now, secretOf, o.service ?? 'ec2');
  if (r.params.get('SignatureVersion') === '2') return verifyV2(r, now, secretOf);
  throw ec2Error('AuthFailure', UNKNOWN_KEY);
}

/** A SigV4 signature as sent, and the query pairs it covers. */
interface V4 {
  credential: string;
  signedHeaders: string;
  signature: string;
  date: string;
  query: readonly Pair[];
  /** Presigned URLs only: X-Amz-Expires in seconds, when given. */
  presigned?: { expires: number | undefined };
}

function fromHeader(r: SignedRequest, h: string): V4 {
  const part = (re: RegExp) => re.exec(h)?.[1] ?? '';
  const date = first(r, 'x-amz-date');
  if (!date)
    throw ec2Error(
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  return {
    credential: part(/Credential=([^,\s]+)/),
    signedHeaders: part(/SignedHeaders=([^,\s]+)/),
    signature: part(/Signature=([^,\s]+)/),
    date,
    query: formPairs(r.query),
  };
}

const REQUIRED = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'];

function fromQuery(query: readonly Pair[]): V4 {
  // Each at most once: the canonical query would hold both copies, the check only one.
  const get = (k: string) => {
    const found = query.filter(([n]) => n === k);
    if (found.length > 1) throw ec2Error('IncompleteSignature', `The request must contain the parameter ${k} once.`);
    return found[0]?.[1];
  };
  get('X-Amz-Algorithm');
  for (const k of REQUIRED)
    if (!get(k))
      throw ec2Error(
        'IncompleteSignature',
        `AWS query-string parameters must include '${k}'. Re-examine the query-string parameters.`,
      );
  const raw = get('X-Amz-Expires');
  // 'abc' used to be NaN seconds, and a NaN deadline never passed.
  if (raw !== undefined && !(/^\d{1,6}$/.test(raw) && +raw >= 1 && +raw <= MAX_EXPIRES_S))
    throw ec2Error(
      'IncompleteSignature',
      `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_S}, not '${raw}'.`,
    );
  return {
    credential: get('X-Amz-Credential')!,
    signedHeaders: get('X-Amz-SignedHeaders')!,
    signature: get('X-Amz-Signature')!,
    date: get('X-Amz-Date')!,
    query: query.filter(([k]) => k !== 'X-Amz-Signature'),
    presigned: { expires: raw === undefined ? undefined : Number(raw) },
  };
}

function amzTime(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw ec2Error('IncompleteSignature', `Invalid X-Amz-Date ${s}`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Signed more than 15 minutes ago or ahead; a presigned URL counts from its date to date + X-Amz-Expires instead. */
function checkTime(a: V4, now: number): void {
  const t = amzTime(a.date);
  const late = a.presigned?.expires !== undefined ? now > t + a.presigned.expires * 1000 : now - t > SKEW_MS;
  if (late || t - now > SKEW_MS) throw ec2Error('RequestExpired', `Request has expired. Timestamp date is ${a.date}`);
}

function parseScope(credential: string): Scope & { accessKey: string } {
  const [accessKey, day, region, service, term, ...rest] = credential.split('/');
  if (!accessKey || !day || !region || !service || term !== 'aws4_request' || rest.length)
    throw ec2Error('IncompleteSignature', 'Authorization header is malformed');
  return { accessKey, day, region, service };
}

/**
 * boto 2 names the scope after the endpoint's host (region and service from its labels): `0`/`127`
 * for 127.0.0.1, `localhost`/`localhost` for localhost. Accepted in place of `ec2` for IP literals and
 * one-label hosts only, where no AWS service's scope can look the same.
 */
function boto2Scope(host: string | undefined): Pick<Scope, 'region' | 'service'> | undefined {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const parts = name.split('.');
  if (!name || !(parts.length === 1 || /^\d+\.\d+\.\d+\.\d+$/.test(name))) return undefined;
  return { service: parts[0]!, region: parts[1] ?? parts[0]! };
}

async function verifyV4(r: SignedRequest, a: V4, now: number, secretOf: SecretOf, service: string): Promise<Verified> {
  const scope = parseScope(a.credential);
  if (!a.signedHeaders || !a.signature) throw ec2Error('IncompleteSignature', 'Authorization header is malformed');
  if (!a.signedHeaders.split(';').includes('host'))
    throw ec2Error('IncompleteSignature', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  checkTime(a, now);
  if (a.date.slice(0, 8) !== scope.day)
    throw ec2Error(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.day}' != '${a.date.slice(0, 8)}', from '${a.date}'.`,
    );
  const boto2 = boto2Scope(first(r, 'host'));
  if (scope.service !== service && !(boto2?.service === scope.service && boto2.region === scope.region))
    throw ec2Error('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'.`);
  // The body is hashed as received. x-amz-content-sha256 counts only when signed, and must then be
  // that hash: unsigned, anyone could swap the body and send the old body's hash along.
  const payloadHash = sha256(r.body);
  const declared = a.signedHeaders.split(';').includes('x-amz-content-sha256')
    ? (first(r, 'x-amz-content-sha256') ?? '')
    : undefined;
  if (declared !== undefined && declared.toLowerCase() !== payloadHash)
    throw ec2Error('SignatureDoesNotMatch', MISMATCH);
  const secret = await secretOf(scope.accessKey);
  if (!secret) throw ec2Error('AuthFailure', UNKNOWN_KEY);
  const creq = canonicalRequest({
    method: r.method,
    path: r.path,
    query: a.query,
    header: headerOf(r),
    signedHeaders: a.signedHeaders,
    payloadHash,
  });
  if (!same(signature(signingKey(secret, scope), stringToSign(a.date, scope, creq)), a.signature))
    throw ec2Error('SignatureDoesNotMatch', MISMATCH);
  return { accessKey: scope.accessKey, secretKey: secret };
}

async function verifyV2(r: SignedRequest, now: number, secretOf: SecretOf): Promise<Verified> {
  const p = r.params;
  const ts = p.get('Timestamp');
  const expires = p.get('Expires');
  if (ts === undefined && expires === undefined)
    throw ec2Error('MissingParameter', 'The request must contain the parameter Timestamp');
  if (ts !== undefined && expires !== undefined)
    throw ec2Error('InvalidParameterCombination', 'The parameter Timestamp cannot be used with the parameter Expires');
  if (ts !== undefined && Math.abs(now - sigv2Time('Timestamp', ts)) > SKEW_MS)
    throw ec2Error('RequestExpired', `Request has expired. Timestamp date is ${ts}`);
  if (expires !== undefined && sigv2Time('Expires', expires) < now)
    throw ec2Error('RequestExpired', `Request has expired. Expires date is ${expires}`);
  const method = p.get('SignatureMethod');
  if (method === undefined)
    throw ec2Error('MissingParameter', 'The request must contain the parameter SignatureMethod');
  const secret = await secretOf(p.get('AWSAccessKeyId') ?? '');
  if (!secret) throw ec2Error('AuthFailure', UNKNOWN_KEY);
  const given = p.get('Signature') ?? '';
  // libcloud signs with GET whatever verb it sends; accept the verb used and GET.
  for (const verb of new Set([r.method, 'GET'])) {
    const sig = sigv2Signature(method, secret, sigv2StringToSign(verb, first(r, 'host') ?? '', r.path, p));
    if (sig === undefined)
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${method}) for parameter SignatureMethod is invalid. Valid values: HmacSHA256, HmacSHA1.`,
      );
    if (same(sig, given)) return { accessKey: p.get('AWSAccessKeyId')!, secretKey: secret };
  }
  throw ec2Error('SignatureDoesNotMatch', MISMATCH);
}
