import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN, type Col, type Index } from './tables.js';

/** The organisation: dynamic roles, projects, resource limits and counts, alerts. */
const TABLES: Record<string, Col[]> = {
  roles: [PK, I('seq'), S('name'), S('type'), SN('description'), I('isDefault'), I('created'), IN('removed')],
  rolePermissions: [PK, S('roleId'), S('rule'), S('permission'), SN('description'), I('sortOrder')],
  projects: [
    PK,
    I('seq'),
    S('name'),
    S('displayText'),
    S('domainId'),
    S('projectAccountId'),
    S('state'),
    I('created'),
    IN('removed'),
  ],
  projectMembers: [PK, S('projectId'), S('accountId'), S('role'), I('created')],
  resourceLimits: [['id', 'bigint', 'pk'], S('ownerType'), S('ownerId'), I('resourceType'), I('max')],
  resourceCounts: [S('accountId'), I('resourceType'), I('count')],
  alerts: [
    PK,
    I('type'),
    S('name'),
    S('subject'),
    SN('zoneId'),
    SN('podId'),
    SN('clusterId'),
    I('archived'),
    IN('resolved'),
    I('created'),
  ],
};

const INDEXES: Index[] = [
  ['rolePermissions', 'role_permissions_role', ['roleId', 'sortOrder']],
  ['projectMembers', 'project_members_pair', ['projectId', 'accountId'], true],
  ['projectMembers', 'project_members_account', ['accountId']],
  ['projects', 'projects_account', ['projectAccountId']],
  // One limit and one count per owner and type: the rows limit checks read and write.
  ['resourceLimits', 'resource_limits_owner', ['ownerType', 'ownerId', 'resourceType'], true],
  ['resourceCounts', 'resource_counts_owner', ['accountId', 'resourceType'], true],
  ['accounts', 'accounts_domain', ['domainId']],
  ['domains', 'domains_parent', ['parentId']],
  ['events', 'events_created', ['created']],
];

export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, TABLES, INDEXES);
  await db.schema.alterTable('domains').addColumn('seq', 'bigint').execute();
  await db.schema.alterTable('domains').addColumn('networkDomain', 'text').execute();
  await db.schema.alterTable('domains').addColumn('removed', 'bigint').execute();
  await db.schema.alterTable('accounts').addColumn('roleId', 'text').execute();
  await db.schema.alterTable('accounts').addColumn('networkDomain', 'text').execute();
  await db.schema
    .alterTable('events')
    .addColumn('archived', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // Domains that exist get CloudStack's numbering: ROOT first, then in creation order.
  const domains = await db.selectFrom('domains').select(['id', 'parentId', 'created']).execute();
  domains.sort((a, b) => (a.parentId === null ? -1 : b.parentId === null ? 1 : Number(a.created) - Number(b.created)));
  for (const [i, d] of domains.entries())
    await db
      .updateTable('domains')
      .set({ seq: i + 1 })
      .where('id', '=', d.id)
      .execute();
  if (domains.length) await db.insertInto('sequences').values({ name: 'domain', value: domains.length }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('sequences').where('name', '=', 'domain').execute();
  await db.schema.alterTable('events').dropColumn('archived').execute();
  for (const c of ['networkDomain', 'roleId']) await db.schema.alterTable('accounts').dropColumn(c).execute();
  for (const c of ['removed', 'networkDomain', 'seq']) await db.schema.alterTable('domains').dropColumn(c).execute();
  for (const [, name] of INDEXES.filter(([t]) => t === 'accounts' || t === 'domains' || t === 'events'))
    await db.schema.dropIndex(name).execute();
  for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).execute();
}
