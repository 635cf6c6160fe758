import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { verify, type SignedRequest } from '../../src/ec2/auth.js';
import { Ec2Error } from '../../src/ec2/errors.js';
import { formPairs } from '../../src/ec2/form.js';
import { sigv2Signature, sigv2StringToSign } from '../../src/ec2/sigv2.js';
import { canonicalRequest, sha256, signature, signingKey, stringToSign, type Scope } from '../../src/ec2/sigv4.js';

/**
 * The EC2 front's signature checks against AWS's published vectors (origins in the fixtures'
 * `_origin`): each piece (canonical request, string to sign, signature) against the suite's files,
 * and the whole server-side check, with the scope's service set to the suite's `service`.
 */
interface Variant {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  signedRequest: string;
}
interface Case {
  name: string;
  context: {
    credentials: { access_key_id: string; secret_access_key: string };
    region: string;
    service: string;
    timestamp: string;
    omit_session_token?: boolean;
  };
  header: Variant;
  query: Variant | null;
}
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const V4: Case[] = fixture('sigv4-testsuite.json').cases;

/** An HTTP/1.1 request as the suite writes it: the target may hold spaces; folded header lines continue the previous one. */
function parseHttp(text: string): {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string[]>;
  body: string;
} {
  const lines = text.split('\n');
  const start = lines.shift()!;
  const method = start.slice(0, start.indexOf(' '));
  const target = start.slice(method.length + 1, start.lastIndexOf(' HTTP/1.1'));
  const headers: Record<string, string[]> = {};
  let last: string[] | undefined;
  while (lines.length && lines[0] !== '') {
    const line = lines.shift()!;
    if (/^\s/.test(line) && last) {
      last[last.length - 1] += `\n${line}`;
      continue;
    }
    const name = line.slice(0, line.indexOf(':')).toLowerCase();
    // Leading and trailing white space is not part of a field value (RFC 9110 5.5); Node strips it too.
    (last = headers[name] ??= []).push(line.slice(line.indexOf(':') + 1).trim());
  }
  const q = target.indexOf('?');
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    headers,
    body: lines.slice(1).join('\n'),
  };
}

function requestOf(text: string): SignedRequest & { headers: Record<string, string[]> } {
  const h = parseHttp(text);
  return { ...h, params: new Map([...formPairs(h.query), ...formPairs(h.body)]) };
}

/** What the signature says about itself: scope, date, signed headers, from the Authorization header or the query. */
function authOf(r: SignedRequest): { scope: Scope; date: string; signedHeaders: string } {
  const q = new Map(formPairs(r.query));
  const authz = (r.headers['authorization'] as string[] | undefined)?.[0];
  const credential = authz ? /Credential=([^,]+)/.exec(authz)![1]! : q.get('X-Amz-Credential')!;
  const [, day, region, service] = credential.split('/') as [string, string, string, string];
  const date = authz ? (r.headers['x-amz-date'] as string[])[0]! : q.get('X-Amz-Date')!;
  const signedHeaders = authz ? /SignedHeaders=([^,]+)/.exec(authz)![1]! : q.get('X-Amz-SignedHeaders')!;
  return { scope: { day, region, service }, date, signedHeaders };
}

const refusal = async (p: Promise<unknown>): Promise<[number, string]> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof Ec2Error) return [e.status, e.code];
    throw e;
  }
  return [200, 'accepted'];
};

describe('SigV4 conformance: the AWS Signature Version 4 test suite', () => {
  for (const c of V4) {
    for (const [kind, v] of [
      ['header', c.header],
      ['query', c.query],
    ] as const) {
      // The token is appended after signing, as only AWS IoT's WebSocket URLs do; a presigned EC2 URL signs it (get-vanilla-with-session-token).
      if (!v || (kind === 'query' && c.context.omit_session_token)) continue;
      it(`${c.name} (${kind === 'header' ? 'Authorization header' : 'presigned URL'})`, async () => {
        const r = requestOf(v.signedRequest);
        const a = authOf(r);
        const query = formPairs(r.query).filter(([k]) => kind === 'header' || k !== 'X-Amz-Signature');
        const header = (n: string) => r.headers[n];
        const creq = canonicalRequest({
          method: r.method,
          path: r.path,
          query,
          header,
          signedHeaders: a.signedHeaders,
          payloadHash: sha256(r.body),
        });
        assert.equal(creq, v.canonicalRequest, 'canonical request');
        const sts = stringToSign(a.date, a.scope, creq);
        assert.equal(sts, v.stringToSign, 'string to sign');
        const { access_key_id: key, secret_access_key: secret } = c.context.credentials;
        assert.equal(signature(signingKey(secret, a.scope), sts), v.signature, 'signature');

        const now = Date.parse(c.context.timestamp);
        const secretOf = async (k: string) => (k === key ? secret : undefined);
        assert.deepEqual(
          await verify(r, now, secretOf, { service: c.context.service }),
          { accessKey: key, secretKey: secret },
          'the server accepts the request',
        );
        // The same request refused: for another service, with a parameter added, with the wrong secret, too late.
        assert.deepEqual(
          await refusal(verify(r, now, secretOf)),
          [403, 'SignatureDoesNotMatch'],
          'scoped to `service`, not ec2',
        );
        const added = { ...r, query: r.query ? `${r.query}&Extra=1` : 'Extra=1' };
        assert.deepEqual(
          await refusal(verify(added, now, secretOf, { service: 'service' })),
          [403, 'SignatureDoesNotMatch'],
          'a parameter added',
        );
        assert.deepEqual(
          await refusal(verify(r, now, async () => 'not-the-secret', { service: 'service' })),
          [403, 'SignatureDoesNotMatch'],
          'wrong secret',
        );
        const late = now + (kind === 'query' ? 3601 : 16 * 60) * 1000;
        assert.deepEqual(
          await refusal(verify(r, late, secretOf, { service: 'service' })),
          [400, 'RequestExpired'],
          'expired',
        );
        const dropHost = (authz: string) =>
          authz.replace(
            /SignedHeaders=([^,]+)/,
            (_, l: string) =>
              `SignedHeaders=${l
                .split(';')
                .filter((n) => n !== 'host')
                .join(';')}`,
          );
        const hostless = {
          ...r,
          headers: { ...r.headers, authorization: (r.headers['authorization'] ?? []).map(dropHost) },
        };
        if (kind === 'header')
          assert.deepEqual(
            await refusal(verify(hostless, now, secretOf, { service: 'service' })),
            [400, 'IncompleteSignature'],
            'host must be signed',
          );
        if (r.body) {
          const swapped = { ...r, body: r.body.replace(/.$/, 'X') };
          assert.deepEqual(
            await refusal(verify(swapped, now, secretOf, { service: 'service' })),
            [403, 'SignatureDoesNotMatch'],
            'another body',
          );
        }
      });
    }
  }

  it('covers the cases the brief names', () => {
    const names = new Set(V4.map((c) => c.name));
    for (const n of [
      'get-vanilla',
      'get-vanilla-query-order-key-case',
      'get-vanilla-query-order-value',
      'post-x-www-form-urlencoded',
      'post-x-www-form-urlencoded-parameters',
      'botocore/post-x-www-form-urlencoded',
      'get-header-value-trim',
      'get-header-value-multiline',
      'get-vanilla-query-unreserved',
      'get-utf8',
      'get-vanilla-utf8-query',
    ])
      assert.ok(names.has(n), n);
    // The form-body cases aws-c-auth signs with x-amz-content-sha256, the header this front must check.
    assert.match(
      V4.find((c) => c.name === 'post-x-www-form-urlencoded')!.header.canonicalRequest,
      /\nx-amz-content-sha256:9095672b/,
    );
  });
});

describe('SigV2 conformance: published examples', () => {
  interface V2 {
    name: string;
    method: string;
    host: string;
    secret: string;
    now: string;
    query: string;
    body: string;
    stringToSign: string;
    signature: string;
  }
  for (const c of fixture('sigv2-examples.json').cases as V2[]) {
    it(c.name, async () => {
      const params = new Map([...formPairs(c.query), ...formPairs(c.body)]);
      const r: SignedRequest = {
        method: c.method,
        path: '/',
        query: c.query,
        headers: c.host ? { host: [c.host] } : {},
        body: c.body,
        params,
      };
      const sts = sigv2StringToSign(c.method, c.host, '/', params);
      assert.equal(sts, c.stringToSign);
      assert.equal(sigv2Signature(params.get('SignatureMethod'), c.secret, sts), c.signature);
      const secretOf = async (k: string) => (k === params.get('AWSAccessKeyId') ? c.secret : undefined);
      const now = Date.parse(c.now);
      assert.equal((await verify(r, now, secretOf)).secretKey, c.secret);
      const tampered = { ...r, params: new Map([...params, ['Version', '2030-01-01']]) };
      assert.deepEqual(await refusal(verify(tampered, now, secretOf)), [403, 'SignatureDoesNotMatch']);
      assert.deepEqual(await refusal(verify(r, now + 16 * 60_000, secretOf)), [400, 'RequestExpired']);
    });
  }
});
