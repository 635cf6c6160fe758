import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { Snapshot, SnapshotState, VmSnapshot } from '../domain/storage.js';

/** Snapshot states in which the backing work has not finished. */
export const SNAPSHOT_BUSY: SnapshotState[] = ['Allocated', 'Creating', 'BackingUp'];

export interface SnapshotFilter {
  accountIds?: string[];
  id?: string;
  ids?: string[];
  volumeId?: string;
  zoneId?: string;
  name?: string;
  keyword?: string;
}

export const snapshotStore = {
  list(db: Db, f: SnapshotFilter): Promise<Snapshot[]> {
    let q = db.selectFrom('snapshots').selectAll().where('removed', 'is', null);
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.volumeId) q = q.where('volumeId', '=', f.volumeId);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('seq').execute();
  },
  get(db: Db, id: string): Promise<Snapshot | undefined> {
    return db.selectFrom('snapshots').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  /** Snapshots of a volume still being taken (they block deleting and resizing it). */
  busyOn(db: Db, volumeIds: string[]): Promise<Snapshot[]> {
    if (volumeIds.length === 0) return Promise.resolve([]);
    return inChunks(volumeIds, (ids) =>
      db
        .selectFrom('snapshots')
        .selectAll()
        .where('volumeId', 'in', ids)
        .where('state', 'in', SNAPSHOT_BUSY)
        .where('removed', 'is', null)
        .execute(),
    );
  },
};

export interface VmSnapshotFilter {
  accountIds?: string[];
  id?: string;
  ids?: string[];
  vmId?: string;
  name?: string;
  state?: string;
  keyword?: string;
}

export const vmSnapshotStore = {
  /** The snapshot's children hang off `parentId` instead (the snapshot is going away). */
  async reparentChildren(db: Db, id: string, parentId: string | null): Promise<void> {
    await db.updateTable('vmSnapshots').set({ parentId }).where('parentId', '=', id).execute();
  },
  list(db: Db, f: VmSnapshotFilter): Promise<VmSnapshot[]> {
    let q = db.selectFrom('vmSnapshots').selectAll().where('removed', 'is', null);
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.vmId) q = q.where('vmId', '=', f.vmId);
    if (f.name) q = q.where((eb) => eb.or([eb('name', '=', f.name!), eb('displayName', '=', f.name!)]));
    if (f.state) q = q.where('state', '=', f.state as VmSnapshot['state']);
    if (f.keyword) q = q.where('displayName', 'like', `%${f.keyword}%`);
    return q.orderBy('created').execute();
  },
  get(db: Db, id: string): Promise<VmSnapshot | undefined> {
    return db
      .selectFrom('vmSnapshots')
      .selectAll()
      .where('id', '=', id)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  ofVm(db: Db, vmId: string): Promise<VmSnapshot[]> {
    return db
      .selectFrom('vmSnapshots')
      .selectAll()
      .where('vmId', '=', vmId)
      .where('removed', 'is', null)
      .orderBy('created')
      .execute();
  },
  async setCurrent(db: Db, vmId: string, id: string | null): Promise<void> {
    await db.updateTable('vmSnapshots').set({ current: 0 }).where('vmId', '=', vmId).execute();
    if (id) await db.updateTable('vmSnapshots').set({ current: 1 }).where('id', '=', id).execute();
  },
  async removeOfVm(db: Db, vmId: string, at: number): Promise<void> {
    await db
      .updateTable('vmSnapshots')
      .set({ removed: at, current: 0 })
      .where('vmId', '=', vmId)
      .where('removed', 'is', null)
      .execute();
  },
};

export const snapshotRows = rowsOf('snapshots');
export const vmSnapshotRows = rowsOf('vmSnapshots');
