import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';

/** reconnectHost: the agent's connection dropped and made again, through the simulated agent's handshake. */
describe('reconnectHost', () => {
  let w: World;
  let admin: Api;
  let hostId: string;
  const state = async () => (await admin('listHosts', { id: hostId })).body.host[0].state;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    hostId = (await admin('listHosts', { type: 'Routing', zoneid: w.zones.basic })).body.host[0].id;
  });
  after(() => w.close());

  it('an Up host reconnects and is Up again, with a HOST.RECONNECT event', async () => {
    const r = await runJob(w, admin, 'reconnectHost', { id: hostId });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.equal(r.jobresult.host.id, hostId);
    assert.equal(r.jobresult.host.state, 'Up');
    const events = (await admin('listEvents', { type: 'HOST.RECONNECT' })).body.event ?? [];
    assert.ok(events.some((e: { description: string }) => e.description === `reconnecting host: ${hostId}`));
  });

  it('a failed handshake (a simulator mock) leaves the host Disconnected; asking again brings it back', async () => {
    await admin('configureSimulator', { name: 'ReadyCommand', value: 'result:fail', hostid: hostId, count: 1 });
    const r = await runJob(w, admin, 'reconnectHost', { id: hostId });
    assert.equal(r.jobstatus, 1, "the reconnection itself is the agent's: the command succeeded");
    assert.equal(await state(), 'Disconnected');
    await runJob(w, admin, 'reconnectHost', { id: hostId });
    assert.equal(await state(), 'Up');
  });

  it('refuses an unknown id before a job is made', async () => {
    const r = await admin('reconnectHost', { id: '00000000-0000-0000-0000-000000000000' });
    assert.equal(r.status, 431);
  });
});
