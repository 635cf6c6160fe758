import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  FirewallsClient,
  GlobalOperationsClient,
  ImagesClient,
  InstancesClient,
  MachineTypesClient,
  ZoneOperationsClient,
  ZonesClient,
} from '@google-cloud/compute';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';

const ZONE = 'sandbox-simulator-basic';
const SSH_KEY =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDpb2x5c3RhY2stY2xvdWQtY29tcHV0ZS10ZXN0LWtleS1wYWRkaW5nLXBhZGRpbmctcGFkZGluZy1wYWRkaW5nLXBhZGRpbmctcGFkZGluZw== bob@ws';

/**
 * @google-cloud/compute (GAPIC over REST: apiEndpoint, port, protocol 'http'), authorized the way
 * gstack's users were: /oauth2/auth hands out a code, google-auth-library exchanges it at
 * polystack's token URI for an access and a refresh token, and refreshes on its own.
 */
describe('GCE front through @google-cloud/compute', () => {
  let s: TestServer;
  let auth: OAuth2Client;
  let opts: NonNullable<ConstructorParameters<typeof ZonesClient>[0]>;
  const project = 'admin';
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    auth = new OAuth2Client({
      clientId: s.apiKey,
      clientSecret: s.secretKey,
      redirectUri: 'http://127.0.0.1:9/cb',
      endpoints: { oauth2TokenUrl: `${s.url}/token` },
    });
    const consent = await fetch(
      `${s.url}/oauth2/auth?${new URLSearchParams({ response_type: 'code', client_id: s.apiKey, redirect_uri: 'http://127.0.0.1:9/cb', state: 'xyz' })}`,
      { redirect: 'manual' },
    );
    assert.equal(consent.status, 302);
    const back = new URL(consent.headers.get('location')!);
    assert.equal(back.searchParams.get('state'), 'xyz');
    const { tokens } = await auth.getToken(back.searchParams.get('code')!);
    assert.ok(tokens.access_token && tokens.refresh_token);
    // Only the refresh token is kept: the library must fetch access tokens from polystack itself.
    auth.setCredentials({ refresh_token: tokens.refresh_token });
    opts = {
      apiEndpoint: new URL(s.url).hostname,
      port: Number(new URL(s.url).port),
      protocol: 'http',
      authClient: auth,
    };
  });
  after(() => s.stop());

  it('runs the scenario with typed clients and their wait()', async () => {
    const zones = new ZonesClient(opts);
    const [zl] = await zones.list({ project });
    assert.deepEqual(
      zl.map((z) => z.name),
      ['sandbox-simulator-advanced', 'sandbox-simulator-basic'],
    );
    const [types] = await new MachineTypesClient(opts).list({ project, zone: ZONE });
    assert.equal(types.find((t) => t.name === 'large-instance')?.guestCpus, 2);
    const [images] = await new ImagesClient(opts).list({ project });
    const centos = images.find((i) => i.name?.startsWith('centos'))!;
    assert.equal(centos.family, 'centos-5');

    const [fwOp] = await new FirewallsClient(opts).insert({
      project,
      firewallResource: { name: 'web', allowed: [{ IPProtocol: 'tcp', ports: ['80', '443'] }] },
    });
    const [fwDone] = await new GlobalOperationsClient(opts).wait({ project, operation: fwOp.latestResponse.name });
    assert.equal(fwDone.status, 'DONE');

    const instances = new InstancesClient(opts);
    const zoneOps = new ZoneOperationsClient(opts);
    const run = async (p: Promise<[{ latestResponse: { name?: string | null } }, ...unknown[]]>) => {
      const [op] = await p;
      let [cur] = await zoneOps.wait({ project, zone: ZONE, operation: op.latestResponse.name! });
      while (cur.status !== 'DONE')
        [cur] = await zoneOps.wait({ project, zone: ZONE, operation: op.latestResponse.name! });
      assert.ok(!cur.error, JSON.stringify(cur.error));
      return cur;
    };
    const inserted = await run(
      instances.insert({
        project,
        zone: ZONE,
        instanceResource: {
          name: 'api-1',
          machineType: `zones/${ZONE}/machineTypes/medium-instance`,
          disks: [
            { boot: true, initializeParams: { sourceImage: `projects/${project}/global/images/${centos.name}` } },
          ],
          networkInterfaces: [{ network: 'global/networks/default' }],
          metadata: {
            items: [
              { key: 'startup-script', value: 'echo from-gapic' },
              { key: 'ssh-keys', value: `bob:${SSH_KEY}` },
            ],
          },
        },
      }),
    );
    assert.equal(inserted.operationType, 'insert');
    let [vm] = await instances.get({ project, zone: ZONE, instance: 'api-1' });
    assert.equal(vm.status, 'RUNNING');
    assert.match(String(vm.id), /^\d+$/);
    assert.equal(String(vm.id), String(inserted.targetId));

    await run(instances.stop({ project, zone: ZONE, instance: 'api-1' }));
    assert.equal((await instances.get({ project, zone: ZONE, instance: 'api-1' }))[0].status, 'TERMINATED');
    await run(instances.start({ project, zone: ZONE, instance: 'api-1' }));
    await run(instances.reset({ project, zone: ZONE, instance: 'api-1' }));
    [vm] = await instances.get({ project, zone: ZONE, instance: 'api-1' });
    assert.equal(vm.status, 'RUNNING');

    await run(
      instances.setLabels({
        project,
        zone: ZONE,
        instance: 'api-1',
        instancesSetLabelsRequestResource: { labels: { tier: 'api' }, labelFingerprint: vm.labelFingerprint },
      }),
    );
    await run(
      instances.setMetadata({
        project,
        zone: ZONE,
        instance: 'api-1',
        metadataResource: {
          fingerprint: vm.metadata!.fingerprint,
          items: [{ key: 'startup-script', value: 'echo changed' }],
        },
      }),
    );
    [vm] = await instances.get({ project, zone: ZONE, instance: 'api-1' });
    assert.deepEqual(vm.labels, { tier: 'api' });
    assert.deepEqual(
      vm.metadata!.items!.map((i) => [i.key, i.value]),
      [['startup-script', 'echo changed']],
    );
    // A stale fingerprint is refused.
    await assert.rejects(
      instances.setLabels({
        project,
        zone: ZONE,
        instance: 'api-1',
        instancesSetLabelsRequestResource: { labels: {}, labelFingerprint: 'AAAAAAAAAAA=' },
      }),
      (e: any) => e.code === 412,
    );

    const [serial] = await instances.getSerialPortOutput({ project, zone: ZONE, instance: 'api-1' });
    assert.match(serial.contents!, /\+ echo changed/);

    const [list] = await instances.list({ project, zone: ZONE });
    assert.deepEqual(
      list.map((i) => i.name),
      ['api-1'],
    );
    await run(instances.delete({ project, zone: ZONE, instance: 'api-1' }));
    await assert.rejects(instances.get({ project, zone: ZONE, instance: 'api-1' }), (e: any) => e.code === 404);
  });

  it('refreshes an expired access token through the token URI', async () => {
    const before = auth.credentials.access_token;
    assert.ok(before);
    // Make the library think its token has run out; it must ask polystack's /token again.
    auth.setCredentials({ ...auth.credentials, expiry_date: Date.now() - 1000 });
    const [zl] = await new ZonesClient(opts).list({ project });
    assert.equal(zl.length, 2);
    assert.notEqual(auth.credentials.access_token, before);
  });
});
