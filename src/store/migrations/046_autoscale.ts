import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S, SN } from './tables.js';

/**
 * VM autoscaling (CloudStack's counter, conditions, autoscale_policies, autoscale_policy_condition_map,
 * autoscale_vmprofiles, autoscale_vmgroups, autoscale_vmgroup_policy_map, autoscale_vmgroup_vm_map and
 * autoscale_vmgroup_statistics). The link and statistics rows carry their owner's account, so an
 * account reset takes them with the rest of its rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      asCounters: [PK, S('name'), S('source'), S('value'), S('provider'), I('created')],
      asConditions: [PK, S('counterId'), I('threshold'), S('operator'), S('accountId'), S('domainId'), I('created')],
      asPolicies: [
        PK,
        SN('name'),
        S('action'),
        I('duration'),
        I('quietTime'),
        IN('lastQuietTime'),
        S('accountId'),
        S('domainId'),
        I('created'),
      ],
      asPolicyConditions: [S('policyId'), S('conditionId'), I('position'), S('accountId')],
      asVmProfiles: [
        PK,
        S('zoneId'),
        S('serviceOfferingId'),
        S('templateId'),
        SN('otherDeployParams'),
        SN('counterParams'),
        SN('userData'),
        I('expungeVmGracePeriod'),
        SN('autoscaleUserId'),
        I('display'),
        S('accountId'),
        S('domainId'),
        I('created'),
      ],
      asVmGroups: [
        PK,
        S('name'),
        S('lbRuleId'),
        S('zoneId'),
        S('profileId'),
        I('minMembers'),
        I('maxMembers'),
        I('memberPort'),
        I('interval'),
        IN('lastInterval'),
        S('state'),
        I('nextVmSeq'),
        I('display'),
        S('accountId'),
        S('domainId'),
        I('created'),
      ],
      asGroupPolicies: [S('groupId'), S('policyId'), I('position'), S('accountId')],
      asGroupVms: [S('groupId'), S('vmId'), S('accountId'), I('created')],
    },
    [
      ['asCounters', 'asCounters_provider_source_value', ['provider', 'source', 'value'], true],
      ['asConditions', 'asConditions_counter', ['counterId']],
      ['asPolicyConditions', 'asPolicyConditions_policy', ['policyId']],
      ['asPolicyConditions', 'asPolicyConditions_condition', ['conditionId']],
      ['asVmGroups', 'asVmGroups_lbRule', ['lbRuleId']],
      ['asGroupPolicies', 'asGroupPolicies_group', ['groupId']],
      ['asGroupPolicies', 'asGroupPolicies_policy', ['policyId']],
      ['asGroupVms', 'asGroupVms_group', ['groupId']],
      ['asGroupVms', 'asGroupVms_vm', ['vmId'], true],
    ],
  );
  // The samples' values are measurements (fractions, megabytes, byte counters): a double, which tables.ts has no shorthand for.
  await db.schema
    .createTable('asStats')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('groupId', 'text', (c) => c.notNull())
    .addColumn('policyId', 'text', (c) => c.notNull())
    .addColumn('counterId', 'text', (c) => c.notNull())
    .addColumn('resourceId', 'text')
    .addColumn('resourceType', 'text', (c) => c.notNull())
    .addColumn('rawValue', 'double precision', (c) => c.notNull())
    .addColumn('valueType', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('accountId', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('asStats_group_created').on('asStats').columns(['groupId', 'created']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'asStats',
    'asGroupVms',
    'asGroupPolicies',
    'asVmGroups',
    'asVmProfiles',
    'asPolicyConditions',
    'asPolicies',
    'asConditions',
    'asCounters',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
