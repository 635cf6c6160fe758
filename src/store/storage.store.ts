import { rowsOf, updateRow } from './repo.js';
import type { Db } from './db.js';
import type { ImageStore, StoragePool } from '../domain/types.js';

export interface PoolFilter {
  id?: string;
  zoneId?: string;
  podId?: string;
  clusterId?: string;
  name?: string;
  keyword?: string;
  scope?: string;
  ipAddress?: string;
  path?: string;
}

export const storageStore = {
  /** The URL of an image store of the zone (the first the database returns, in no set order). */
  imageStoreUrlOf(db: Db, zoneId: string): Promise<{ url: string } | undefined> {
    return db.selectFrom('imageStores').select('url').where('zoneId', '=', zoneId).executeTakeFirst();
  },
  /** Pools a cluster's volumes may go to. */
  poolsFor(db: Db, clusterId: string, zoneId: string): Promise<StoragePool[]> {
    return db
      .selectFrom('storagePools')
      .selectAll()
      .where('state', '=', 'Up')
      .where((eb) =>
        eb.or([eb('clusterId', '=', clusterId), eb.and([eb('scope', '=', 'ZONE'), eb('zoneId', '=', zoneId)])]),
      )
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
  /** Every usable pool of a zone, for volumes that belong to no VM yet. */
  poolsInZone(db: Db, zoneId: string): Promise<StoragePool[]> {
    return db
      .selectFrom('storagePools')
      .selectAll()
      .where('state', '=', 'Up')
      .where('zoneId', '=', zoneId)
      .orderBy('name')
      .execute();
  },
  async use(db: Db, poolId: string, bytes: number): Promise<void> {
    await db
      .updateTable('storagePools')
      .set((eb) => ({ usedBytes: eb('usedBytes', '+', bytes) }))
      .where('id', '=', poolId)
      .execute();
  },
  pool(db: Db, id: string): Promise<StoragePool | undefined> {
    return db.selectFrom('storagePools').selectAll().where('id', '=', id).executeTakeFirst();
  },
  pools(db: Db, f: PoolFilter): Promise<StoragePool[]> {
    let q = db.selectFrom('storagePools').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.podId) q = q.where('podId', '=', f.podId);
    if (f.clusterId) q = q.where('clusterId', '=', f.clusterId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.scope) q = q.where('scope', '=', f.scope.toUpperCase());
    if (f.ipAddress) q = q.where('url', 'like', `%://${f.ipAddress}%`);
    if (f.path) q = q.where('url', 'like', `%${f.path}`);
    return q.orderBy('created').orderBy('name').execute();
  },
  /** Another pool on the same server path (StorageManagerImpl refuses to mount it twice). */
  poolAt(db: Db, hostAndPath: string): Promise<StoragePool | undefined> {
    return db.selectFrom('storagePools').selectAll().where('url', 'like', `%://${hostAndPath}`).executeTakeFirst();
  },
  async insertPool(db: Db, p: StoragePool): Promise<void> {
    await db.insertInto('storagePools').values(p).execute();
  },
  async updatePool(db: Db, id: string, patch: Partial<StoragePool>): Promise<void> {
    await updateRow(db, 'storagePools', id, patch);
  },
  async removePool(db: Db, id: string): Promise<void> {
    await db.deleteFrom('storagePools').where('id', '=', id).execute();
  },
  /** Volumes on a pool that are not destroyed. */
  async volumesOn(db: Db, poolId: string): Promise<number> {
    const { n } = await db
      .selectFrom('volumes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('poolId', '=', poolId)
      .where('removed', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(n);
  },
  /** VMs with a volume on the pool, for storage maintenance to stop. */
  async vmsOn(db: Db, poolId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('volumes')
      .select('vmId')
      .distinct()
      .where('poolId', '=', poolId)
      .where('removed', 'is', null)
      .where('vmId', 'is not', null)
      .execute();
    return rows.map((r) => r.vmId!);
  },

  imageStores(
    db: Db,
    f: {
      id?: string;
      zoneId?: string;
      name?: string;
      keyword?: string;
      provider?: string;
      protocol?: string;
      readonly?: boolean;
    },
  ): Promise<ImageStore[]> {
    let q = db.selectFrom('imageStores').selectAll();
    if (f.readonly === true) q = q.where('readonly', '=', 1);
    if (f.readonly === false) q = q.where((eb) => eb.or([eb('readonly', 'is', null), eb('readonly', '=', 0)]));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.provider) q = q.where('provider', '=', f.provider);
    if (f.protocol) q = q.where('url', 'like', `${f.protocol}://%`);
    return q.orderBy('created').orderBy('name').execute();
  },
  async insertImageStore(db: Db, s: ImageStore): Promise<void> {
    await db.insertInto('imageStores').values(s).execute();
  },
  async updateImageStore(db: Db, id: string, patch: Partial<ImageStore>): Promise<void> {
    await updateRow(db, 'imageStores', id, patch);
  },
  async removeImageStore(db: Db, id: string): Promise<void> {
    await db.deleteFrom('imageStores').where('id', '=', id).execute();
  },
};

export const storagePoolRows = rowsOf('storagePools');
