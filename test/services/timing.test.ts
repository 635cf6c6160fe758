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
    const { vm, jobId } = await w.s.vms.deploy(
      w.admin,
      { zoneId: w.zones.basic, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' },
      't',
    );
    assert.equal(await simulatedMs(jobId), 1000);
    await w.s.tags.create(w.admin, 'UserVm', [vm.id], [{ key: 'polystack:delay:stop', value: '45s' }]);
    assert.equal(await simulatedMs(await w.s.vms.submit(w.admin, vm.id, 'stop', 't')), 45_000);
    assert.equal(await simulatedMs(await w.s.vms.submit(w.admin, vm.id, 'start', 't')), 1000);
  });

  it('a service offering tag applies to the instances of that offering', async () => {
    const [medium] = await w.s.catalog.serviceOfferings(w.admin, { name: 'Medium Instance' });
    await w.s.tags.create(w.admin, 'ServiceOffering', [medium!.id], [{ key: 'polystack:delay:deploy', value: '7s' }]);
    const { jobId } = await w.s.vms.deploy(
      w.admin,
      { zoneId: w.zones.basic, serviceOfferingId: medium!.id, templateId: w.template, startVm: true, transport: 'GET' },
      't',
    );
    assert.equal(await simulatedMs(jobId), 7000);
    const user = { ...w.admin, accountType: 0 as const, accountId: 'someone-else' };
    await assert.rejects(
      w.s.tags.create(user, 'ServiceOffering', [medium!.id], [{ key: 'x', value: 'y' }]),
      /permission/,
    );
  });

  it('a template tag applies to its instances, and a global setting to all', async () => {
    await w.s.tags.create(w.admin, 'Template', [w.template], [{ key: 'polystack:delay:reboot', value: '2m' }]);
    const { vm, jobId } = await w.s.vms.deploy(
      w.admin,
      { zoneId: w.zones.basic, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' },
      't',
    );
    await finish(w, jobId);
    assert.equal(await simulatedMs(await w.s.vms.submit(w.admin, vm.id, 'reboot', 't')), 120_000);
    await w.s.config.update(w.admin, 'polystack.delay.destroy', '10s');
    const destroy = await w.s.vms.submit(w.admin, vm.id, 'destroy', 't');
    await until(() => w.clock.waiting > 0);
    assert.equal(await simulatedMs(destroy), 10_000, 'the stop a destroy makes is the destroy transition');
  });
});

describe('global timing through updateConfiguration', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 1000 });
  });
  after(() => w.close());

  it('sets polystack.delay.stop by the API, validates values, and lists it', async () => {
    const { apiSession, runJob } = await import('../helpers/inprocess.js');
    const api = await apiSession(w);
    const bad = await api('updateConfiguration', { name: 'polystack.delay.stop', value: 'soon' });
    assert.equal(bad.status, 431);
    assert.match(bad.body.errortext, /not a duration/);
    assert.equal(
      (await api('updateConfiguration', { name: 'no.such.setting', value: '1' })).body.errortext,
      "Config parameter with name no.such.setting doesn't exist",
    );
    const ok = await api('updateConfiguration', { name: 'polystack.delay.stop', value: '20s' });
    assert.equal(ok.body.configuration.value, '20s');
    assert.equal(
      (await api('listConfigurations', { name: 'polystack.delay.stop' })).body.configuration[0].value,
      '20s',
    );
    const vm = await runJob(w, api, 'deployVirtualMachine', {
      zoneid: w.zones.basic,
      serviceofferingid: w.small,
      templateid: w.template,
    });
    const start = w.clock.now();
    await runJob(w, api, 'stopVirtualMachine', { id: vm.jobresult.virtualmachine.id });
    assert.ok(w.clock.now() - start >= 20_000, `the stop took ${w.clock.now() - start} simulated ms`);
  });
});
