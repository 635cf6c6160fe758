import type { Db } from './db.js';
import type { Host } from '../domain/types.js';

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
};
