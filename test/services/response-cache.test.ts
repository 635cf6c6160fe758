import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, world, type Api, type World } from '../helpers/inprocess.js';

/** List answers are reused only while nothing was written; these check that a write is always seen. */
describe('list answers reused between writes', () => {
  let w: World;
  let api: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    api = await apiSession(w);
  });
  after(() => w.close());

  /** The whole parsed answer, key and all, for pairs in the order given. */
  const call = async (pairs: [string, string][]) => {
    const [[, command], ...rest] = pairs.sort(([a]) => (a === 'command' ? -1 : 1));
    const r = await api(command!, Object.fromEntries(rest));
    return { [`${command!.toLowerCase()}response`]: r.body };
  };

  it('a deployed VM shows up in the next identical listVirtualMachines', async () => {
    const before = await call([
      ['command', 'listVirtualMachines'],
      ['listall', 'true'],
    ]);
    assert.deepEqual(before.listvirtualmachinesresponse, {});
    assert.deepEqual(
      await call([
        ['command', 'listVirtualMachines'],
        ['listall', 'true'],
      ]),
      before,
    );
    const { jobId } = await w.s.vms.deploy(
      w.admin,
      { zoneId: w.zones.basic, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' },
      'test',
    );
    await finish(w, jobId);
    const after = await call([
      ['command', 'listVirtualMachines'],
      ['listall', 'true'],
    ]);
    assert.equal(after.listvirtualmachinesresponse.count, 1);
    assert.equal(after.listvirtualmachinesresponse.virtualmachine[0].state, 'Running');
  });

  it('parameter order does not matter, parameter values do', async () => {
    const a = await api('listZones', { name: 'Sandbox-simulator-basic', networktype: 'Basic' });
    const b = await api('listZones', { networktype: 'Basic', name: 'Sandbox-simulator-basic' });
    const c = await api('listZones', { name: 'Sandbox-simulator-advanced' });
    assert.deepEqual(a, b);
    assert.equal(a.body.count, 1);
    assert.notEqual(a.body.zone[0].id, c.body.zone[0].id);
  });
});
