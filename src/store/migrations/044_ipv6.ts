import { sql, type Kysely } from 'kysely';
import { createTables, I, PK, S, SN, type Col } from './tables.js';

/**
 * IPv6 for isolated networks and VPC tiers (CloudStack 4.17+): the zones' guest prefixes
 * (dc_guest_ipv6_prefix), a network's /64 and gateway and its router's public IPv6 address,
 * public ranges that carry an IPv6 CIDR, possibly without any IPv4 address (vlan.ip6_*): the
 * range table is rebuilt with its IPv4 columns nullable, the same way on both dialects; and the
 * display flag of firewall rules, which updateIpv6FirewallRule sets.
 *
 * A network's /64 is the network row's own `ip6Cidr` (CloudStack keeps it twice, there and in
 * ip6_guest_prefix_subnet_network_map): a live network holds it, a removed one gives it back.
 */
const RANGES = (ip: (n: string) => Col): Col[] => [
  PK, S('zoneId'), SN('podId'), SN('networkId'), S('vlan'), ip('gateway'), ip('netmask'), ip('startIp'), ip('endIp'), I('forVirtualNetwork'), I('created'),
  SN('physicalNetworkId'), SN('ownerAccountId'), SN('ownerDomainId'), ['forSystemVms', 'bigint', 'null'],
];
const IP6_RANGE: Col[] = [SN('ip6Gateway'), SN('ip6Cidr'), SN('ip6Range')];

async function rebuildRanges(db: Kysely<any>, cols: Col[], copied: string[]): Promise<void> {
  await createTables(db, { vlanRangesNext: cols }, []);
  await db.insertInto('vlanRangesNext').columns(copied).expression(db.selectFrom('vlanRanges').select(copied)).execute();
  await db.schema.dropTable('vlanRanges').execute();
  await db.schema.alterTable('vlanRangesNext').renameTo('vlanRanges').execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, { guestIpv6Prefixes: [PK, S('zoneId'), S('prefix'), I('created')] }, [['guestIpv6Prefixes', 'guest_ipv6_prefixes_zone', ['zoneId']]]);
  for (const c of ['ip6Gateway', 'ip6Cidr', 'publicIp6']) await db.schema.alterTable('networks').addColumn(c, 'text').execute();
  await db.schema.alterTable('routers').addColumn('publicIp6', 'text').execute();
  // Whether a rule is shown to its owner (FirewallRuleVO.display); null is CloudStack's default, shown.
  await db.schema.alterTable('firewallRules').addColumn('forDisplay', 'bigint').execute();
  // Two networks of a zone never hold the same /64 (the allocator's pick is backed by this).
  await db.schema.createIndex('networks_zone_ip6cidr_live').unique().on('networks').columns(['zoneId', 'ip6Cidr'])
    .where(sql.ref('removed'), 'is', null).where(sql.ref('ip6Cidr'), 'is not', null).execute();
  const ranges = RANGES(SN);
  await rebuildRanges(db, [...ranges, ...IP6_RANGE], ranges.map((c) => c[0]));
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('vlanRanges').where('startIp', 'is', null).execute();
  const ranges = RANGES(S);
  await rebuildRanges(db, ranges, ranges.map((c) => c[0]));
  await db.schema.dropIndex('networks_zone_ip6cidr_live').execute();
  await db.schema.alterTable('firewallRules').dropColumn('forDisplay').execute();
  await db.schema.alterTable('routers').dropColumn('publicIp6').execute();
  for (const c of ['ip6Gateway', 'ip6Cidr', 'publicIp6']) await db.schema.alterTable('networks').dropColumn(c).execute();
  await db.schema.dropTable('guestIpv6Prefixes').execute();
}
