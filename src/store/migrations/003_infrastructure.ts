import type { CreateTableBuilder, Kysely } from 'kysely';

type Col = [name: string, type: 'text' | 'bigint', opts?: 'pk' | 'null'];
const S = (n: string): Col => [n, 'text'];
const SN = (n: string): Col => [n, 'text', 'null'];
const I = (n: string): Col => [n, 'bigint'];
const PK: Col = ['id', 'text', 'pk'];

/** The data center as the infrastructure API builds it: traffic types, service providers and their elements. */
const TABLES: Record<string, Col[]> = {
  trafficTypes: [PK, S('physicalNetworkId'), S('trafficType'), SN('kvmLabel'), SN('xenLabel'), SN('vmwareLabel'), SN('hypervLabel'), SN('ovm3Label'), SN('vlan'), I('created')],
  networkServiceProviders: [PK, S('physicalNetworkId'), S('name'), S('state'), SN('destinationPhysicalNetworkId'), S('services'), I('created')],
  providerElements: [PK, S('nspId'), S('type'), I('enabled'), I('created')],
};

/** Columns later stores read; all nullable so rows written before this migration stay valid. */
const COLUMNS: [table: string, column: string, type: 'text' | 'bigint'][] = [
  ['physicalNetworks', 'networkSpeed', 'text'],
  ['physicalNetworks', 'tags', 'text'],
  ['physicalNetworks', 'domainId', 'text'],
  ['hosts', 'seq', 'bigint'],
  ['hosts', 'hostTags', 'text'],
  ['storagePools', 'tags', 'text'],
  ['vlanRanges', 'physicalNetworkId', 'text'],
  // Not accountId/domainId: an account reset deletes every row carrying those columns, and a dedicated range is not the account's to lose.
  ['vlanRanges', 'ownerAccountId', 'text'],
  ['vlanRanges', 'ownerDomainId', 'text'],
];

const INDEXES: [table: string, name: string, cols: string[]][] = [
  ['hosts', 'hosts_zone_seq', ['zoneId', 'seq']],
  ['hosts', 'hosts_cluster', ['clusterId']],
  ['hosts', 'hosts_pod_ip', ['podId', 'ipAddress']],
  ['hosts', 'hosts_seq', ['seq']],
  ['trafficTypes', 'traffic_types_pnet', ['physicalNetworkId']],
  ['networkServiceProviders', 'nsp_pnet', ['physicalNetworkId']],
  ['providerElements', 'provider_elements_nsp', ['nspId']],
  ['vms', 'vms_zone', ['zoneId']],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, cols] of Object.entries(TABLES)) {
    let t: CreateTableBuilder<string, string> = db.schema.createTable(table);
    for (const [name, type, opt] of cols) t = t.addColumn(name, type, (c) => (opt === 'pk' ? c.primaryKey() : opt === 'null' ? c : c.notNull()));
    await t.execute();
  }
  for (const [table, column, type] of COLUMNS) await db.schema.alterTable(table).addColumn(column, type).execute();
  for (const [table, name, cols] of INDEXES) await db.schema.createIndex(name).on(table).columns(cols).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [, name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).execute();
  for (const [table, column] of [...COLUMNS].reverse()) await db.schema.alterTable(table).dropColumn(column).execute();
  for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).execute();
}
