import type { Kysely } from 'kysely';
import { createTables, PK, S } from './tables.js';

/**
 * The ids of rows an account's removal deleted outright where CloudStack only marks its row removed
 * (vm_instance, volumes, networks, ...): CloudStack resolves a removed row's uuid, so a list by such an
 * id answers empty, not 431.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, { tombstones: [PK, S('kind')] }, []);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tombstones').execute();
}
