import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type KyselyPlugin } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PostgresAsSqlite } from './dialect.js';
import { cachedStatements } from './statements.js';

/**
 * A front's own small database (EC2 ids, GCE operations): its own SQLite file, or, when the cloud is
 * on PostgreSQL, its own schema in that database, so every node of a cluster shares it. `plugins`
 * see every query (a write counter).
 */
export async function openSideDb<DB>(
  target: string,
  schema: string,
  create: (db: Kysely<DB>) => Promise<void>,
  plugins: KyselyPlugin[] = [],
): Promise<Kysely<DB>> {
  if (/^postgres(ql)?:\/\//.test(target)) {
    // Loaded only for PostgreSQL, as in db.ts.
    const [{ openPool }, { types }] = await Promise.all([import('./pg-pool.js'), import('./postgres.js')]);
    const pool = openPool({ connectionString: target, max: 4, types, application_name: `polystack-${schema}` });
    const base = new Kysely<DB>({
      dialect: new PostgresDialect({ pool }),
      plugins: [new PostgresAsSqlite(), ...plugins],
    });
    // Nodes starting together would race on CREATE ... IF NOT EXISTS; one at a time creates.
    await base.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${schema}))`.execute(trx);
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(trx);
      await create(trx.withSchema(schema));
    });
    return base.withSchema(schema);
  }
  if (target !== ':memory:') mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(target);
  sqlite.pragma('journal_mode = WAL');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }), plugins });
  await create(db);
  return db;
}
