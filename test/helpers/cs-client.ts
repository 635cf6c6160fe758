import { createHmac } from 'node:crypto';

/**
 * A small CloudStack client for tests, written from the reference (§2.1), not from the server's
 * code: the signer must stay independent so a bug shared by both sides cannot hide.
 */

export type Pairs = [string, string][];
export type ParamsIn = Record<string, string> | Pairs;

/**
 * How a client escapes values and sorts names. 'java' is the canonical server form; the others are
 * the real clients' deviations the reference lists (§2.1 table).
 */
export type SignStyle = 'java' | 'go' | 'python' | 'libcloud';

// Characters each style leaves unescaped in values (everything else is %XX of the UTF-8 bytes).
const SAFE: Record<SignStyle, RegExp> = {
  java: /^[A-Za-z0-9.\-*_]$/, // URLEncoder: unreserved are A-Z a-z 0-9 . - * _
  go: /^[A-Za-z0-9.\-_~*]$/, // url.QueryEscape keeps ~, then %2A is turned back into *
  python: /^[A-Za-z0-9.\-_~*]$/, // quote(value, safe="*") keeps ~ (RFC 3986 unreserved)
  libcloud: /^[A-Za-z0-9.\-_~*[\]]$/, // urlquote(value, safe="[]*")
};

/** Percent-encodes one value byte by byte, space as %20 (Java's '+' replaced), per style. */
export function encodeValue(v: string, style: SignStyle = 'java'): string {
  let out = '';
  for (const byte of Buffer.from(v, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (byte < 0x80 && SAFE[style].test(c)) out += c;
    else if (c === ' ') out += '%20';
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const toPairs = (p: ParamsIn): Pairs => (Array.isArray(p) ? [...p] : Object.entries(p));

/** The string that is HMACed: sorted name=encode(value), joined with '&', all lower case. */
export function canonicalString(params: ParamsIn, style: SignStyle = 'java'): string {
  const pairs = toPairs(params).filter(([k]) => k.toLowerCase() !== 'signature');
  // Java sorts by UTF-16 code unit, case-sensitively; libcloud sorts the lower-cased names.
  const key = (k: string) => (style === 'libcloud' ? k.toLowerCase() : k);
  pairs.sort(([a], [b]) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return pairs
    .map(([k, v]) => `${k}=${encodeValue(v, style)}`)
    .join('&')
    .toLowerCase();
}

export function signatureOf(params: ParamsIn, secret: string, style: SignStyle = 'java'): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8'))
    .update(canonicalString(params, style), 'utf8')
    .digest('base64');
}

export interface SignOptions {
  version?: 1 | 3;
  /** For version 3; a Date is sent in the `cs` client's format (yyyy-MM-ddTHH:mm:ss+0000). Omit to send none. */
  expires?: string | Date;
  style?: SignStyle;
}

/** `expires` as the Python `cs` client formats it. */
export const csExpires = (d: Date): string => d.toISOString().slice(0, 19) + '+0000';

/** Returns the parameters with signatureVersion/expires (v3) added and `signature` appended last. */
export function sign(params: ParamsIn, secret: string, opts: SignOptions = {}): Pairs {
  const pairs = toPairs(params);
  if (opts.version === 3) pairs.push(['signatureVersion', '3']);
  if (opts.expires !== undefined)
    pairs.push(['expires', typeof opts.expires === 'string' ? opts.expires : csExpires(opts.expires)]);
  pairs.push(['signature', signatureOf(pairs, secret, opts.style)]);
  return pairs;
}

/** Form/query encoding for the wire (the server decodes it; this is not the signing encoding). */
export const wire = (pairs: Pairs): string =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body when it is JSON, else undefined. */
  json: any;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  /** Sign with these credentials; without, the parameters go as given. */
  sign?: { apiKey: string; secret: string } & SignOptions;
  /** Sent as one Cookie header. */
  cookies?: Record<string, string>;
  /** Extra query string for POST (merged by the server with the body). */
  query?: Pairs;
}

export async function request(endpoint: string, params: ParamsIn, opts: RequestOptions = {}): Promise<Reply> {
  let pairs = toPairs(params);
  if (opts.sign) {
    const { apiKey, secret, ...so } = opts.sign;
    pairs = sign([...pairs, ['apiKey', apiKey]], secret, so);
  }
  const headers: Record<string, string> = {};
  if (opts.cookies)
    headers['cookie'] = Object.entries(opts.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  const method = opts.method ?? 'GET';
  let res: Response;
  if (method === 'GET') {
    res = await fetch(`${endpoint}?${wire(pairs)}`, { headers });
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const url = opts.query?.length ? `${endpoint}?${wire(opts.query)}` : endpoint;
    res = await fetch(url, { method: 'POST', headers, body: wire(pairs) });
  }
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** One API caller (admin keys by default): `call` returns the body under the single `<x>response` key. */
export class CsClient {
  constructor(
    readonly endpoint: string,
    readonly apiKey: string,
    readonly secret: string,
  ) {}

  raw(params: ParamsIn, opts: Omit<RequestOptions, 'sign'> & SignOptions = {}): Promise<Reply> {
    const { method, cookies, query, ...so } = opts;
    return request(this.endpoint, params, {
      method,
      cookies,
      query,
      sign: { apiKey: this.apiKey, secret: this.secret, ...so },
    });
  }

  async call(
    command: string,
    params: Record<string, string> = {},
    method: 'GET' | 'POST' = 'GET',
  ): Promise<{ status: number; key: string; body: any; reply: Reply }> {
    const reply = await this.raw({ command, response: 'json', ...params }, { method });
    const keys = Object.keys(reply.json ?? {});
    if (keys.length !== 1)
      throw new Error(`${command}: expected one top-level key, got ${reply.status} ${reply.text.slice(0, 300)}`);
    return { status: reply.status, key: keys[0]!, body: reply.json[keys[0]!], reply };
  }

  /** Polls queryAsyncJobResult until the job leaves status 0. */
  async waitJob(jobid: string, timeoutMs = 20_000): Promise<any> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.call('queryAsyncJobResult', { jobid });
      if (r.status !== 200) throw new Error(`queryAsyncJobResult ${jobid}: ${r.status} ${JSON.stringify(r.body)}`);
      if (r.body.jobstatus !== 0) return r.body;
      if (Date.now() > end) throw new Error(`job ${jobid} still pending after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 25));
    }
  }
}

/** Cookies from Set-Cookie headers, name -> value (attributes dropped). */
export function setCookies(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of headers.getSetCookie()) {
    const first = c.split(';')[0]!;
    const i = first.indexOf('=');
    out[first.slice(0, i).trim()] = first.slice(i + 1).trim();
  }
  return out;
}
