import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { createTables, I, PK, S } from './tables.js';

/**
 * IPv6 for isolated networks and VPC tiers (CloudStack 4.17+): the zones' guest prefixes
 * (dc_guest_ipv6_prefix), a network's /64 and gateway and its router's public IPv6 address,
 * public ranges that carry an IPv6 CIDR, possibly without any IPv4 address (vlan.ip6_*: the
 * range table's IPv4 columns become nullable), and the display flag of firewall rules, which
 * updateIpv6FirewallRule sets.
 *
 * A network's /64 is the network row's own `ip6Cidr` (CloudStack keeps it twice, there and in
 * ip6_guest_prefix_subnet_network_map): a live network holds it, a removed one gives it back.
 */
const IPV4 = ['gateway', 'netmask', 'startIp', 'endIp'];

/**
 * Makes columns of a table nullable (or NOT NULL again) and keeps every other column and index the
 * table has, whichever migrations added them: PostgreSQL alters the columns; SQLite cannot, so the
 * table is rebuilt from its own CREATE statement with the constraint edited.
 */
async function setNullable(db: Kysely<any>, table: string, cols: string[], nullable: boolean): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    for (const c of cols)
      await sql`ALTER TABLE ${sql.table(table)} ALTER COLUMN ${sql.ref(c)} ${sql.raw(nullable ? 'DROP' : 'SET')} NOT NULL`.execute(
        db,
      );
    return;
  }
  const { rows } = await sql<{
    type: string;
    sql: string | null;
  }>`SELECT type, sql FROM sqlite_master WHERE tbl_name = ${table} AND sql IS NOT NULL`.execute(db);
  let ddl = rows.find((r) => r.type === 'table')!.sql!;
  for (const c of cols) ddl = ddl.replace(new RegExp(`("${c}" \\w+)( not null)?`), nullable ? '$1' : '$1 not null');
  const next = `${table}Next`;
  await sql.raw(ddl.replace(`"${table}"`, `"${next}"`)).execute(db);
  await sql`INSERT INTO ${sql.table(next)} SELECT * FROM ${sql.table(table)}`.execute(db);
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
  for (const r of rows.filter((x) => x.type === 'index')) await sql.raw(r.sql!).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await createTables(db, { guestIpv6Prefixes: [PK, S('zoneId'), S('prefix'), I('created')] }, [
    ['guestIpv6Prefixes', 'guest_ipv6_prefixes_zone', ['zoneId']],
  ]);
  for (const c of ['ip6Gateway', 'ip6Cidr', 'publicIp6'])
    await db.schema.alterTable('networks').addColumn(c, 'text').execute();
  await db.schema.alterTable('routers').addColumn('publicIp6', 'text').execute();
  // Whether a rule is shown to its owner (FirewallRuleVO.display); null is CloudStack's default, shown.
  await db.schema.alterTable('firewallRules').addColumn('forDisplay', 'bigint').execute();
  // Two networks of a zone never hold the same /64 (the allocator's pick is backed by this).
  await db.schema
    .createIndex('networks_zone_ip6cidr_live')
    .unique()
    .on('networks')
    .columns(['zoneId', 'ip6Cidr'])
    .where(sql.ref('removed'), 'is', null)
    .where(sql.ref('ip6Cidr'), 'is not', null)
    .execute();
  for (const c of ['ip6Gateway', 'ip6Cidr', 'ip6Range'])
    await db.schema.alterTable('vlanRanges').addColumn(c, 'text').execute();
  await setNullable(db, 'vlanRanges', IPV4, true);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('vlanRanges').where('startIp', 'is', null).execute();
  await setNullable(db, 'vlanRanges', IPV4, false);
  for (const c of ['ip6Gateway', 'ip6Cidr', 'ip6Range'])
    await db.schema.alterTable('vlanRanges').dropColumn(c).execute();
  await db.schema.dropIndex('networks_zone_ip6cidr_live').execute();
  await db.schema.alterTable('firewallRules').dropColumn('forDisplay').execute();
  await db.schema.alterTable('routers').dropColumn('publicIp6').execute();
  for (const c of ['ip6Gateway', 'ip6Cidr', 'publicIp6'])
    await db.schema.alterTable('networks').dropColumn(c).execute();
  await db.schema.dropTable('guestIpv6Prefixes').execute();
}
