import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { apiSession, finish, until, world } from '../helpers/inprocess.js';

const MiB = 1024 * 1024;

describe('jobs survive a process that stops mid-way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-resume-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a deploy interrupted while the agent works is resumed by the next process, reserving capacity once', async () => {
    const file = join(dir, 'p.db');
    const first = await world({ file, delayMs: 60_000 });
    const { vm, jobId } = await first.s.vms.deploy(
      first.admin,
      {
        zoneId: first.zones.basic,
        serviceOfferingId: first.small,
        templateId: first.template,
        startVm: true,
        transport: 'GET',
      },
      'test',
    );
    await until(() => first.clock.waiting > 0); // placed on a host, waiting for StartCommand
    const placed = await first.store.db.selectFrom('vms').selectAll().where('id', '=', vm.id).executeTakeFirstOrThrow();
    assert.equal(placed.state, 'Starting');
    assert.ok(placed.hostId);
    await first.close(); // the process goes away with the job unfinished

    const second = await world({ file, delayMs: 60_000 });
    try {
      const job = await finish(second, jobId);
      assert.equal(job.status, 1);
      const done = await second.store.db
        .selectFrom('vms')
        .selectAll()
        .where('id', '=', vm.id)
        .executeTakeFirstOrThrow();
      assert.equal(done.state, 'Running');
      assert.equal(done.hostId, placed.hostId);
      const host = await second.store.db
        .selectFrom('hosts')
        .selectAll()
        .where('id', '=', placed.hostId!)
        .executeTakeFirstOrThrow();
      assert.equal(Number(host.memoryUsed), 512 * MiB, 'the resumed job did not reserve a second time');
    } finally {
      await second.close();
    }
  });

  it('a destroy-and-expunge interrupted while the agent destroys the VM is finished by the next process, not left Expunging', async () => {
    const file = join(dir, 'x.db');
    const first = await world({ file, delayMs: 60_000 });
    const api = await apiSession(first);
    const dep = await api('deployVirtualMachine', {
      zoneid: first.zones.basic,
      serviceofferingid: first.small,
      templateid: first.template,
    });
    await finish(first, dep.body.jobid);
    const destroy = await api('destroyVirtualMachine', { id: dep.body.id, expunge: true });
    assert.equal(destroy.status, 200, JSON.stringify(destroy.body));
    const row = (w: typeof first) =>
      w.store.db.selectFrom('vms').selectAll().where('id', '=', dep.body.id).executeTakeFirstOrThrow();
    // The stop goes by; the process goes away while the agent destroys the VM.
    await until(async () => {
      if ((await row(first)).state === 'Expunging' && first.clock.waiting > 0) return true;
      if (first.clock.waiting > 0) first.clock.advance(60_000);
      return false;
    }, 10_000);
    await first.close();

    const second = await world({ file, delayMs: 60_000 });
    try {
      const job = await finish(second, destroy.body.jobid);
      assert.equal(job.status, 1, job.result ?? undefined);
      assert.ok((await row(second)).removed, 'the VM is expunged');
    } finally {
      await second.close();
    }
  });
});
