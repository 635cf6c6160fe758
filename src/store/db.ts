import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type Transaction } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.js';
import { DataVersion } from './version.js';
import * as m001 from './migrations/001_init.js';
import * as m002 from './migrations/002_port_forwarding.js';
import * as m005 from './migrations/005_networking.js';
import * as m006 from './migrations/006_affinity_groups.js';
import * as m007 from './migrations/007_instance_groups.js';
import * as m008 from './migrations/008_fault_rules.js';
import * as m009 from './migrations/009_list_order_indexes.js';

export type Db = Kysely<Database> | Transaction<Database>;

const MIGRATIONS: Record<string, Migration> = { '001_init': m001, '002_port_forwarding': m002, '005_networking': m005, '006_affinity_groups': m006, '007_instance_groups': m007, '008_fault_rules': m008, '009_list_order_indexes': m009 };

/** Names of the migrations applied to this database, in order. */
export async function appliedMigrations(store: Store): Promise<string[]> {
  const m = new Migrator({ db: store.db, allowUnorderedMigrations: true, provider: { getMigrations: async () => MIGRATIONS } });
  return (await m.getMigrations()).filter((x) => x.executedAt).map((x) => x.name);
}

export interface OpenOptions {
  /** A file path, or ':memory:'. */
  file: string;
}

export interface Store {
  db: Kysely<Database>;
  /** Runs `fn` in one transaction; everything it wrote is kept or nothing is. */
  tx<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Moves on every write; equal values mean nothing was written in between. */
  version(): number;
  /** Writes so far by table: which tables a piece of work changed. */
  writesByTable(): ReadonlyMap<string, number>;
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  if (opts.file !== ':memory:') mkdirSync(dirname(opts.file), { recursive: true });
  const sqlite = new SQLite(opts.file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes under WAL; only an OS crash can lose the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const version = new DataVersion();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), plugins: [version] });
  // Migrations are numbered by the change that added them, not by the order they land in.
  const migrator = new Migrator({ db, allowUnorderedMigrations: true, provider: { getMigrations: async () => MIGRATIONS } });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  return {
    db,
    tx: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
    version: () => version.value,
    writesByTable: () => version.byTable(),
  };
}
