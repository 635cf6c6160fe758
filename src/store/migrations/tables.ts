import type { CreateTableBuilder, Kysely } from 'kysely';

/** A column of a migration's table list: text or bigint, NOT NULL unless marked. */
export type Col = [name: string, type: 'text' | 'bigint', opts?: 'pk' | 'null'];
export const S = (n: string): Col => [n, 'text'];
export const SN = (n: string): Col => [n, 'text', 'null'];
export const I = (n: string): Col => [n, 'bigint'];
export const IN = (n: string): Col => [n, 'bigint', 'null'];
export const PK: Col = ['id', 'text', 'pk'];

export type Index = [table: string, name: string, cols: string[], unique?: true];

/** Creates the tables, then the indexes (helper shared by the migrations after 001; its contents must not change meaning). */
export async function createTables(db: Kysely<any>, tables: Record<string, Col[]>, indexes: Index[]): Promise<void> {
  for (const [table, cols] of Object.entries(tables)) {
    let t: CreateTableBuilder<string, string> = db.schema.createTable(table);
    for (const [name, type, opt] of cols)
      t = t.addColumn(name, type, (c) => (opt === 'pk' ? c.primaryKey() : opt === 'null' ? c : c.notNull()));
    await t.execute();
  }
  for (const [table, name, cols, unique] of indexes) {
    const b = db.schema.createIndex(name).on(table).columns(cols);
    await (unique ? b.unique() : b).execute();
  }
}
