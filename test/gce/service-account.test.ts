import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InstancesClient, ZoneOperationsClient } from '@google-cloud/compute';
import { google } from 'googleapis';
import { runCli } from '../helpers/cli.js';
import { httpLogin } from '../helpers/session.js';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SCENARIO = fileURLToPath(new URL('./service_account_scenario.py', import.meta.url));
const ZONE = 'sandbox-simulator-basic';

/** A JWT signed as a client library signs one (RS256, kid = private_key_id). */
function jwt(claims: Record<string, unknown>, privateKey: string, kid?: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64(claims)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
}

/**
 * Service-account key files (issue 17): issued by `polystack env --gce` and the credentials route,
 * used unchanged by @google-cloud/compute, googleapis and google-api-python-client through
 * GOOGLE_APPLICATION_CREDENTIALS; the JWTs they sign are checked as Google checks them.
 */
describe('GCE service-account key files', () => {
  let s: TestServer;
  let dir: string;
  let keyFile: string;
  let key: Record<string, string>;
  /** What `polystack env --gce` exports, set in this process as a user's shell would have it. */
  let exported: Record<string, string> = {};
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    dir = mkdtempSync(join(tmpdir(), 'polystack-sa-'));
  });
  after(async () => {
    delete process.env['GOOGLE_APPLICATION_CREDENTIALS'];
    delete process.env['GOOGLE_CLOUD_UNIVERSE_DOMAIN'];
    rmSync(dir, { recursive: true, force: true });
    await s.stop();
  });

  it(
    'polystack env --gce writes a key file and exports GOOGLE_APPLICATION_CREDENTIALS',
    { timeout: 60_000 },
    async () => {
      const out = await runCli(['env', '--url', s.url, '--gce', '--gce-key-file', join(dir, 'key.json')]);
      assert.equal(out.code, 0, out.stderr);
      const env = Object.fromEntries([...out.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      keyFile = env['GOOGLE_APPLICATION_CREDENTIALS']!;
      exported = env;
      assert.equal(env['GOOGLE_CLOUD_UNIVERSE_DOMAIN'], 'polystack.internal');
      assert.equal(keyFile, join(dir, 'key.json'));
      assert.equal(env['GOOGLE_CLOUD_PROJECT'], 'admin');
      assert.equal(env['CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE'], `${s.url}/compute/v1/`);
      key = JSON.parse(readFileSync(keyFile, 'utf8'));
      assert.equal(key['type'], 'service_account');
      assert.equal(key['project_id'], 'admin');
      assert.equal(key['token_uri'], `${s.url}/token`);
      assert.match(key['client_email']!, /^[a-z0-9-]+@admin\.iam\.gserviceaccount\.com$/);
      assert.match(key['client_id']!, /^\d{21}$/);
      assert.match(key['private_key_id']!, /^[0-9a-f]{40}$/);
      assert.match(key['private_key']!, /^-----BEGIN PRIVATE KEY-----\n/);
    },
  );

  it('the console route and the gateway route issue key files too; wrong credentials get none', async () => {
    const basic = `Basic ${Buffer.from('admin:password').toString('base64')}`;
    const control = await fetch(`${s.url}/_polystack/credentials/gce-key`, {
      method: 'POST',
      headers: { authorization: basic },
    });
    assert.equal(control.status, 200);
    const a = (await control.json()) as Record<string, string>;
    assert.equal(a['client_email'], key['client_email']);
    assert.notEqual(a['private_key_id'], key['private_key_id']);
    const bad = await fetch(`${s.url}/_polystack/credentials/gce-key`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` },
    });
    assert.equal(bad.status, 401);
    const front = await fetch(`${s.url}/_polystack/gce/service-account-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: s.apiKey, client_secret: s.secretKey }),
    });
    assert.equal(front.status, 200);
    assert.equal(((await front.json()) as Record<string, string>)['type'], 'service_account');
    const wrong = await fetch(`${s.url}/_polystack/gce/service-account-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: s.apiKey, client_secret: 'nope' }),
    });
    assert.equal(wrong.status, 401);
  });

  it('names one GCE project in the exports and the key file, for an account with capitals and spaces in its name', async () => {
    const cs = await httpLogin(s.endpoint);
    const made = await cs.call('createAccount', {
      accounttype: '0',
      account: 'Team Blue',
      username: 'blue',
      password: 'pw',
      email: 'b@x',
      firstname: 'b',
      lastname: 'b',
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal((await cs.call('registerUserKeys', { id: made.body.account.user[0].id })).status, 200);
    const basic = { authorization: `Basic ${Buffer.from('blue:pw').toString('base64')}` };
    const creds = (await (await fetch(`${s.url}/_polystack/credentials`, { headers: basic })).json()) as Record<
      string,
      string
    >;
    const file = (await (
      await fetch(`${s.url}/_polystack/credentials/gce-key`, { method: 'POST', headers: basic })
    ).json()) as Record<string, string>;
    assert.equal(creds['gceProject'], 'team-blue');
    assert.equal(file['project_id'], creds['gceProject']);
  });

  it(
    '@google-cloud/compute runs with GOOGLE_APPLICATION_CREDENTIALS, only the endpoint options changed',
    { timeout: 120_000 },
    async () => {
      for (const k of ['GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_CLOUD_UNIVERSE_DOMAIN']) process.env[k] = exported[k];
      // The endpoint options: where (apiEndpoint, port, protocol) and which universe (gax reads GOOGLE_CLOUD_UNIVERSE_DOMAIN
      // for the client but does not pass it on to its universe check, so the option is given too).
      const endpoint = {
        apiEndpoint: new URL(s.url).hostname,
        port: Number(new URL(s.url).port),
        protocol: 'http',
        universeDomain: exported['GOOGLE_CLOUD_UNIVERSE_DOMAIN'],
      };
      const instances = new InstancesClient(endpoint);
      const project = await instances.getProjectId();
      assert.equal(project, 'admin');
      const [op] = await instances.insert({
        project,
        zone: ZONE,
        instanceResource: {
          name: 'sa-1',
          machineType: `zones/${ZONE}/machineTypes/small-instance`,
          disks: [
            {
              boot: true,
              initializeParams: { sourceImage: 'projects/ubuntu-os-cloud/global/images/family/ubuntu-2204-lts' },
            },
          ],
          networkInterfaces: [{ network: 'global/networks/default' }],
        },
      });
      const ops = new ZoneOperationsClient(endpoint);
      let [cur] = await ops.wait({ project, zone: ZONE, operation: op.latestResponse.name! });
      while (cur.status !== 'DONE') [cur] = await ops.wait({ project, zone: ZONE, operation: op.latestResponse.name! });
      assert.ok(!cur.error, JSON.stringify(cur.error));
      const [list] = await instances.list({ project, zone: ZONE });
      assert.deepEqual(
        list.map((i) => i.name),
        ['sa-1'],
      );
      await instances.close();
      await ops.close();
    },
  );

  it('googleapis with GoogleAuth, a key file and scopes', async () => {
    const auth = new google.auth.GoogleAuth({ keyFile, scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
    const gce = google.compute({ version: 'v1', auth, rootUrl: `${s.url}/` });
    const items = (await gce.instances.list({ project: 'admin', zone: ZONE })).data.items ?? [];
    assert.deepEqual(
      items.map((i) => i.name),
      ['sa-1'],
    );
  });

  it(
    'google-api-python-client (Debian) with google.oauth2.service_account lists instances',
    { timeout: 60_000 },
    async () => {
      try {
        const r = await run('/usr/bin/python3', [SCENARIO], {
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            GCE_URL: s.url,
            GCE_ZONE: ZONE,
            GCE_INSTANCE: 'sa-1',
            GOOGLE_APPLICATION_CREDENTIALS: keyFile,
          },
          timeout: 60_000,
        });
        assert.match(r.stdout, /PASS$/m);
        assert.ok(r.stdout.includes(`token from ${s.url}/token`), r.stdout);
      } catch (e: any) {
        assert.fail(`python scenario failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    },
  );

  describe('the jwt-bearer grant refuses what Google refuses', () => {
    const grant = async (assertion: string) => {
      const res = await fetch(`${s.url}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    const now = () => Math.floor(Date.now() / 1000);
    const claims = (over: Record<string, unknown> = {}) => ({
      iss: key['client_email'],
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: key['token_uri'],
      iat: now(),
      exp: now() + 3600,
      ...over,
    });

    it('a well-formed assertion buys a bearer token the GCE front takes', async () => {
      const ok = await grant(jwt(claims(), key['private_key']!, key['private_key_id']));
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body['token_type'], 'Bearer');
      assert.equal(ok.body['refresh_token'], undefined);
      const zones = await fetch(`${s.url}/compute/v1/projects/admin/zones`, {
        headers: { authorization: `Bearer ${ok.body['access_token']}` },
      });
      assert.equal(zones.status, 200);
    });

    it('a bad signature', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const r = await grant(jwt(claims(), other, key['private_key_id']));
      assert.deepEqual(
        [r.status, r.body['error'], r.body['error_description']],
        [400, 'invalid_grant', 'Invalid JWT Signature.'],
      );
      // A signature over other claims is as bad: the payload swapped under a real signature.
      const real = jwt(claims(), key['private_key']!, key['private_key_id']).split('.');
      const forged = [
        real[0],
        Buffer.from(JSON.stringify(claims({ exp: now() + 3000 }))).toString('base64url'),
        real[2],
      ].join('.');
      assert.equal((await grant(forged)).body['error_description'], 'Invalid JWT Signature.');
    });

    it('expired, too long-lived, or from the future', async () => {
      const timeframe = /^Invalid JWT: Token must be a short-lived token \(60 minutes\) and in a reasonable timeframe/;
      for (const over of [
        { iat: now() - 7200, exp: now() - 3600 },
        { exp: now() + 7200 },
        { iat: now() + 3600, exp: now() + 7000 },
      ]) {
        const r = await grant(jwt(claims(over), key['private_key']!, key['private_key_id']));
        assert.equal(r.status, 400);
        assert.equal(r.body['error'], 'invalid_grant');
        assert.match(r.body['error_description']!, timeframe, JSON.stringify(over));
      }
    });

    it('a wrong audience, no scope, an unknown issuer', async () => {
      const aud = await grant(
        jwt(claims({ aud: 'https://oauth2.googleapis.com/token' }), key['private_key']!, key['private_key_id']),
      );
      assert.equal(aud.status, 400);
      assert.match(aud.body['error_description']!, /^Invalid JWT: Failed audience check/);
      const { scope: _s, ...noScope } = claims();
      const scope = await grant(jwt(noScope, key['private_key']!, key['private_key_id']));
      assert.deepEqual([scope.status, scope.body['error']], [400, 'invalid_scope']);
      const who = await grant(
        jwt(claims({ iss: 'nobody@admin.iam.gserviceaccount.com' }), key['private_key']!, key['private_key_id']),
      );
      assert.deepEqual([who.status, who.body['error_description']], [400, 'Invalid grant: account not found']);
    });

    it('a self-signed JWT is a bearer token only with the service as its audience, unexpired', async () => {
      const call = (token: string) =>
        fetch(`${s.url}/compute/v1/projects/admin/zones`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.status,
        );
      const base = { iss: key['client_email'], sub: key['client_email'], iat: now(), exp: now() + 3600 };
      assert.equal(
        await call(
          jwt({ ...base, aud: 'https://compute.googleapis.com/' }, key['private_key']!, key['private_key_id']),
        ),
        200,
      );
      assert.equal(
        await call(
          jwt({ ...base, aud: 'https://storage.googleapis.com/' }, key['private_key']!, key['private_key_id']),
        ),
        401,
      );
      assert.equal(
        await call(
          jwt(
            { ...base, aud: 'https://compute.googleapis.com/', iat: now() - 7200, exp: now() - 3600 },
            key['private_key']!,
            key['private_key_id'],
          ),
        ),
        401,
      );
    });
  });
});
