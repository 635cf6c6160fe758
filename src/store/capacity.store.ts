import { sql } from 'kysely';
import type { Db } from './db.js';
import { hasIpv4, type Ipv4Range } from '../domain/types.js';

export type Level = 'zone' | 'pod' | 'cluster';
export interface Scope {
  level: Level;
  zoneId?: string;
  podId?: string;
  clusterId?: string;
}
/** One group's sums; what a, b, ... hold depends on the query. */
export interface Sum {
  zoneId: string;
  podId: string | null;
  clusterId: string | null;
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

const sum = (col: string) => sql<number>`coalesce(sum(${sql.ref(col)}), 0)`;

/** Aggregates listCapacity reads, grouped at the level the request asks for (zone, pod or cluster). */
export const capacityStore = {
  /** Enabled routing hosts: memory total/used (a, b), cpu MHz total/used (c, d), cores total (e) and cores VMs hold (f). */
  async hosts(db: Db, s: Scope): Promise<Sum[]> {
    const cores = db
      .selectFrom('vms')
      .select(sql<number>`coalesce(sum(${sql.ref('vms.cpuNumber')}), 0)`.as('n'))
      .where('vms.hostId', '=', sql.ref<string>('hosts.id'))
      .where('vms.removed', 'is', null);
    let q = db
      .selectFrom('hosts')
      .where('hosts.type', '=', 'Routing')
      .where('hosts.resourceState', '=', 'Enabled')
      .select([
        'hosts.zoneId as zoneId',
        s.level === 'zone' ? sql<null>`null`.as('podId') : 'hosts.podId as podId',
        s.level === 'cluster' ? 'hosts.clusterId as clusterId' : sql<null>`null`.as('clusterId'),
        sum('hosts.memory').as('a'),
        sum('hosts.memoryUsed').as('b'),
        sql<number>`coalesce(sum(${sql.ref('hosts.cpuNumber')} * ${sql.ref('hosts.cpuSpeed')}), 0)`.as('c'),
        sum('hosts.cpuUsed').as('d'),
        sum('hosts.cpuNumber').as('e'),
        sql<number>`coalesce(sum((${cores})), 0)`.as('f'),
      ]);
    if (s.zoneId) q = q.where('hosts.zoneId', '=', s.zoneId);
    if (s.podId) q = q.where('hosts.podId', '=', s.podId);
    if (s.clusterId) q = q.where('hosts.clusterId', '=', s.clusterId);
    const by =
      s.level === 'cluster'
        ? (['hosts.zoneId', 'hosts.podId', 'hosts.clusterId'] as const)
        : s.level === 'pod'
          ? (['hosts.zoneId', 'hosts.podId'] as const)
          : (['hosts.zoneId'] as const);
    return (await q.groupBy([...by]).execute()) as Sum[];
  },
  /** Primary storage that is Up: capacity (a) and bytes used (b). */
  async pools(db: Db, s: Scope): Promise<Sum[]> {
    let q = db
      .selectFrom('storagePools')
      .where('storagePools.state', '=', 'Up')
      .select([
        'storagePools.zoneId as zoneId',
        s.level === 'zone' ? sql<null>`null`.as('podId') : 'storagePools.podId as podId',
        s.level === 'cluster' ? 'storagePools.clusterId as clusterId' : sql<null>`null`.as('clusterId'),
        sum('storagePools.capacityBytes').as('a'),
        sum('storagePools.usedBytes').as('b'),
        sql<number>`0`.as('c'),
        sql<number>`0`.as('d'),
        sql<number>`0`.as('e'),
        sql<number>`0`.as('f'),
      ]);
    if (s.zoneId) q = q.where('storagePools.zoneId', '=', s.zoneId);
    if (s.podId) q = q.where('storagePools.podId', '=', s.podId);
    if (s.clusterId) q = q.where('storagePools.clusterId', '=', s.clusterId);
    const by =
      s.level === 'cluster'
        ? (['storagePools.zoneId', 'storagePools.podId', 'storagePools.clusterId'] as const)
        : s.level === 'pod'
          ? (['storagePools.zoneId', 'storagePools.podId'] as const)
          : (['storagePools.zoneId'] as const);
    return (await q.groupBy([...by]).execute()) as Sum[];
  },
  /** Public addresses of virtual-network ranges per zone: total and allocated. */
  async publicIps(db: Db): Promise<Map<string, { total: number; used: number }>> {
    const rows = await db
      .selectFrom('publicIps')
      .innerJoin('vlanRanges', 'vlanRanges.id', 'publicIps.vlanRangeId')
      .where('vlanRanges.forVirtualNetwork', '=', 1)
      .select([
        'publicIps.zoneId as zoneId',
        sql<number>`count(*)`.as('total'),
        sql<number>`coalesce(sum(case when ${sql.ref('publicIps.state')} = 'Free' then 0 else 1 end), 0)`.as('used'),
      ])
      .groupBy('publicIps.zoneId')
      .execute();
    return new Map(rows.map((r) => [r.zoneId, { total: Number(r.total), used: Number(r.used) }]));
  },
  /**
   * Allocated CPU (MHz) and memory against the total of each cluster's Routing hosts, with the names of
   * its cluster, pod and zone (the capacity alerts).
   */
  allocatedByCluster(db: Db) {
    return db
      .selectFrom('hosts')
      .innerJoin('clusters', 'clusters.id', 'hosts.clusterId')
      .innerJoin('pods', 'pods.id', 'hosts.podId')
      .innerJoin('zones', 'zones.id', 'hosts.zoneId')
      .select((eb) => [
        'hosts.clusterId',
        'hosts.podId',
        'hosts.zoneId',
        'clusters.name as cluster',
        'pods.name as pod',
        'zones.name as zone',
        eb.fn.sum<number>(eb('hosts.cpuNumber', '*', eb.ref('hosts.cpuSpeed'))).as('cpuTotal'),
        eb.fn.sum<number>('hosts.cpuUsed').as('cpuUsed'),
        eb.fn.sum<number>('hosts.memory').as('memTotal'),
        eb.fn.sum<number>('hosts.memoryUsed').as('memUsed'),
      ])
      .where('hosts.type', '=', 'Routing')
      .groupBy(['hosts.clusterId', 'hosts.podId', 'hosts.zoneId', 'clusters.name', 'pods.name', 'zones.name'])
      .execute();
  },
  /** Every public address per zone, of any range (not only virtual-network ones, unlike publicIps): total and not Free. */
  publicIpsByZoneName(db: Db) {
    return db
      .selectFrom('publicIps')
      .innerJoin('zones', 'zones.id', 'publicIps.zoneId')
      .select((eb) => [
        'publicIps.zoneId',
        'zones.name as zone',
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when('publicIps.state', '!=', 'Free').then(1).else(0).end()).as('used'),
      ])
      .groupBy(['publicIps.zoneId', 'zones.name'])
      .execute();
  },
  /** Guest VLANs held per zone. */
  async vlansUsed(db: Db): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('guestVlans')
      .select(['zoneId', sql<number>`count(*)`.as('n')])
      .groupBy('zoneId')
      .execute();
    return new Map(rows.map((r) => [r.zoneId, Number(r.n)]));
  },
  /** Direct (shared-network) guest ranges: IPv4 ones, the only kind a guest network has here. */
  async directRanges(db: Db): Promise<Ipv4Range[]> {
    return (
      await db
        .selectFrom('vlanRanges')
        .selectAll()
        .where('forVirtualNetwork', '=', 0)
        .where('networkId', 'is not', null)
        .execute()
    ).filter(hasIpv4);
  },
};
