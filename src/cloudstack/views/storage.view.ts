import { imageStoreStats, storageUrl } from '../../domain/infra.js';
import type { ImageStore, StoragePool } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';

/** Storage.StoragePoolType by URL scheme. */
const POOL_TYPES: Record<string, string> = {
  nfs: 'NetworkFilesystem',
  cifs: 'SMB',
  iscsi: 'IscsiLUN',
  sharedmountpoint: 'SharedMountPoint',
  rbd: 'RBD',
  clvm: 'CLVM',
  presetup: 'PreSetup',
  gluster: 'Gluster',
  vmfs: 'VMFS',
  ocfs2: 'OCFS2',
  datastorecluster: 'DatastoreCluster',
  filesystem: 'Filesystem',
};

/** overprovision: storage.overprovisioning.factor as this pool reads it (a StoragePool-scoped setting), in Java's Double.toString. */
export async function storagePoolView(
  lk: Lookup,
  p: StoragePool,
  overprovision: string,
): Promise<Record<string, unknown>> {
  const [zones, pods, clusters] = await Promise.all([lk.table('zones'), lk.table('pods'), lk.table('clusters')]);
  const u = storageUrl(p.url);
  const v: Record<string, unknown> = {
    id: p.id,
    zoneid: p.zoneId,
    zonename: zones.get(p.zoneId)?.name,
    name: p.name,
    ipaddress: u?.host,
    path: u?.path,
    created: csDate(p.created),
    type: POOL_TYPES[u?.scheme ?? ''] ?? 'NetworkFilesystem',
    disksizetotal: p.capacityBytes,
    disksizeallocated: p.usedBytes,
    disksizeused: p.usedBytes,
    state: p.state,
    scope: p.scope,
    overprovisionfactor: overprovision,
    provider: 'DefaultPrimary',
    storagecapabilities: { VOLUME_SNAPSHOT_QUIESCEVM: 'false' },
    hasannotations: false,
  };
  if (p.podId) Object.assign(v, { podid: p.podId, podname: pods.get(p.podId)?.name });
  if (p.clusterId) Object.assign(v, { clusterid: p.clusterId, clustername: clusters.get(p.clusterId)?.name });
  if (p.scope === 'ZONE') v['hypervisor'] = 'Simulator';
  if (p.tags) v['tags'] = p.tags;
  return v;
}

export async function imageStoreView(lk: Lookup, s: ImageStore): Promise<Record<string, unknown>> {
  const zones = await lk.table('zones');
  const stats = imageStoreStats();
  return {
    id: s.id,
    name: s.name,
    zoneid: s.zoneId,
    zonename: zones.get(s.zoneId)?.name,
    url: s.url,
    protocol: storageUrl(s.url)?.scheme ?? 'nfs',
    providername: s.provider,
    scope: 'ZONE',
    readonly: !!s.readonly,
    // ImageStoreJoinDaoImpl: the store's StorageStats, as the stats collector last read them.
    disksizetotal: stats.total,
    disksizeused: stats.used,
    hasannotations: false,
  };
}
