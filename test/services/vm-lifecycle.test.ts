import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finish, until, world, type World } from '../helpers/inprocess.js';

describe('VM lifecycle on a fake clock', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 5000 });
  });
  after(() => w.close());

  const deploy = (zoneId: string, extra: Record<string, unknown> = {}) =>
    w.s.vms.deploy(
      w.admin,
      { zoneId, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET', ...extra },
      'test',
    );
  const state = async (id: string) => (await w.s.vms.list(w.admin, {}, { ids: [id] })).items[0]?.state;

  it('stays Starting until the simulated StartCommand completes, then runs', async () => {
    const { vm, jobId } = await deploy(w.zones.basic);
    assert.equal(await state(vm.id), 'Starting');
    await until(() => w.clock.waiting > 0);
    assert.equal(await state(vm.id), 'Starting', 'no time has passed, so the agent has not answered');
    w.clock.advance(5000);
    const job = await finish(w, jobId);
    assert.equal(job.status, 1);
    assert.equal(await state(vm.id), 'Running');
  });

  it('stops, starts, reboots and destroys through jobs, releasing host capacity when stopped', async () => {
    const { vm, jobId } = await deploy(w.zones.advanced);
    await finish(w, jobId);
    const hostOf = async () => (await w.s.vms.list(w.admin, {}, { ids: [vm.id] })).items[0]!.hostId;
    const host = await hostOf();
    assert.ok(host);
    const used = async () =>
      (await w.store.db.selectFrom('hosts').select('memoryUsed').where('id', '=', host!).executeTakeFirstOrThrow())
        .memoryUsed;
    const before = await used();
    await finish(w, await w.s.vms.submit(w.admin, vm.id, 'stop', 'test'));
    assert.equal(await state(vm.id), 'Stopped');
    assert.equal(await used(), before - 512 * 1024 * 1024);
    await finish(w, await w.s.vms.submit(w.admin, vm.id, 'start', 'test'));
    assert.equal(await state(vm.id), 'Running');
    assert.equal(await hostOf(), host, 'a restarted VM goes back to its last host');
    assert.equal((await finish(w, await w.s.vms.submit(w.admin, vm.id, 'reboot', 'test'))).status, 1);
    await finish(w, await w.s.vms.submit(w.admin, vm.id, 'destroy', 'test'));
    assert.equal(await state(vm.id), 'Destroyed');
    assert.equal(await used(), before - 512 * 1024 * 1024);
    const recovered = await w.s.vms.recover(w.admin, vm.id);
    assert.equal(recovered.state, 'Stopped');
    await finish(w, await w.s.vms.submit(w.admin, vm.id, 'destroy', 'test', { expunge: true }));
    assert.equal((await w.s.vms.list(w.admin, {}, { ids: [vm.id] })).count, 0);
  });

  it('starting a running VM fails the job with InvalidState and changes nothing', async () => {
    const { vm, jobId } = await deploy(w.zones.basic);
    await finish(w, jobId);
    const job = await finish(w, await w.s.vms.submit(w.admin, vm.id, 'start', 'test'));
    assert.equal(job.status, 2);
    assert.match(job.result!, /InvalidState/);
    assert.equal(await state(vm.id), 'Running');
  });
});
