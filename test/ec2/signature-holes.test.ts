import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { presignV4, rfc3986, sigv4, type SignOptions } from '../helpers/ec2-sign.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Negative vectors for the EC2 front's signature checks, end to end: each request below was
 * accepted (or crashed) before, and AWS refuses it with the status and code asserted here.
 */
describe('EC2 signatures: what AWS refuses is refused', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.stop());

  const sha256 = (b: string) => createHash('sha256').update(b).digest('hex');
  const form = (p: Record<string, string>) => new URLSearchParams({ Version: '2016-11-15', ...p }).toString();
  const answer = async (r: Response) => {
    const text = await r.text();
    return [r.status, /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? (r.status === 200 ? 'ok' : text)] as const;
  };
  const post = (body: string, headers: Record<string, string>, path = '/') =>
    fetch(s.url + path, { method: 'POST', headers, body }).then(answer);
  const signed = (body: string, o: SignOptions = {}) =>
    sigv4(new URL(s.url), body, s.apiKey, s.secretKey, new Date(), o);
  const keyPairExists = async (name: string) =>
    (
      await post(
        form({ Action: 'DescribeKeyPairs', 'KeyName.1': name }),
        signed(form({ Action: 'DescribeKeyPairs', 'KeyName.1': name })),
      )
    )[0] === 200;

  it('SigV4 hashes the body received: an unsigned x-amz-content-sha256 cannot carry an old body past the check', async () => {
    const seen = form({ Action: 'DescribeRegions' });
    const swapped = form({ Action: 'CreateKeyPair', KeyName: 'swapped-in' });
    // botocore signs content-type;host;x-amz-date: the header rides along unsigned.
    assert.deepEqual(await post(swapped, { ...signed(seen), 'x-amz-content-sha256': sha256(seen) }), [
      403,
      'SignatureDoesNotMatch',
    ]);
    assert.equal(await keyPairExists('swapped-in'), false, 'nothing was created');
    // Signed, the header must be the hash of the body sent: not another body's, not UNSIGNED-PAYLOAD.
    const lying = signed(seen, { headers: { 'x-amz-content-sha256': sha256(seen) }, payloadHash: sha256(seen) });
    assert.deepEqual(await post(swapped, lying), [403, 'SignatureDoesNotMatch']);
    const unsigned = signed(swapped, {
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    assert.deepEqual(await post(swapped, unsigned), [403, 'SignatureDoesNotMatch']);
    assert.equal(await keyPairExists('swapped-in'), false);
    // The JS SDK's shape: the header signed and true.
    assert.deepEqual(await post(seen, signed(seen, { headers: { 'x-amz-content-sha256': sha256(seen) } })), [
      200,
      'ok',
    ]);
  });

  it('presigned URLs: a value holding "=" is signed whole; X-Amz-Expires is 1 to 604800 seconds', async () => {
    const filter = {
      Action: 'DescribeInstances',
      Version: '2016-11-15',
      'Filter.1.Name': 'instance-state-name',
      'Filter.1.Value.1': 'running',
    };
    const url = presignV4(s.url, filter, s.apiKey, s.secretKey, { expires: '300' });
    assert.deepEqual(await fetch(url).then(answer), [200, 'ok']);
    // The canonical query once kept only `running` of `running=x`, so this still validated.
    assert.deepEqual(await fetch(url.replace('Filter.1.Value.1=running', 'Filter.1.Value.1=running=x')).then(answer), [
      403,
      'SignatureDoesNotMatch',
    ]);
    assert.deepEqual(
      await fetch(
        presignV4(s.url, { ...filter, 'Filter.1.Value.1': 'running=x' }, s.apiKey, s.secretKey, { expires: '300' }),
      ).then(answer),
      [200, 'ok'],
    );
    const expiring = (expires: string | undefined, when = new Date()) =>
      fetch(presignV4(s.url, filter, s.apiKey, s.secretKey, { expires, when })).then(answer);
    for (const bad of ['abc', '0', '-5', '604801', '1e3', ''])
      assert.deepEqual(await expiring(bad), [400, 'IncompleteSignature'], `X-Amz-Expires=${bad}`);
    assert.deepEqual(await expiring('604800'), [200, 'ok']);
    assert.deepEqual(await expiring('3600', new Date(Date.now() - 2 * 3_600_000)), [400, 'RequestExpired']);
    assert.deepEqual(
      await expiring('3600', new Date(Date.now() + 3_600_000)),
      [400, 'RequestExpired'],
      'dated an hour ahead',
    );
    assert.deepEqual(
      await expiring(undefined, new Date(Date.now() - 20 * 60_000)),
      [400, 'RequestExpired'],
      'no X-Amz-Expires: 15 minutes, as a signed header',
    );
    assert.deepEqual(await expiring(undefined), [200, 'ok']);
    assert.deepEqual(
      await fetch(`${url}&X-Amz-Signature=00`).then(answer),
      [400, 'IncompleteSignature'],
      'a second signature',
    );
    assert.deepEqual(
      await fetch(url.replace(/&X-Amz-SignedHeaders=host/, '')).then(answer),
      [400, 'IncompleteSignature'],
      'no signed headers',
    );
  });

  it('the credential scope must name ec2 (or the scope boto 2 derives from an IP address)', async () => {
    const body = form({ Action: 'DescribeRegions' });
    for (const service of ['s3', 'iam', 'sts']) {
      assert.deepEqual(await post(body, signed(body, { service })), [403, 'SignatureDoesNotMatch'], service);
      assert.deepEqual(
        await fetch(
          presignV4(s.url, { Action: 'DescribeRegions', Version: '2016-11-15' }, s.apiKey, s.secretKey, {
            service,
            expires: '60',
          }),
        ).then(answer),
        [403, 'SignatureDoesNotMatch'],
        service,
      );
    }
    const host = new URL(s.url).hostname;
    assert.match(host, /^\d+\.\d+\.\d+\.\d+$/);
    const [service, region] = host.split('.') as [string, string];
    assert.deepEqual(await post(body, signed(body, { service, region })), [200, 'ok'], 'boto 2 against an IP address');
    assert.deepEqual(
      await post(body, signed(body, { service, region: 'us-east-1' })),
      [403, 'SignatureDoesNotMatch'],
      'only the scope boto 2 derives',
    );
  });

  it('SigV4 refusals are 403 SignatureDoesNotMatch; AuthFailure stays 401', async () => {
    const body = form({ Action: 'DescribeRegions' });
    assert.deepEqual(await post(body, sigv4(new URL(s.url), body, s.apiKey, 'not-the-secret')), [
      403,
      'SignatureDoesNotMatch',
    ]);
    assert.deepEqual(await post(body, sigv4(new URL(s.url), body, 'AKIANOSUCHKEY', s.secretKey)), [401, 'AuthFailure']);
    const stale = sigv4(new URL(s.url), body, s.apiKey, s.secretKey, new Date(Date.now() - 20 * 60_000));
    assert.deepEqual(await post(body, stale), [400, 'RequestExpired']);
  });

  it('SigV2: Timestamp and Expires must be dates, one of them', async () => {
    const host = new URL(s.url).host;
    const v2 = (p: Record<string, string>) => {
      const all: Record<string, string> = {
        Action: 'DescribeRegions',
        Version: '2016-11-15',
        AWSAccessKeyId: s.apiKey,
        SignatureVersion: '2',
        SignatureMethod: 'HmacSHA256',
        ...p,
      };
      const canon = Object.keys(all)
        .sort()
        .map((k) => `${rfc3986(k)}=${rfc3986(all[k]!)}`)
        .join('&');
      const Signature = createHmac('sha256', s.secretKey).update(`POST\n${host}\n/\n${canon}`).digest('base64');
      return post(new URLSearchParams({ ...all, Signature }).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      });
    };
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}/, '');
    assert.deepEqual(await v2({ Timestamp: iso(Date.now()) }), [200, 'ok']);
    assert.deepEqual(await v2({ Timestamp: 'not-a-date' }), [400, 'InvalidParameterValue'], 'once never expired');
    assert.deepEqual(await v2({ Expires: 'not-a-date' }), [400, 'InvalidParameterValue'], 'once never expired');
    assert.deepEqual(await v2({ Timestamp: '' }), [400, 'InvalidParameterValue']);
    assert.deepEqual(await v2({ Expires: iso(Date.now() + 60_000) }), [200, 'ok']);
    assert.deepEqual(await v2({ Expires: iso(Date.now() - 60_000) }), [400, 'RequestExpired']);
    assert.deepEqual(await v2({ Timestamp: iso(Date.now()), Expires: iso(Date.now() + 60_000) }), [
      400,
      'InvalidParameterCombination',
    ]);
    assert.deepEqual(await v2({ Timestamp: iso(Date.now()), SignatureMethod: 'HmacMD5' }), [
      400,
      'InvalidParameterValue',
    ]);
  });

  it('a malformed %-escape is 400 InvalidQueryParameter, signed or not, in the query or the body', async () => {
    const body = form({ Action: 'DescribeRegions' });
    // Signed over the raw escape, so the signature is not what refuses it: this was a 500 (URIError).
    const q = 'Foo=%E0%A4%A';
    assert.deepEqual(await post(body, signed(body, { query: q }), `/?${q}`), [400, 'InvalidQueryParameter']);
    assert.deepEqual(await fetch(`${s.url}/?Action=DescribeRegions&Version=2016-11-15&Foo=%zz`).then(answer), [
      400,
      'InvalidQueryParameter',
    ]);
    const bad = `${body}&Foo=%E0%A4%A`;
    assert.deepEqual(await post(bad, signed(bad)), [400, 'InvalidQueryParameter']);
    const good = 'Foo=%E0%A4%80';
    assert.deepEqual(
      await post(body, signed(body, { query: good }), `/?${good}`),
      [200, 'ok'],
      'a well-formed escape passes',
    );
  });
});
