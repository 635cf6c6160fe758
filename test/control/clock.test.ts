import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

const TOKEN = 'clock-test-token';

describe('/_polystack/clock', () => {
  let s: TestServer;
  let cs: HttpSession;
  before(async () => {
    // Every agent command takes 30 simulated seconds.
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30000', POLYSTACK_CONTROL_TOKEN: TOKEN } });
    cs = await httpLogin(s.endpoint);
  });
  after(() => s.stop());

  const clock = async (body?: object, auth = `Bearer ${TOKEN}`) => {
    const r = await fetch(`${s.url}/_polystack/clock`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: await r.json() };
  };

  it('needs the control token or root-admin credentials', async () => {
    assert.equal((await clock(undefined, 'Bearer wrong')).status, 401);
    assert.equal((await clock(undefined, `Basic ${Buffer.from('admin:password').toString('base64')}`)).status, 200);
  });

  it('a 30-second simulated start completes by advancing the clock', async () => {
    const frozen = await clock({ freeze: true });
    assert.equal(frozen.body.frozen, true);
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
    });
    const job = () => cs.call('queryAsyncJobResult', { jobid: d.body.jobid });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await job()).body.jobstatus, 0);
    assert.equal((await cs.call('listVirtualMachines', { id: d.body.id })).body.virtualmachine[0].state, 'Starting');
    await clock({ advance: '29s' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await job()).body.jobstatus, 0, 'one simulated second is still missing');
    await clock({ advance: '1s' });
    let status = 0;
    for (let i = 0; i < 100 && status === 0; i++) {
      status = (await job()).body.jobstatus;
      if (status === 0) await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(status, 1);
    assert.equal((await cs.call('listVirtualMachines', { id: d.body.id })).body.virtualmachine[0].state, 'Running');
  });

  it('sets time forward, refuses to move it back, and stamps new objects with it', async () => {
    const now = (await clock()).body.epochMillis as number;
    const later = now + 86_400_000;
    assert.equal((await clock({ set: new Date(later).toISOString() })).body.epochMillis, later);
    const back = await clock({ set: new Date(now).toISOString() });
    assert.equal(back.status, 400);
    assert.match(back.body.error.message, /backwards/);
    assert.equal(
      (await cs.call('listZones')).status,
      401,
      'a day later the session has timed out, on the simulated clock',
    );
    cs = await httpLogin(s.endpoint);
    const kp = await cs.call('createSSHKeyPair', { name: 'clock-key' });
    assert.equal(kp.status, 200);
    const ev = (await cs.call('listEvents', { type: 'REGISTER.SSH.KEYPAIR' })).body.event[0];
    assert.equal(ev.created, new Date(later).toISOString().slice(0, 19) + '+0000');
    assert.equal((await clock({ freeze: false })).body.frozen, false);
  });

  it('the console session that moves the clock past its idle timeout stays logged in; other sessions expire', async () => {
    const mover = await httpLogin(s.endpoint);
    const bystander = await httpLogin(s.endpoint);
    const r = await fetch(`${s.url}/_polystack/clock?sessionkey=${encodeURIComponent(mover.sessionkey)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: '2h' }),
    });
    assert.equal(r.status, 200);
    assert.equal((await mover.call('listZones')).status, 200);
    assert.equal((await bystander.call('listZones')).status, 401);
  });

  it("moving the clock to a snapshot policy's time takes its recurring snapshot", async () => {
    await clock({ freeze: true });
    cs = await httpLogin(s.endpoint);
    const root = (await cs.call('listVolumes', { type: 'ROOT', listall: 'true' })).body.volume.find(
      (v: any) => v.state === 'Ready',
    );
    const now = (await clock()).body.epochMillis as number;
    // Two minutes past the clock's minute: the policy's next run, on a frozen clock that nothing else moves.
    const minute = (new Date(now).getUTCMinutes() + 2) % 60;
    const made = await cs.call('createSnapshotPolicy', {
      volumeid: root.id,
      intervaltype: 'HOURLY',
      schedule: String(minute),
      maxsnaps: '1',
      timezone: 'UTC',
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const recurring = async () =>
      (await cs.call('listSnapshots', { volumeid: root.id, snapshottype: 'RECURRING' })).body.snapshot ?? [];
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(await recurring(), [], 'not before its time');
    await clock({ advance: '3m' });
    let taken: any[] = [];
    for (let i = 0; i < 100 && taken.length === 0; i++) {
      taken = await recurring();
      if (taken.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(taken.length, 1, 'the scheduler polls within a second of the clock reaching the run');
    assert.equal(taken[0].intervaltype, 'HOURLY');
    // Copying it to secondary storage takes the agent's 30 simulated seconds.
    await clock({ advance: '30s' });
    for (let i = 0; i < 100 && taken[0].state !== 'BackedUp'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      taken = await recurring();
    }
    assert.equal(taken[0].state, 'BackedUp');
    await clock({ freeze: false });
  });
});
