import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { compute_v1 } from 'googleapis';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';
import { googleCompute } from './googleapis-client.js';

const ZONE = 'sandbox-simulator-basic';
const GiB = 2 ** 30;

/** Snapshots (CloudStack volume snapshots) and disks made from them, through googleapis (Node), checked through CloudStack. */
describe('GCE front: snapshots through googleapis (Node)', () => {
  let s: TestServer;
  let gce: compute_v1.Compute;
  let cs: HttpSession;
  const project = 'admin';
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    gce = await googleCompute(s);
    cs = await httpLogin(s.endpoint);
  });
  after(() => s.stop());

  const done = (op: compute_v1.Schema$Operation, status: compute_v1.Schema$Operation) => {
    assert.equal(status.status, 'DONE');
    assert.equal(status.error, undefined, JSON.stringify(status.error));
    assert.equal(status.name, op.name);
    return status;
  };
  const wait = async (op: compute_v1.Schema$Operation) =>
    done(op, (await gce.zoneOperations.wait({ project, zone: ZONE, operation: op.name! })).data);
  const waitGlobal = async (op: compute_v1.Schema$Operation) =>
    done(op, (await gce.globalOperations.wait({ project, operation: op.name! })).data);
  const refused = (p: Promise<unknown>, code: number, reason: string) =>
    assert.rejects(p, (e: any) => {
      assert.equal(e.code, code, e.message);
      assert.equal(e.response.data.error.errors[0].reason, reason, e.message);
      return true;
    });
  const snapshot = async (name: string) => (await gce.snapshots.get({ project, snapshot: name })).data;
  const csSnapshot = async (name: string) => ((await cs.call('listSnapshots', { name })).body.snapshot ?? [])[0];
  const disk = async (name: string) => (await gce.disks.get({ project, zone: ZONE, disk: name })).data;

  it('snapshots a boot disk (CREATING, then READY), lists, labels and deletes it', async () => {
    await wait(
      (
        await gce.instances.insert({
          project,
          zone: ZONE,
          requestBody: {
            name: 'db-1',
            machineType: `zones/${ZONE}/machineTypes/small-instance`,
            disks: [
              { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
            ],
          },
        })
      ).data,
    );
    const boot = await disk('db-1');
    // The copy to secondary storage takes a while, so the snapshot is seen CREATING first.
    assert.equal(
      (await cs.call('configureSimulator', { name: 'CopyCommand', value: 'wait:400', count: '1' })).status,
      200,
    );
    const op = (
      await gce.disks.createSnapshot({
        project,
        zone: ZONE,
        disk: 'db-1',
        requestBody: { name: 'db-1-snap', description: 'nightly', labels: { kind: 'boot' } },
      })
    ).data;
    assert.deepEqual(
      [op.operationType, op.targetLink, op.targetId, op.zone],
      [
        'createSnapshot',
        boot.selfLink,
        boot.id,
        `https://www.googleapis.com/compute/v1/projects/${project}/zones/${ZONE}`,
      ],
    );
    assert.equal((await snapshot('db-1-snap')).status, 'CREATING');
    await wait(op);
    const snap = await snapshot('db-1-snap');
    const vol = (
      await cs.call('listVolumes', {
        virtualmachineid: (await cs.call('listVirtualMachines', { name: 'db-1' })).body.virtualmachine[0].id,
        type: 'ROOT',
      })
    ).body.volume[0];
    assert.deepEqual(
      [
        snap.kind,
        snap.status,
        snap.description,
        snap.sourceDisk,
        snap.sourceDiskId,
        snap.diskSizeGb,
        snap.labels,
        snap.selfLink,
      ],
      [
        'compute#snapshot',
        'READY',
        'nightly',
        boot.selfLink,
        boot.id,
        String(Math.ceil(vol.size / GiB)),
        { kind: 'boot' },
        `https://www.googleapis.com/compute/v1/projects/${project}/global/snapshots/db-1-snap`,
      ],
    );
    assert.match(snap.id!, /^\d+$/);
    assert.ok(snap.creationTimestamp);
    const row = await csSnapshot('db-1-snap');
    assert.deepEqual([row.state, row.volumeid, row.volumetype], ['BackedUp', vol.id, 'ROOT']);
    assert.equal(snap.storageBytes, String(row.physicalsize));
    assert.ok(Number(snap.storageBytes) > 0);
    assert.deepEqual(
      row.tags.map((t: any) => [t.key, t.value]),
      [['kind', 'boot']],
    );

    // Refused before CloudStack is asked: a taken name, a bad name, an unknown disk.
    await refused(
      gce.disks.createSnapshot({ project, zone: ZONE, disk: 'db-1', requestBody: { name: 'db-1-snap' } }),
      409,
      'alreadyExists',
    );
    await refused(
      gce.disks.createSnapshot({ project, zone: ZONE, disk: 'db-1', requestBody: { name: 'Bad_Name' } }),
      400,
      'invalid',
    );
    await refused(
      gce.disks.createSnapshot({ project, zone: ZONE, disk: 'nope', requestBody: { name: 'x' } }),
      404,
      'notFound',
    );
    await refused(gce.snapshots.get({ project, snapshot: 'nope' }), 404, 'notFound');
    assert.equal((await snapshot(snap.id!)).name, 'db-1-snap');

    const list = (await gce.snapshots.list({ project })).data;
    assert.equal(list.kind, 'compute#snapshotList');
    assert.deepEqual(
      list.items!.map((x) => x.name),
      ['db-1-snap'],
    );
    assert.equal((await gce.snapshots.list({ project, filter: 'name != db-1-snap' })).data.items, undefined);

    await refused(
      gce.snapshots.setLabels({
        project,
        resource: 'db-1-snap',
        requestBody: { labels: {}, labelFingerprint: 'stale' },
      }),
      412,
      'conditionNotMet',
    );
    const lab = (
      await gce.snapshots.setLabels({
        project,
        resource: 'db-1-snap',
        requestBody: { labels: { kind: 'root', keep: 'yes' }, labelFingerprint: snap.labelFingerprint },
      })
    ).data;
    assert.equal((await waitGlobal(lab)).operationType, 'setLabels');
    assert.deepEqual((await snapshot('db-1-snap')).labels, { keep: 'yes', kind: 'root' });
    assert.deepEqual((await csSnapshot('db-1-snap')).tags.map((t: any) => t.key).sort(), ['keep', 'kind']);

    const del = (await gce.snapshots.delete({ project, snapshot: 'db-1-snap' })).data;
    assert.deepEqual([del.operationType, del.zone], ['delete', undefined]);
    await waitGlobal(del);
    await refused(snapshot('db-1-snap'), 404, 'notFound');
    assert.equal(await csSnapshot('db-1-snap'), undefined);
  });

  it('inserts a global snapshot of a data disk and makes disks from snapshots', async () => {
    await wait((await gce.disks.insert({ project, zone: ZONE, requestBody: { name: 'data-1', sizeGb: '6' } })).data);
    const data = await disk('data-1');
    await refused(gce.snapshots.insert({ project, requestBody: { name: 'data-snap' } }), 400, 'required');
    // A disk never attached has not been written out by CloudStack yet.
    await refused(
      gce.snapshots.insert({ project, requestBody: { name: 'data-snap', sourceDisk: data.selfLink } }),
      400,
      'unsupportedOperation',
    );
    await wait(
      (
        await gce.instances.attachDisk({
          project,
          zone: ZONE,
          instance: 'db-1',
          requestBody: { source: data.selfLink, deviceName: 'data' },
        })
      ).data,
    );
    const ins = (
      await gce.snapshots.insert({
        project,
        requestBody: { name: 'data-snap', sourceDisk: `projects/${project}/zones/${ZONE}/disks/data-1` },
      })
    ).data;
    assert.deepEqual([ins.operationType, ins.zone], ['insert', undefined]);
    await waitGlobal(ins);
    const snap = await snapshot('data-snap');
    assert.deepEqual(
      [snap.status, snap.diskSizeGb, snap.sourceDisk, snap.id],
      ['READY', '6', data.selfLink, ins.targetId],
    );

    await refused(
      gce.disks.insert({
        project,
        zone: ZONE,
        requestBody: { name: 'from-snap', sourceSnapshot: 'global/snapshots/data-snap', sizeGb: '3' },
      }),
      400,
      'invalid',
    );
    await refused(
      gce.disks.insert({
        project,
        zone: ZONE,
        requestBody: { name: 'from-snap', sourceSnapshot: 'global/snapshots/data-snap', sizeGb: '9' },
      }),
      400,
      'unsupportedOperation',
    );
    await refused(
      gce.disks.insert({
        project,
        zone: ZONE,
        requestBody: { name: 'from-snap', sourceSnapshot: 'global/snapshots/nope' },
      }),
      404,
      'notFound',
    );
    await refused(
      gce.disks.insert({
        project,
        zone: 'sandbox-simulator-advanced',
        requestBody: { name: 'from-snap', sourceSnapshot: 'global/snapshots/data-snap' },
      }),
      400,
      'unsupportedOperation',
    );
    const made = (
      await gce.disks.insert({
        project,
        zone: ZONE,
        requestBody: { name: 'from-snap', sourceSnapshot: snap.selfLink, labels: { from: 'snap' } },
      })
    ).data;
    await wait(made);
    const d = await disk('from-snap');
    assert.deepEqual(
      [d.sizeGb, d.status, d.sourceSnapshot, d.sourceSnapshotId, d.labels, d.id],
      ['6', 'READY', snap.selfLink, snap.id, { from: 'snap' }, made.targetId],
    );
    const [vol] = (await cs.call('listVolumes', { name: 'from-snap' })).body.volume;
    assert.deepEqual([vol.snapshotid, vol.size], [(await csSnapshot('data-snap')).id, 6 * GiB]);

    // A boot-disk snapshot makes a disk of any larger size.
    await wait(
      (await gce.disks.createSnapshot({ project, zone: ZONE, disk: 'db-1', requestBody: { name: 'root-snap' } })).data,
    );
    const rootGb = Number((await snapshot('root-snap')).diskSizeGb);
    await wait(
      (
        await gce.disks.insert({
          project,
          zone: ZONE,
          requestBody: { name: 'bigger', sourceSnapshot: 'global/snapshots/root-snap', sizeGb: String(rootGb + 5) },
        })
      ).data,
    );
    assert.equal((await disk('bigger')).sizeGb, String(rootGb + 5));
    assert.equal((await cs.call('listVolumes', { name: 'bigger' })).body.volume[0].size, (rootGb + 5) * GiB);

    // A snapshot outlives its disk, still naming it.
    await wait((await gce.instances.detachDisk({ project, zone: ZONE, instance: 'db-1', deviceName: 'data' })).data);
    await wait((await gce.disks.delete({ project, zone: ZONE, disk: 'data-1' })).data);
    assert.deepEqual(
      [(await snapshot('data-snap')).sourceDisk, (await snapshot('data-snap')).status],
      [data.selfLink, 'READY'],
    );
  });

  it('shows a snapshot made through CloudStack', async () => {
    const vm = (await cs.call('listVirtualMachines', { name: 'db-1' })).body.virtualmachine[0];
    const root = (await cs.call('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    const made = await cs.call('createSnapshot', { volumeid: root.id, name: 'By CloudStack' });
    for (
      let i = 0;
      i < 300 && (await cs.call('queryAsyncJobResult', { jobid: made.body.jobid })).body.jobstatus === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 20));
    const snap = await snapshot('by-cloudstack');
    assert.deepEqual(
      [snap.status, snap.description, snap.sourceDisk],
      ['READY', '', `https://www.googleapis.com/compute/v1/projects/${project}/zones/${ZONE}/disks/db-1`],
    );
  });

  it('lists the snapshot methods in the discovery document', async () => {
    const doc = (await (await fetch(`${s.url}/discovery/v1/apis/compute/v1/rest`)).json()) as any;
    for (const m of ['get', 'list', 'insert', 'delete', 'setLabels']) assert.ok(doc.resources.snapshots.methods[m], m);
    assert.ok(doc.resources.disks.methods.createSnapshot);
    assert.equal(doc.schemas.Snapshot.properties.storageBytes.format, 'int64');
  });
});
