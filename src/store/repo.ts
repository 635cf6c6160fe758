import type { Db } from './db.js';
import type { Database } from './schema.js';

/** Generic row access by primary key; concept stores add the queries that need more than this. */
type WithId = { [K in keyof Database]: Database[K] extends { id: string } ? K : never }[keyof Database];

export async function insertRow<T extends keyof Database>(db: Db, table: T, row: Database[T]): Promise<void> {
  await db
    .insertInto(table)
    .values(row as any)
    .execute();
}

export async function getRow<T extends WithId>(db: Db, table: T, id: string): Promise<Database[T] | undefined> {
  return (await (db as any).selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst()) as
    Database[T] | undefined;
}

/** Whether a patch sets anything: an UPDATE with an empty SET is an SQL syntax error, and kysely drops undefined values. */
export function setsNothing(patch: object): boolean {
  return Object.values(patch).every((v) => v === undefined);
}

/** Writes the patch's fields; a patch that sets nothing is a no-op (an update* call with only its id), not an SQL error. */
export async function updateRow<T extends WithId>(
  db: Db,
  table: T,
  id: string,
  patch: Partial<Database[T]>,
): Promise<void> {
  if (setsNothing(patch)) return;
  await (db as any).updateTable(table).set(patch).where('id', '=', id).execute();
}

export async function deleteRow<T extends WithId>(db: Db, table: T, id: string): Promise<void> {
  await (db as any).deleteFrom(table).where('id', '=', id).execute();
}

export async function allRows<T extends keyof Database>(db: Db, table: T): Promise<Database[T][]> {
  return (await (db as any).selectFrom(table).selectAll().execute()) as Database[T][];
}

/**
 * Locks a row until the transaction ends (PostgreSQL); whoever else locks it waits and then reads
 * what this transaction committed. On SQLite the one connection already runs transactions one by one.
 */
export async function lockRow<T extends WithId>(db: Db, table: T, id: string): Promise<boolean> {
  return !!(await (db as any).selectFrom(table).select('id').where('id', '=', id).forUpdate().executeTakeFirst());
}

/**
 * One table's row access by primary key, bound to its name: each concept store exports the ones of
 * its tables (`vmRows`, `zoneRows`...), so services name a store function and never a table.
 */
export function rowsOf<T extends WithId>(table: T) {
  return {
    ...joinRowsOf(table),
    get: (db: Db, id: string) => getRow(db, table, id),
    update: (db: Db, id: string, patch: Partial<Database[T]>) => updateRow(db, table, id, patch),
    remove: (db: Db, id: string) => deleteRow(db, table, id),
    lock: (db: Db, id: string) => lockRow(db, table, id),
  };
}

/** The same for a table without an `id` (links, settings keyed by name): insert and read all. */
export function joinRowsOf<T extends keyof Database>(table: T) {
  return {
    insert: (db: Db, row: Database[T]) => insertRow(db, table, row),
    all: (db: Db): Promise<Database[T][]> => allRows(db, table),
  };
}
