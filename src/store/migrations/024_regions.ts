import type { Kysely } from 'kysely';
import { createTables, I, PK, S } from './tables.js';

/**
 * CloudStack's `region` table: regions named by an integer the operator picks (kept as text in `id`),
 * with the one every install starts with (create-schema's region 1, "Local").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, { regions: [PK, S('name'), S('endpoint'), I('gslbEnabled'), I('portableIpEnabled')] }, [
    ['regions', 'regions_name', ['name'], true],
  ]);
  await db
    .insertInto('regions')
    .values({ id: '1', name: 'Local', endpoint: 'http://localhost:8080/client/', gslbEnabled: 1, portableIpEnabled: 0 })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('regions').execute();
}
