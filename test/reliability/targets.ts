import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { userApis } from '../../src/cloudstack/access.js';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { openStore, type OpenOptions } from '../../src/store/db.js';
import { PostgresAsSqlite } from '../../src/store/dialect.js';
import { types } from '../../src/store/postgres.js';
import type { Database } from '../../src/store/schema.js';
import { seedAndBuild } from '../helpers/dialects.js';
import { freshDatabase } from '../helpers/pg.js';
import { ADMIN_API_KEY, ADMIN_SECRET_KEY } from '../helpers/server.js';
import { bigDatacenters, type Target } from './harness.js';

/** Seeds a new database and builds the default zones on big hosts through the API, as a node would at its first start. */
async function prepare(opts: OpenOptions): Promise<void> {
  const store = await openStore(opts);
  try {
    const seed = {
      adminApiKey: ADMIN_API_KEY,
      adminSecretKey: ADMIN_SECRET_KEY,
      userApis: userApis([...COMMANDS.values()]),
    };
    await seedAndBuild(store, Date.now(), { seed, datacenters: bigDatacenters() });
  } finally {
    await store.close();
  }
}

/** One `polystack serve` on a fresh SQLite data directory. */
export async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-reliability-'));
  const file = join(dir, 'polystack.db');
  await prepare({ file });
  return {
    name: 'sqlite',
    nodes: 1,
    serveArgs: () => ['--data-dir', dir],
    async open() {
      const db = new SQLite(file, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Timings that let a survivor declare a killed node Down within seconds rather than the default ten. */
const CLUSTER_ENV = { POLYSTACK_NODE_HEARTBEAT_MS: '300', POLYSTACK_NODE_DEAD_MS: '3000' };

/** `nodes` processes sharing a fresh PostgreSQL database, each under its own --node-name. */
export async function postgresTarget(nodes = 2): Promise<Target> {
  const fresh = await freshDatabase();
  await prepare({ url: fresh.url, poolSize: 4 });
  return {
    name: 'postgres',
    nodes,
    serveArgs: (node) => [
      '--in-memory',
      '--database',
      fresh.url,
      '--node-name',
      `node-${String.fromCharCode(97 + node)}`,
    ],
    env: CLUSTER_ENV,
    deadMs: Number(CLUSTER_ENV.POLYSTACK_NODE_DEAD_MS),
    async open() {
      const pool = new pg.Pool({
        connectionString: fresh.url,
        max: 2,
        types,
        application_name: 'polystack-reliability',
      });
      pool.on('error', () => {});
      // The same plugin the nodes use, so the invariant queries mean the same on both databases.
      return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new PostgresAsSqlite()] });
    },
    cleanup: () => fresh.drop(),
  };
}

/**
 * The targets POLYSTACK_RELIABILITY_TARGET names (comma-separated `sqlite`, `postgres`), else
 * `fallback`: a test that must cover both runs each in turn.
 */
export function targetNames(fallback: Target['name'][]): Target['name'][] {
  const given = process.env['POLYSTACK_RELIABILITY_TARGET'];
  if (!given) return fallback;
  return given.split(',').map((n) => {
    if (n !== 'sqlite' && n !== 'postgres') throw new Error(`POLYSTACK_RELIABILITY_TARGET: unknown target ${n}`);
    return n;
  });
}

export const openTarget = (name: Target['name'], nodes: number): Promise<Target> =>
  name === 'sqlite' ? sqliteTarget() : postgresTarget(nodes);
