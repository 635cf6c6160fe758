import { hasAllTags, tagList } from '../../domain/offerings.js';
import type { StoragePool } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { storageStore } from '../../store/storage.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore } from '../../store/volume.store.js';
import { volumeStorageTags } from './storage.placement.js';
import { hostRows } from '../../store/host.store.js';

export interface MigrationPools {
  all: StoragePool[];
  suitable: Set<string>;
}

/**
 * findStoragePoolsForMigration (ManagementServerImpl.listStoragePoolsForMigrationOfVolumeInternal):
 * a volume that is not Ready has no options; otherwise every pool of the zone-wide scope and of the
 * clusters it could reach (its VM's cluster, or every cluster of the zone for a detached volume),
 * less the one it is on. Suitable are the Up pools the allocators would pick: for a VM's volume
 * those carrying every tag of its offering with room for it; for a detached one (the
 * detached-volume rule) any Up pool when the offering has no tags, else one with one of them.
 */
export async function poolsForMigration(db: Db, volumeId: string): Promise<MigrationPools> {
  const v = await volumeStore.get(db, volumeId);
  if (!v || v.state !== 'Ready' || !v.poolId) return { all: [], suitable: new Set() };
  const source = await storageStore.pool(db, v.poolId);
  if (!source) return { all: [], suitable: new Set() };
  const vm = v.vmId ? await vmStore.get(db, v.vmId) : undefined;
  const host = vm && (vm.hostId ?? vm.lastHostId) ? await hostRows.get(db, (vm.hostId ?? vm.lastHostId)!) : undefined;
  const clusterId = source.clusterId ?? host?.clusterId ?? null;
  const inZone = await storageStore.pools(db, { zoneId: source.zoneId });
  const reachable = inZone.filter((p) => p.scope === 'ZONE' || !vm || !clusterId || p.clusterId === clusterId);
  const all = reachable.filter((p) => p.id !== source.id);
  const tags = await volumeStorageTags(db, v);
  const fits = (p: StoragePool) =>
    p.state === 'Up' &&
    (vm ? hasAllTags(p.tags, tags) && p.capacityBytes - p.usedBytes >= v.size : anyTag(p.tags, tags));
  return { all, suitable: new Set(all.filter(fits).map((p) => p.id)) };
}

/** The detached-volume rule: no tags on the offering, or the pool carries one of them. */
function anyTag(have: string | null | undefined, wanted: string | null | undefined): boolean {
  const want = tagList(wanted);
  if (want.length === 0) return true;
  const h = new Set(tagList(have));
  return want.some((t) => h.has(t));
}
