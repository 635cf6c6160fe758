import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { google, type compute_v1 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';
import { startProcess, stopped } from '../helpers/process.js';
import { httpLogin } from '../helpers/session.js';

const ZONE = 'sandbox-simulator-basic';

const startGateway = (cloudstack: string, dataDir: string) =>
  startProcess(['gce-gateway', '--cloudstack', cloudstack, '--port', '0', '--data-dir', dataDir]);

/** The GCE front as a gateway in front of a separate polystack process acting as "the real CloudStack". */
describe('polystack gce-gateway', () => {
  let cloud: TestServer;
  let dir: string;
  let gw: { child: ChildProcess; url: string };
  before(async () => {
    cloud = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    dir = mkdtempSync(join(tmpdir(), 'gce-gateway-'));
    gw = await startGateway(cloud.endpoint, dir);
  });
  after(async () => {
    await stopped(gw.child);
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (url: string, token: string) => {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: token });
    return google.compute({ version: 'v1', auth, rootUrl: `${url}/` });
  };

  it('creates an instance on the remote cloud, visible there through CloudStack; tokens, ids and operations survive a restart', async () => {
    const res = await fetch(`${gw.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: cloud.apiKey,
        client_secret: cloud.secretKey,
      }),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    let gce: compute_v1.Compute = client(gw.url, token);
    const zones = (await gce.zones.list({ project: 'admin' })).data.items!.map((z) => z.name);
    assert.deepEqual(zones, ['sandbox-simulator-advanced', 'sandbox-simulator-basic']);
    const op = (
      await gce.instances.insert({
        project: 'admin',
        zone: ZONE,
        requestBody: {
          name: 'gw-1',
          machineType: `zones/${ZONE}/machineTypes/small-instance`,
          labels: { via: 'gateway' },
          disks: [
            { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
          ],
          metadata: { items: [{ key: 'startup-script', value: '#!/bin/sh\necho through-the-gateway' }] },
        },
      })
    ).data;
    assert.equal(
      (await gce.zoneOperations.wait({ project: 'admin', zone: ZONE, operation: op.name! })).data.status,
      'DONE',
    );
    const vm = (await gce.instances.get({ project: 'admin', zone: ZONE, instance: 'gw-1' })).data;
    assert.equal(vm.status, 'RUNNING');

    const cs = await httpLogin(cloud.endpoint);
    const csVm = (await cs.call('listVirtualMachines', { name: 'gw-1' })).body.virtualmachine[0];
    assert.equal(csVm.state, 'Running');
    assert.equal(csVm.ipaddress, vm.networkInterfaces![0]!.networkIP);
    assert.deepEqual(
      csVm.tags.map((t: any) => [t.key, t.value]),
      [['via', 'gateway']],
    );
    const ud = (await cs.call('getVirtualMachineUserData', { virtualmachineid: csVm.id })).body.virtualmachineuserdata
      .userdata;
    assert.equal(Buffer.from(ud, 'base64').toString(), '#!/bin/sh\necho through-the-gateway');

    await stopped(gw.child);
    gw = await startGateway(cloud.endpoint, dir);
    gce = client(gw.url, token);
    const again = (await gce.instances.get({ project: 'admin', zone: ZONE, instance: 'gw-1' })).data;
    assert.equal(again.id, vm.id, 'the numeric id is the same after a restart');
    assert.equal(
      (await gce.zoneOperations.get({ project: 'admin', zone: ZONE, operation: op.name! })).data.status,
      'DONE',
    );

    await gce.zoneOperations.wait({
      project: 'admin',
      zone: ZONE,
      operation: (await gce.instances.delete({ project: 'admin', zone: ZONE, instance: 'gw-1' })).data.name!,
    });
    await assert.rejects(
      gce.instances.get({ project: 'admin', zone: ZONE, instance: 'gw-1' }),
      (e: any) => e.code === 404,
    );
  });

  it('issues service-account key files whose JWTs the gateway exchanges for tokens', async () => {
    const issued = await fetch(`${gw.url}/_polystack/gce/service-account-keys`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: cloud.apiKey, client_secret: cloud.secretKey }),
    });
    assert.equal(issued.status, 200);
    const key = (await issued.json()) as Record<string, string>;
    assert.equal(key['token_uri'], `${gw.url}/token`);
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: key['private_key_id'] })}.${b64({ iss: key['client_email'], aud: key['token_uri'], scope: 'https://www.googleapis.com/auth/compute', iat: now, exp: now + 600 })}`;
    const assertion = `${head}.${createSign('RSA-SHA256').update(head).sign(key['private_key']!).toString('base64url')}`;
    const res = await fetch(key['token_uri']!, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    });
    assert.equal(res.status, 200);
    const { access_token: token } = (await res.json()) as { access_token: string };
    assert.ok((await client(gw.url, token).zones.list({ project: 'admin' })).data.items!.length >= 2);
  });

  it('refuses a key pair the remote cloud does not know', async () => {
    const res = await fetch(`${gw.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: cloud.apiKey, client_secret: 'wrong' }),
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_client');
  });
});
