import type { Db } from './db.js';
import { setsNothing } from './repo.js';
import type { ManagementServer } from '../domain/cluster.js';

export const nodeStore = {
  /** A node joins under its name: the row (and id) of an earlier run with that name is reused. */
  register(db: Db, row: ManagementServer): Promise<ManagementServer> {
    const { id: _id, name: _name, ...update } = row;
    return db
      .insertInto('managementServers')
      .values(row)
      .onConflict((oc) => oc.column('name').doUpdateSet(update))
      .returningAll()
      .executeTakeFirstOrThrow();
  },
  /** False when this run no longer owns the row (a newer run took the name). */
  async heartbeat(db: Db, id: string, runId: string, now: number): Promise<{ state: string } | undefined> {
    return db
      .updateTable('managementServers')
      .set({ lastHeartbeat: now })
      .where('id', '=', id)
      .where('runId', '=', runId)
      .returning('state')
      .executeTakeFirst();
  },
  async setState(db: Db, id: string, runId: string, patch: Partial<ManagementServer>): Promise<void> {
    if (setsNothing(patch)) return;
    await db.updateTable('managementServers').set(patch).where('id', '=', id).where('runId', '=', runId).execute();
  },
  async setAddress(db: Db, id: string, serviceIp: string, servicePort: number): Promise<void> {
    await db.updateTable('managementServers').set({ serviceIp, servicePort }).where('id', '=', id).execute();
  },
  /** Nodes silent since `before` are Down; returns their names. */
  async markSilentDown(db: Db, before: number): Promise<string[]> {
    const rows = await db
      .updateTable('managementServers')
      .set((eb) => ({ state: 'Down', lastServerStop: eb.ref('lastHeartbeat') }))
      .where('state', '=', 'Up')
      .where('lastHeartbeat', '<', before)
      .returning('name')
      .execute();
    return rows.map((r) => r.name);
  },
  /** One node per file (SQLite): every other row is a process that has gone. */
  async markOthersDown(db: Db, id: string, now: number): Promise<void> {
    await db
      .updateTable('managementServers')
      .set({ state: 'Down', lastServerStop: now })
      .where('id', '!=', id)
      .where('state', '=', 'Up')
      .execute();
  },
  /** Drops every node's row: a database copied as an image carries none of the nodes that built it. */
  async forgetAll(db: Db): Promise<void> {
    await db.deleteFrom('managementServers').execute();
  },
  list(db: Db, f: { id?: string; name?: string; keyword?: string }): Promise<ManagementServer[]> {
    let q = db.selectFrom('managementServers').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('lastServerStart').orderBy('name').execute();
  },
};
