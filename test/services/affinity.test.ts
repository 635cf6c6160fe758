import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finish, world, type World } from '../helpers/inprocess.js';

describe('affinity groups in the planner', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 0 });
  });
  after(() => w.close());

  const deploy = (affinityGroupIds: string[]) =>
    w.s.vms.deploy(
      w.admin,
      {
        zoneId: w.zones.advanced,
        serviceOfferingId: w.small,
        templateId: w.template,
        startVm: true,
        transport: 'GET',
        affinityGroupIds,
      },
      'test',
    );
  const hostOf = async (id: string) =>
    await w.store.db.selectFrom('vms').select(['hostId', 'state']).where('id', '=', id).executeTakeFirstOrThrow();

  it('host anti-affinity spreads VMs over hosts, and a fourth VM in a three-host zone does not fit', async () => {
    const g = await w.s.affinity.create(w.admin, 'spread', 'host anti-affinity', undefined, {});
    const hosts = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { vm, jobId } = await deploy([g.id]);
      assert.equal((await finish(w, jobId)).status, 1);
      hosts.add((await hostOf(vm.id)).hostId!);
    }
    assert.equal(hosts.size, 3, 'each VM on its own host');
    const { vm, jobId } = await deploy([g.id]);
    const job = await finish(w, jobId);
    assert.equal(job.status, 2);
    assert.equal(JSON.parse(job.result!).code, 'InsufficientCapacity');
    assert.equal((await hostOf(vm.id)).state, 'Error');
  });

  it('host affinity keeps VMs together', async () => {
    const g = await w.s.affinity.create(w.admin, 'together', 'host affinity', undefined, {});
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { vm, jobId } = await deploy([g.id]);
      await finish(w, jobId);
      placed.push((await hostOf(vm.id)).hostId!);
    }
    assert.equal(new Set(placed).size, 1);
  });

  it('rejects an unknown type and a duplicate name', async () => {
    await assert.rejects(w.s.affinity.create(w.admin, 'x', 'rack affinity', undefined, {}), /no Affinity Group Type/);
    await assert.rejects(w.s.affinity.create(w.admin, 'spread', 'host anti-affinity', undefined, {}), /already exists/);
  });
});
