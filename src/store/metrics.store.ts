import type { Db } from './db.js';

/** Aggregates for /metrics: whole-cloud counts, one query each. */
export const metricsStore = {
  jobsByStatus(db: Db): Promise<{ status: number; n: number }[]> {
    return db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  },
  vmsByState(db: Db): Promise<{ state: string; n: number }[]> {
    return db.selectFrom('vms').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).where('removed', 'is', null).groupBy('state').execute();
  },
  hostsByZone(db: Db): Promise<{ zone: string; cpuTotal: number; cpuUsed: number; memoryTotal: number; memoryUsed: number }[]> {
    return db
      .selectFrom('hosts')
      .innerJoin('zones', 'zones.id', 'hosts.zoneId')
      .select((eb) => [
        'zones.name as zone',
        eb.fn.sum<number>(eb('hosts.cpuNumber', '*', eb.ref('hosts.cpuSpeed'))).as('cpuTotal'),
        eb.fn.sum<number>('hosts.cpuUsed').as('cpuUsed'),
        eb.fn.sum<number>('hosts.memory').as('memoryTotal'),
        eb.fn.sum<number>('hosts.memoryUsed').as('memoryUsed'),
      ])
      .groupBy('zones.name')
      .execute();
  },
  storageByZone(db: Db): Promise<{ zone: string; total: number; used: number }[]> {
    return db
      .selectFrom('storagePools')
      .innerJoin('zones', 'zones.id', 'storagePools.zoneId')
      .select((eb) => ['zones.name as zone', eb.fn.sum<number>('storagePools.capacityBytes').as('total'), eb.fn.sum<number>('storagePools.usedBytes').as('used')])
      .groupBy('zones.name')
      .execute();
  },
  publicIpsByZone(db: Db): Promise<{ zone: string; state: string; n: number }[]> {
    return db
      .selectFrom('publicIps')
      .innerJoin('zones', 'zones.id', 'publicIps.zoneId')
      .select((eb) => ['zones.name as zone', 'publicIps.state as state', eb.fn.countAll<number>().as('n')])
      .groupBy(['zones.name', 'publicIps.state'])
      .execute();
  },
  guestVlansByZone(db: Db): Promise<{ zone: string; n: number }[]> {
    return db
      .selectFrom('guestVlans')
      .innerJoin('zones', 'zones.id', 'guestVlans.zoneId')
      .select((eb) => ['zones.name as zone', eb.fn.countAll<number>().as('n')])
      .groupBy('zones.name')
      .execute();
  },
};
