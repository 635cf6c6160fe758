import assert from 'node:assert/strict';
import { it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Migration } from 'kysely';
import { migrate } from '../../src/store/migrate.js';

/** A migration that creates table `name` and counts how often it ran. */
function creating(name: string, runs: Map<string, number>): Migration {
  return {
    async up(db) {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      await db.schema.createTable(name).addColumn('id', 'text').execute();
    },
  };
}

it('migrate applies what is missing, skips a database that has every migration, and refuses one it does not know', async () => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
  const runs = new Map<string, number>();
  const [a, b, c] = ['a', 'b', 'c'].map((n) => creating(n, runs)) as [Migration, Migration, Migration];
  const tables = async () =>
    (
      await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table' and name in ('a', 'b', 'c')`.execute(db)
    ).rows
      .map((r) => r.name)
      .sort();
  await migrate(db, { a, b });
  assert.deepEqual(await tables(), ['a', 'b']);
  // An older database opened by a newer polystack: only the new migration runs.
  await migrate(db, { a, b, c });
  assert.deepEqual(await tables(), ['a', 'b', 'c']);
  await migrate(db, { a, b, c });
  assert.deepEqual(Object.fromEntries(runs), { a: 1, b: 1, c: 1 });
  // A newer database opened by an older polystack is refused, as Kysely's migrator refuses it.
  await assert.rejects(migrate(db, { a, b }), /corrupted migrations|missing/);
  await db.destroy();
});
