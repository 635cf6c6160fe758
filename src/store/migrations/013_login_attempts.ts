import type { Kysely } from 'kysely';

/**
 * CloudStack's user.login_attempts: wrong passwords in a row, kept in the database so the count
 * survives a restart and every node sharing the database counts against the same limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('loginAttempts', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('loginAttempts').execute();
}
