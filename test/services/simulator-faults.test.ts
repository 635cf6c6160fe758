import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, until, world, type Api, type World } from '../helpers/inprocess.js';

/** configureSimulator through the CloudStack pipeline, on a fake clock. */
describe('simulator fault injection', () => {
  let w: World;
  let api: Api;
  before(async () => {
    w = await world({ delayMs: 100 });
    api = await apiSession(w);
  });
  after(() => w.close());

  const hosts = async (zoneId: string) =>
    w.store.db
      .selectFrom('hosts')
      .selectAll()
      .where('zoneId', '=', zoneId)
      .orderBy('created')
      .orderBy('ipAddress')
      .execute();

  const deploy = () =>
    api('deployVirtualMachine', { zoneid: w.zones.basic, serviceofferingid: w.small, templateid: w.template });

  it('StartCommand failing on one host: the planner avoids it and starts the VM on another', async () => {
    const [first, second] = await hosts(w.zones.basic);
    const m = await api('configureSimulator', {
      name: 'StartCommand',
      value: 'result:fail',
      hostid: first!.id,
      count: 1,
    });
    assert.equal(m.status, 200);
    assert.equal(m.body.simulatormock.name, 'StartCommand');
    assert.equal(m.body.simulatormock.count, 1);
    const d = await deploy();
    await finish(w, d.body.jobid);
    const j = await api('queryAsyncJobResult', { jobid: d.body.jobid });
    assert.equal(j.body.jobstatus, 1);
    assert.equal(j.body.jobresult.virtualmachine.hostid, second!.id);
    assert.equal(
      (await api('querySimulatorMock', { id: m.body.simulatormock.id })).body.simulatormock.count,
      0,
      'the mock used its one shot',
    );
    await finish(w, (await api('destroyVirtualMachine', { id: d.body.id, expunge: 'true' })).body.jobid);
  });

  it('StartCommand failing on every host fails the deploy with jobstatus 2 (533), then the retry succeeds', async () => {
    await api('configureSimulator', { name: 'StartCommand', value: 'result:fail', zoneid: w.zones.basic, count: 2 });
    const d1 = await deploy();
    await finish(w, d1.body.jobid);
    const j1 = await api('queryAsyncJobResult', { jobid: d1.body.jobid });
    assert.equal(j1.body.jobstatus, 2);
    assert.equal(j1.body.jobresultcode, 533);
    assert.match(j1.body.jobresult.errortext, /Unable to create a deployment/);
    const d2 = await deploy();
    await finish(w, d2.body.jobid);
    const j2 = await api('queryAsyncJobResult', { jobid: d2.body.jobid });
    assert.equal(j2.body.jobstatus, 1);
    assert.equal(j2.body.jobresult.virtualmachine.state, 'Running');
    const used = await hosts(w.zones.basic);
    assert.equal(
      used.reduce((a, h) => a + Number(h.memoryUsed), 0),
      512 * 1024 * 1024,
      'only the second VM holds memory',
    );
  });

  it('wait:<ms> delays the job by that much on the injected clock', async () => {
    const m = await api('configureSimulator', { name: 'RebootCommand', value: 'wait:60000', zoneid: w.zones.basic });
    const d = await api('deployVirtualMachine', {
      zoneid: w.zones.basic,
      serviceofferingid: w.small,
      templateid: w.template,
    });
    await finish(w, d.body.jobid);
    const r = await api('rebootVirtualMachine', { id: d.body.id });
    await until(() => w.clock.waiting > 0);
    w.clock.advance(100); // the agent's own delay
    await until(() => w.clock.waiting > 0);
    w.clock.advance(59_000);
    assert.equal(
      (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body.jobstatus,
      0,
      'still waiting 1 s short of the mock delay',
    );
    w.clock.advance(1000);
    await until(async () => (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body.jobstatus === 1);
    assert.equal((await api('cleanupSimulatorMock', { id: m.body.simulatormock.id })).body.success, true);
    assert.equal((await api('querySimulatorMock', { id: m.body.simulatormock.id })).status, 431);
  });

  it('rejects a value it cannot parse and a scope that does not exist', async () => {
    assert.equal((await api('configureSimulator', { name: 'StartCommand', value: 'explode' })).status, 431);
    assert.equal(
      (
        await api('configureSimulator', {
          name: 'StartCommand',
          value: 'result:fail',
          hostid: '00000000-0000-4000-8000-000000000000',
        })
      ).status,
      431,
    );
  });
});
