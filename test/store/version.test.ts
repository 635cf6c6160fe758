import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../../src/store/db.js';

// The response caches and the tests' fingerprints trust the data version to move on every write:
// a raw `sql` statement must move it as surely as the query builder does.
describe('data version', () => {
  it('moves on builder and raw writes, per table, and not on reads', async () => {
    const store = await openStore({ file: ':memory:' });
    try {
      const writes = (t: string) => store.writesByTable().get(t) ?? 0;
      const v0 = store.version();
      await sql`SELECT count(*) FROM tombstones`.execute(store.db);
      assert.equal(store.version(), v0, 'a raw read is not a write');
      await sql`INSERT INTO tombstones (id, kind) VALUES (${'a'}, ${'vm'})`.execute(store.db);
      assert.equal(writes('tombstones'), 1);
      await sql`UPDATE tombstones SET kind = ${'volume'} WHERE id = ${'a'}`.execute(store.db);
      await sql`DELETE FROM ${sql.table('tombstones')} WHERE id = ${'a'}`.execute(store.db);
      assert.equal(writes('tombstones'), 3, 'raw update and delete (table as a parameter) are counted');
      await sql`DELETE FROM tombstones WHERE id = ${'nothing'}`.execute(store.db);
      assert.equal(writes('tombstones'), 3, 'a write that changed no row moves nothing');
      assert.equal(store.version(), v0 + 3);
    } finally {
      await store.close();
    }
  });

  it('a version of some tables moves on their writes, not on writes to others', async () => {
    const store = await openStore({ file: ':memory:' });
    try {
      const v0 = store.versionOf(['tombstones']);
      await sql`INSERT INTO sequences (name, value) VALUES (${'s'}, ${1})`.execute(store.db);
      assert.notEqual(store.version(), 0, 'the whole-store version moved');
      assert.equal(store.versionOf(['tombstones']), v0, 'a write to another table leaves it');
      await sql`INSERT INTO tombstones (id, kind) VALUES (${'a'}, ${'vm'})`.execute(store.db);
      const v1 = store.versionOf(['tombstones']);
      assert.notEqual(v1, v0);
      await sql`UPDATE ${sql.raw('"tombstones"')} SET kind = ${'volume'}`.execute(store.db);
      assert.notEqual(store.versionOf(['tombstones']), v1, 'a quoted table name is still a write to it');
    } finally {
      await store.close();
    }
  });

  it('opens an image as an independent copy', async () => {
    const store = await openStore({ file: ':memory:' });
    await sql`INSERT INTO tombstones (id, kind) VALUES (${'a'}, ${'vm'})`.execute(store.db);
    const copy = await openStore({ image: store.image!() });
    await sql`DELETE FROM tombstones`.execute(copy.db);
    const count = async (s: typeof store) =>
      (await sql<{ n: number }>`SELECT count(*) AS n FROM tombstones`.execute(s.db)).rows[0]!.n;
    assert.equal(await count(copy), 0);
    assert.equal(await count(store), 1, 'the original keeps its row');
    await copy.close();
    await store.close();
  });
});
