import type { Db } from './db.js';
import { eachChunk, inChunks } from './idlist.js';
import type { Snapshot, SnapshotPolicy, SnapshotType } from '../domain/storage.js';

export const snapshotPolicyStore = {
  /** Every policy shown to its owner (display = 1), the ones the scheduler runs. */
  displayed(db: Db): Promise<SnapshotPolicy[]> {
    return db.selectFrom('snapshotPolicies').selectAll().where('display', '=', 1).execute();
  },
  get(db: Db, id: string): Promise<SnapshotPolicy | undefined> {
    return db.selectFrom('snapshotPolicies').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** SnapshotPolicyDao.findOneByVolumeInterval. */
  byVolumeInterval(db: Db, volumeId: string, interval: number): Promise<SnapshotPolicy | undefined> {
    return db
      .selectFrom('snapshotPolicies')
      .selectAll()
      .where('volumeId', '=', volumeId)
      .where('interval', '=', interval)
      .executeTakeFirst();
  },
  /** listAndCountByVolumeId / listAndCountById: a volume's policies (or one), of one display flag. */
  list(db: Db, f: { volumeId?: string; id?: string; display: boolean }): Promise<SnapshotPolicy[]> {
    let q = db
      .selectFrom('snapshotPolicies')
      .selectAll()
      .where('display', '=', f.display ? 1 : 0);
    if (f.volumeId) q = q.where('volumeId', '=', f.volumeId);
    if (f.id) q = q.where('id', '=', f.id);
    return q.orderBy('seq').execute();
  },
  ofVolumes(db: Db, volumeIds: string[]): Promise<SnapshotPolicy[]> {
    if (volumeIds.length === 0) return Promise.resolve([]);
    return inChunks(volumeIds, (ids) =>
      db.selectFrom('snapshotPolicies').selectAll().where('volumeId', 'in', ids).execute(),
    );
  },
  async insert(db: Db, p: SnapshotPolicy): Promise<void> {
    await db.insertInto('snapshotPolicies').values(p).execute();
  },
  async update(db: Db, id: string, patch: Partial<Omit<SnapshotPolicy, 'id'>>): Promise<void> {
    await db.updateTable('snapshotPolicies').set(patch).where('id', '=', id).execute();
  },
  /** Deletes the policies and their tags (the row goes: snapshot_policy has no removed column). */
  async remove(db: Db, ids: string[]): Promise<void> {
    await eachChunk(ids, async (chunk) => {
      await db.deleteFrom('tags').where('resourceId', 'in', chunk).execute();
      await db.deleteFrom('snapshotPolicies').where('id', 'in', chunk).execute();
    });
  },
  /** SnapshotManager.deletePoliciesForVolume, for volumes being destroyed. */
  async removeOfVolumes(db: Db, volumeIds: string[]): Promise<void> {
    await snapshotPolicyStore.remove(
      db,
      (await snapshotPolicyStore.ofVolumes(db, volumeIds)).map((p) => p.id),
    );
  },
  /** Policies whose next run has come (SnapshotScheduleDao.getSchedulesToExecute). */
  due(db: Db, now: number): Promise<SnapshotPolicy[]> {
    return db
      .selectFrom('snapshotPolicies')
      .selectAll()
      .where('nextRun', '<=', now)
      .orderBy('nextRun')
      .orderBy('seq')
      .execute();
  },
  /** Moves a run on if no one else did first (another node polling the same database); true if this call did. */
  async claim(db: Db, p: SnapshotPolicy, nextRun: number): Promise<boolean> {
    const r = await db
      .updateTable('snapshotPolicies')
      .set({ nextRun })
      .where('id', '=', p.id)
      .where('nextRun', '=', p.nextRun)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** listSnapsforVolumeTypeNotDestroyed: a volume's snapshots of one type, oldest first. */
  ofVolumeType(db: Db, volumeId: string, type: SnapshotType): Promise<Snapshot[]> {
    return db
      .selectFrom('snapshots')
      .selectAll()
      .where('volumeId', '=', volumeId)
      .where('snapshotType', '=', type)
      .where('removed', 'is', null)
      .orderBy('seq')
      .execute();
  },
};
