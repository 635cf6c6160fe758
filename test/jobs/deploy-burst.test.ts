import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JobResult } from '../../src/jobs/engine.js';
import { world, type World } from '../helpers/inprocess.js';

const MiB = 1024 * 1024;

/** Deploys `n` Small Instances at once into the advanced zone and waits for every job. */
async function burst(w: World, n: number) {
  const deployed = await Promise.all(
    Array.from({ length: n }, () =>
      w.s.vms.deploy(
        w.admin,
        {
          zoneId: w.zones.advanced,
          serviceOfferingId: w.small,
          templateId: w.template,
          startVm: true,
          transport: 'GET',
        },
        'test',
      ),
    ),
  );
  const jobs = await Promise.all(deployed.map((d) => w.s.jobs.wait(d.jobId)));
  const vms = await w.store.db
    .selectFrom('vms')
    .select(['id', 'state', 'hostId'])
    .where(
      'id',
      'in',
      deployed.map((d) => d.vm.id),
    )
    .execute();
  return { jobs, vms };
}

const hosts = (w: World) =>
  w.store.db
    .selectFrom('hosts')
    .select(['id', 'memory', 'memoryUsed'])
    .where('zoneId', '=', w.zones.advanced)
    .where('type', '=', 'Routing')
    .orderBy('name')
    .execute();

describe('a burst of deploys through the job engine (agent delay 0)', () => {
  let w: World;
  before(async () => {
    w = await world({ delayMs: 0 });
  });
  after(() => w.close());

  it('takes every queued deploy to Running, reserving each VM on its host once', async () => {
    await w.store.db
      .updateTable('hosts')
      .set({ memory: 256 * 1024 * MiB, cpuNumber: 64 })
      .where('type', '=', 'Routing')
      .execute();
    const before = (await hosts(w)).reduce((a, h) => a + Number(h.memoryUsed), 0);
    const { jobs, vms } = await burst(w, 60);
    assert.deepEqual(
      jobs.map((j) => j.status),
      jobs.map(() => 1),
    );
    assert.equal(vms.length, 60);
    assert.ok(vms.every((v) => v.state === 'Running' && v.hostId));
    const after = (await hosts(w)).reduce((a, h) => a + Number(h.memoryUsed), 0);
    assert.equal(after - before, 60 * 512 * MiB);
    const started = await w.store.db
      .selectFrom('events')
      .select('resourceId')
      .where('type', '=', 'VM.START')
      .where(
        'resourceId',
        'in',
        vms.map((v) => v.id),
      )
      .execute();
    assert.equal(started.length, 60, 'one VM.START event each');
  });

  it('still refuses what does not fit: the deploys past the hosts’ memory fail for capacity, none overfills a host', async () => {
    // Room for 2, 3 and 4 more Small Instances on the zone's three hosts: 9 in all.
    const hs = await hosts(w);
    assert.equal(hs.length, 3);
    for (const [i, h] of hs.entries())
      await w.store.db
        .updateTable('hosts')
        .set({ memory: Number(h.memoryUsed) + (2 + i) * 512 * MiB })
        .where('id', '=', h.id)
        .execute();
    const { jobs, vms } = await burst(w, 14);
    const running = vms.filter((v) => v.state === 'Running');
    assert.equal(running.length, 9);
    const failed = jobs.filter((j) => j.status === 2).map((j) => JSON.parse(j.result!) as JobResult);
    assert.equal(failed.length, 5);
    assert.ok(failed.every((r) => r.type === 'error' && r.code === 'InsufficientCapacity'));
    for (const h of await hosts(w))
      assert.ok(Number(h.memoryUsed) <= Number(h.memory), 'no host holds more than it has');
  });
});
