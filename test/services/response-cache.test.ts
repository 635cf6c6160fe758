import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { handleApi } from '../../src/cloudstack/api.js';
import { finish, world, type World } from '../helpers/inprocess.js';

/** List answers are reused only while nothing was written; these check that a write is always seen. */
describe('list answers reused between writes', () => {
  let w: World;
  let cookies: Record<string, string>;
  let sessionkey: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    const r = await handleApi(w.s, { method: 'POST', pairs: [['command', 'login'], ['username', 'admin'], ['password', 'password'], ['response', 'json']], cookies: {} });
    sessionkey = JSON.parse(r.body).loginresponse.sessionkey;
    const set = ([] as string[]).concat(r.headers?.['Set-Cookie'] ?? []);
    cookies = { JSESSIONID: /JSESSIONID=([^;]+)/.exec(set.join(';'))![1]! };
  });
  after(() => w.close());

  const call = async (pairs: [string, string][]) =>
    JSON.parse((await handleApi(w.s, { method: 'GET', pairs: [...pairs, ['response', 'json'], ['sessionkey', sessionkey]], cookies })).body);

  it('a deployed VM shows up in the next identical listVirtualMachines', async () => {
    const before = await call([['command', 'listVirtualMachines'], ['listall', 'true']]);
    assert.deepEqual(before.listvirtualmachinesresponse, {});
    assert.deepEqual(await call([['command', 'listVirtualMachines'], ['listall', 'true']]), before);
    const { jobId } = await w.s.vms.deploy(w.admin, { zoneId: w.zones.basic, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' }, 'test');
    await finish(w, jobId);
    const after = await call([['command', 'listVirtualMachines'], ['listall', 'true']]);
    assert.equal(after.listvirtualmachinesresponse.count, 1);
    assert.equal(after.listvirtualmachinesresponse.virtualmachine[0].state, 'Running');
  });

  it('parameter order does not matter, parameter values do', async () => {
    const a = await call([['command', 'listZones'], ['name', 'Sandbox-simulator-basic']]);
    const b = await call([['name', 'Sandbox-simulator-basic'], ['command', 'listZones']]);
    const c = await call([['command', 'listZones'], ['name', 'Sandbox-simulator-advanced']]);
    assert.deepEqual(a, b);
    assert.notEqual(a.listzonesresponse.zone[0].id, c.listzonesresponse.zone[0].id);
  });
});
