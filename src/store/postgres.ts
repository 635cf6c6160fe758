import { Kysely, PostgresDialect, type Migration, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import type { Store } from './handle.js';
import { PostgresAsSqlite } from './dialect.js';
import { migrate } from './migrate.js';
import { openPool } from './pg-pool.js';
import { PgSignals } from './pg-signals.js';
import { DataVersion } from './version.js';

const INT8 = 20;
const NUMERIC = 1700;

/** bigint columns and SUM() come back as numbers, as they do from SQLite (every value here fits a double). */
export const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A transaction that lost a race PostgreSQL detected: running it again sees the winner's rows. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const ATTEMPTS = 5;

export function isRetryable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && RETRYABLE.has(String((e as { code?: unknown }).code));
}

/**
 * Several processes on one database. Transactions run at READ COMMITTED; the stores take row
 * locks (`FOR UPDATE`, `SKIP LOCKED`) where allocation needs them, unique indexes catch the rest,
 * and a transaction that deadlocked or lost a unique race is run again from the start.
 */
export async function openPostgres(url: string, migrations: Record<string, Migration>, poolSize = 10): Promise<Store> {
  const config: pg.PoolConfig = { connectionString: url, max: poolSize, types, application_name: 'polystack' };
  const pool = openPool(config);
  const version = new DataVersion();
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [version, new PostgresAsSqlite()],
  });
  try {
    await migrate(db, migrations);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const control = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: openPool({ ...config, max: 1, application_name: 'polystack-control' }) }),
    plugins: [version, new PostgresAsSqlite()],
  });
  const signals = await PgSignals.start({ connectionString: url, application_name: 'polystack-listen' }, pool, () =>
    version.bump(),
  );
  // Another node's commit makes this node's cached answers stale.
  signals.subscribe('changes', (_p, fromSelf) => {
    if (!fromSelf) version.bump();
  });
  let telling = false;
  version.onWrite = () => {
    if (telling) return;
    telling = true;
    setImmediate(() => {
      telling = false;
      signals.publish('changes').catch(() => {});
    });
  };

  async function once<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const before = version.value;
    const tablesBefore = new Map(version.byTable());
    let trx: Transaction<Database> | undefined;
    let committed = false;
    try {
      const out = await db.transaction().execute((t) => fn((trx = t)));
      committed = true;
      return out;
    } finally {
      if (trx) await signals.settle(trx, committed);
      if (committed && version.value !== before) {
        // Readers here and on other nodes may have cached pre-commit rows under the numbers the writes moved to
        // (other nodes hear it as a change to everything).
        version.committed(tablesBefore);
        await signals.publish('changes').catch(() => {});
      }
    }
  }

  return {
    db,
    dialect: 'postgres',
    control,
    signals,
    async tx(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(fn);
        } catch (e) {
          if (!isRetryable(e) || attempt >= ATTEMPTS) throw e;
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
        }
      }
    },
    async close() {
      version.onWrite = undefined;
      await signals.close();
      await control.destroy();
      await db.destroy();
    },
    // Cut off from the other nodes, nothing may be reused: every call is a new number.
    version: () => {
      if (!signals.listening) version.bump();
      return version.value;
    },
    versionOf: (tables) => {
      if (!signals.listening) version.bump();
      return version.of(tables);
    },
    writesByTable: () => version.byTable(),
    queries: () => version.queries,
  };
}
