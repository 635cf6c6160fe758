import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { Dialect } from './dialect.js';
import type { Signals } from './signals.js';

/** The database or an open transaction on it: what every store function takes. */
export type Db = Kysely<Database> | Transaction<Database>;

export interface OpenOptions {
  /** A file path, or ':memory:' (SQLite). */
  file?: string;
  /** postgres://user@host:port/database — PostgreSQL, shared by every node that names it. */
  url?: string;
  /** PostgreSQL connections this process may hold (default 10). */
  poolSize?: number;
  /** A SQLite database as `Store.image()` wrote it: opened in memory as a copy (a prebuilt cloud). */
  image?: Buffer;
}

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Runs `fn` in one transaction; everything it wrote is kept or nothing is. */
  tx<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Moves on every write; equal values mean nothing was written in between. */
  version(): number;
  /** Moves on every write to these tables (and whenever `version` moves for no table it can name). */
  versionOf(tables: readonly string[]): string;
  /** Messages between the nodes sharing this database (one node on SQLite). */
  signals: Signals;
  /**
   * A connection kept apart from request traffic, for the cluster's heartbeats: a node whose pool is
   * queued up behind a storm of requests must still say in time that it is alive (SQLite: `db`).
   */
  control: Kysely<Database>;
  /** Writes so far by table: which tables a piece of work changed. */
  writesByTable(): ReadonlyMap<string, number>;
  /** Statements sent so far, reads included. */
  queries(): number;
  /** The whole database as one buffer, to open again with `OpenOptions.image` (SQLite only). */
  image?(): Buffer;
}
