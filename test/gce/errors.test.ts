import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalPort } from '../../src/bridge/local.js';
import type { CsAnswer } from '../../src/bridge/port.js';
import { wireCall } from '../../src/bridge/wire-call.js';
import { gceWorld, instanceBody, waitOp, ZONE, type GceWorld } from './inprocess.js';

/** Bad input gets Compute Engine's error, and leaves nothing behind on the CloudStack side. */
describe('GCE front: errors', () => {
  let g: GceWorld;
  const vms = async () =>
    (await wireCall(new LocalPort(g.w.s), g.admin, 'listVirtualMachines', { listall: true })).body?.virtualmachine ??
    [];
  const keyPairs = async () =>
    (await wireCall(new LocalPort(g.w.s), g.admin, 'listSSHKeyPairs', {})).body?.sshkeypair ?? [];
  /** A CloudStack answer the test reads loosely (admin commands wire.ts does not describe). */
  const body = (r: CsAnswer) => r.body as Record<string, any>;
  const isError = (r: { status: number; body: any }, code: number, reason: string, message?: RegExp) => {
    assert.equal(r.status, code, JSON.stringify(r.body));
    assert.equal(r.body.error.code, code);
    assert.equal(r.body.error.errors[0].reason, reason);
    assert.equal(r.body.error.errors[0].domain, 'global');
    if (message) assert.match(r.body.error.message, message);
  };
  /** An access token for another user's key pair, from the token endpoint. */
  const tokenFor = async (keys: { apikey: string; secretkey: string }): Promise<string> =>
    (
      await g.app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: keys.apikey,
          client_secret: keys.secretkey,
        }).toString(),
      })
    ).json().access_token;
  before(async () => {
    g = await gceWorld();
  });
  after(() => g.close());

  it('401 without a token, with an unknown one, and with an expired one', async () => {
    isError(
      await g.call('GET', 'admin/zones', undefined, null),
      401,
      'required',
      /missing required authentication credential/,
    );
    isError(
      await g.call('GET', 'admin/zones', undefined, 'ya29.nope'),
      401,
      'authError',
      /invalid authentication credentials/,
    );
    const issued = await g.app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: g.admin.apiKey,
        client_secret: g.admin.secretKey,
      }).toString(),
    });
    const token = issued.json().access_token as string;
    assert.equal((await g.call('GET', 'admin/zones', undefined, token)).status, 200);
    g.w.clock.advance(3601_000);
    isError(await g.call('GET', 'admin/zones', undefined, token), 401, 'authError');
  });

  it('the token endpoint refuses a wrong secret, an unknown grant and a reused code', async () => {
    const post = (form: Record<string, string>) =>
      g.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(form).toString(),
      });
    const bad = await post({ grant_type: 'client_credentials', client_id: g.admin.apiKey, client_secret: 'wrong' });
    assert.deepEqual([bad.statusCode, bad.json().error], [401, 'invalid_client']);
    assert.equal(
      (await post({ grant_type: 'password', client_id: 'x', client_secret: 'y' })).json().error,
      'unsupported_grant_type',
    );
    const code = (
      await g.app.inject({
        method: 'GET',
        url: `/oauth2/auth?response_type=code&client_id=${encodeURIComponent(g.admin.apiKey)}`,
      })
    ).body.trim();
    const first = await post({
      grant_type: 'authorization_code',
      code,
      client_id: g.admin.apiKey,
      client_secret: g.admin.secretKey,
    });
    assert.ok(first.json().refresh_token);
    assert.equal(
      (
        await post({
          grant_type: 'authorization_code',
          code,
          client_id: g.admin.apiKey,
          client_secret: g.admin.secretKey,
        })
      ).json().error,
      'invalid_grant',
    );
    const refreshed = await post({
      grant_type: 'refresh_token',
      refresh_token: first.json().refresh_token,
      client_id: g.admin.apiKey,
      client_secret: g.admin.secretKey,
    });
    assert.match(refreshed.json().access_token, /^ya29\./);
  });

  it('refuses bad names, unknown machine types and images, malformed bodies — creating nothing', async () => {
    const at = `admin/zones/${ZONE}/instances`;
    isError(
      await g.call('POST', at, instanceBody('Bad_Name')),
      400,
      'invalid',
      /Invalid value for field 'resource.name': 'Bad_Name'. Must be a match of regex/,
    );
    isError(
      await g.call('POST', at, { ...instanceBody('ok-name'), machineType: `zones/${ZONE}/machineTypes/n1-huge` }),
      400,
      'invalid',
      /Machine type with name 'n1-huge' does not exist/,
    );
    isError(
      await g.call(
        'POST',
        at,
        instanceBody('ok-name', {
          disks: [
            { boot: true, initializeParams: { sourceImage: 'projects/debian-cloud/global/images/family/debian-12' } },
          ],
        }),
      ),
      404,
      'notFound',
      /projects\/debian-cloud\/global\/images\/family\/debian-12' was not found/,
    );
    isError(await g.call('POST', at, '{"name": "x",'), 400, 'parseError');
    isError(await g.call('POST', at, { name: 'no-type' }), 400, 'required', /resource.machineType/);
    isError(
      await g.call('POST', at, instanceBody('ok-name', { labels: { Env: 'x' } })),
      400,
      'invalid',
      /resource.labels/,
    );
    isError(
      await g.call(
        'POST',
        at,
        instanceBody('ok-name', { metadata: { items: [{ key: 'ssh-keys', value: 'not a key' }] } }),
      ),
      400,
      'invalid',
      /ssh key/,
    );
    isError(
      await g.call('POST', at, instanceBody('ok-name', { networkInterfaces: [{ network: 'global/networks/other' }] })),
      404,
      'notFound',
    );
    isError(
      await g.call('GET', `admin/zones/no-such-zone/instances`),
      404,
      'notFound',
      /projects\/admin\/zones\/no-such-zone/,
    );
    assert.deepEqual(await vms(), []);
    assert.deepEqual(await keyPairs(), []);
  });

  it('a duplicate name is 409; a stale fingerprint is 412', async () => {
    const at = `admin/zones/${ZONE}/instances`;
    await waitOp(g, (await g.call('POST', at, instanceBody('dup'))).body);
    isError(
      await g.call('POST', at, instanceBody('dup')),
      409,
      'alreadyExists',
      /The resource 'projects\/admin\/zones\/sandbox-simulator-basic\/instances\/dup' already exists/,
    );
    assert.equal((await vms()).length, 1);
    isError(
      await g.call('POST', `${at}/dup/setMetadata`, { fingerprint: 'stale', items: [] }),
      412,
      'conditionNotMet',
      /metadata fingerprint/,
    );
    isError(await g.call('POST', `${at}/dup/setTags`, { fingerprint: 'stale', items: ['a'] }), 412, 'conditionNotMet');
    isError(
      await g.call('POST', `${at}/dup/setLabels`, { labelFingerprint: 'stale', labels: {} }),
      412,
      'conditionNotMet',
    );
    await waitOp(g, (await g.call('POST', `${at}/dup/stop`)).body);
    isError(await g.call('POST', `${at}/dup/reset`), 400, 'resourceNotReady');
  });

  it('rolls back an insert whose deploy job fails, and says why in the Operation', async () => {
    const zone = (await wireCall(new LocalPort(g.w.s), g.admin, 'listZones', { name: 'Sandbox-simulator-basic' })).body!
      .zone![0]!.id;
    const rule = await g.w.s.faults.add({ effect: 'capacity', zoneId: zone, count: 1 });
    const before = (await vms()).length;
    const op = await g.call(
      'POST',
      `admin/zones/${ZONE}/instances`,
      instanceBody('doomed', {
        metadata: {
          items: [
            {
              key: 'ssh-keys',
              value: 'dora:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRvb21lZC1pbnN0YW5jZS1rZXktZm9yLXJvbGxiYWNr dora',
            },
          ],
        },
      }),
    );
    assert.equal(op.status, 200);
    const done = await waitOp(g, op.body);
    assert.equal(done.error.errors[0].code, 'ZONE_RESOURCE_POOL_EXHAUSTED');
    assert.equal(done.httpErrorStatusCode, 503);
    isError(await g.call('GET', `admin/zones/${ZONE}/instances/doomed`), 404, 'notFound');
    assert.equal((await vms()).filter((v: any) => v.state !== 'Destroyed' && v.state !== 'Expunging').length, before);
    assert.ok(
      !(await keyPairs()).some((k: any) => k.name.startsWith('gce-dora-')),
      'the key pair registered for it is gone',
    );
    await g.w.s.faults.remove(rule.id).catch(() => undefined);
  });

  it("another account's project is forbidden, and its instances are not found in one's own", async () => {
    const port = new LocalPort(g.w.s);
    const acct = await port.call(g.admin, 'createAccount', {
      accounttype: 0,
      username: 'bob',
      password: 'pw',
      email: 'bob@example.com',
      firstname: 'B',
      lastname: 'B',
      account: 'bob',
    });
    const userId = body(acct)['account'].user[0].id;
    const keys = body(await port.call(g.admin, 'registerUserKeys', { id: userId }))['userkeys'];
    const token = await tokenFor(keys);
    isError(
      await g.call('GET', `admin/zones/${ZONE}/instances/dup`, undefined, token),
      403,
      'forbidden',
      /Required 'compute.instances.get' permission for 'projects\/admin'/,
    );
    isError(await g.call('GET', `bob/zones/${ZONE}/instances/dup`, undefined, token), 404, 'notFound');
    const own = await g.call('GET', `bob/zones/${ZONE}/instances`, undefined, token);
    assert.equal(own.status, 200);
    assert.equal(own.body.items, undefined);
  });

  it("an account's resource limit is its quota: 403 quotaExceeded, not a 5xx, and nothing created", async () => {
    const port = new LocalPort(g.w.s);
    const acct = await port.call(g.admin, 'createAccount', {
      accounttype: 0,
      username: 'quota',
      password: 'pw',
      email: 'q@example.com',
      firstname: 'Q',
      lastname: 'Q',
      account: 'quota',
    });
    const { id: userId, domainid } = body(acct)['account'].user[0];
    assert.equal(
      (await port.call(g.admin, 'updateResourceLimit', { account: 'quota', domainid, resourcetype: 0, max: 0 })).status,
      200,
    );
    const keys = body(await port.call(g.admin, 'registerUserKeys', { id: userId }))['userkeys'];
    const token = await tokenFor(keys);
    isError(
      await g.call('POST', `quota/zones/${ZONE}/instances`, instanceBody('over'), token),
      403,
      'quotaExceeded',
      /Maximum amount of resources of Type = 'user_vm'/,
    );
    assert.ok(!(await vms()).some((v: any) => v.account === 'quota'));
  });

  it('unknown paths, operations and filter fields get Google-shaped errors', async () => {
    isError(await g.call('GET', 'admin/global/nonsense'), 404, 'notFound');
    isError(await g.call('GET', `admin/zones/${ZONE}/operations/operation-0-0-0-0`), 404, 'notFound');
    isError(
      await g.call('GET', `admin/zones/${ZONE}/instances?filter=${encodeURIComponent('colour = red')}`),
      400,
      'invalid',
      /unknown field 'colour'/,
    );
    isError(await g.call('GET', `admin/zones/${ZONE}/instances?maxResults=501`), 400, 'invalidParameter');
    isError(await g.call('GET', `admin/zones/${ZONE}/instances?orderBy=status`), 400, 'invalid');
  });
  it('malformed input found by the fuzzer: repeated parameters, odd token requests, a bad list query — no 5xx, nothing written', async () => {
    const at = `admin/zones/${ZONE}/instances`;
    const repeated = await g.call('POST', `${at}?requestId=one&requestId=two`, instanceBody('twice'));
    assert.equal(repeated.status, 200, JSON.stringify(repeated.body));
    await waitOp(g, repeated.body);
    const post = (payload: string, type: string, authorization?: string) =>
      g.app.inject({
        method: 'POST',
        url: '/token',
        headers: { 'content-type': type, ...(authorization ? { authorization } : {}) },
        payload,
      });
    for (const body of [
      'null',
      '[]',
      '"grant"',
      '{"grant_type":"refresh_token","refresh_token":{"a":1}}',
      '{"grant_type":"authorization_code","code":[1]}',
    ]) {
      const r = await post(body, 'application/json');
      assert.equal(r.statusCode, 400, `${body} → ${r.body}`);
    }
    const badBasic = await post(
      'grant_type=client_credentials',
      'application/x-www-form-urlencoded',
      `Basic ${Buffer.from('%E0%A4%A:%zz').toString('base64')}`,
    );
    assert.equal(badBasic.statusCode, 401);
    const tokens = async () =>
      Number(
        (
          await g.store.db
            .selectFrom('tokens')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await tokens();
    const badRedirect = await g.app.inject({
      method: 'GET',
      url: '/oauth2/auth?response_type=code&client_id=x&redirect_uri=not%20a%20url',
    });
    assert.equal(badRedirect.statusCode, 400);
    assert.equal(badRedirect.json().error, 'invalid_request');
    assert.equal(await tokens(), before, 'no code issued for a request that was refused');
    const twice = await g.app.inject({ method: 'GET', url: '/oauth2/auth?response_type=code&client_id=a&client_id=b' });
    assert.equal(twice.statusCode, 200);
    const writes = g.store.version();
    isError(await g.call('GET', `admin/zones/${ZONE}/operations?orderBy=nonsense`), 400, 'invalid');
    isError(await g.call('GET', 'admin/aggregated/operations?filter=colour%20%3D%20red'), 400, 'invalid');
    assert.equal(g.store.version(), writes, 'a refused list of operations does not bring them up to date first');
    // `constructor` is not a public image project, though Object.prototype has one.
    for (const project of ['constructor', '__proto__', 'toString'])
      assert.equal((await g.call('GET', `${project}/global/images`)).status, 403, project);
  });
});
