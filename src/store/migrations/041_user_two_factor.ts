import type { Kysely } from 'kysely';
import { createTables, I, PK, S, SN } from './tables.js';

/**
 * User two-factor authentication (4.18): user.is_user_2fa_enabled, user.user_2fa_provider and
 * user.key_for_2fa, and the Setup2FADetail user detail (ENABLED until the first code is verified,
 * then VERIFIED). A session remembers whether its code was verified (the servlet session's
 * is2faverified attribute); sessions made before this migration have none and count as verified.
 * Resource details (addResourceDetail and friends) live in one table keyed by type and id.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('user2faEnabled', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('user2faProvider', 'text').execute();
  await db.schema.alterTable('users').addColumn('keyFor2fa', 'text').execute();
  await db.schema.alterTable('users').addColumn('setup2fa', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('twoFactorVerified', 'bigint').execute();
  await createTables(
    db,
    { resourceDetails: [PK, S('resourceType'), S('resourceId'), S('name'), SN('value'), I('display'), I('created')] },
    [['resourceDetails', 'resource_details_owner', ['resourceType', 'resourceId']]],
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('resourceDetails').execute();
  await db.schema.alterTable('sessions').dropColumn('twoFactorVerified').execute();
  for (const c of ['user2faEnabled', 'user2faProvider', 'keyFor2fa', 'setup2fa'])
    await db.schema.alterTable('users').dropColumn(c).execute();
}
