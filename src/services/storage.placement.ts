import { DomainError } from '../domain/errors.js';
import type { StoragePool, Volume } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { updateRow } from '../store/repo.js';
import { storageStore } from '../store/storage.store.js';

/**
 * Primary storage for a volume. A volume holds its size on a pool exactly while it names the
 * pool (poolId set, not removed): every function here changes the pool's usage in the same
 * transaction that changes the volume, so usage always equals the sum of its volumes.
 */
export async function placeVolume(db: Db, v: Volume, where: { zoneId: string; clusterId?: string | null; preferPoolId?: string | null }): Promise<StoragePool> {
  const pools = where.clusterId ? await storageStore.poolsFor(db, where.clusterId, where.zoneId) : await storageStore.poolsInZone(db, where.zoneId);
  const ordered = [...pools.filter((p) => p.id === where.preferPoolId), ...pools.filter((p) => p.id !== where.preferPoolId)];
  const pool = ordered.find((p) => p.capacityBytes - p.usedBytes >= v.size);
  if (!pool) throw new DomainError('InsufficientCapacity', `Unable to find suitable primary storage for volume ${v.name}`, { kind: 'Volume', id: v.id, capacity: 'storage' });
  if (v.poolId) await storageStore.use(db, v.poolId, -v.size);
  await storageStore.use(db, pool.id, v.size);
  await updateRow(db, 'volumes', v.id, { poolId: pool.id });
  return pool;
}

/** Gives a volume's space back to its pool (the volume keeps its row; the caller marks it). */
export async function releaseVolume(db: Db, v: Volume): Promise<void> {
  if (v.poolId) await storageStore.use(db, v.poolId, -v.size);
}

/** A volume on its pool grows or shrinks by `delta` bytes; growing needs the room. */
export async function resizeOnPool(db: Db, v: Volume, delta: number): Promise<void> {
  if (!v.poolId || delta === 0) return;
  const pool = await storageStore.get(db, v.poolId);
  if (delta > 0 && pool && pool.capacityBytes - pool.usedBytes < delta)
    throw new DomainError('InsufficientCapacity', `Storage pool ${pool.name} does not have enough space to resize volume ${v.name}`, { kind: 'Volume', id: v.id, capacity: 'storage' });
  await storageStore.use(db, v.poolId, delta);
}
