import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';

const GiB = 1024 ** 3;

describe('volume snapshots and VM snapshots through the CloudStack API', () => {
  let w: World;
  let api: Api;
  let custom: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    api = await apiSession(w);
    custom = (await api('listDiskOfferings', {})).body.diskoffering.find((o: any) => o.iscustomized).id;
  });
  after(() => w.close());

  const deploy = async () =>
    (
      await runJob(w, api, 'deployVirtualMachine', {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;

  it('snapshots a data disk, makes a volume of it, reverts the disk and deletes the snapshot', async () => {
    const vm = await deploy();
    const v = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 3 }))
      .jobresult.volume;
    await runJob(w, api, 'attachVolume', { id: v.id, virtualmachineid: vm.id });
    const c = await api('createSnapshot', { volumeid: v.id });
    assert.equal(c.status, 200);
    assert.ok(c.body.id && c.body.jobid);
    const pending = (await api('listSnapshots', { id: c.body.id })).body.snapshot[0];
    assert.ok(['Allocated', 'Creating'].includes(pending.state), pending.state);
    assert.match(pending.name, new RegExp(`^${vm.name}_${v.name}_\\d{14}$`));
    await finish(w, c.body.jobid);
    const snap = (await api('queryAsyncJobResult', { jobid: c.body.jobid })).body.jobresult.snapshot;
    assert.equal(snap.state, 'BackedUp');
    assert.equal(snap.volumeid, v.id);
    assert.equal(snap.virtualsize, 3 * GiB);
    assert.equal(snap.snapshottype, 'MANUAL');
    assert.equal((await api('listSnapshots', { volumeid: v.id })).body.count, 1);

    const fromSnap = await runJob(w, api, 'createVolume', { snapshotid: snap.id, name: 'restored' });
    assert.equal(fromSnap.jobstatus, 1, JSON.stringify(fromSnap));
    assert.equal(fromSnap.jobresult.volume.state, 'Ready');
    assert.equal(fromSnap.jobresult.volume.size, 3 * GiB);
    assert.equal(fromSnap.jobresult.volume.snapshotid, snap.id);
    assert.ok(fromSnap.jobresult.volume.storageid, 'a volume from a snapshot is on primary storage');

    await runJob(w, api, 'resizeVolume', { id: v.id, size: 5 });
    const running = await runJob(w, api, 'revertSnapshot', { id: snap.id });
    assert.equal(running.jobstatus, 2);
    assert.equal(running.jobresult.errortext, 'The VM the specified disk is attached to is not in the shutdown state.');
    await runJob(w, api, 'stopVirtualMachine', { id: vm.id });
    const reverted = await runJob(w, api, 'revertSnapshot', { id: snap.id });
    assert.equal(reverted.jobstatus, 1, JSON.stringify(reverted));
    assert.equal((await api('listVolumes', { id: v.id })).body.volume[0].size, 3 * GiB);

    assert.equal((await runJob(w, api, 'deleteSnapshot', { id: snap.id })).jobstatus, 1);
    assert.deepEqual((await api('listSnapshots', { id: snap.id })).body, {});
    const gone = await api('createVolume', { snapshotid: snap.id });
    assert.equal(gone.status, 431);
  });

  it('refuses a snapshot of a volume that was never created on primary storage', async () => {
    const v = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 1 }))
      .jobresult.volume;
    const r = await api('createSnapshot', { volumeid: v.id });
    assert.equal(r.status, 431);
    assert.equal(r.body.errortext, `VolumeId: ${v.id} is not in Ready state but Allocated. Cannot take snapshot.`);
  });

  it('VM snapshots: disks frozen while they exist, revert by the VM state rule, current one marked', async () => {
    const vm = await deploy();
    const first = await api('createVMSnapshot', {
      virtualmachineid: vm.id,
      name: 'before-upgrade',
      description: 'first',
    });
    assert.equal(first.status, 200);
    const s1 =
      (await finish(w, first.body.jobid),
      (await api('queryAsyncJobResult', { jobid: first.body.jobid })).body.jobresult.vmsnapshot);
    assert.equal(s1.state, 'Ready');
    assert.equal(s1.type, 'Disk');
    assert.equal(s1.current, true);
    assert.equal(s1.displayname, 'before-upgrade');
    const dup = await api('createVMSnapshot', { virtualmachineid: vm.id, name: 'before-upgrade' });
    assert.equal(dup.status, 431);
    const mem = (await runJob(w, api, 'createVMSnapshot', { virtualmachineid: vm.id, snapshotmemory: true })).jobresult
      .vmsnapshot;
    assert.equal(mem.type, 'DiskAndMemory');
    assert.equal(mem.parent, s1.id);
    const listed = (await api('listVMSnapshot', { virtualmachineid: vm.id })).body.vmSnapshot;
    assert.deepEqual(
      listed.map((s: any) => [s.displayname, s.current]),
      [
        ['before-upgrade', false],
        [mem.displayname, true],
      ],
    );

    const v = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 1 }))
      .jobresult.volume;
    const refused = await runJob(w, api, 'attachVolume', { id: v.id, virtualmachineid: vm.id });
    assert.equal(
      refused.jobresult.errortext,
      'Unable to attach volume, please specify a VM that does not have VM snapshots',
    );

    const wrongState = await runJob(w, api, 'revertToVMSnapshot', { vmsnapshotid: s1.id });
    assert.equal(wrongState.jobstatus, 2);
    assert.match(
      wrongState.jobresult.errortext,
      /^VM Snapshot revert not allowed\. This will result in VM state change\./,
    );
    const back = await runJob(w, api, 'revertToVMSnapshot', { vmsnapshotid: mem.id });
    assert.equal(back.jobstatus, 1, JSON.stringify(back));
    assert.equal(back.jobresult.virtualmachine.id, vm.id);
    await runJob(w, api, 'stopVirtualMachine', { id: vm.id });
    assert.equal((await runJob(w, api, 'revertToVMSnapshot', { vmsnapshotid: s1.id })).jobstatus, 1);
    assert.equal((await api('listVMSnapshot', { vmsnapshotid: s1.id })).body.vmSnapshot[0].current, true);

    for (const s of [mem, s1])
      assert.equal((await runJob(w, api, 'deleteVMSnapshot', { vmsnapshotid: s.id })).jobstatus, 1);
    assert.deepEqual((await api('listVMSnapshot', { virtualmachineid: vm.id })).body, {});
    assert.equal((await runJob(w, api, 'attachVolume', { id: v.id, virtualmachineid: vm.id })).jobstatus, 1);
  });

  it('a failing CopyCommand leaves the snapshot in Error and the volume Ready', async () => {
    const vm = await deploy();
    const root = (await api('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    assert.equal(
      (await api('configureSimulator', { name: 'CopyCommand', value: 'result:fail', count: 1 })).status,
      200,
    );
    const r = await runJob(w, api, 'createSnapshot', { volumeid: root.id });
    assert.equal(r.jobstatus, 2);
    assert.equal(r.jobresultcode, 530);
    const snap = (await api('listSnapshots', { volumeid: root.id })).body.snapshot[0];
    assert.equal(snap.state, 'Error');
    assert.equal((await api('listVolumes', { id: root.id })).body.volume[0].state, 'Ready');
    assert.equal((await runJob(w, api, 'deleteSnapshot', { id: snap.id })).jobstatus, 1);
  });
});
