import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('affinityGroups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('domainId', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('affinity_groups_name')
    .unique()
    .on('affinityGroups')
    .columns(['accountId', 'name'])
    .execute();
  await db.schema
    .createTable('vmAffinityGroups')
    .addColumn('vmId', 'text', (c) => c.notNull())
    .addColumn('affinityGroupId', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('vm_affinity_pair')
    .unique()
    .on('vmAffinityGroups')
    .columns(['vmId', 'affinityGroupId'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vmAffinityGroups').execute();
  await db.schema.dropTable('affinityGroups').execute();
}
