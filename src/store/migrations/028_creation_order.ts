import type { Kysely } from 'kysely';

/**
 * Zones, pods and clusters get CloudStack's numeric internal id (`seq`), in creation order. Ordering
 * them by `created` alone ties when two are made in the same millisecond (a frozen clock, a fast
 * boot), and the tie was broken one way by the listing and another by the number lookup.
 */
const TABLES = [
  ['zones', 'zone'],
  ['pods', 'pod'],
  ['clusters', 'cluster'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table] of TABLES) {
    await db.schema.alterTable(table).addColumn('seq', 'bigint').execute();
    await db.schema.createIndex(`${table}_seq`).on(table).column('seq').execute();
  }
  await numberCreationOrder(db);
}

/**
 * Numbers the rows that have no `seq` yet (rows written before this migration, or loaded from an
 * older state snapshot), after the highest number given, and moves each sequence past them.
 */
export async function numberCreationOrder(db: Kysely<any>): Promise<void> {
  for (const [table, sequence] of TABLES) {
    const top = await db
      .selectFrom(table)
      .select((eb) => eb.fn.max('seq').as('top'))
      .executeTakeFirst();
    let n = Number(top?.top ?? 0);
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('seq', 'is', null)
      .orderBy('created')
      .orderBy('name')
      .execute();
    for (const r of rows) await db.updateTable(table).set({ seq: ++n }).where('id', '=', r.id).execute();
    if (n === 0) continue;
    await db
      .insertInto('sequences')
      .values({ name: sequence, value: n })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: n }))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, sequence] of TABLES) {
    await db.schema.dropIndex(`${table}_seq`).execute();
    await db.schema.alterTable(table).dropColumn('seq').execute();
    await db.deleteFrom('sequences').where('name', '=', sequence).execute();
  }
}
