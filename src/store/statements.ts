import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 behind Kysely with each statement prepared once: Kysely's SqliteDriver calls
 * `prepare` for every query, and preparing (parsing and planning the SQL) cost 3.5–6 % of a
 * listing's CPU in the issue 15 profiles. Statements are keyed by their compiled SQL (the
 * parameters are bound per call) and kept up to `size`, least recently used first out: lists
 * of ids compile to SQL that varies with their length. A statement is safe to share because
 * better-sqlite3 runs it to completion synchronously; only Kysely's `stream()` keeps one open,
 * and nothing here streams. POLYSTACK_SQLITE_STATEMENT_CACHE=off prepares every time (for the bench).
 */
export function cachedStatements(db: SQLite.Database, size = 1000): SqliteDatabase {
  if (process.env['POLYSTACK_SQLITE_STATEMENT_CACHE'] === 'off') return db;
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => void db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        // Map keeps insertion order: re-inserting makes it the most recently used.
        cache.delete(sql);
      } else {
        // A schema change can change the columns of a cached `select *`: it starts the cache afresh.
        if (DDL.test(sql)) cache.clear();
        stmt = rowsAsObjects(db.prepare(sql));
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

const DDL = /^\s*(create|alter|drop)\b/i;

type Row = Record<string, unknown>;

/**
 * A reading statement whose rows are read as arrays and made objects by a function compiled for its
 * columns: better-sqlite3 builds each row object key by key through V8's API, which took half of
 * reading a page of 500 VMs (4.9 ms of CPU against 2.8 ms for arrays and one object literal each).
 * The objects are the same: the columns in order, a repeated name keeps its place and its last value.
 */
function rowsAsObjects(stmt: SQLite.Statement): SqliteStatement {
  if (!stmt.reader) return stmt;
  const names = stmt.columns().map((c) => c.name);
  // An object literal cannot make an own `__proto__` key; such a statement keeps better-sqlite3's rows.
  if (names.includes('__proto__')) return stmt;
  stmt.raw(true);
  let make = rowMaker(names);
  const objects = (rows: unknown[][]): Row[] => {
    // Another connection's schema change re-prepares the statement underneath: its columns are read again.
    if (rows.length && rows[0]!.length !== names.length) {
      names.splice(0, names.length, ...stmt.columns().map((c) => c.name));
      make = rowMaker(names);
    }
    const out = new Array<Row>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = make(rows[i]!);
    return out;
  };
  return {
    reader: true,
    all: (params: ReadonlyArray<unknown>) => objects(stmt.all(params) as unknown[][]),
    run: (params: ReadonlyArray<unknown>) => stmt.run(params),
    *iterate(params: ReadonlyArray<unknown>) {
      for (const row of stmt.iterate(params) as IterableIterator<unknown[]>) yield objects([row])[0]!;
    },
  };
}

function rowMaker(names: readonly string[]): (row: unknown[]) => Row {
  const fields = names.map((n, i) => `${JSON.stringify(n)}: r[${i}]`).join(', ');
  // One literal per statement gives every row of it the same shape, built in one step.
  return new Function('r', `return { ${fields} };`) as (row: unknown[]) => Row;
}
