import { sql } from 'kysely';
import type { Db } from './db.js';

/** A user VM's states in which it runs on its host (the hypervisor still has it while it stops or moves). */
const RUNNING_STATES = ['Running', 'Migrating', 'Stopping'] as const;

/** Aggregates for /metrics: whole-cloud counts, one query each. */
export const metricsStore = {
  jobsByStatus(db: Db): Promise<{ status: number; n: number }[]> {
    return db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
  },
  vmsByState(db: Db): Promise<{ state: string; n: number }[]> {
    return db
      .selectFrom('vms')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('removed', 'is', null)
      .groupBy('state')
      .execute();
  },
  hostsByZone(
    db: Db,
  ): Promise<{ zone: string; cpuTotal: number; cpuUsed: number; memoryTotal: number; memoryUsed: number }[]> {
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
      .select((eb) => [
        'zones.name as zone',
        eb.fn.sum<number>('storagePools.capacityBytes').as('total'),
        eb.fn.sum<number>('storagePools.usedBytes').as('used'),
      ])
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

  /** Running user VMs per host: how many, their MHz and their memory (MB). */
  userGuestsByHost(db: Db): Promise<{ hostId: string; n: number; mhz: number; memoryMb: number }[]> {
    return db
      .selectFrom('vms')
      .where('removed', 'is', null)
      .where('hostId', 'is not', null)
      .where('state', 'in', [...RUNNING_STATES])
      .select((eb) => [
        sql<string>`${sql.ref('hostId')}`.as('hostId'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb('cpuNumber', '*', eb.ref('cpuSpeed'))).as('mhz'),
        eb.fn.sum<number>('memory').as('memoryMb'),
      ])
      .groupBy('hostId')
      .execute();
  },
  /** Running system VMs per host and type. */
  systemGuestsByHost(db: Db): Promise<{ hostId: string; type: string; n: number }[]> {
    return db
      .selectFrom('systemVms')
      .where('removed', 'is', null)
      .where('hostId', 'is not', null)
      .where('state', '=', 'Running')
      .select((eb) => [sql<string>`${sql.ref('hostId')}`.as('hostId'), 'type', eb.fn.countAll<number>().as('n')])
      .groupBy(['hostId', 'type'])
      .execute();
  },
  /** Running virtual routers per host. */
  routersByHost(db: Db): Promise<{ hostId: string; n: number }[]> {
    return db
      .selectFrom('routers')
      .where('removed', 'is', null)
      .where('hostId', 'is not', null)
      .where('state', '=', 'Running')
      .select((eb) => [sql<string>`${sql.ref('hostId')}`.as('hostId'), eb.fn.countAll<number>().as('n')])
      .groupBy('hostId')
      .execute();
  },
  /** User VMs placed on each host (VMInstanceDao.listByHostId): all of them, and those Running. */
  userVmsOnHosts(db: Db): Promise<{ hostId: string; total: number; running: number }[]> {
    return db
      .selectFrom('vms')
      .where('removed', 'is', null)
      .where('hostId', 'is not', null)
      .select((eb) => [
        sql<string>`${sql.ref('hostId')}`.as('hostId'),
        eb.fn.countAll<number>().as('total'),
        eb.fn.sum<number>(eb.case().when('state', '=', 'Running').then(1).else(0).end()).as('running'),
      ])
      .groupBy('hostId')
      .execute();
  },
  /** listInfrastructure's counts, one aggregate per table (removed rows left out where a table keeps them). */
  async infrastructure(
    db: Db,
  ): Promise<
    Record<
      | 'zones'
      | 'pods'
      | 'clusters'
      | 'hosts'
      | 'cpuSockets'
      | 'storagePools'
      | 'imageStores'
      | 'systemVms'
      | 'routers'
      | 'alerts'
      | 'managementServers',
      number
    >
  > {
    const count = async (q: { executeTakeFirst(): Promise<{ n: number } | undefined> }) =>
      Number((await q.executeTakeFirst())?.n ?? 0);
    const [zones, pods, clusters, hosts, storagePools, imageStores, systemVms, routers, alerts, managementServers] =
      await Promise.all([
        count(db.selectFrom('zones').select((eb) => eb.fn.countAll<number>().as('n'))),
        count(db.selectFrom('pods').select((eb) => eb.fn.countAll<number>().as('n'))),
        count(db.selectFrom('clusters').select((eb) => eb.fn.countAll<number>().as('n'))),
        count(
          db
            .selectFrom('hosts')
            .where('type', '=', 'Routing')
            .select((eb) => eb.fn.countAll<number>().as('n')),
        ),
        count(db.selectFrom('storagePools').select((eb) => eb.fn.countAll<number>().as('n'))),
        count(db.selectFrom('imageStores').select((eb) => eb.fn.countAll<number>().as('n'))),
        count(
          db
            .selectFrom('systemVms')
            .where('removed', 'is', null)
            .select((eb) => eb.fn.countAll<number>().as('n')),
        ),
        count(
          db
            .selectFrom('routers')
            .where('removed', 'is', null)
            .select((eb) => eb.fn.countAll<number>().as('n')),
        ),
        count(db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n'))),
        count(db.selectFrom('managementServers').select((eb) => eb.fn.countAll<number>().as('n'))),
      ]);
    // Every simulated routing host has one socket (hostView's cpusockets).
    return {
      zones,
      pods,
      clusters,
      hosts,
      cpuSockets: hosts,
      storagePools,
      imageStores,
      systemVms,
      routers,
      alerts,
      managementServers,
    };
  },
  /** Client sessions alive (ManagementServerHostStats.sessions). */
  async sessions(db: Db): Promise<number> {
    return Number(
      (
        await db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  },
  /** Agents connected: hosts (routing and system VM agents) that are Up. */
  async agentsUp(db: Db): Promise<number> {
    return Number(
      (
        await db
          .selectFrom('hosts')
          .where('state', '=', 'Up')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  },
  /** The database server's own figures (listDbMetrics): SQLite in process, or the PostgreSQL server. */
  async server(
    db: Db,
    dialect: 'sqlite' | 'postgres',
  ): Promise<{ version: string; versionComment: string; connections: number; uptimeSeconds: number | undefined }> {
    if (dialect === 'sqlite') {
      const r = await sql<{ v: string }>`select sqlite_version() as v`.execute(db);
      return { version: r.rows[0]?.v ?? '', versionComment: 'SQLite', connections: 1, uptimeSeconds: undefined };
    }
    const r = await sql<{ v: string; c: number; up: number }>`select current_setting('server_version') as v,
      (select count(*) from pg_stat_activity where datname = current_database()) as c,
      extract(epoch from now() - pg_postmaster_start_time()) as up`.execute(db);
    const row = r.rows[0];
    return {
      version: row?.v ?? '',
      versionComment: 'PostgreSQL',
      connections: Number(row?.c ?? 0),
      uptimeSeconds: Math.floor(Number(row?.up ?? 0)),
    };
  },
};
