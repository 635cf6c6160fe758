import { rowsOf, updateRow } from './repo.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { Host } from '../domain/types.js';
import type { Page, PageRequest } from './paging.js';

export interface HostFilter {
  id?: string;
  zoneId?: string;
  podId?: string;
  clusterId?: string;
  name?: string;
  keyword?: string;
  type?: string;
  state?: string;
  resourceState?: string;
  ids?: string[];
  /** A host's hypervisor is its cluster's; MySQL's collation makes CloudStack's match case-blind. */
  hypervisor?: string;
}

export const hostStore = {
  /**
   * Routing hosts of a zone that are up and enabled, with their clusters and pods enabled. With
   * `lock`, the hosts stay locked until the transaction ends, so what they have free cannot change
   * between choosing one and reserving on it (always locked in the same order: no deadlock).
   */
  candidates(db: Db, zoneId: string, lock = false): Promise<Host[]> {
    const q = db
      .selectFrom('hosts')
      .innerJoin('clusters', 'clusters.id', 'hosts.clusterId')
      .innerJoin('pods', 'pods.id', 'hosts.podId')
      .selectAll('hosts')
      .where('hosts.zoneId', '=', zoneId)
      .where('hosts.type', '=', 'Routing')
      .where('hosts.state', '=', 'Up')
      .where('hosts.resourceState', '=', 'Enabled')
      .where('clusters.allocationState', '=', 'Enabled')
      .where('pods.allocationState', '=', 'Enabled')
      .orderBy('clusters.name')
      .orderBy('hosts.created')
      .orderBy('hosts.ipAddress');
    return (lock ? q.forUpdate(['hosts']) : q).execute();
  },
  /**
   * Reserves what a VM needs if the host still has it, in one statement: PostgreSQL re-checks the
   * condition on the row as the last committed writer left it, so two nodes cannot both take the
   * last of a host. The row stays locked until the transaction ends, so callers reserve last.
   */
  async reserveIfFits(db: Db, hostId: string, cpuMhz: number, memoryBytes: number): Promise<boolean> {
    const r = await db
      .updateTable('hosts')
      .set((eb) => ({ cpuUsed: eb('cpuUsed', '+', cpuMhz), memoryUsed: eb('memoryUsed', '+', memoryBytes) }))
      .where('id', '=', hostId)
      .where((eb) => eb(eb(eb('cpuNumber', '*', eb.ref('cpuSpeed')), '-', eb.ref('cpuUsed')), '>=', cpuMhz))
      .where((eb) => eb(eb('memory', '-', eb.ref('memoryUsed')), '>=', memoryBytes))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** Adds (or with negative values releases) what a VM holds; never below zero. */
  async reserve(db: Db, hostId: string, cpuMhz: number, memoryBytes: number): Promise<void> {
    await db
      .updateTable('hosts')
      .set((eb) => ({ cpuUsed: eb('cpuUsed', '+', cpuMhz), memoryUsed: eb('memoryUsed', '+', memoryBytes) }))
      .where('id', '=', hostId)
      .execute();
  },
  get(db: Db, id: string): Promise<Host | undefined> {
    return db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async list(db: Db, f: HostFilter, page?: PageRequest): Promise<Page<Host>> {
    let q = db.selectFrom('hosts');
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.podId) q = q.where('podId', '=', f.podId);
    if (f.clusterId) q = q.where('clusterId', '=', f.clusterId);
    if (f.name) q = q.where('name', 'like', `%${f.name}%`);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.resourceState) q = q.where('resourceState', '=', f.resourceState);
    if (f.hypervisor) {
      const hv = f.hypervisor.toLowerCase();
      q = q.where(
        'clusterId',
        'in',
        db
          .selectFrom('clusters')
          .select('id')
          .where((eb) => eb(eb.fn('lower', ['hypervisor']), '=', hv)),
      );
    }
    const { count } = await q.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    let rows = q.selectAll().orderBy('seq').orderBy('created').orderBy('id');
    if (page) rows = rows.limit(page.limit).offset(page.offset);
    return { items: await rows.execute(), count: Number(count) };
  },
  /** Every host with its state and the names of its zone and pod (the host-down alert's subject). */
  withPlaceNames(db: Db) {
    return db
      .selectFrom('hosts')
      .innerJoin('zones', 'zones.id', 'hosts.zoneId')
      .innerJoin('pods', 'pods.id', 'hosts.podId')
      .select([
        'hosts.id',
        'hosts.name',
        'hosts.state',
        'hosts.zoneId',
        'hosts.podId',
        'zones.name as zone',
        'pods.name as pod',
      ])
      .execute();
  },
  /** The first host created (lowest numeric id) of the cluster, or else of the zone. */
  async firstOf(db: Db, where: { clusterId: string } | { zoneId: string }): Promise<string | undefined> {
    let q = db.selectFrom('hosts').select('id');
    q = 'clusterId' in where ? q.where('clusterId', '=', where.clusterId) : q.where('zoneId', '=', where.zoneId);
    return (await q.orderBy('seq').executeTakeFirst())?.id;
  },
  inCluster(db: Db, clusterId: string): Promise<Host[]> {
    return db.selectFrom('hosts').selectAll().where('clusterId', '=', clusterId).orderBy('seq').execute();
  },
  async insert(db: Db, h: Host): Promise<void> {
    await db.insertInto('hosts').values(h).execute();
  },
  async update(db: Db, id: string, patch: Partial<Host>): Promise<void> {
    await updateRow(db, 'hosts', id, patch);
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('hosts').where('id', '=', id).execute();
  },
  async urlTaken(db: Db, clusterId: string, url: string): Promise<boolean> {
    return !!(await db
      .selectFrom('hosts')
      .select('id')
      .where('clusterId', '=', clusterId)
      .where('url', '=', url)
      .executeTakeFirst());
  },
  /** The private address of the pod's most recently added host. */
  async lastInPod(db: Db, podId: string): Promise<string | undefined> {
    return (
      await db
        .selectFrom('hosts')
        .select('ipAddress')
        .where('podId', '=', podId)
        .where('type', '=', 'Routing')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.ipAddress;
  },
  async ipTaken(db: Db, podId: string, ip: string): Promise<boolean> {
    return !!(await db
      .selectFrom('hosts')
      .select('id')
      .where('podId', '=', podId)
      .where('ipAddress', '=', ip)
      .executeTakeFirst());
  },
  /** Cluster members that are up and enabled, where a VM leaving a host in maintenance may go. */
  migrationTargets(db: Db, clusterId: string, exceptHostId: string): Promise<Host[]> {
    return db
      .selectFrom('hosts')
      .selectAll()
      .where('clusterId', '=', clusterId)
      .where('id', '!=', exceptHostId)
      .where('type', '=', 'Routing')
      .where('state', '=', 'Up')
      .where('resourceState', '=', 'Enabled')
      .orderBy('seq')
      .execute();
  },
};

export const hostRows = rowsOf('hosts');
