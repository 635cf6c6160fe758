import type { Db } from './db.js';
import type { StoragePool } from '../domain/types.js';

export const storageStore = {
  /** Pools a cluster's volumes may go to. */
  poolsFor(db: Db, clusterId: string, zoneId: string): Promise<StoragePool[]> {
    return db
      .selectFrom('storagePools')
      .selectAll()
      .where('state', '=', 'Up')
      .where((eb) => eb.or([eb('clusterId', '=', clusterId), eb.and([eb('scope', '=', 'ZONE'), eb('zoneId', '=', zoneId)])]))
      .orderBy('name')
      .execute();
  },
  /** Takes `bytes` of a pool if it still has them, in one statement (see hostStore.reserveIfFits). */
  async useIfFits(db: Db, poolId: string, bytes: number): Promise<boolean> {
    const r = await db
      .updateTable('storagePools')
      .set((eb) => ({ usedBytes: eb('usedBytes', '+', bytes) }))
      .where('id', '=', poolId)
      .where((eb) => eb(eb('capacityBytes', '-', eb.ref('usedBytes')), '>=', bytes))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async use(db: Db, poolId: string, bytes: number): Promise<void> {
    await db.updateTable('storagePools').set((eb) => ({ usedBytes: eb('usedBytes', '+', bytes) })).where('id', '=', poolId).execute();
  },
};
