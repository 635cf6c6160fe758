import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { google, type compute_v1 } from 'googleapis';
import { OAuth2Client } from 'google-auth-library';
import { startServer, type TestServer } from '../helpers/server.js';
import { startProcess, stopped } from '../helpers/process.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

const ZONE = 'sandbox-simulator-basic';
const GiB = 2 ** 30;

/**
 * What maps onto CloudStack works through `polystack gce-gateway` in front of another polystack
 * acting as "the real CloudStack": snapshots and disks from them, setMachineType, instances from a
 * template (kept by the gateway), each checked on the remote cloud through its CloudStack API.
 */
describe('polystack gce-gateway: snapshots, machine types, templates', () => {
  let cloud: TestServer;
  let dir: string;
  let gw: { child: ChildProcess; url: string };
  let gce: compute_v1.Compute;
  let cs: HttpSession;
  const project = 'admin';
  before(async () => {
    cloud = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    dir = mkdtempSync(join(tmpdir(), 'gce-gateway-compute-'));
    gw = await startProcess(['gce-gateway', '--cloudstack', cloud.endpoint, '--port', '0', '--data-dir', dir]);
    const res = await fetch(`${gw.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: cloud.apiKey,
        client_secret: cloud.secretKey,
      }),
    });
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: ((await res.json()) as { access_token: string }).access_token });
    gce = google.compute({ version: 'v1', auth, rootUrl: `${gw.url}/` });
    cs = await httpLogin(cloud.endpoint);
  });
  after(async () => {
    await stopped(gw.child);
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const wait = async (op: compute_v1.Schema$Operation) => {
    const done = op.zone
      ? (await gce.zoneOperations.wait({ project, zone: ZONE, operation: op.name! })).data
      : (await gce.globalOperations.wait({ project, operation: op.name! })).data;
    assert.equal(done.status, 'DONE');
    assert.equal(done.error, undefined, JSON.stringify(done.error));
    return done;
  };
  const csVm = async (name: string) => (await cs.call('listVirtualMachines', { name })).body.virtualmachine[0];

  it('makes an instance from a template, changes its machine type, snapshots its disk and makes a disk from the snapshot', async () => {
    await wait(
      (
        await gce.instanceTemplates.insert({
          project,
          requestBody: {
            name: 'gw-tpl',
            properties: {
              machineType: 'small-instance',
              labels: { via: 'template' },
              disks: [
                {
                  boot: true,
                  initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' },
                },
              ],
            },
          },
        })
      ).data,
    );
    await wait(
      (
        await gce.instances.insert({
          project,
          zone: ZONE,
          sourceInstanceTemplate: 'global/instanceTemplates/gw-tpl',
          requestBody: { name: 'gw-vm' },
        })
      ).data,
    );
    let row = await csVm('gw-vm');
    assert.deepEqual(
      [row.state, row.serviceofferingname, row.tags.map((t: any) => t.key)],
      ['Running', 'Small Instance', ['via']],
    );

    await wait((await gce.instances.stop({ project, zone: ZONE, instance: 'gw-vm' })).data);
    await wait(
      (
        await gce.instances.setMachineType({
          project,
          zone: ZONE,
          instance: 'gw-vm',
          requestBody: { machineType: `zones/${ZONE}/machineTypes/medium-instance` },
        })
      ).data,
    );
    row = await csVm('gw-vm');
    assert.equal(row.serviceofferingname, 'Medium Instance');
    assert.match(
      (await gce.instances.get({ project, zone: ZONE, instance: 'gw-vm' })).data.machineType!,
      /medium-instance$/,
    );

    await wait(
      (
        await gce.disks.createSnapshot({
          project,
          zone: ZONE,
          disk: 'gw-vm',
          requestBody: { name: 'gw-snap', labels: { via: 'gateway' } },
        })
      ).data,
    );
    const snap = (await gce.snapshots.get({ project, snapshot: 'gw-snap' })).data;
    const [csSnap] = (await cs.call('listSnapshots', { name: 'gw-snap' })).body.snapshot;
    assert.deepEqual(
      [snap.status, csSnap.state, csSnap.volumetype, csSnap.tags[0].key],
      ['READY', 'BackedUp', 'ROOT', 'via'],
    );

    await wait(
      (
        await gce.disks.insert({
          project,
          zone: ZONE,
          requestBody: { name: 'gw-restored', sourceSnapshot: 'global/snapshots/gw-snap' },
        })
      ).data,
    );
    const [vol] = (await cs.call('listVolumes', { name: 'gw-restored' })).body.volume;
    assert.deepEqual([vol.snapshotid, vol.size / GiB], [csSnap.id, Number(snap.diskSizeGb)]);
    assert.equal(
      (await gce.disks.get({ project, zone: ZONE, disk: 'gw-restored' })).data.sourceSnapshot,
      snap.selfLink,
    );

    await wait((await gce.snapshots.delete({ project, snapshot: 'gw-snap' })).data);
    assert.equal((await cs.call('listSnapshots', { name: 'gw-snap' })).body.snapshot, undefined);
  });
});
