import type { Kysely } from 'kysely';

/**
 * What createServiceOffering / createDiskOffering / createNetworkOffering / createVPCOffering can set (4.18). Nullable, so rows written before
 * this migration stay valid: a null reads as CloudStack's default for the field.
 */
const COLUMNS: [table: string, column: string, type: 'text' | 'bigint'][] = [
  ['serviceOfferings', 'diskOfferingId', 'text'],
  ['serviceOfferings', 'hostTags', 'text'],
  ['serviceOfferings', 'isVolatile', 'bigint'],
  ['serviceOfferings', 'dynamicScaling', 'bigint'],
  ['serviceOfferings', 'diskOfferingStrictness', 'bigint'],
  ['serviceOfferings', 'systemVmType', 'text'],
  ['serviceOfferings', 'networkRate', 'bigint'],
  ['serviceOfferings', 'deploymentPlanner', 'text'],
  ['serviceOfferings', 'details', 'text'],
  ['serviceOfferings', 'domainIds', 'text'],
  ['serviceOfferings', 'zoneIds', 'text'],
  ['serviceOfferings', 'sortKey', 'bigint'],
  ['serviceOfferings', 'defaultUse', 'bigint'],
  ['serviceOfferings', 'removed', 'bigint'],
  ['diskOfferings', 'tags', 'text'],
  ['diskOfferings', 'provisioningType', 'text'],
  ['diskOfferings', 'computeOnly', 'bigint'],
  ['diskOfferings', 'customizedIops', 'bigint'],
  ['diskOfferings', 'minIops', 'bigint'],
  ['diskOfferings', 'maxIops', 'bigint'],
  ['diskOfferings', 'rates', 'text'],
  ['diskOfferings', 'cacheMode', 'text'],
  ['diskOfferings', 'encrypt', 'bigint'],
  ['diskOfferings', 'diskSizeStrictness', 'bigint'],
  ['diskOfferings', 'displayOffering', 'bigint'],
  ['diskOfferings', 'hypervisorSnapshotReserve', 'bigint'],
  ['diskOfferings', 'details', 'text'],
  ['diskOfferings', 'domainIds', 'text'],
  ['diskOfferings', 'zoneIds', 'text'],
  ['diskOfferings', 'sortKey', 'bigint'],
  ['diskOfferings', 'removed', 'bigint'],
  ['networkOfferings', 'tags', 'text'],
  ['networkOfferings', 'isPersistent', 'bigint'],
  ['networkOfferings', 'networkRate', 'bigint'],
  ['networkOfferings', 'serviceOfferingId', 'text'],
  ['networkOfferings', 'capabilities', 'text'],
  ['networkOfferings', 'details', 'text'],
  ['networkOfferings', 'maxConnections', 'bigint'],
  ['networkOfferings', 'keepAlive', 'bigint'],
  ['networkOfferings', 'internetProtocol', 'text'],
  ['networkOfferings', 'domainIds', 'text'],
  ['networkOfferings', 'zoneIds', 'text'],
  ['networkOfferings', 'sortKey', 'bigint'],
  ['networkOfferings', 'removed', 'bigint'],
  ['vpcOfferings', 'serviceOfferingId', 'text'],
  ['vpcOfferings', 'internetProtocol', 'text'],
  ['vpcOfferings', 'domainIds', 'text'],
  ['vpcOfferings', 'zoneIds', 'text'],
  ['vpcOfferings', 'sortKey', 'bigint'],
  ['vpcOfferings', 'removed', 'bigint'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column, type] of COLUMNS) await db.schema.alterTable(table).addColumn(column, type).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, column] of [...COLUMNS].reverse()) await db.schema.alterTable(table).dropColumn(column).execute();
}
