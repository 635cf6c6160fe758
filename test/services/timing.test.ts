import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finish, until, world, type World } from '../helpers/inprocess.js';

/** Per-transition durations: instance tag, template tag, global setting, agent default. */
describe('lifecycle timing', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 1000 });
  });
  after(() => w.close());

  /** Simulated milliseconds a job takes, measured on the fake clock. */
  async function simulatedMs(jobId: string): Promise<number> {
    const start = w.clock.now();
    for (;;) {
      const j = await w.s.jobs.get(jobId);
      if (j && j.status !== 0) return w.clock.now() - start;
      if (w.clock.waiting > 0) w.clock.advance(500);
      await new Promise((r) => setTimeout(r, 1));
    }
  }

  it('an instance tag sets how long its stop takes; other transitions keep the default', async () => {
    const { vm, jobId } = await w.s.vms.deploy(w.admin, { zoneId: w.zones.basic, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' }, 't');
    assert.equal(await simulatedMs(jobId), 1000);
    await w.s.tags.create(w.admin, 'UserVm', [vm.id], [{ key: 'polystack:delay:stop', value: '45s' }]);
    assert.equal(await simulatedMs(await w.s.vms.submit(w.admin, vm.id, 'stop', 't')), 45_000);
    assert.equal(await simulatedMs(await w.s.vms.submit(w.admin, vm.id, 'start', 't')), 1000);
  });

  it('a template tag applies to its instances, and a global setting to all', async () => {
    await w.s.tags.create(w.admin, 'Template', [w.template], [{ key: 'polystack:delay:reboot', value: '2m' }]);
    const { vm, jobId } = await w.s.vms.deploy(w.admin, { zoneId: w.zones.basic, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' }, 't');
    await finish(w, jobId);
    assert.equal(await simulatedMs(await w.s.vms.submit(w.admin, vm.id, 'reboot', 't')), 120_000);
    await w.store.db.insertInto('configurations').values({ name: 'polystack.delay.destroy', value: '10s', category: 'Advanced', description: '', scope: 'Global' }).execute();
    await w.s.config.load();
    const destroy = await w.s.vms.submit(w.admin, vm.id, 'destroy', 't');
    await until(() => w.clock.waiting > 0);
    assert.equal(await simulatedMs(destroy), 10_000, 'the stop a destroy makes is the destroy transition');
  });
});
