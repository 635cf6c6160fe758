import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type Migration } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.js';
import type { Store } from './handle.js';
import { migrate } from './migrate.js';
import { SqliteRowLocks } from './dialect.js';
import { LocalSignals } from './signals.js';
import { DataVersion } from './version.js';
import { cachedStatements } from './statements.js';

/** One file, one connection, one node: transactions run one at a time. A buffer is an image, opened in memory. */
export async function openSqlite(file: string | Buffer, migrations: Record<string, Migration>): Promise<Store> {
  if (typeof file === 'string' && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes under WAL; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const version = new DataVersion();
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedStatements(sqlite) }),
    plugins: [version, new SqliteRowLocks()],
  });
  await migrate(db, migrations);
  const signals = new LocalSignals();
  return {
    db,
    dialect: 'sqlite',
    control: db,
    signals,
    async tx(fn) {
      let trx: Kysely<Database> | undefined;
      let committed = false;
      try {
        const out = await db.transaction().execute((t) => fn((trx = t)));
        committed = true;
        return out;
      } finally {
        if (trx) await signals.settle(trx, committed);
      }
    },
    close: async () => {
      await signals.close();
      await db.destroy();
    },
    version: () => version.value,
    versionOf: (tables) => version.of(tables),
    writesByTable: () => version.byTable(),
    queries: () => version.queries,
    image: () => sqlite.serialize(),
  };
}
