import type { Kysely } from 'kysely';
import { createTables, I, PK, S, SN } from './tables.js';

/**
 * Registered userdata (CloudStack 4.18's user_data table) and the link a template or ISO may hold
 * to one (vm_template.user_data_id / user_data_link_policy).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    { userData: [PK, S('name'), S('accountId'), S('domainId'), S('userData'), SN('params'), I('created')] },
    [['userData', 'user_data_account_name', ['accountId', 'name']]],
  );
  await db.schema.alterTable('templates').addColumn('userDataId', 'text').execute();
  await db.schema.alterTable('templates').addColumn('userDataPolicy', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('templates').dropColumn('userDataPolicy').execute();
  await db.schema.alterTable('templates').dropColumn('userDataId').execute();
  await db.schema.dropTable('userData').execute();
}
