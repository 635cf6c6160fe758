import type { Db } from './db.js';
import { joinRowsOf } from './repo.js';

/**
 * Named counters and markers in `sequences` (nextSeq counts; these insert, set, test and clear a name,
 * as the role count and the data-center build's pending marker and builder claim do).
 */
export const sequenceStore = {
  ...joinRowsOf('sequences'),
  /** Sets the counter to `value`, creating it if absent. */
  async set(db: Db, name: string, value: number): Promise<void> {
    await db
      .insertInto('sequences')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  },
  async has(db: Db, name: string): Promise<boolean> {
    return !!(await db.selectFrom('sequences').select('name').where('name', '=', name).executeTakeFirst());
  },
  /** Whether the name exists, locking its row until the transaction ends (PostgreSQL). */
  async lock(db: Db, name: string): Promise<boolean> {
    return !!(await db.selectFrom('sequences').select('name').where('name', '=', name).forUpdate().executeTakeFirst());
  },
  async remove(db: Db, name: string): Promise<void> {
    await db.deleteFrom('sequences').where('name', '=', name).execute();
  },
  /** Removes the name if its value is below `before` (a claim stamped with a time older than that). */
  async removeIfBelow(db: Db, name: string, before: number): Promise<void> {
    await db.deleteFrom('sequences').where('name', '=', name).where('value', '<', before).execute();
  },
  /** Inserts the name unless it exists; whether this call inserted it. */
  async insertIfAbsent(db: Db, name: string, value: number): Promise<boolean> {
    const r = await db
      .insertInto('sequences')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  },
};

/** Monotonic counters (VM and volume numbers, as CloudStack's database ids are). */
export async function nextSeq(db: Db, name: string): Promise<number> {
  const row = await db
    .insertInto('sequences')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('sequences.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
