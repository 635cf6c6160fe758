import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/** Dynamic scaling (UserVmManagerImpl 4.18): which VMs may be scaled while running. */
describe('dynamic scaling of running VMs', () => {
  let w: World;
  let admin: Api;
  let fixed: string;
  let fixedBig: string;
  let big: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const offering = async (name: string, memory: number, dyn: boolean) =>
      (
        await admin('createServiceOffering', {
          name,
          displaytext: name,
          cpunumber: memory > 1024 ? 2 : 1,
          cpuspeed: 1000,
          memory,
          dynamicscalingenabled: dyn,
        })
      ).body.serviceoffering.id;
    fixed = await offering('fixed', 512, false);
    fixedBig = await offering('fixed-big', 1024, false);
    big = await offering('big', 2048, true);
  });
  after(() => w.close());

  const scale = (id: string, serviceofferingid: string) =>
    runJob(w, admin, 'scaleVirtualMachine', { id, serviceofferingid });
  const scalable = async (id: string) =>
    (await admin('listVirtualMachines', { id })).body.virtualmachine[0].isdynamicallyscalable;

  it('is off while enable.dynamic.scale.vm is false: the VM is not scalable and a running scale is refused', async () => {
    assert.equal((await admin('updateConfiguration', { name: 'enable.dynamic.scale.vm', value: 'false' })).status, 200);
    const vm = await deploy(w, admin, w.zones.advanced);
    assert.equal(vm.isdynamicallyscalable, false);
    const r = await scale(vm.id, big);
    assert.equal(r.jobstatus, 2);
    assert.match(r.jobresult.errortext, /Dynamically scaling virtual machines is disabled for this zone/);
  });

  it('needs the template, the offering and the deploy to allow it', async () => {
    assert.equal((await admin('updateConfiguration', { name: 'enable.dynamic.scale.vm', value: 'true' })).status, 200);
    assert.equal((await admin('updateTemplate', { id: w.template, isdynamicallyscalable: true })).status, 200);
    const ok = await deploy(w, admin, w.zones.advanced);
    assert.equal(ok.isdynamicallyscalable, true);
    const up = await scale(ok.id, big);
    assert.equal(up.jobstatus, 1, JSON.stringify(up.jobresult));

    const optedOut = await deploy(w, admin, w.zones.advanced, { dynamicscalingenabled: 'false' });
    assert.equal(optedOut.isdynamicallyscalable, false);
    const refused = await scale(optedOut.id, big);
    assert.equal(refused.jobstatus, 2);
    assert.match(refused.jobresult.errortext, /does not have tools to support dynamic scaling/);

    const onFixed = await deploy(w, admin, w.zones.advanced, { serviceofferingid: fixed });
    assert.equal(onFixed.isdynamicallyscalable, false);
    const mixed = await scale(onFixed.id, big);
    assert.match(mixed.jobresult.errortext, /dynamic scaling enabled flag is not same/);
    assert.match(
      (await scale(onFixed.id, fixedBig)).jobresult.errortext,
      /does not have tools to support dynamic scaling/,
    );
    const upd = await admin('updateVirtualMachine', { id: onFixed.id, isdynamicallyscalable: true });
    assert.equal(upd.status, 431);
    assert.match(upd.body.errortext, /its service offering does not have dynamic scaling enabled/);
    assert.equal(await scalable(onFixed.id), false);

    assert.equal((await admin('updateVirtualMachine', { id: optedOut.id, isdynamicallyscalable: true })).status, 200);
    assert.equal(await scalable(optedOut.id), true);
  });
});
