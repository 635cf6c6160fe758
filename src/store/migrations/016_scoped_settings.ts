import type { Kysely } from 'kysely';

/**
 * CloudStack keeps a setting's value per zone, cluster, storage pool, account, domain or image store
 * in detail tables beside the global row (data_center_details, cluster_details, ...). One table here:
 * a row per (setting, scope, scope id); no row means the scope reads the global value.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scopedConfigurations')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scopeId', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addPrimaryKeyConstraint('scoped_configurations_pk', ['name', 'scope', 'scopeId'])
    .execute();
  // 4.18 declares these two per cluster (AlertManager's ConfigKeys); databases seeded before said Global.
  await db
    .updateTable('configurations')
    .set({ scope: 'Cluster' })
    .where('name', 'in', [
      'cluster.cpu.allocated.capacity.notificationthreshold',
      'cluster.memory.allocated.capacity.notificationthreshold',
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('scopedConfigurations').execute();
}
