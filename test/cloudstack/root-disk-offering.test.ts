import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/**
 * 4.17's offering split: a root disk takes its service offering's disk offering (the one the offering
 * was made with, or its own compute-only half) and keeps it when the VM is scaled, since
 * allow.diskOffering.change.during.scale.vm is false (Marvin's test_scale_vm.test_05).
 */
describe('the disk offering of a root volume', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    assert.equal((await admin('updateConfiguration', { name: 'enable.dynamic.scale.vm', value: 'true' })).status, 200);
    assert.equal((await admin('updateTemplate', { id: w.template, isdynamicallyscalable: true })).status, 200);
  });
  after(() => w.close());

  const disk = async (name: string) =>
    (await admin('createDiskOffering', { name, displaytext: name, disksize: 5 })).body.diskoffering.id as string;
  const compute = async (name: string, extra: Record<string, string | number> = {}) =>
    (
      await admin('createServiceOffering', {
        name,
        displaytext: name,
        cpunumber: 1,
        cpuspeed: 500,
        memory: 512,
        ...extra,
      })
    ).body.serviceoffering.id as string;
  const root = async (vmId: string) =>
    (await admin('listVolumes', { virtualmachineid: vmId, type: 'ROOT', listall: true })).body.volume[0];

  it('is the one the service offering was made with, and scaling to another offering leaves it', async () => {
    const d1 = await disk('root-d1');
    const so1 = await compute('so-d1', { diskofferingid: d1 });
    const vm = await deploy(w, admin, w.zones.advanced, { serviceofferingid: so1 });
    const before = await root(vm.id);
    assert.equal(before.diskofferingid, d1);
    assert.equal(before.diskofferingname, 'root-d1');
    assert.deepEqual(
      (await admin('listVolumes', { diskofferingid: d1, listall: true })).body.volume.map((v: { id: string }) => v.id),
      [before.id],
    );

    const so2 = await compute('so-d2', { diskofferingid: await disk('root-d2'), cpunumber: 2, memory: 1024 });
    const scaled = await runJob(w, admin, 'scaleVirtualMachine', { id: vm.id, serviceofferingid: so2 });
    assert.equal(scaled.jobstatus, 1, JSON.stringify(scaled.jobresult));
    assert.equal((await admin('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].serviceofferingid, so2);
    assert.equal((await root(vm.id)).diskofferingid, d1);
  });

  it("of an offering made without one is the offering's own disk half, named as the offering", async () => {
    const so = await compute('so-own');
    const vm = await deploy(w, admin, w.zones.advanced, { serviceofferingid: so });
    const r = await root(vm.id);
    assert.ok(r.diskofferingid);
    assert.equal(r.diskofferingname, 'so-own');
    const listed = (await admin('listDiskOfferings', {})).body.diskoffering ?? [];
    assert.ok(
      !listed.some((o: { id: string }) => o.id === r.diskofferingid),
      'listDiskOfferings never shows a compute-only half',
    );
  });
});
