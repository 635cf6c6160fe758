import type { Kysely } from 'kysely';

/** updateImageStore readonly (image_store.readonly): a read-only store takes no new data. Null reads as false. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('imageStores').addColumn('readonly', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('imageStores').dropColumn('readonly').execute();
}
