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
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => void db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) {
        // Map keeps insertion order: re-inserting makes it the most recently used.
        cache.delete(sql);
      } else {
        stmt = db.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
