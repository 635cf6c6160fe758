import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finish, world, type World } from '../helpers/inprocess.js';

const MiB = 1024 * 1024;

describe('capacity and failed deploys', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 0 });
  });
  after(() => w.close());

  const deploy = (zoneId: string) =>
    w.s.vms.deploy(
      w.admin,
      { zoneId, serviceOfferingId: w.small, templateId: w.template, startVm: true, transport: 'GET' },
      'test',
    );

  /** Host usage must equal what the VMs placed on it hold. */
  async function assertCapacityConsistent(): Promise<void> {
    const hosts = await w.store.db.selectFrom('hosts').selectAll().execute();
    const vms = await w.store.db
      .selectFrom('vms')
      .selectAll()
      .where('removed', 'is', null)
      .where('hostId', 'is not', null)
      .execute();
    for (const h of hosts) {
      const mine = vms.filter((v) => v.hostId === h.id);
      assert.equal(
        Number(h.memoryUsed),
        mine.reduce((a, v) => a + v.memory * MiB, 0),
        `memory of ${h.name}`,
      );
      assert.equal(
        Number(h.cpuUsed),
        mine.reduce((a, v) => a + v.cpuNumber * v.cpuSpeed, 0),
        `cpu of ${h.name}`,
      );
    }
  }

  it('fills the basic zone, then fails the next deploy with InsufficientCapacity and releases everything it took', async () => {
    // Two simulated hosts of 8 GiB: 32 Small Instances (512 MB) fit.
    for (let i = 0; i < 32; i++) {
      const { jobId } = await deploy(w.zones.basic);
      assert.equal((await finish(w, jobId)).status, 1, `deploy ${i}`);
    }
    await assertCapacityConsistent();
    const { vm, jobId } = await deploy(w.zones.basic);
    const job = await finish(w, jobId);
    assert.equal(job.status, 2);
    const result = JSON.parse(job.result!);
    assert.equal(result.code, 'InsufficientCapacity');
    assert.equal(result.details.capacity, 'server');
    const failed = await w.store.db.selectFrom('vms').selectAll().where('id', '=', vm.id).executeTakeFirstOrThrow();
    assert.equal(failed.state, 'Error');
    assert.equal(failed.hostId, null);
    const nics = await w.store.db
      .selectFrom('nics')
      .selectAll()
      .where('vmId', '=', vm.id)
      .where('removed', 'is', null)
      .execute();
    assert.equal(nics.length, 0, 'a failed deploy gives its address back');
    await assertCapacityConsistent();
  });

  it('StartCommand failing on every host of the zone fails the deploy and leaves no reservation', async () => {
    // The advanced zone has three hosts; each failed start avoids its host, so three failures exhaust the zone.
    await w.store.db
      .insertInto('simulatorMocks')
      .values({
        id: 1,
        name: 'StartCommand',
        value: 'result:fail',
        zoneId: w.zones.advanced,
        podId: null,
        clusterId: null,
        hostId: null,
        count: 3,
        jsonResponse: null,
        removed: null,
      })
      .execute();
    const first = await deploy(w.zones.advanced);
    const job = await finish(w, first.jobId);
    assert.equal(job.status, 2);
    assert.equal(JSON.parse(job.result!).code, 'InsufficientCapacity');
    await assertCapacityConsistent();
    const pools = await w.store.db
      .selectFrom('storagePools')
      .selectAll()
      .where('zoneId', '=', w.zones.advanced)
      .execute();
    assert.equal(
      pools.reduce((a, p) => a + Number(p.usedBytes), 0),
      0,
      'no disk space is held by the failed VM',
    );
    const second = await deploy(w.zones.advanced);
    assert.equal((await finish(w, second.jobId)).status, 1, 'the mock is used up, so the next deploy succeeds');
    await assertCapacityConsistent();
  });
});
