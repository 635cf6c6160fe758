import type { Kysely } from 'kysely';
import { createTables, I, PK, S, SN } from './tables.js';

/**
 * CloudStack's `project_role`, `project_role_permissions` (a project's own API rules for its
 * Regular members), the user and project role of a membership (`project_account.user_id`,
 * `project_role_id`), and `network_permissions` (accounts an isolated network is shared with).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      projectRoles: [PK, S('projectId'), S('name'), SN('description'), I('created')],
      projectRolePermissions: [
        PK,
        S('projectId'),
        S('projectRoleId'),
        S('rule'),
        S('permission'),
        SN('description'),
        I('sortOrder'),
      ],
      networkPermissions: [PK, S('networkId'), S('accountId'), I('created')],
    },
    [
      ['projectRoles', 'projectRoles_project', ['projectId']],
      ['projectRolePermissions', 'projectRolePermissions_role', ['projectRoleId']],
      ['networkPermissions', 'networkPermissions_network_account', ['networkId', 'accountId'], true],
      ['networkPermissions', 'networkPermissions_account', ['accountId']],
    ],
  );
  await db.schema.alterTable('projectMembers').addColumn('userId', 'text').execute();
  await db.schema.alterTable('projectMembers').addColumn('projectRoleId', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('projectMembers').dropColumn('projectRoleId').execute();
  await db.schema.alterTable('projectMembers').dropColumn('userId').execute();
  for (const t of ['networkPermissions', 'projectRolePermissions', 'projectRoles'])
    await db.schema.dropTable(t).execute();
}
