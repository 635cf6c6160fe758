import type { Kysely } from 'kysely';

/** The nodes of a cloud (CloudStack's mshost): who is up, and whose jobs are whose. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('managementServers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('runId', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('serviceIp', 'text', (c) => c.notNull())
    .addColumn('servicePort', 'bigint', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('runtime', 'text', (c) => c.notNull())
    .addColumn('runtimeVersion', 'text', (c) => c.notNull())
    .addColumn('osDistribution', 'text', (c) => c.notNull())
    .addColumn('kernelVersion', 'text', (c) => c.notNull())
    .addColumn('lastServerStart', 'bigint', (c) => c.notNull())
    .addColumn('lastServerStop', 'bigint')
    .addColumn('lastBootTime', 'bigint', (c) => c.notNull())
    .addColumn('lastHeartbeat', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('management_servers_name').unique().on('managementServers').column('name').execute();
  await db.schema.createIndex('jobs_owner').on('jobs').columns(['owner', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_owner').execute();
  await db.schema.dropTable('managementServers').execute();
}
