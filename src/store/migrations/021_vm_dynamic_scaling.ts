import type { Kysely } from 'kysely';

/** vm_instance.dynamically_scalable: whether a running VM may be scaled (null on rows written before: not scalable). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vms').addColumn('dynamicallyScalable', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vms').dropColumn('dynamicallyScalable').execute();
}
