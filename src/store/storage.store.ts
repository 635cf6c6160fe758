import type { Db } from './db.js';
import type { StoragePool } from '../domain/types.js';

export const storageStore = {
  /** Pools a cluster's volumes may go to, locked until the transaction ends (their free space is what placement reads). */
  poolsFor(db: Db, clusterId: string, zoneId: string): Promise<StoragePool[]> {
    return db
      .selectFrom('storagePools')
      .selectAll()
      .where('state', '=', 'Up')
      .where((eb) => eb.or([eb('clusterId', '=', clusterId), eb.and([eb('scope', '=', 'ZONE'), eb('zoneId', '=', zoneId)])]))
      .orderBy('name')
      .forUpdate()
      .execute();
  },
  async use(db: Db, poolId: string, bytes: number): Promise<void> {
    await db.updateTable('storagePools').set((eb) => ({ usedBytes: eb('usedBytes', '+', bytes) })).where('id', '=', poolId).execute();
  },
};
