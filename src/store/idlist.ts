import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Ids per `IN (...)`. Each id is one bound variable: SQLite (better-sqlite3's build) takes at most
 * 32766 in one statement, PostgreSQL 65535; a list the caller sizes (every VM of a 50,000-VM cloud)
 * must never reach either. Small enough to leave room for the query's other variables.
 */
export const IN_CHUNK = 1000;

/**
 * Runs `run` once per chunk of the distinct ids and concatenates the rows. Each id lands in exactly
 * one chunk, so rows grouped by id keep the order `run` gives them; only the order across ids is per chunk.
 */
export async function inChunks<T>(ids: readonly string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const uniq = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < uniq.length; i += IN_CHUNK) for (const r of await run(uniq.slice(i, i + IN_CHUNK))) out.push(r);
  return out;
}

/** inChunks for statements that return nothing (updates, deletes). */
export async function eachChunk(ids: readonly string[], run: (chunk: string[]) => Promise<unknown>): Promise<void> {
  const uniq = [...new Set(ids)];
  for (let i = 0; i < uniq.length; i += IN_CHUNK) await run(uniq.slice(i, i + IN_CHUNK));
}

/**
 * `column IN ids` as one condition of a filtered, counted, paged query, which cannot be split into
 * chunks: past IN_CHUNK ids the list travels as one JSON parameter the database unpacks. An empty list matches nothing.
 */
export function inList(db: Kysely<any>, column: string, ids: readonly string[]): Expression<SqlBool> {
  const ref = sql.ref(column);
  if (ids.length === 0) return sql<SqlBool>`1 = 0`;
  if (ids.length <= IN_CHUNK) return sql<SqlBool>`${ref} in (${sql.join(ids.map((i) => sql`${i}`))})`;
  const json = JSON.stringify([...new Set(ids)]);
  return dialectOf(db) === 'postgres'
    ? sql<SqlBool>`${ref} in (select json_array_elements_text(${json}::json))`
    : sql<SqlBool>`${ref} in (select value from json_each(${json}))`;
}
