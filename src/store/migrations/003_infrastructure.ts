import { randomUUID } from 'node:crypto';
import type { CreateTableBuilder, Kysely } from 'kysely';

type Col = [name: string, type: 'text' | 'bigint', opts?: 'pk' | 'null'];
const S = (n: string): Col => [n, 'text'];
const SN = (n: string): Col => [n, 'text', 'null'];
const I = (n: string): Col => [n, 'bigint'];
const PK: Col = ['id', 'text', 'pk'];

/** The data center as the infrastructure API builds it: traffic types, service providers and their elements. */
const TABLES: Record<string, Col[]> = {
  trafficTypes: [
    PK,
    S('physicalNetworkId'),
    S('trafficType'),
    SN('kvmLabel'),
    SN('xenLabel'),
    SN('vmwareLabel'),
    SN('hypervLabel'),
    SN('ovm3Label'),
    SN('vlan'),
    I('created'),
  ],
  networkServiceProviders: [
    PK,
    S('physicalNetworkId'),
    S('name'),
    S('state'),
    SN('destinationPhysicalNetworkId'),
    S('services'),
    I('created'),
  ],
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
    for (const [name, type, opt] of cols)
      t = t.addColumn(name, type, (c) => (opt === 'pk' ? c.primaryKey() : opt === 'null' ? c : c.notNull()));
    await t.execute();
  }
  for (const [table, column, type] of COLUMNS) await db.schema.alterTable(table).addColumn(column, type).execute();
  for (const [table, name, cols] of INDEXES) await db.schema.createIndex(name).on(table).columns(cols).execute();
  await backfill(db);
}

/** Router-like providers and their elements, and the services each provider offers (as in domain/infra.ts, frozen here). */
const PROVIDERS: [name: string, element: string | null, services: string][] = [
  ['VirtualRouter', 'VirtualRouter', 'Dhcp,Dns,Firewall,Gateway,Lb,PortForwarding,SourceNat,StaticNat,UserData,Vpn'],
  ['SecurityGroupProvider', null, 'SecurityGroup'],
  [
    'VpcVirtualRouter',
    'VPCVirtualRouter',
    'Dhcp,Dns,Gateway,Lb,NetworkACL,PortForwarding,SourceNat,StaticNat,UserData,Vpn',
  ],
  ['InternalLbVm', 'InternalLbVm', 'Lb'],
  ['ConfigDrive', null, 'UserData'],
];

/**
 * Zones written before this migration were built straight into the tables, enabled: their physical
 * networks get traffic-type rows from the old comma-separated column and enabled providers, and their
 * ranges the physical network that carries them, so the infrastructure API sees them as it built them.
 */
async function backfill(db: Kysely<any>): Promise<void> {
  const pnets = (await db.selectFrom('physicalNetworks').selectAll().execute()) as {
    id: string;
    zoneId: string;
    trafficTypes: string;
    created: number;
  }[];
  for (const p of pnets) {
    for (const t of p.trafficTypes.split(',').filter(Boolean)) {
      await db
        .insertInto('trafficTypes')
        .values({
          id: randomUUID(),
          physicalNetworkId: p.id,
          trafficType: t,
          kvmLabel: null,
          xenLabel: null,
          vmwareLabel: null,
          hypervLabel: null,
          ovm3Label: null,
          vlan: null,
          created: p.created,
        })
        .execute();
    }
    for (const [name, element, services] of PROVIDERS) {
      const nspId = randomUUID();
      await db
        .insertInto('networkServiceProviders')
        .values({
          id: nspId,
          physicalNetworkId: p.id,
          name,
          state: 'Enabled',
          destinationPhysicalNetworkId: null,
          services,
          created: p.created,
        })
        .execute();
      if (element)
        await db
          .insertInto('providerElements')
          .values({ id: randomUUID(), nspId, type: element, enabled: 1, created: p.created })
          .execute();
    }
    await db
      .updateTable('vlanRanges')
      .set({ physicalNetworkId: p.id })
      .where('zoneId', '=', p.zoneId)
      .where('physicalNetworkId', 'is', null)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [, name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).execute();
  for (const [table, column] of [...COLUMNS].reverse()) await db.schema.alterTable(table).dropColumn(column).execute();
  for (const table of Object.keys(TABLES).reverse()) await db.schema.dropTable(table).execute();
}
