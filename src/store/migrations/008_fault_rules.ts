import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('faultRules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('front', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('accountId', 'text')
    .addColumn('zoneId', 'text')
    .addColumn('hostId', 'text')
    .addColumn('effect', 'text', (c) => c.notNull())
    .addColumn('status', 'bigint')
    .addColumn('message', 'text')
    .addColumn('delayMs', 'bigint')
    .addColumn('probability', 'real', (c) => c.notNull())
    .addColumn('remaining', 'bigint')
    .addColumn('hits', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('faultRules').execute();
}
