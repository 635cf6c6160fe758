import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { defaultDatacenters, seed } from '../../src/services/seed.js';
import type { MarvinConfig } from '../../src/services/marvin.js';
import { openStore } from '../../src/store/db.js';
import type { Database } from '../../src/store/schema.js';
import { ADMIN_API_KEY, ADMIN_SECRET_KEY, startServer, type TestServer } from '../helpers/server.js';

/**
 * The reliability suite's sizes: a CI-sized run by default, the figures RELIABILITY.md reports
 * with POLYSTACK_RELIABILITY=full. Each test reads its own numbers from here.
 */
export const FULL = process.env['POLYSTACK_RELIABILITY'] === 'full';
export const SIZE = FULL
  ? { loadClients: 200, loadSeconds: 60, loadTenants: 20, crashVms: 1000, crashKills: 20, crashTenants: 10, fuzzRuns: 120_000 }
  : { loadClients: 20, loadSeconds: 8, loadTenants: 4, crashVms: 90, crashKills: 3, crashTenants: 3, fuzzRuns: 3_000 };

/** Simulated hosts large enough that capacity is not what a storm runs out of (SimulatorDiscoverer's URL overrides). */
const BIG_HOST = 'cpucore=64&cpuspeed=8000&memory=524288';

/** The default zones with every simulated host made big. */
export function bigDatacenters(): MarvinConfig[] {
  const datacenters = defaultDatacenters();
  for (const dc of datacenters)
    for (const z of dc.zones) for (const p of z.pods ?? []) for (const c of p.clusters ?? []) for (const h of c.hosts ?? []) h.url = `${h.url}/${BIG_HOST}`;
  return datacenters;
}

/**
 * Where the cloud under test keeps its state. Today: one `polystack serve` on a SQLite file.
 * The PostgreSQL store and several nodes on it (issue 8 parts 1-2) become another Target:
 * `serveArgs` gains `--database postgres://…`, `nodes` grows, and `open` reads the same tables
 * through Kysely's PostgreSQL dialect; the tests and their invariants stay as they are.
 */
export interface Target {
  name: string;
  /** How many `polystack serve` processes share the database. */
  nodes: number;
  /** Arguments of `polystack serve` (besides --port). */
  serveArgs(): string[];
  /** A connection for invariant checks, beside the running nodes. */
  open(): Promise<Kysely<Database>>;
  cleanup(): void;
}

/** A fresh SQLite data directory seeded with the default zones on big hosts. */
export async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-reliability-'));
  const file = join(dir, 'polystack.db');
  const store = await openStore({ file });
  await seed(store, { now: Date.now(), adminApiKey: ADMIN_API_KEY, adminSecretKey: ADMIN_SECRET_KEY, datacenters: bigDatacenters() });
  await store.close();
  return {
    name: 'sqlite',
    nodes: 1,
    serveArgs: () => ['--data-dir', dir],
    async open() {
      const db = new SQLite(file, { fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return new Kysely<Database>({ dialect: new SqliteDialect({ database: db }) });
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The target POLYSTACK_RELIABILITY_TARGET names; only `sqlite` exists until the PostgreSQL store lands. */
export async function target(t: TestContext): Promise<Target | undefined> {
  const name = process.env['POLYSTACK_RELIABILITY_TARGET'] ?? 'sqlite';
  if (name === 'sqlite') return sqliteTarget();
  t.skip(`target ${name}: the PostgreSQL store and multi-node serving are not on this branch yet`);
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts one node of the target on a fixed port (a restarted node comes back where clients expect it). */
export function startNode(tg: Target, port: number, env: Record<string, string> = {}): Promise<TestServer> {
  return startServer({ args: [...tg.serveArgs(), '--port', String(port)], env: { POLYSTACK_AGENT_DELAY_MS: '50', ...env } }).then((s) => s);
}

/** Percentiles of a list of numbers (ms). */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
