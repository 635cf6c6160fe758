import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/** 4.18's non-strict host (anti-)affinity: host priorities, never exclusions; startVirtualMachine considerlasthost. */
describe('non-strict affinity groups', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  const group = async (name: string, type: string): Promise<string> => {
    const r = await runJob(w, admin, 'createAffinityGroup', { name, type });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    return r.jobresult.affinitygroup.id;
  };
  const hostOf = async (id: string): Promise<string> =>
    (await admin('listVirtualMachines', { id })).body.virtualmachine[0].hostid;
  const ok = async (command: string, params: Record<string, string | boolean>) => {
    const r = await runJob(w, admin, command, params);
    assert.equal(r.jobstatus, 1, `${command}: ${JSON.stringify(r.jobresult)}`);
  };

  it('lists both non-strict types', async () => {
    const types = (await admin('listAffinityGroupTypes', {})).body.affinityGroupType.map((t: any) => t.type);
    assert.ok(
      types.includes('non-strict host anti-affinity') && types.includes('non-strict host affinity'),
      JSON.stringify(types),
    );
  });

  it('anti-affinity prefers another host, allows sharing one, and a start goes back to the last host unless considerlasthost=false', async () => {
    const g = await group('soft-spread', 'non-strict host anti-affinity');
    const vm1 = await deploy(w, admin, w.zones.advanced, { affinitygroupids: g });
    const vm2 = await deploy(w, admin, w.zones.advanced, { affinitygroupids: g });
    const h1 = await hostOf(vm1.id);
    assert.notEqual(await hostOf(vm2.id), h1);
    await ok('migrateVirtualMachine', { virtualmachineid: vm2.id, hostid: h1 });
    await ok('stopVirtualMachine', { id: vm2.id, forced: true });
    await ok('startVirtualMachine', { id: vm2.id });
    assert.equal(await hostOf(vm2.id), h1, 'the last host is tried first');
    await ok('stopVirtualMachine', { id: vm2.id, forced: true });
    await ok('startVirtualMachine', { id: vm2.id, considerlasthost: false });
    assert.notEqual(await hostOf(vm2.id), h1);
  });

  it('affinity prefers the host its members run on', async () => {
    const g = await group('soft-together', 'non-strict host affinity');
    const vm1 = await deploy(w, admin, w.zones.advanced, { affinitygroupids: g });
    const vm2 = await deploy(w, admin, w.zones.advanced, { affinitygroupids: g });
    assert.equal(await hostOf(vm2.id), await hostOf(vm1.id));
  });
});

/** AffinityGroupServiceImpl.deleteAffinityGroup removes the group's VM mappings instead of refusing. */
describe('deleting an affinity group with members', () => {
  it('succeeds and the VM no longer lists the group', async () => {
    const w = await world({ delayMs: 0 });
    try {
      const admin = await apiSession(w);
      const g = (await runJob(w, admin, 'createAffinityGroup', { name: 'busy', type: 'host anti-affinity' })).jobresult
        .affinitygroup.id;
      const vm = await deploy(w, admin, w.zones.advanced, { affinitygroupids: g });
      const del = await runJob(w, admin, 'deleteAffinityGroup', { id: g });
      assert.equal(del.jobstatus, 1, JSON.stringify(del.jobresult));
      assert.deepEqual(
        (await admin('listVirtualMachines', { id: vm.id })).body.virtualmachine[0].affinitygroup ?? [],
        [],
      );
    } finally {
      await w.close();
    }
  });
});
