import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../src/domain/ids.js';
import type { ManagementServer } from '../../src/domain/cluster.js';
import { jobStore } from '../../src/store/job.store.js';
import { nodeStore } from '../../src/store/node.store.js';
import { insertRow } from '../../src/store/repo.js';
import { ConfigService } from '../../src/services/infrastructure/config.service.js';
import type { Caller } from '../../src/domain/caller.js';
import { claimDatacenterBuild, datacenterBuilt, datacenterPending, seed } from '../../src/services/seed.js';
import { forEachDialect, seedAndBuild } from '../helpers/dialects.js';
import { until } from '../helpers/inprocess.js';

const node = (name: string, heartbeat: number): ManagementServer => ({
  id: newId(),
  runId: newId(),
  name,
  serviceIp: '127.0.0.1',
  servicePort: 8080,
  version: '4.18.0.0',
  state: 'Up',
  runtime: 'Node.js',
  runtimeVersion: '20',
  osDistribution: 'Linux',
  kernelVersion: '6',
  lastServerStart: heartbeat,
  lastServerStop: null,
  lastBootTime: 0,
  lastHeartbeat: heartbeat,
});
const key = (id: string) => ({
  id,
  name: id,
  fingerprint: 'f',
  publicKey: 'p',
  accountId: 'a',
  domainId: 'd',
  created: 1,
});

forEachDialect('nodes on one database', (use, dialect) => {
  it('moves the write version on a write, not on a read nor on a heartbeat', () =>
    use(async (d) => {
      const s = await d.open();
      const n = node('n1', 1);
      await nodeStore.register(s.db, n);
      const v0 = s.version();
      await s.db.selectFrom('sshKeyPairs').selectAll().execute();
      await nodeStore.heartbeat(s.db, n.id, n.runId, 2);
      assert.equal(s.version(), v0, 'reads and heartbeats change nothing anyone lists');
      await s.tx((trx) => insertRow(trx, 'sshKeyPairs', key('k1')));
      assert.ok(s.version() > v0);
    }));

  it(`moves a node's write version when another node writes${dialect === 'sqlite' ? ' (one node: itself)' : ''}`, () =>
    use(async (d) => {
      const a = await d.open();
      const b = await d.peer();
      const before = a.version();
      await b.tx((trx) => insertRow(trx, 'sshKeyPairs', key('k2')));
      await until(() => a.version() !== before, 2000);
    }));

  it('tells the other nodes what a transaction said once it commits, and nothing when it rolls back', () =>
    use(async (d) => {
      const a = await d.open();
      const b = await d.peer();
      const heard: string[] = [];
      b.signals.subscribe('jobs', (p) => heard.push(p));
      await assert.rejects(
        a.tx(async (trx) => {
          await a.signals.publishIn(trx, 'jobs', 'rolled-back');
          throw new Error('no');
        }),
      );
      await a.tx(async (trx) => {
        await a.signals.publishIn(trx, 'jobs', 'committed');
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(heard, [], 'nothing is told before the commit');
      });
      await until(() => heard.includes('committed'), 2000);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(heard, ['committed']);
    }));

  it("declares a silent node Down and gives its pending jobs back to the queue, not a live node's", () =>
    use(async (d) => {
      const s = await d.open();
      const live = node('live', 10_000);
      const silent = node('silent', 1_000);
      await nodeStore.register(s.db, live);
      await nodeStore.register(s.db, silent);
      const job = (owner: string) => ({
        id: newId(),
        accountId: 'a',
        userId: 'u',
        domainId: 'd',
        cmd: 'c',
        kind: 'k',
        params: '{}',
        status: 0 as const,
        resultCode: 0,
        result: null,
        instanceType: null,
        instanceId: null,
        created: 1,
        completed: null,
        owner,
        heartbeat: 1,
      });
      const [mine, theirs] = [job(live.runId), job(silent.runId)];
      await jobStore.insert(s.db, mine);
      await jobStore.insert(s.db, theirs);
      assert.equal(await jobStore.releaseOrphans(s.db), 0, 'both owners are Up');
      assert.deepEqual(await nodeStore.markSilentDown(s.db, 5_000), ['silent']);
      assert.equal(await jobStore.releaseOrphans(s.db), 1);
      assert.equal((await jobStore.get(s.db, theirs.id))!.owner, null);
      assert.equal((await jobStore.get(s.db, mine.id))!.owner, live.runId);
      const listed = await nodeStore.list(s.db, {});
      assert.deepEqual(
        listed.map((n) => [n.name, n.state, n.lastServerStop]),
        [
          ['silent', 'Down', 1_000],
          ['live', 'Up', null],
        ],
      );
      // A node restarted under its name keeps its id and takes a new run.
      const again = await nodeStore.register(s.db, { ...node('silent', 20_000) });
      assert.equal(again.id, silent.id);
      assert.equal(again.state, 'Up');
    }));

  it('seeds a new database once when several nodes start on it together', () =>
    use(async (d) => {
      const stores = [await d.open(), await d.peer(), await d.peer()];
      // allSettled: with Promise.all the first refusal would close the stores under the others.
      const settled = await Promise.allSettled(stores.map((s) => seedAndBuild(s, 1)));
      assert.deepEqual(
        settled.flatMap((r) => (r.status === 'rejected' ? [String(r.reason?.stack ?? r.reason)] : [])),
        [],
      );
      const roots = await stores[0]!.db.selectFrom('domains').select('id').where('level', '=', 0).execute();
      assert.equal(roots.length, 1);
      const zones = await stores[0]!.db.selectFrom('zones').select('name').execute();
      assert.equal(zones.length, 2);
    }));

  it('lets no node claim the data-center build once another finished it', () =>
    use(async (d) => {
      const a = await d.open();
      await seed(a, { now: 1 });
      const b = await d.peer();
      assert.equal(await datacenterPending(b), true);
      assert.equal(await claimDatacenterBuild(a, Date.now), true);
      assert.equal(await claimDatacenterBuild(b, Date.now), false, 'a live claim holds');
      await datacenterBuilt(a);
      // b read "pending" before a finished; its claim now must fail, or it builds every zone again.
      assert.equal(await claimDatacenterBuild(b, Date.now), false);
    }));

  it(
    "a global setting updated on one node is what every node's settings cache answers",
    { skip: dialect === 'sqlite' && 'one process on SQLite: one settings cache' },
    () =>
      use(async (d) => {
        const a = await d.open();
        await seed(a, { now: 1 });
        const b = await d.peer();
        const [onA, onB] = [new ConfigService(a), new ConfigService(b)];
        await Promise.all([onA.load(), onB.load()]);
        const name = 'allow.user.expunge.recover.vm';
        assert.equal(onB.bool(name), false);
        await onA.update({ accountType: 1 } as Caller, name, 'true');
        await until(() => onB.bool(name), 2000);
      }),
  );
});
