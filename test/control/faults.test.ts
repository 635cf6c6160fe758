import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin, type HttpSession } from '../helpers/session.js';

const BASIC = `Basic ${Buffer.from('admin:password').toString('base64')}`;

describe('/_polystack/faults', () => {
  let s: TestServer;
  let cs: HttpSession;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    cs = await httpLogin(s.endpoint);
  });
  after(() => s.stop());

  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${s.url}/_polystack/${path}`, {
      method, headers: { authorization: BASIC, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return { status: r.status, body: r.status === 204 ? undefined : await r.json() };
  };
  const waitJob = async (jobid: string) => {
    for (;;) {
      const j = (await cs.call('queryAsyncJobResult', { jobid })).body;
      if (j.jobstatus !== 0) return j;
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('an error rule with a count fails that command once, in CloudStack error shape', async () => {
    const rule = await control('POST', 'faults', { front: 'cloudstack', operation: 'listZones', effect: 'error', status: 503, message: 'zone service on fire', count: 1 });
    assert.equal(rule.status, 201);
    const failed = await cs.call('listZones');
    assert.equal(failed.status, 503);
    assert.deepEqual(failed.body, { uuidList: [], errorcode: 503, cserrorcode: 4250, errortext: 'zone service on fire' });
    assert.equal((await cs.call('listZones')).status, 200);
    const listed = (await control('GET', 'faults')).body.rules.find((r: any) => r.id === rule.body.id);
    assert.equal(listed.hits, 1);
    assert.equal(listed.remaining, 0);
  });

  it('a capacity rule makes the allocator refuse a zone: the deploy job fails with 533', async () => {
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-basic' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })).body.template[0].id;
    await control('POST', 'faults', { effect: 'capacity', zoneId: zone, count: 1 });
    const deploy = () => cs.call('deployVirtualMachine', { zoneid: zone, serviceofferingid: offering, templateid: template });
    const j1 = await waitJob((await deploy()).body.jobid);
    assert.equal(j1.jobstatus, 2);
    assert.equal(j1.jobresultcode, 533);
    assert.equal(j1.jobresult.cserrorcode, 4335);
    assert.equal((await waitJob((await deploy()).body.jobid)).jobstatus, 1, 'the rule fired its one time');
  });

  it('a delay rule holds the answer for that long on the simulated clock', async () => {
    await control('POST', 'clock', { freeze: true });
    await control('POST', 'faults', { operation: 'listOsTypes', effect: 'delay', delayMs: 60_000, count: 1 });
    let answered = false;
    const pending = cs.call('listOsTypes').then((r) => ((answered = true), r));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(answered, false);
    await control('POST', 'clock', { advance: '60s' });
    assert.equal((await pending).status, 200);
    await control('POST', 'clock', { freeze: false });
  });

  it('refuses rules that cannot work and unknown ids, and clears', async () => {
    assert.equal((await control('POST', 'faults', { effect: 'explode' })).status, 400);
    assert.equal((await control('POST', 'faults', { effect: 'error', probability: 2 })).status, 400);
    assert.equal((await control('POST', 'faults', { front: 'azure', effect: 'error' })).status, 400);
    assert.equal((await control('DELETE', 'faults/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await control('DELETE', 'faults')).status, 204);
    assert.deepEqual((await control('GET', 'faults')).body.rules, []);
  });
});
