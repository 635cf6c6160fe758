import { DomainError } from '../../domain/errors.js';
import { hasAllTags } from '../../domain/offerings.js';
import { catalogStore } from '../../store/catalog.store.js';
import { vmStore } from '../../store/vm.store.js';
import type { StoragePool, Volume } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { storageStore } from '../../store/storage.store.js';
import { volumeRows } from '../../store/volume.store.js';

/**
 * Primary storage for a volume. A volume holds its size on a pool exactly while it names the
 * pool (poolId set, not removed): every function here changes the pool's usage in the same
 * transaction that changes the volume, so usage always equals the sum of its volumes. Space is
 * taken with a conditional update, so two nodes placing at once cannot both take the last of it.
 */
export async function placeVolume(
  db: Db,
  v: Volume,
  where: { zoneId: string; clusterId?: string | null; preferPoolId?: string | null },
): Promise<StoragePool> {
  // The storage allocators keep only pools carrying every tag of the volume's disk offering.
  const tags = await volumeStorageTags(db, v);
  const all = where.clusterId
    ? await storageStore.poolsFor(db, where.clusterId, where.zoneId)
    : await storageStore.poolsInZone(db, where.zoneId);
  const pools = all.filter((p) => hasAllTags(p.tags, tags));
  let candidates = [
    ...pools.filter((p) => p.id === where.preferPoolId),
    ...pools.filter((p) => p.id !== where.preferPoolId),
  ];
  for (;;) {
    const pick = candidates.find((p) => p.capacityBytes - p.usedBytes >= v.size);
    if (!pick)
      throw new DomainError('InsufficientCapacity', `Unable to find suitable primary storage for volume ${v.name}`, {
        kind: 'Volume',
        id: v.id,
        capacity: 'storage',
      });
    if (await storageStore.useIfFits(db, pick.id, v.size)) {
      if (v.poolId) await storageStore.use(db, v.poolId, -v.size);
      await volumeRows.update(db, v.id, { poolId: pick.id });
      return pick;
    }
    candidates = candidates.filter((p) => p !== pick); // filled up since it was read
  }
}

/** The storage tags a volume needs: its disk offering's, or for a root disk its VM's compute offering's disk offering. */
export async function volumeStorageTags(db: Db, v: Volume): Promise<string | null | undefined> {
  if (v.diskOfferingId) return (await catalogStore.diskOffering(db, v.diskOfferingId))?.tags;
  if (v.type !== 'ROOT' || !v.vmId) return null;
  const vm = await vmStore.get(db, v.vmId);
  const offering = vm ? await catalogStore.serviceOffering(db, vm.serviceOfferingId) : undefined;
  return offering?.diskOfferingId ? (await catalogStore.diskOffering(db, offering.diskOfferingId))?.tags : null;
}

/** Gives a volume's space back to its pool (the volume keeps its row; the caller marks it). */
export async function releaseVolume(db: Db, v: Volume): Promise<void> {
  if (v.poolId) await storageStore.use(db, v.poolId, -v.size);
}

/** A volume on its pool grows or shrinks by `delta` bytes; growing needs the room. */
export async function resizeOnPool(db: Db, v: Volume, delta: number): Promise<void> {
  if (!v.poolId || delta === 0) return;
  if (delta < 0) return storageStore.use(db, v.poolId, delta);
  if (!(await storageStore.useIfFits(db, v.poolId, delta))) {
    const pool = await storageStore.pool(db, v.poolId);
    throw new DomainError(
      'InsufficientCapacity',
      `Storage pool ${pool?.name ?? v.poolId} does not have enough space to resize volume ${v.name}`,
      { kind: 'Volume', id: v.id, capacity: 'storage' },
    );
  }
}
