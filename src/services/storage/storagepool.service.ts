import { ensureSystemVms } from '../infrastructure/systemvm.service.js';
import type { Clock } from '../../domain/clock.js';
import { invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { SIM_STORE_BYTES, storageUrl } from '../../domain/infra.js';
import type { ImageStore, StoragePool } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { datacenterStore as dc, zoneRows } from '../../store/datacenter.store.js';
import type { Store } from '../../store/db.js';
import { storageStore, type PoolFilter } from '../../store/storage.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { hypervisorName } from '../infrastructure/cluster.service.js';
import { poolsForMigration, type MigrationPools } from './storage.migration.js';
import { IMAGE_STORE_JOBS, migrateImageStoreData, type ImageStoreMigrationRequest } from './imagestore.migration.js';

export const POOL_JOBS = { maintain: 'pool.maintain', cancelMaintenance: 'pool.cancelmaintenance' } as const;

export interface NewPool {
  zoneId: string;
  podId?: string;
  clusterId?: string;
  name: string;
  url: string;
  scope?: string;
  hypervisor?: string;
  tags?: string;
  capacityBytes?: number;
  provider?: string;
}
export interface PoolUpdate {
  name?: string;
  tags?: string[];
  capacityBytes?: number;
  enabled?: boolean;
}

const PRIMARY_SCHEMES = [
  'nfs',
  'cifs',
  'iscsi',
  'sharedmountpoint',
  'rbd',
  'clvm',
  'presetup',
  'gluster',
  'vmfs',
  'ocfs2',
  'datastorecluster',
  'filesystem',
];
const IMAGE_PROVIDERS = ['NFS', 'SMB', 'S3', 'Swift'];
/** The data store providers this cloud has, by DataStoreProviderType (listStorageProviders): primary pools are
 *  all DefaultPrimary (createStoragePool falls back to it, as CloudStack does for an unknown provider); NFS is
 *  also the image cache (DataStoreProviderManagerImpl.getDefaultCacheDataStoreProvider). */
const PROVIDERS: Record<string, string[]> = {
  PRIMARY: ['DefaultPrimary'],
  IMAGE: IMAGE_PROVIDERS,
  ImageCache: ['NFS'],
};

/** listStorageProviders type=primary|image|imagecache (any case), as DataStoreProviderManagerImpl.getDataStoreProviders. */
export function storageProviders(type: string): { name: string; type: string }[] {
  const key = Object.keys(PROVIDERS).find((k) => k.toLowerCase() === type.toLowerCase());
  if (!key) throw invalid(`Invalid parameter: ${type}`, 'type');
  return PROVIDERS[key].map((name) => ({ name, type: key }));
}
const poolResult = (id: string): JobResult => ({ type: 'object', instanceType: 'StoragePool', id });

/** Primary storage pools and secondary (image) stores (StorageManagerImpl). */
export class StoragePoolService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(POOL_JOBS.maintain, async ({ caller, params }) => {
      await this.setMaintenance(caller, params.id, true);
      return poolResult(params.id);
    });
    jobs.register<{ id: string }>(POOL_JOBS.cancelMaintenance, async ({ caller, params }) => {
      await this.setMaintenance(caller, params.id, false);
      return poolResult(params.id);
    });
    jobs.register<ImageStoreMigrationRequest>(IMAGE_STORE_JOBS.migrate, ({ caller, params }) =>
      migrateImageStoreData(this.store, this.clock, caller, params),
    );
  }

  /** migrateSecondaryStorageData: the job decides everything (the command has no resource type, so no job instance). */
  migrateImageStoreData(caller: Caller, cmd: string, r: ImageStoreMigrationRequest): Promise<string> {
    return this.jobs.run(caller, { cmd, kind: IMAGE_STORE_JOBS.migrate, params: r });
  }

  async create(caller: Caller, r: NewPool): Promise<StoragePool> {
    return this.store.tx(async (trx) => {
      const zone = await zoneRows.get(trx, r.zoneId);
      if (!zone) throw invalid(`unable to find zone by id ${r.zoneId}`, 'zoneid');
      const scope = (r.scope ?? 'cluster').toUpperCase();
      if (scope !== 'CLUSTER' && scope !== 'ZONE' && scope !== 'HOST')
        throw invalid(`invalid scope for pool ${r.scope}`, 'scope');
      if (scope === 'CLUSTER' && (!r.podId || !r.clusterId)) throw invalid('Cluster id requires pod id', 'podid');
      if (scope === 'ZONE' && (!r.hypervisor || !hypervisorName(r.hypervisor)))
        throw invalid(
          'zone wide storage pool is not supported for hypervisor type ' + (r.hypervisor ?? 'null'),
          'hypervisor',
        );
      if (r.clusterId) {
        const c = await dc.cluster(trx, r.clusterId);
        if (!c || c.podId !== r.podId)
          throw invalid(`Cluster ${r.clusterId} does not belong to pod ${r.podId}`, 'clusterid');
      }
      const u = storageUrl(r.url);
      if (!u || !PRIMARY_SCHEMES.includes(u.scheme))
        throw invalid(`Unable to figure out the scheme for URI: ${r.url}`, 'url');
      if (u.scheme === 'nfs' && (!u.host || !u.path))
        throw invalid("Your host and/or path is wrong.  Make sure it's of the format nfs://hostname/path", 'url');
      const twin = await storageStore.poolAt(trx, `${u.host}%${u.path}`);
      if (twin && u.scheme !== 'sharedmountpoint')
        throw runtimeFailure(`Storage pool ${r.url} already in use by another pod (id=${twin.podId ?? 'null'})`);
      const pool: StoragePool = {
        id: newId(),
        zoneId: zone.id,
        podId: scope === 'ZONE' ? null : (r.podId ?? null),
        clusterId: scope === 'ZONE' ? null : (r.clusterId ?? null),
        name: r.name,
        url: r.url,
        scope,
        capacityBytes: r.capacityBytes ?? SIM_STORE_BYTES,
        usedBytes: 0,
        state: 'Up',
        created: this.clock.now(),
        tags: r.tags || null,
      };
      await storageStore.insertPool(trx, pool);
      await eventLog(trx, this.clock, {
        type: 'STORAGE.PRIMARY.CREATE',
        description: `Created storage pool ${pool.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: pool.id,
        resourceType: 'StoragePool',
      });
      return pool;
    });
  }

  async update(caller: Caller, id: string, u: PoolUpdate): Promise<StoragePool> {
    return this.store.tx(async (trx) => {
      const pool = await storageStore.pool(trx, id);
      if (!pool) throw invalid(`Unable to find storage pool ${id}`, 'id');
      const patch: Partial<StoragePool> = {};
      if (u.name) patch.name = u.name;
      if (u.tags) patch.tags = u.tags.join(',') || null;
      if (u.capacityBytes !== undefined) {
        if (u.capacityBytes < pool.usedBytes)
          throw invalid(`Cannot reduce the capacity of storage pool ${pool.name} below what it uses`, 'capacitybytes');
        patch.capacityBytes = u.capacityBytes;
      }
      if (u.enabled !== undefined && (pool.state === 'Up' || pool.state === 'Disabled'))
        patch.state = u.enabled ? 'Up' : 'Disabled';
      if (Object.keys(patch).length) await storageStore.updatePool(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'STORAGE.PRIMARY.UPDATE',
        description: `Updated storage pool ${pool.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'StoragePool',
      });
      return { ...pool, ...patch };
    });
  }

  /** deletePool: a pool with volumes that are not destroyed stays (`forced` only matters for destroyed volumes, which are not kept here). */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const pool = await storageStore.pool(trx, id);
      if (!pool) throw invalid(`Unable to find pool by ID: ${id}`, 'id');
      if ((await storageStore.volumesOn(trx, id)) > 0)
        throw runtimeFailure(
          `Cannot delete pool ${pool.name} as there are associated non-destroyed vols for this pool`,
        );
      await storageStore.removePool(trx, id);
      await eventLog(trx, this.clock, {
        type: 'STORAGE.PRIMARY.DELETE',
        description: `Deleted storage pool ${pool.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'StoragePool',
      });
    });
  }

  async submit(caller: Caller, kind: string, id: string, cmd: string): Promise<string> {
    if (!(await storageStore.pool(this.store.db, id))) throw notFound('StoragePool', id);
    return this.jobs.run(caller, { cmd, kind, params: { id }, instanceType: 'StoragePool', instanceId: id });
  }

  /** A pool in maintenance takes no new volumes; the allocator only looks at pools that are Up. */
  private async setMaintenance(caller: Caller, id: string, on: boolean): Promise<void> {
    await this.store.tx(async (trx) => {
      const pool = await storageStore.pool(trx, id);
      if (!pool)
        throw invalid(
          'Unable to obtain lock on the storage pool record in preparePrimaryStorageForMaintenance()',
          'id',
        );
      if (on && pool.state !== 'Up' && pool.state !== 'ErrorInMaintenance')
        throw invalid(`Primary storage with id ${id} is not ready for migration, as the status is:${pool.state}`, 'id');
      if (!on && pool.state !== 'Maintenance' && pool.state !== 'ErrorInMaintenance')
        throw runtimeFailure(
          `Primary storage with id ${id} is not ready to complete migration, as the status is:${pool.state}`,
        );
      await storageStore.updatePool(trx, id, { state: on ? 'Maintenance' : 'Up' });
      await eventLog(trx, this.clock, {
        type: on ? 'MAINT.PREPARE.PS' : 'MAINT.CANCEL.PS',
        description: `${on ? 'Preparing' : 'Canceling'} maintenance of storage pool ${pool.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'StoragePool',
      });
    });
  }

  list(f: PoolFilter): Promise<StoragePool[]> {
    return storageStore.pools(this.store.db, f);
  }

  /** findStoragePoolsForMigration: the pools a volume could move to, and which of them suit it. */
  migrationOptions(volumeId: string): Promise<MigrationPools> {
    return poolsForMigration(this.store.db, volumeId);
  }

  get(id: string): Promise<StoragePool | undefined> {
    return storageStore.pool(this.store.db, id);
  }

  /** addImageStore for the providers the simulator's secondary storage stands in for. */
  async addImageStore(
    caller: Caller,
    r: { name?: string; url?: string; provider: string; zoneId?: string },
  ): Promise<ImageStore> {
    const provider = IMAGE_PROVIDERS.find((p) => p.toLowerCase() === r.provider.toLowerCase());
    if (!provider) throw invalid(`can't find image store provider by name ${r.provider}`, 'provider');
    if (provider !== 'NFS' && provider !== 'SMB')
      throw invalid(
        `Image store provider ${provider} needs an object store, which this cloud does not simulate`,
        'provider',
      );
    if (!r.zoneId) throw invalid('Please specify a zone id for the NFS image store', 'zoneid');
    if (!r.url || !storageUrl(r.url)) throw invalid(`Unable to figure out the scheme for URI: ${r.url ?? ''}`, 'url');
    return this.store.tx(async (trx) => {
      if (!(await zoneRows.get(trx, r.zoneId!))) throw invalid(`Unable to find zone by id ${r.zoneId}`, 'zoneid');
      const name = r.name ?? r.url!;
      // StorageManagerImpl.discoverImageStore: the name (the URL when none is given) is unique across zones.
      if ((await storageStore.imageStores(trx, { name })).length)
        throw invalid(`The image store with name ${name} already exists, try creating with another name`, 'name');
      const s: ImageStore = { id: newId(), zoneId: r.zoneId!, name, url: r.url!, provider, created: this.clock.now() };
      await storageStore.insertImageStore(trx, s);
      await ensureSystemVms(trx, this.clock, s.zoneId);
      await eventLog(trx, this.clock, {
        type: 'IMAGE.STORE.CREATE',
        description: `Added image store ${s.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: s.id,
        resourceType: 'ImageStore',
      });
      return s;
    });
  }

  imageStores(f: {
    id?: string;
    zoneId?: string;
    name?: string;
    keyword?: string;
    provider?: string;
    protocol?: string;
    readonly?: boolean;
  }): Promise<ImageStore[]> {
    return storageStore.imageStores(this.store.db, f);
  }

  /**
   * updateImageStore (StorageManagerImpl.updateImageStoreStatus in 4.18): only the access state
   * changes. A read-only store keeps what it holds but takes no new data: migrations skip it and
   * a zone whose stores are all read-only gets no new system VMs.
   */
  async updateImageStore(caller: Caller, id: string, readonly: boolean): Promise<ImageStore> {
    return this.store.tx(async (trx) => {
      const [s] = await storageStore.imageStores(trx, { id });
      if (!s) throw invalid(`Unable to find image store with ID: ${id}`, 'id');
      const flag = readonly ? 1 : 0;
      if ((s.readonly ?? 0) !== flag) await storageStore.updateImageStore(trx, id, { readonly: flag });
      await eventLog(trx, this.clock, {
        type: 'IMAGE.STORE.ACCESS.UPDATED',
        description: 'image store access updated',
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'ImageStore',
      });
      return { ...s, readonly: flag };
    });
  }

  async removeImageStore(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const [s] = await storageStore.imageStores(trx, { id });
      if (!s) throw invalid(`Unable to find image store with id ${id}`, 'id');
      await storageStore.removeImageStore(trx, id);
      await eventLog(trx, this.clock, {
        type: 'IMAGE.STORE.DELETE',
        description: `Deleted image store ${s.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'ImageStore',
      });
    });
  }
}
