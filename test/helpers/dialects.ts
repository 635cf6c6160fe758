import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { openStore, type Store } from '../../src/store/db.js';
import type { Dialect } from '../../src/store/dialect.js';
import pino from 'pino';
import { ManualClock } from '../../src/domain/clock.js';
import { buildPendingDatacenters, defaultDatacenters } from '../../src/server/datacenters.js';
import { createServices } from '../../src/server/services.js';
import { seed, type SeedOptions } from '../../src/services/seed.js';
import type { MarvinConfig } from '../../src/datacenter/marvin.js';
import { freshDatabase, type FreshDatabase } from './pg.js';

/** One empty database of one dialect; `open` connects a store (call it twice for two nodes on it). */
export interface TestDatabase {
  dialect: Dialect;
  open(): Promise<Store>;
  /** A store on it, seeded with the built-in cloud. */
  seeded(): Promise<Store>;
  /**
   * Another node's store on the same database: a second connection pool on PostgreSQL; on SQLite,
   * which serves one process per file, the store already open (opened now if none is).
   */
  peer(): Promise<Store>;
  close(): Promise<void>;
}

async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-contract-'));
  const stores: Store[] = [];
  const open = async () => {
    const s = await openStore({ file: join(dir, 'polystack.db') });
    stores.push(s);
    return s;
  };
  return {
    dialect: 'sqlite',
    open,
    peer: async () => stores[0] ?? open(),
    seeded: async () => {
      const s = await open();
      await seedAndBuild(s, Date.now());
      return s;
    },
    async close() {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * On PostgreSQL the database is made on first use, as a copy of a per-process template: migrated
 * (`open`), or seeded with the built data center (`seeded`: the build is seconds of round trips).
 */
async function postgresDatabase(): Promise<TestDatabase> {
  let fresh: Promise<FreshDatabase> | undefined;
  const database = (seeded: boolean) =>
    (fresh ??= freshDatabase(seeded ? { seeded: seededTemplate } : { migrated: true }));
  const stores: Store[] = [];
  const open = async (seeded = false) => {
    const s = await openStore({ url: (await database(seeded)).url, poolSize: 8 });
    stores.push(s);
    return s;
  };
  return {
    dialect: 'postgres',
    open: () => open(),
    peer: () => open(),
    seeded: async () => {
      if (fresh) throw new Error('seeded() must be the first use of a test database on PostgreSQL');
      return open(true);
    },
    async close() {
      for (const s of stores) await s.close();
      await (await fresh)?.drop();
    },
  };
}

/** Seeds a migrated database and builds the default data center in it (the template `seeded` copies). */
async function seededTemplate(url: string): Promise<void> {
  const s = await openStore({ url });
  try {
    await seedAndBuild(s, Date.now());
  } finally {
    await s.close();
  }
}

/**
 * What a node does with a new database at start: seed it, then build the default data center
 * through the API (a node that finds another building it waits for that one instead).
 */
export async function seedAndBuild(
  store: Store,
  now: number,
  opts: { seed?: Omit<SeedOptions, 'now'>; datacenters?: MarvinConfig[] } = {},
): Promise<void> {
  await seed(store, { ...opts.seed, now });
  const services = await createServices(store, new ManualClock(now), pino({ level: 'silent' }), { agentDelayMs: 0 });
  await services.jobs.start();
  try {
    await buildPendingDatacenters(services, opts.datacenters ?? defaultDatacenters());
  } finally {
    await services.jobs.stop(0);
  }
}

export const ALL_DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/**
 * The dialects this run tests: POLYSTACK_TEST_DIALECTS (a comma list) or both. scripts/test-run.ts runs
 * the SQLite half of a per-dialect file in the fast tier and its PostgreSQL half in the slow one
 * (test/tiers.ts, `splitByDialect`); run alone, a file tests both.
 */
export function dialects(): Dialect[] {
  const asked = process.env['POLYSTACK_TEST_DIALECTS']?.split(',');
  return ALL_DIALECTS.filter((d) => !asked || asked.includes(d));
}

/** Declares `body`'s tests only when PostgreSQL is tested in this run (tests that compare both dialects). */
export function onPostgres(body: () => void): void {
  if (dialects().includes('postgres')) body();
}

/** A fresh database of `dialect` for the length of `fn`. */
export async function withDatabase<T>(dialect: Dialect, fn: (d: TestDatabase) => Promise<T>): Promise<T> {
  const d = dialect === 'sqlite' ? await sqliteDatabase() : await postgresDatabase();
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

/**
 * The store contract, once per dialect: `body` gets a factory that makes a fresh database for one
 * test (a new file for SQLite, a new database on the server for PostgreSQL), closed by `use`.
 */
export function forEachDialect(
  title: string,
  body: (use: <T>(fn: (d: TestDatabase) => Promise<T>) => Promise<T>, dialect: Dialect) => void,
): void {
  for (const dialect of dialects()) {
    describe(`${title} [${dialect}]`, () => {
      body((fn) => withDatabase(dialect, fn), dialect);
    });
  }
}
