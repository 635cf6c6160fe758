import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, refused, tenant } from '../helpers/networking.js';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('events record what happened; alerts what went wrong in the data center', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let t0: number;
  let vm: any;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    user = await tenant(w, admin, 'evt');
    t0 = w.clock.now();
    vm = await deploy(w, user, w.zones.basic);
    w.clock.advance(3 * 24 * 3600 * 1000);
    // Sessions idle for three days are gone.
    [admin, user] = [await apiSession(w), await apiSession(w, 'evt', 'pw')];
    await runJob(w, user, 'stopVirtualMachine', { id: vm.id });
  });
  after(() => w.close());

  it('listEvents filters by type, level, keyword and dates; users see their own', async () => {
    const types = (await user('listEvents', {})).body.event.map((e: any) => e.type);
    assert.ok(types.includes('VM.CREATE') && types.includes('VM.START') && types.includes('VM.STOP'), types.join());
    const created = (await user('listEvents', { type: 'VM.CREATE' })).body.event;
    assert.deepEqual(
      created.map((e: any) => [e.resourceid, e.account, e.username, e.level, e.state]),
      [[vm.id, 'evt', 'evt', 'INFO', 'Completed']],
    );
    assert.equal((await user('listEvents', { keyword: 'Stopped' })).body.event[0].type, 'VM.STOP');
    assert.deepEqual((await user('listEvents', { level: 'ERROR' })).body, {});
    const early = (await user('listEvents', { enddate: day(t0) })).body.event.map((e: any) => e.type);
    assert.ok(early.includes('VM.CREATE') && !early.includes('VM.STOP'), 'a bare end date runs to the end of that day');
    const late = (await user('listEvents', { startdate: stamp(t0 + 3600 * 1000) })).body.event.map((e: any) => e.type);
    assert.deepEqual(late, ['VM.STOP']);
    assert.ok(
      !(await user('listEvents', {})).body.event.some((e: any) => e.type === 'ACCOUNT.CREATE'),
      "the admin's events are not the user's",
    );
    assert.ok((await admin('listEvents', { listall: true, type: 'ACCOUNT.CREATE' })).body.event.length >= 1);
  });

  it('archiveEvents hides events from listEvents; deleteEvents removes them; both need a selection', async () => {
    await refused(w, user, 'archiveEvents', {}, 431, 'either ids, type or enddate must be specified');
    await refused(
      w,
      user,
      'deleteEvents',
      { type: 'VM.STOP', startdate: day(t0) },
      431,
      'enddate must be specified with startdate parameter',
    );
    assert.deepEqual((await user('archiveEvents', { type: 'VM.STOP' })).body, { success: true });
    assert.deepEqual((await user('listEvents', { type: 'VM.STOP' })).body, {});
    const start = (await user('listEvents', { type: 'VM.START' })).body.event[0];
    assert.deepEqual((await user('deleteEvents', { ids: start.id })).body, { success: true });
    assert.deepEqual((await user('listEvents', { type: 'VM.START' })).body, {});
  });

  it('generateAlert, listAlerts, archiveAlerts and deleteAlerts, admin only', async () => {
    const r = await runJob(w, admin, 'generateAlert', {
      type: 40,
      name: 'polystack.test',
      description: 'something to look at',
      zoneid: w.zones.basic,
    });
    assert.equal(r.jobstatus, 1);
    const [a] = (await admin('listAlerts', { name: 'polystack.test' })).body.alert;
    assert.deepEqual([a.type, a.name, a.description], [40, 'polystack.test', 'something to look at']);
    assert.match(a.sent, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    await refused(
      w,
      admin,
      'generateAlert',
      { type: 7, name: 'mine', description: 'x' },
      431,
      'There is a default alert having type 7 and name ALERT.COMPUTE.HOST',
    );
    assert.equal((await user('listAlerts', {})).status, 432);
    assert.deepEqual((await admin('archiveAlerts', { ids: a.id })).body, { success: true });
    assert.deepEqual((await admin('listAlerts', { name: 'polystack.test' })).body, {});
    assert.deepEqual((await admin('deleteAlerts', { type: '40' })).body, { success: true });
  });

  it('a host that goes down raises ALERT.COMPUTE.HOST once, resolved when it is back', async () => {
    const host = await w.store.db
      .selectFrom('hosts')
      .selectAll()
      .where('zoneId', '=', w.zones.basic)
      .executeTakeFirstOrThrow();
    // What the agent manager does when a host stops answering; polystack has no command that takes a host down.
    await w.store.db.updateTable('hosts').set({ state: 'Down' }).where('id', '=', host.id).execute();
    await w.s.alerts.check();
    await w.s.alerts.check();
    const alerts = (await admin('listAlerts', { type: '7' })).body.alert;
    assert.equal(alerts.length, 1);
    assert.match(
      alerts[0].description,
      new RegExp(
        `^Host is down, name: ${host.name} \\(id:${host.id}\\), availability zone: Sandbox-simulator-basic, pod: `,
      ),
    );
    assert.equal(alerts[0].name, 'ALERT.COMPUTE.HOST');
    await w.store.db.updateTable('hosts').set({ state: 'Up' }).where('id', '=', host.id).execute();
    await w.s.alerts.check();
    await w.store.db.updateTable('hosts').set({ state: 'Down' }).where('id', '=', host.id).execute();
    await w.s.alerts.check();
    assert.equal((await admin('listAlerts', { type: '7' })).body.alert.length, 2, 'a new outage is a new alert');
    await w.store.db.updateTable('hosts').set({ state: 'Up' }).where('id', '=', host.id).execute();
  });

  it('a cluster whose allocated memory passes the threshold raises ALERT.MEMORY', async () => {
    assert.equal(
      (
        await admin('updateConfiguration', {
          name: 'cluster.memory.allocated.capacity.notificationthreshold',
          value: '0.0001',
        })
      ).status,
      200,
    );
    await runJob(w, user, 'startVirtualMachine', { id: vm.id });
    await w.s.alerts.check();
    const mem = (await admin('listAlerts', { type: '0' })).body.alert;
    assert.equal(mem.length, 1, JSON.stringify(mem));
    assert.match(
      mem[0].description,
      /^System Alert: Low Available Memory in cluster \S+ pod \S+ of availability zone Sandbox-simulator-basic$/,
    );
    assert.equal(mem[0].name, 'ALERT.MEMORY');
  });
});
