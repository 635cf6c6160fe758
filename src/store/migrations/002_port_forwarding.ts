import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('portForwardingRules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('publicIpId', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('publicPort', 'bigint', (c) => c.notNull())
    .addColumn('publicEndPort', 'bigint', (c) => c.notNull())
    .addColumn('privatePort', 'bigint', (c) => c.notNull())
    .addColumn('privateEndPort', 'bigint', (c) => c.notNull())
    .addColumn('vmId', 'text', (c) => c.notNull())
    .addColumn('vmGuestIp', 'text', (c) => c.notNull())
    .addColumn('networkId', 'text', (c) => c.notNull())
    .addColumn('cidrList', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .addColumn('domainId', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pf_rules_ip').on('portForwardingRules').column('publicIpId').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('portForwardingRules').execute();
}
