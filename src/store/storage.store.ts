import type { Db } from './db.js';
import type { StoragePool } from '../domain/types.js';

export const storageStore = {
  poolsFor(db: Db, clusterId: string, zoneId: string): Promise<StoragePool[]> {
    return db
      .selectFrom('storagePools')
      .selectAll()
      .where('state', '=', 'Up')
      .where((eb) => eb.or([eb('clusterId', '=', clusterId), eb.and([eb('scope', '=', 'ZONE'), eb('zoneId', '=', zoneId)])]))
      .orderBy('name')
      .execute();
  },
  /** Every usable pool of a zone, for volumes that belong to no VM yet. */
  poolsInZone(db: Db, zoneId: string): Promise<StoragePool[]> {
    return db.selectFrom('storagePools').selectAll().where('state', '=', 'Up').where('zoneId', '=', zoneId).orderBy('name').execute();
  },
  get(db: Db, id: string): Promise<StoragePool | undefined> {
    return db.selectFrom('storagePools').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async use(db: Db, poolId: string, bytes: number): Promise<void> {
    await db.updateTable('storagePools').set((eb) => ({ usedBytes: eb('usedBytes', '+', bytes) })).where('id', '=', poolId).execute();
  },
};
