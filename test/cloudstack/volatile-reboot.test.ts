import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/** UserVmManagerImpl.rebootVirtualMachine: a volatile offering's VM gets a fresh root disk on reboot. */
describe('rebooting a VM of a volatile offering', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  const rootOf = async (vmId: string): Promise<string> =>
    (await admin('listVolumes', { virtualmachineid: vmId, type: 'ROOT', listall: true })).body.volume[0].id;

  it('replaces the root volume and leaves the VM running; a plain offering keeps it', async () => {
    const o = await admin('createServiceOffering', {
      name: 'volatile',
      displaytext: 'volatile',
      cpunumber: 1,
      cpuspeed: 100,
      memory: 128,
      isvolatile: true,
    });
    assert.equal(o.status, 200, JSON.stringify(o.body));
    const vm = await deploy(w, admin, w.zones.advanced, { serviceofferingid: o.body.serviceoffering.id });
    const before = await rootOf(vm.id);
    const r = await runJob(w, admin, 'rebootVirtualMachine', { id: vm.id });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.notEqual(await rootOf(vm.id), before);
    assert.equal((await admin('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].state, 'Running');

    const plain = await deploy(w, admin, w.zones.advanced);
    const kept = await rootOf(plain.id);
    assert.equal((await runJob(w, admin, 'rebootVirtualMachine', { id: plain.id })).jobstatus, 1);
    assert.equal(await rootOf(plain.id), kept);
  });
});
