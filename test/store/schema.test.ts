import assert from 'node:assert/strict';
import { it } from 'node:test';
import { appliedMigrations } from '../../src/store/db.js';
import {
  columnsOf,
  dumpTable,
  loadRows,
  recomputeCapacity,
  stateTables,
  wipeTable,
} from '../../src/store/state.store.js';
import { mockStore } from '../../src/store/mock.store.js';
import { vmStore } from '../../src/store/vm.store.js';
import { ALL_DIALECTS, forEachDialect, onPostgres, withDatabase } from '../helpers/dialects.js';
import { insertRow } from '../../src/store/repo.js';
import type { TestDatabase } from '../helpers/dialects.js';

/** What each dialect's schema looks like, to compare them. */
async function shape(d: TestDatabase): Promise<Record<string, string[]>> {
  const s = await d.open();
  const out: Record<string, string[]> = {};
  for (const t of await stateTables(s.db)) out[t] = (await columnsOf(s.db, t)).sort();
  return out;
}

// Both dialects side by side: part of the PostgreSQL half (the slow tier), which needs the server anyway.
onPostgres(() =>
  it('both dialects build the same tables and columns from the same migrations', async () => {
    const shapes = await Promise.all(ALL_DIALECTS.map((dl) => withDatabase(dl, shape)));
    assert.ok(Object.keys(shapes[0]!).length > 40);
    assert.deepEqual(shapes[1], shapes[0]);
    const applied = await Promise.all(
      ALL_DIALECTS.map((dl) => withDatabase(dl, async (d) => appliedMigrations(await d.open()))),
    );
    assert.deepEqual(applied[1], applied[0]);
  }),
);

forEachDialect('schema and values', (use) => {
  it('gives numbers back as numbers: bigint columns, counts and sums', () =>
    use(async (d) => {
      const s = await d.seeded();
      const host = await s.db.selectFrom('hosts').selectAll().executeTakeFirstOrThrow();
      assert.equal(typeof host.memory, 'number');
      assert.equal(typeof host.created, 'number');
      const { count } = await vmStore.list(s.db, {});
      assert.equal(count, 0);
      const sum = await s.db
        .selectFrom('hosts')
        .select((eb) => eb.fn.sum<number>('memory').as('m'))
        .executeTakeFirstOrThrow();
      assert.equal(typeof sum.m, 'number');
      await recomputeCapacity(s.db);
      const after = await s.db.selectFrom('hosts').select('memoryUsed').executeTakeFirstOrThrow();
      assert.equal(after.memoryUsed, 0);
    }));

  it('matches LIKE without regard to ASCII case and sorts text by bytes, as SQLite does', () =>
    use(async (d) => {
      const s = await d.open();
      for (const [i, key] of ['beta', 'Alpha', 'alpha', 'Zulu', '_x'].entries()) {
        await insertRow(s.db, 'tags', {
          id: `t${i}`,
          key,
          value: 'v',
          resourceType: 'UserVm',
          resourceId: `r${i}`,
          accountId: 'a',
          domainId: 'd',
          customer: null,
        });
      }
      const sorted = (await s.db.selectFrom('tags').select('key').orderBy('key').execute()).map((r) => r.key);
      assert.deepEqual(sorted, ['Alpha', 'Zulu', '_x', 'alpha', 'beta']);
      const like = (
        await s.db.selectFrom('tags').select('key').where('key', 'like', 'ALP%').orderBy('key').execute()
      ).map((r) => r.key);
      assert.deepEqual(like, ['Alpha', 'alpha']);
      const eq = await s.db.selectFrom('tags').select('key').where('key', '=', 'alpha').execute();
      assert.equal(eq.length, 1, '= stays exact');
    }));

  it('keeps nothing of a transaction that threw', () =>
    use(async (d) => {
      const s = await d.open();
      await assert.rejects(
        s.tx(async (trx) => {
          await insertRow(trx, 'sshKeyPairs', {
            id: 'k1',
            name: 'k',
            fingerprint: 'f',
            publicKey: 'p',
            accountId: 'a',
            domainId: 'd',
            created: 1,
          });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await s.db.selectFrom('sshKeyPairs').selectAll().execute()).length, 0);
    }));

  it('exports and imports every table, and a self-numbering table keeps counting after the import', () =>
    use(async (d) => {
      const s = await d.seeded();
      const mock = {
        name: 'StartCommand',
        value: 'result:fail',
        zoneId: null,
        podId: null,
        clusterId: null,
        hostId: null,
        count: null,
        jsonResponse: null,
        removed: null,
      };
      const first = await mockStore.insert(s.db, mock);
      const snapshot: Record<string, Record<string, unknown>[]> = {};
      for (const t of await stateTables(s.db)) snapshot[t] = await dumpTable(s.db, t);
      await s.tx(async (trx) => {
        for (const t of Object.keys(snapshot)) await wipeTable(trx, t);
        for (const [t, rows] of Object.entries(snapshot)) await loadRows(trx, t, rows);
      });
      for (const t of Object.keys(snapshot)) {
        const key = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).sort());
        assert.deepEqual((await dumpTable(s.db, t)).map(key).sort(), snapshot[t]!.map(key).sort(), t);
      }
      const second = await mockStore.insert(s.db, mock);
      assert.ok(second > first, `a new mock gets a new id (${second} after ${first})`);
    }));
});
