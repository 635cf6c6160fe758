import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CsClient, csExpires, request, setCookies, sign, wire } from '../helpers/cs-client.js';
import { sigv2, sigv4 } from '../helpers/ec2-sign.js';
import { createTenant, FrontClient, type Keys } from '../helpers/fronts.js';
import { startServer, type ServerProcess } from '../helpers/server.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;
/** Flips one character in the middle: a signature or token that is almost right. */
const tamper = (s: string) => {
  const i = Math.floor(s.length / 2);
  return s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
};

/**
 * Authentication on all three fronts: tampered, wrong-key and replayed-after-expiry signatures
 * and tokens are refused; a login never keeps a session id the client brought (fixation), a
 * logout ends the session; and none of the secrets used along the way — secret keys, passwords,
 * session keys, signatures, tokens, private keys — appears in the server's log, written here at
 * its most verbose level.
 */
describe('auth on every front, and secrets never logged', () => {
  let s: ServerProcess;
  let admin: CsClient;
  let tenant: Keys & { accountId: string; userId: string };
  let fronts: FrontClient;
  /** Every secret that crossed the wire; the log must contain none of them. */
  const secrets = new Set<string>();
  const keep = <T extends string | undefined>(v: T): T => {
    if (v && v.length >= 8) secrets.add(v);
    return v;
  };

  before(async () => {
    s = await startServer({ process: true, env: { POLYSTACK_LOG_LEVEL: 'trace', POLYSTACK_AGENT_DELAY_MS: '0' } });
    admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    keep(s.secretKey);
    tenant = await createTenant(admin, 'authtest');
    keep(tenant.secretKey);
    keep('authtest-pw');
    fronts = new FrontClient(s.url, tenant);
  });
  after(() => s.stop());

  describe('CloudStack', () => {
    const signed = (extra: [string, string][] = [], secret = tenant.secretKey, apiKey = tenant.apiKey) =>
      sign([['command', 'listZones'], ['response', 'json'], ...extra, ['apiKey', apiKey]], secret);
    const send = async (pairs: [string, string][]) => {
      for (const [k, v] of pairs) if (k === 'signature') keep(v);
      return (await fetch(`${s.endpoint}?${wire(pairs)}`)).status;
    };

    it('a good signature passes; a tampered one, a tampered parameter, a wrong key and an unknown key do not', async () => {
      assert.equal(await send(signed()), 200);
      const pairs = signed();
      assert.equal(await send(pairs.map(([k, v]) => [k, k === 'signature' ? tamper(v) : v] as [string, string])), 401);
      assert.equal(
        await send(pairs.map(([k, v]) => [k, k === 'command' ? 'listVirtualMachines' : v] as [string, string])),
        401,
      );
      assert.equal(await send(signed([], s.secretKey)), 401, "signed with another user's secret");
      assert.equal(await send(signed([], tenant.secretKey, 'no-such-key')), 401);
      assert.equal(await send(pairs.filter(([k]) => k !== 'signature')), 401);
    });

    it('signatureVersion 3: an expires in the past is refused; one in the future passes', async () => {
      assert.equal(
        await send(
          signed([
            ['signatureVersion', '3'],
            ['expires', csExpires(new Date(Date.now() - 60_000))],
          ]),
        ),
        401,
      );
      assert.equal(
        await send(
          signed([
            ['signatureVersion', '3'],
            ['expires', csExpires(new Date(Date.now() + 300_000))],
          ]),
        ),
        200,
      );
      assert.equal(
        await send(
          signed([
            ['signatureVersion', '3'],
            ['expires', 'soon'],
          ]),
        ),
        401,
      );
    });

    it('login never keeps a session id the client brought, and ends the one it arrived in', async () => {
      const login = async (cookie?: string) => {
        const r = await fetch(s.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
          body: new URLSearchParams({
            command: 'login',
            username: 'authtest',
            password: 'authtest-pw',
            response: 'json',
          }),
        });
        assert.equal(r.status, 200);
        const c = setCookies(r.headers);
        return { jsession: keep(c['JSESSIONID']!), key: keep((await r.json()).loginresponse.sessionkey as string) };
      };
      const call = async (jsession: string, key?: string, cookieKey?: string) =>
        (
          await request(
            s.endpoint,
            { command: 'listZones', response: 'json', ...(key ? { sessionkey: key } : {}) },
            { cookies: { JSESSIONID: jsession, ...(cookieKey ? { sessionkey: cookieKey } : {}) } },
          )
        ).status;

      // An id the attacker made up is not adopted.
      const planted = 'ATTACKERCHOSENSESSIONID.node0';
      const victim = await login(`JSESSIONID=${planted}`);
      assert.notEqual(victim.jsession, planted);
      assert.equal(await call(planted, victim.key), 401);
      assert.equal(await call(victim.jsession, victim.key), 200);
      // A real session the attacker holds and hands over is ended by the login made inside it.
      const attacker = await login();
      const second = await login(`JSESSIONID=${attacker.jsession}`);
      assert.notEqual(second.jsession, attacker.jsession);
      assert.equal(await call(attacker.jsession, attacker.key), 401, 'the session the login arrived in is gone');
      // Both halves are needed, and they must belong together.
      assert.equal(await call(second.jsession), 401, 'cookie without session key');
      assert.equal(await call(second.jsession, victim.key), 401, "another session's key");
      assert.equal(await call(second.jsession, undefined, second.key), 200, 'key as a cookie');
      // Logout ends it.
      const out = await fetch(
        `${s.endpoint}?command=logout&response=json&sessionkey=${encodeURIComponent(second.key)}`,
        { headers: { cookie: `JSESSIONID=${second.jsession}` } },
      );
      assert.equal(out.status, 200);
      assert.match(out.headers.getSetCookie().join(';'), /JSESSIONID=;/);
      assert.equal(await call(second.jsession, second.key), 401);
      assert.equal(await call(victim.jsession, victim.key), 200, 'other sessions live on');
    });

    it('the private key createSSHKeyPair hands out is a secret too', async () => {
      const kp = await new CsClient(s.endpoint, tenant.apiKey, tenant.secretKey).call(
        'createSSHKeyPair',
        { name: 'auth-key' },
        'POST',
      );
      assert.equal(kp.status, 200);
      keep(kp.body.keypair.privatekey.replace(/\n/g, '').slice(40, 120));
    });
  });

  describe('EC2', () => {
    const post = async (
      params: Record<string, string>,
      headers: Record<string, string>,
      body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString(),
    ) => {
      const r = await fetch(`${s.url}/`, { method: 'POST', headers, body });
      return { status: r.status, code: /<Code>([^<]+)<\/Code>/.exec(await r.text())?.[1] };
    };
    const v4 = (params: Record<string, string>, secret = tenant.secretKey, when = new Date(), key = tenant.apiKey) => {
      const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
      const headers = sigv4(new URL(s.url), body, key, secret, when);
      keep(/Signature=([0-9a-f]+)/.exec(headers['authorization']!)![1]);
      return { body, headers };
    };

    it('SigV4: good passes; tampered signature, tampered body, wrong secret, unknown key, stale date and none are refused', async () => {
      const good = v4({ Action: 'DescribeRegions' });
      assert.equal((await post({}, good.headers, good.body)).status, 200);
      const bad = {
        ...good.headers,
        authorization: good.headers['authorization']!.replace(
          /Signature=([0-9a-f]+)/,
          (_, sig: string) => `Signature=${tamper(sig)}`,
        ),
      };
      assert.deepEqual(await post({}, bad, good.body), { status: 403, code: 'SignatureDoesNotMatch' });
      assert.deepEqual(await post({}, good.headers, good.body.replace('DescribeRegions', 'DescribeImages')), {
        status: 403,
        code: 'SignatureDoesNotMatch',
      });
      const wrong = v4({ Action: 'DescribeRegions' }, s.secretKey);
      assert.equal((await post({}, wrong.headers, wrong.body)).code, 'SignatureDoesNotMatch');
      const unknown = v4({ Action: 'DescribeRegions' }, tenant.secretKey, new Date(), 'AKIANOSUCHKEY');
      assert.equal((await post({}, unknown.headers, unknown.body)).code, 'AuthFailure');
      const stale = v4({ Action: 'DescribeRegions' }, tenant.secretKey, new Date(Date.now() - 20 * 60_000));
      assert.equal((await post({}, stale.headers, stale.body)).code, 'RequestExpired');
      assert.equal(
        (await post({ Action: 'DescribeRegions' }, { 'content-type': 'application/x-www-form-urlencoded' })).code,
        'AuthFailure',
      );
    });

    it('SigV2: good passes; tampered or stale is refused', async () => {
      const host = new URL(s.url).host;
      const form = (p: Record<string, string>) => new URLSearchParams(p).toString();
      const headers = { 'content-type': 'application/x-www-form-urlencoded' };
      const good = sigv2(host, { Action: 'DescribeRegions', Version: '2016-11-15' }, tenant.apiKey, tenant.secretKey);
      keep(good['Signature']);
      assert.equal((await post({}, headers, form(good))).status, 200);
      assert.equal(
        (await post({}, headers, form({ ...good, Signature: tamper(good['Signature']!) }))).code,
        'SignatureDoesNotMatch',
      );
      assert.equal(
        (await post({}, headers, form({ ...good, Action: 'DescribeImages' }))).code,
        'SignatureDoesNotMatch',
      );
      const stale = sigv2(
        host,
        { Action: 'DescribeRegions', Version: '2016-11-15' },
        tenant.apiKey,
        tenant.secretKey,
        new Date(Date.now() - 3_600_000),
      );
      assert.equal((await post({}, headers, form(stale))).code, 'RequestExpired');
    });

    it('the private key CreateKeyPair hands out is a secret', async () => {
      const r = await fronts.ec2({ Action: 'CreateKeyPair', KeyName: 'auth-ec2-key' });
      keep(
        /<keyMaterial>([^<]+)<\/keyMaterial>/
          .exec(r.text)![1]!
          .replace(/&#10;|\n/g, '')
          .slice(40, 120),
      );
    });
  });

  describe('GCE', () => {
    it('a token passes; a tampered one, a made-up one and none do not; the token endpoint refuses a wrong secret', async () => {
      const token = keep(await fronts.gceToken());
      assert.equal((await fronts.gce('GET', 'authtest/zones', undefined, token)).status, 200);
      const tampered = await fronts.gce('GET', 'authtest/zones', undefined, tamper(token));
      assert.deepEqual([tampered.status, tampered.body.error.errors[0].reason], [401, 'authError']);
      assert.equal((await fronts.gce('GET', 'authtest/zones', undefined, 'ya29.made-up')).status, 401);
      const none = await fronts.gce('GET', 'authtest/zones', undefined, null);
      assert.deepEqual([none.status, none.body.error.errors[0].reason], [401, 'required']);
      const wrong = await fetch(`${s.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: tenant.apiKey,
          client_secret: tamper(tenant.secretKey),
        }),
      });
      assert.deepEqual([wrong.status, (await wrong.json()).error], [401, 'invalid_client']);
    });

    it('a token stops working when the key pair behind it is replaced', async () => {
      const token = keep(await new FrontClient(s.url, tenant).gceToken());
      assert.equal((await fronts.gce('GET', 'authtest/zones', undefined, token)).status, 200);
      const rotated = (await admin.call('registerUserKeys', { id: tenant.userId }, 'POST')).body.userkeys;
      keep(rotated.secretkey);
      const r = await fronts.gce('GET', 'authtest/zones', undefined, token);
      assert.equal(r.status, 401, JSON.stringify(r.body));
      tenant = { ...tenant, apiKey: rotated.apikey, secretKey: rotated.secretkey };
      fronts = new FrontClient(s.url, tenant);
    });
  });

  it('replayed after expiry: CloudStack v3, EC2 SigV4 and presigned, GCE tokens — all refused once the clock passes', async () => {
    const soon = new Date(Date.now() + 120_000);
    const cs = sign(
      [
        ['command', 'listZones'],
        ['response', 'json'],
        ['apiKey', tenant.apiKey],
        ['signatureVersion', '3'],
        ['expires', csExpires(soon)],
      ],
      tenant.secretKey,
    );
    keep(cs.find(([k]) => k === 'signature')![1]);
    const body = new URLSearchParams({ Version: '2016-11-15', Action: 'DescribeRegions' }).toString();
    const ec2 = sigv4(new URL(s.url), body, tenant.apiKey, tenant.secretKey);
    const presigned = presign(s.url, tenant, 60);
    const token = keep(await fronts.gceToken());
    const replay = async () => ({
      cs: (await fetch(`${s.endpoint}?${wire(cs)}`)).status,
      ec2: (await fetch(`${s.url}/`, { method: 'POST', headers: ec2, body })).status,
      presigned: (await fetch(presigned)).status,
      gce: (await fronts.gce('GET', 'authtest/zones', undefined, token)).status,
    });
    assert.deepEqual(await replay(), { cs: 200, ec2: 200, presigned: 200, gce: 200 });
    const moved = await fetch(`${s.url}/_polystack/clock`, {
      method: 'POST',
      headers: { authorization: BASIC, 'content-type': 'application/json' },
      body: JSON.stringify({ advance: '2h' }),
    });
    assert.equal(moved.status, 200);
    assert.deepEqual(await replay(), { cs: 401, ec2: 400, presigned: 400, gce: 401 });
  });

  it('no secret that crossed the wire is in the log, which did record the requests', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const log = s.stderr();
    assert.ok(log.split('\n').filter((l) => l.includes('"msg":"request"')).length > 40, 'the log has request lines');
    const found = [...secrets].filter((x) => log.includes(x) || log.includes(encodeURIComponent(x)));
    assert.deepEqual(found, [], `secrets in the log (${secrets.size} checked)`);
    assert.ok(secrets.size > 15, `checked ${secrets.size} secrets`);
  });

  /** A SigV4 presigned GET URL valid for `seconds`. */
  function presign(base: string, k: Keys, seconds: number): string {
    const url = new URL(`${base}/`);
    const amzDate = new Date()
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/us-east-1/ec2/aws4_request`;
    const q: Record<string, string> = {
      Action: 'DescribeRegions',
      Version: '2016-11-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${k.apiKey}/${scope}`,
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': String(seconds),
      'X-Amz-SignedHeaders': 'host',
    };
    const enc = (v: string) =>
      encodeURIComponent(v).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    const canonQuery = Object.keys(q)
      .sort()
      .map((x) => `${enc(x)}=${enc(q[x]!)}`)
      .join('&');
    const canonical = [
      'GET',
      '/',
      canonQuery,
      `host:${url.host}\n`,
      'host',
      createHash('sha256').update('').digest('hex'),
    ].join('\n');
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join(
      '\n',
    );
    const h = (key: string | Buffer, v: string) => createHmac('sha256', key).update(v).digest();
    const sig = createHmac('sha256', h(h(h(h(`AWS4${k.secretKey}`, day), 'us-east-1'), 'ec2'), 'aws4_request'))
      .update(toSign)
      .digest('hex');
    keep(sig);
    return `${url}?${canonQuery}&X-Amz-Signature=${sig}`;
  }
});
