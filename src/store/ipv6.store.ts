import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { GuestIpv6Prefix } from '../domain/networking.js';
import type { VlanRange } from '../domain/types.js';

/** Guest IPv6 prefixes of zones, and the IPv6 addresses networks and routers hold. */
export const ipv6Store = {
  prefix(db: Db, id: string): Promise<GuestIpv6Prefix | undefined> {
    return db.selectFrom('guestIpv6Prefixes').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** A zone's prefixes (or every zone's), oldest first as DataCenterGuestIpv6PrefixDao lists them. */
  prefixes(db: Db, zoneId?: string): Promise<GuestIpv6Prefix[]> {
    let q = db.selectFrom('guestIpv6Prefixes').selectAll();
    if (zoneId) q = q.where('zoneId', '=', zoneId);
    return q.orderBy('created').orderBy('id').execute();
  },
  async insertPrefix(db: Db, p: GuestIpv6Prefix): Promise<void> {
    await db.insertInto('guestIpv6Prefixes').values(p).execute();
  },
  async removePrefix(db: Db, id: string): Promise<void> {
    await db.deleteFrom('guestIpv6Prefixes').where('id', '=', id).execute();
  },
  /** The /64s live networks of a zone hold. */
  async zoneSubnets(db: Db, zoneId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('networks')
      .select('ip6Cidr')
      .where('zoneId', '=', zoneId)
      .where('removed', 'is', null)
      .where('ip6Cidr', 'is not', null)
      .execute();
    return rows.map((r) => r.ip6Cidr!);
  },
  /**
   * Public IPv6 addresses held in a zone, one per NIC CloudStack would have: each live router's
   * public NIC and each live network's placeholder of its router's address.
   */
  async publicIp6Holders(db: Db, zoneId: string): Promise<string[]> {
    const [routers, nets] = await Promise.all([
      db
        .selectFrom('routers')
        .select('publicIp6')
        .where('zoneId', '=', zoneId)
        .where('removed', 'is', null)
        .where('publicIp6', 'is not', null)
        .execute(),
      db
        .selectFrom('networks')
        .select('publicIp6')
        .where('zoneId', '=', zoneId)
        .where('removed', 'is', null)
        .where('publicIp6', 'is not', null)
        .execute(),
    ]);
    return [...routers, ...nets].map((r) => r.publicIp6!);
  },
  /** The VLAN (`vlan://...`) of the public range an IPv4 address of the zone belongs to. */
  async publicVlanOf(db: Db, zoneId: string, address: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('publicIps')
      .innerJoin('vlanRanges', 'vlanRanges.id', 'publicIps.vlanRangeId')
      .select('vlanRanges.vlan')
      .where('publicIps.zoneId', '=', zoneId)
      .where('publicIps.address', '=', address)
      .executeTakeFirst();
    return row?.vlan;
  },
  /** The zone's public ranges with an IPv6 CIDR, oldest first. */
  ip6Ranges(db: Db, zoneId: string): Promise<VlanRange[]> {
    return db
      .selectFrom('vlanRanges')
      .selectAll()
      .where('zoneId', '=', zoneId)
      .where('forVirtualNetwork', '=', 1)
      .where('ip6Cidr', 'is not', null)
      .orderBy('created')
      .orderBy('id')
      .execute();
  },
  /** The public IPv6 address of the live router serving each network (its own, or its VPC's). */
  async routerIp6(db: Db, nets: { id: string; vpcId?: string | null }[]): Promise<Map<string, string>> {
    const ids = nets.map((n) => n.id);
    const vpcIds = nets.map((n) => n.vpcId).filter((x): x is string => !!x);
    const out = new Map<string, string>();
    if (!ids.length) return out;
    const rows = await db
      .selectFrom('routers')
      .select(['networkId', 'vpcId', 'publicIp6'])
      .where('removed', 'is', null)
      .where('publicIp6', 'is not', null)
      .where((eb) => eb.or([inList(db, 'networkId', ids), inList(db, 'vpcId', vpcIds)]))
      .execute();
    for (const n of nets) {
      const r = rows.find((x) => (n.vpcId ? x.vpcId === n.vpcId : x.networkId === n.id));
      if (r?.publicIp6) out.set(n.id, r.publicIp6);
    }
    return out;
  },
};
