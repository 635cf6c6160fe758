import type { Kysely } from 'kysely';

/** Listings page in creation order: with these, a page of 500 is read in order instead of sorting the table. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('vms_seq').on('vms').column('seq').execute();
  await db.schema.createIndex('volumes_seq').on('volumes').column('seq').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('vms_seq').execute();
  await db.schema.dropIndex('volumes_seq').execute();
}
