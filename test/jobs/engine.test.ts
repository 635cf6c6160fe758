import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Caller } from '../../src/domain/caller.js';
import { ManualClock } from '../../src/domain/clock.js';
import { JobEngine } from '../../src/jobs/engine.js';
import type { Store } from '../../src/store/db.js';
import { forEachDialect } from '../helpers/dialects.js';

const caller: Caller = {
  userId: 'u',
  username: 'u',
  accountId: 'a',
  accountName: 'a',
  accountType: 0,
  domainId: 'd',
  domainPath: 'ROOT',
};

/** An engine whose periodic sweep never comes during a test: whatever runs was started by its announcement. */
function engine(store: Store, ran: string[], name: string): JobEngine {
  const e = new JobEngine(
    store,
    new ManualClock(),
    async (id) => (id === 'u' ? caller : undefined),
    () => {},
    256,
    3_600_000,
  );
  e.register<{ n: number }>('test.record', async ({ params }) => {
    ran.push(`${name}:${params.n}`);
    return { type: 'success' };
  });
  return e;
}

forEachDialect('the job engine', (use, dialect) => {
  it('starts a job submitted while it is idle without waiting for its periodic sweep', () =>
    use(async (d) => {
      const store = await d.open();
      const ran: string[] = [];
      const e = engine(store, ran, 'a');
      await e.start({ name: 'a', heartbeatMs: 3_600_000 });
      try {
        // Idle: the queue was empty at start. Each submission announces itself; none waits for a sweep.
        for (let n = 0; n < 3; n++) {
          // As a service submits: inside its transaction, heard of when it commits.
          const id = await store.tx((trx) =>
            e.submit(trx, caller, { cmd: 'test', kind: 'test.record', params: { n } }),
          );
          const job = await e.wait(id);
          assert.equal(job.status, 1);
        }
        assert.deepEqual(ran, ['a:0', 'a:1', 'a:2']);
      } finally {
        await e.stop(0);
      }
    }));

  it('runs every job of a burst once, oldest first, claiming them in batches', () =>
    use(async (d) => {
      const store = await d.open();
      const ran: string[] = [];
      const e = engine(store, ran, 'a');
      // Queued before the engine starts: its first claims take them in batches of many.
      const ids = await store.tx(async (trx) => {
        const out: string[] = [];
        for (let n = 0; n < 100; n++)
          out.push(await e.submit(trx, caller, { cmd: 'test', kind: 'test.record', params: { n } }));
        return out;
      });
      await e.start({ name: 'a', heartbeatMs: 3_600_000 });
      try {
        const jobs = await Promise.all(ids.map((id) => e.wait(id)));
        assert.ok(jobs.every((j) => j.status === 1));
        assert.equal(ran.length, 100);
        assert.equal(new Set(ran).size, 100);
      } finally {
        await e.stop(0);
      }
    }));

  if (dialect === 'postgres')
    it('lets two engines on one database share a burst, each job run by one of them only', () =>
      use(async (d) => {
        const [s1, s2] = [await d.open(), await d.peer()];
        const ran: string[] = [];
        const [a, b] = [engine(s1, ran, 'a'), engine(s2, ran, 'b')];
        await a.start({ name: 'a', heartbeatMs: 3_600_000 });
        await b.start({ name: 'b', heartbeatMs: 3_600_000 });
        try {
          // Submitted through both nodes at once, so both claim while the other does.
          const ids = await Promise.all(
            Array.from({ length: 200 }, (_, n) =>
              (n % 2 ? a : b).run(caller, { cmd: 'test', kind: 'test.record', params: { n } }),
            ),
          );
          const jobs = await Promise.all(ids.map((id) => a.wait(id)));
          assert.ok(jobs.every((j) => j.status === 1));
          const numbers = ran.map((r) => Number(r.split(':')[1]));
          assert.equal(ran.length, 200, 'no job ran twice');
          assert.deepEqual(
            [...numbers].sort((x, y) => x - y),
            Array.from({ length: 200 }, (_, n) => n),
          );
          const owners = new Set(jobs.map((j) => j.owner));
          assert.equal(owners.size, 2, 'both nodes took part');
        } finally {
          await a.stop(0);
          await b.stop(0);
        }
      }));
});
