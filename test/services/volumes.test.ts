import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';

const GiB = 1024 ** 3;

describe('volumes through the CloudStack API', () => {
  let w: World;
  let api: Api;
  let small: string;
  let custom: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    api = await apiSession(w);
    const offerings = (await api('listDiskOfferings', {})).body.diskoffering;
    small = offerings.find((o: any) => o.name === 'Small').id;
    custom = offerings.find((o: any) => o.iscustomized).id;
  });
  after(() => w.close());

  const deploy = async (zoneid = w.zones.advanced) =>
    (await runJob(w, api, 'deployVirtualMachine', { zoneid, serviceofferingid: w.small, templateid: w.template }))
      .jobresult.virtualmachine;
  const poolUse = async () => {
    const pools = await w.store.db.selectFrom('storagePools').selectAll().execute();
    const vols = await w.store.db.selectFrom('volumes').selectAll().where('removed', 'is', null).execute();
    for (const p of pools)
      assert.equal(
        Number(p.usedBytes),
        vols.filter((v) => v.poolId === p.id).reduce((a, v) => a + Number(v.size), 0),
        `pool ${p.name} usage equals its volumes`,
      );
    return new Map(pools.map((p) => [p.id, Number(p.usedBytes)]));
  };

  it('creates a volume from an offering: Allocated, no pool, nothing held', async () => {
    const before = await poolUse();
    const r = await api('createVolume', { name: 'data1', zoneid: w.zones.advanced, diskofferingid: small });
    assert.equal(r.status, 200);
    assert.ok(r.body.id && r.body.jobid);
    const j = await finish(w, r.body.jobid);
    assert.equal(j.status, 1);
    const v = (await api('listVolumes', { id: r.body.id })).body.volume[0];
    assert.equal(v.state, 'Allocated');
    assert.equal(v.size, 5 * GiB);
    assert.equal(v.type, 'DATADISK');
    assert.equal(v.storageid, undefined);
    assert.deepEqual(await poolUse(), before);
  });

  it('refuses bad sizes and offerings with CloudStack texts', async () => {
    const e1 = await api('createVolume', { zoneid: w.zones.advanced, diskofferingid: custom });
    assert.equal(e1.status, 431);
    assert.equal(e1.body.errortext, 'This disk offering requires a custom size specified');
    const e2 = await api('createVolume', { zoneid: w.zones.advanced, diskofferingid: small, size: 10 });
    assert.equal(e2.body.errortext, 'This disk offering does not allow custom size');
    const e3 = await api('createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 5000 });
    assert.equal(e3.body.errortext, 'Volume size: 5000GB is out of allowed range. Max: 1024 Min:1');
    const e4 = await api('createVolume', { zoneid: w.zones.advanced });
    assert.equal(
      e4.body.errortext,
      'At least one of disk Offering ID or snapshot ID must be passed whilst creating volume',
    );
  });

  it('attaches to a running VM (device 1, then 2, 4: 3 is the CD-ROM), holding the space on the root disk pool', async () => {
    const vm = await deploy();
    const root = (await api('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const c = await runJob(w, api, 'createVolume', {
        name: `d${n}`,
        zoneid: w.zones.advanced,
        diskofferingid: custom,
        size: n,
      });
      ids.push(c.jobresult.volume.id);
    }
    const before = await poolUse();
    const devices = [];
    for (const id of ids) {
      const a = await runJob(w, api, 'attachVolume', { id, virtualmachineid: vm.id });
      assert.equal(a.jobstatus, 1, JSON.stringify(a));
      assert.equal(a.jobresult.volume.virtualmachineid, vm.id);
      assert.equal(a.jobresult.volume.storageid, root.storageid);
      assert.equal(a.jobresult.volume.state, 'Ready');
      devices.push(a.jobresult.volume.deviceid);
    }
    assert.deepEqual(devices, [1, 2, 4]);
    const after = await poolUse();
    assert.equal(after.get(root.storageid)! - before.get(root.storageid)!, 6 * GiB);
    // Attached: cannot be deleted; detached: can, and the space comes back.
    const del = await api('deleteVolume', { id: ids[0]! });
    assert.equal(del.status, 431);
    assert.equal(del.body.errortext, 'Please specify a volume that is not attached to any VM.');
    const d = await runJob(w, api, 'detachVolume', { id: ids[0]! });
    assert.equal(d.jobstatus, 1);
    assert.equal(d.jobresult.volume.virtualmachineid, undefined);
    assert.equal((await api('deleteVolume', { id: ids[0]! })).status, 200);
    assert.equal((await poolUse()).get(root.storageid)! - before.get(root.storageid)!, 5 * GiB);
    assert.deepEqual((await api('listVolumes', { id: ids[0]! })).body, {});
  });

  it('fails an attach job by the rules: seventh data disk, other zone, already attached', async () => {
    const vm = await deploy();
    for (let i = 0; i < 6; i++) {
      const c = await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: small });
      assert.equal(
        (await runJob(w, api, 'attachVolume', { id: c.jobresult.volume.id, virtualmachineid: vm.id })).jobstatus,
        1,
      );
    }
    const seventh = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: small }))
      .jobresult.volume;
    const full = await runJob(w, api, 'attachVolume', { id: seventh.id, virtualmachineid: vm.id });
    assert.equal(full.jobstatus, 2);
    assert.equal(full.jobresultcode, 431);
    assert.equal(
      full.jobresult.errortext,
      'The specified VM already has the maximum number of data disks (6) attached. Please specify another VM.',
    );
    const basic = await deploy(w.zones.basic);
    const other = await runJob(w, api, 'attachVolume', { id: seventh.id, virtualmachineid: basic.id });
    assert.equal(other.jobresult.errortext, 'Please specify a VM that is in the same zone as the volume.');
    const attached = (await api('listVolumes', { virtualmachineid: vm.id, type: 'DATADISK' })).body.volume[0];
    const again = await runJob(w, api, 'attachVolume', { id: attached.id, virtualmachineid: vm.id });
    assert.equal(again.jobresult.errortext, 'Please specify a volume that is not attached to any VM.');
  });

  it('resizes a custom volume, refusing to shrink without shrinkok', async () => {
    const vm = await deploy();
    const v = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: custom, size: 2 }))
      .jobresult.volume;
    await runJob(w, api, 'attachVolume', { id: v.id, virtualmachineid: vm.id });
    const grown = await runJob(w, api, 'resizeVolume', { id: v.id, size: 8 });
    assert.equal(grown.jobstatus, 1, JSON.stringify(grown));
    assert.equal(grown.jobresult.volume.size, 8 * GiB);
    await poolUse();
    const shrink = await runJob(w, api, 'resizeVolume', { id: v.id, size: 4 });
    assert.equal(shrink.jobstatus, 2);
    assert.match(
      shrink.jobresult.errortext,
      /would shrink the volume.Need to sign off by supplying the shrinkok parameter with value of true\./,
    );
    const ok = await runJob(w, api, 'resizeVolume', { id: v.id, size: 4, shrinkok: true });
    assert.equal(ok.jobresult.volume.size, 4 * GiB);
    await poolUse();
    const fixed = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: small })).jobresult
      .volume;
    const r = await runJob(w, api, 'resizeVolume', { id: fixed.id, size: 30 });
    assert.match(r.jobresult.errortext, /its current disk offering must be customizable/);
  });

  it('keeps data disks when their VM is expunged, and releases the root disk', async () => {
    const vm = await deploy();
    const v = (await runJob(w, api, 'createVolume', { zoneid: w.zones.advanced, diskofferingid: small })).jobresult
      .volume;
    await runJob(w, api, 'attachVolume', { id: v.id, virtualmachineid: vm.id });
    await runJob(w, api, 'destroyVirtualMachine', { id: vm.id, expunge: true });
    const after = (await api('listVolumes', { id: v.id })).body.volume[0];
    assert.equal(after.virtualmachineid, undefined);
    assert.equal(after.state, 'Ready');
    assert.deepEqual((await api('listVolumes', { virtualmachineid: vm.id })).body, {});
    await poolUse();
  });
});
