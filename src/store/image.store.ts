import { sql } from 'kysely';
import type { Db } from './db.js';

/** A column of a table: where an image keeps times to move. */
export type TableColumn = readonly [table: string, column: string];

export const imageStore = {
  /**
   * The columns holding a time between `from` and `to` in some row (SQLite): the times a build wrote.
   * Nothing but a time falls in a window of a few seconds around now in epoch milliseconds.
   */
  async timeColumns(db: Db, from: number, to: number): Promise<TableColumn[]> {
    const columns = await sql<{ t: string; c: string }>`
      select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p
      where m.type = 'table' and m.name not like 'sqlite_%' order by m.name, p.cid`.execute(db);
    const found: TableColumn[] = [];
    for (const { t, c } of columns.rows) {
      const hit = await sql<{ n: number }>`
        select 1 as n from ${sql.table(t)} where typeof(${sql.ref(c)}) = 'integer'
        and ${sql.ref(c)} between ${from} and ${to} limit 1`.execute(db);
      if (hit.rows.length) found.push([t, c]);
    }
    return found;
  },

  /** Moves every time in `columns` by `delta` ms (empty ones stay empty). */
  async rebaseTimes(db: Db, columns: readonly TableColumn[], delta: number): Promise<void> {
    for (const [t, c] of columns)
      await sql`update ${sql.table(t)} set ${sql.ref(c)} = ${sql.ref(c)} + ${delta} where ${sql.ref(c)} is not null`.execute(
        db,
      );
  },
};
