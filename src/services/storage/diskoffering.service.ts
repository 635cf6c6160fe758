import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import {
  cacheMode,
  cleanupTags,
  iops,
  parseJson,
  provisioningType,
  rates,
  storageType,
  type Rates,
} from '../../domain/offerings.js';
import type { DiskOffering } from '../../domain/types.js';
import type { Db, Store } from '../../store/db.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import {
  checkCreate,
  checkDelete,
  checkUpdate,
  checkZones,
  filterChildDomains,
  updatedIds,
} from '../infrastructure/offering.scope.js';
import { storageTagsFor } from '../compute/serviceoffering.service.js';
import { domainRows } from '../../store/account.store.js';
import { diskOfferingRows } from '../../store/catalog.store.js';
import { zoneRows } from '../../store/datacenter.store.js';

export interface NewDiskOffering {
  name: string;
  displayText: string;
  diskSize?: number;
  customized?: boolean;
  customizedIops?: boolean;
  minIops?: number;
  maxIops?: number;
  tags?: string;
  storageType?: string;
  provisioningType?: string;
  domainIds?: string[];
  zoneIds?: string[];
  rates?: Rates;
  cacheMode?: string;
  hypervisorSnapshotReserve?: number;
  details?: Record<string, string>;
  displayOffering?: boolean;
  encrypt?: boolean;
  diskSizeStrictness?: boolean;
  storagePolicy?: string;
}
export interface DiskOfferingUpdate {
  name?: string;
  displayText?: string;
  sortKey?: number;
  displayOffering?: boolean;
  domainIds?: string;
  zoneIds?: string;
  tags?: string;
  rates?: Rates;
  cacheMode?: string;
}

/** createDiskOffering / updateDiskOffering / deleteDiskOffering (ConfigurationManagerImpl). */
export class DiskOfferingService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
  ) {}

  async create(caller: Caller, r: NewDiskOffering): Promise<DiskOffering> {
    let customized = r.customized ?? false;
    return this.store.tx(async (trx) => {
      for (const d of r.domainIds ?? [])
        if (!(await domainRows.get(trx, d))) throw invalid('Please specify a valid domain id', 'domainid');
      await checkZones(trx, r.zoneIds ?? []);
      if (!customized && r.diskSize === undefined)
        throw invalid('Disksize is required for a non-customized disk offering', 'disksize');
      if (customized && r.diskSize !== undefined)
        throw invalid('Disksize is not allowed for a customized disk offering', 'disksize');
      const cache = cacheMode(r.cacheMode);
      const local = storageType(r.storageType, false);
      if (r.storagePolicy !== undefined)
        throw invalid('Please specify a valid vSphere storage policy id', 'storagepolicy');
      const diskRates = rates(r.rates ?? {});
      const max = this.config.num('storage.max.volume.size', 2000);
      if (r.diskSize !== undefined && r.diskSize <= 0)
        throw invalid('Please specify a disk size of at least 1 GB.', 'disksize');
      if (r.diskSize !== undefined && r.diskSize > max)
        throw invalid(`The maximum size for a disk is ${max} GB.`, 'disksize');
      const provisioning = provisioningType(r.provisioningType);
      if (!r.diskSize) customized = true;
      const own = iops(r.customizedIops, r.minIops, r.maxIops);
      const domainIds = await filterChildDomains(trx, r.domainIds ?? []);
      await checkCreate(trx, this.config, caller, 'disk', domainIds, !!r.tags?.trim());
      if (r.hypervisorSnapshotReserve !== undefined && r.hypervisorSnapshotReserve < 0)
        throw invalid(
          'If provided, Hypervisor Snapshot Reserve must be greater than or equal to 0.',
          'hypervisorsnapshotreserve',
        );
      const o: DiskOffering = {
        id: newId(),
        name: r.name,
        displayText: r.displayText,
        diskSize: r.diskSize ?? 0,
        isCustomized: customized ? 1 : 0,
        storageType: local,
        state: 'Active',
        created: this.clock.now(),
        tags: cleanupTags(r.tags),
        provisioningType: provisioning,
        computeOnly: 0,
        customizedIops: r.customizedIops === undefined ? null : r.customizedIops ? 1 : 0,
        minIops: own.minIops,
        maxIops: own.maxIops,
        rates: JSON.stringify(diskRates),
        cacheMode: cache,
        encrypt: r.encrypt ? 1 : 0,
        diskSizeStrictness: r.diskSizeStrictness ? 1 : 0,
        displayOffering: r.displayOffering === false ? 0 : 1,
        hypervisorSnapshotReserve: r.hypervisorSnapshotReserve ?? null,
        details: r.details && Object.keys(r.details).length ? JSON.stringify(r.details) : null,
        domainIds: domainIds.join(',') || null,
        zoneIds: [...new Set(r.zoneIds ?? [])].join(',') || null,
        sortKey: 0,
        removed: null,
      };
      await diskOfferingRows.insert(trx, o);
      await this.event(trx, caller, 'DISK.OFFERING.CREATE', `Disk offering id=${o.id}`, o.id);
      return o;
    });
  }

  async update(caller: Caller, id: string, u: DiskOfferingUpdate): Promise<DiskOffering> {
    return this.store.tx(async (trx) => {
      const o = await diskOfferingRows.get(trx, id);
      if (!o || o.removed || o.computeOnly) throw invalid(`Unable to find disk offering by id ${id}`, 'id');
      const domainIds = updatedIds(u.domainIds, o.domainIds, 'public');
      const zoneIds = updatedIds(u.zoneIds, o.zoneIds, 'all');
      for (const d of domainIds)
        if (!(await domainRows.get(trx, d))) throw invalid('Please specify a valid domain id.', 'domainid');
      for (const z of zoneIds)
        if (!(await zoneRows.get(trx, z))) throw invalid('Please specify a valid zone id.', 'zoneid');
      const filtered = await filterChildDomains(trx, domainIds);
      const finalDomains = await checkUpdate(trx, this.config, caller, 'disk', o, {
        domainIds: filtered,
        zoneIds,
        renames: u.name !== undefined || u.displayText !== undefined || u.sortKey !== undefined,
        tagged: !!u.tags?.trim(),
      });
      const patch: Partial<DiskOffering> = {
        domainIds: finalDomains.join(',') || null,
        zoneIds: [...new Set(zoneIds)].join(',') || null,
      };
      if (u.name) patch.name = u.name;
      if (u.displayText) patch.displayText = u.displayText;
      if (u.sortKey !== undefined) patch.sortKey = u.sortKey;
      if (u.displayOffering !== undefined) patch.displayOffering = u.displayOffering ? 1 : 0;
      if (u.tags !== undefined) patch.tags = await storageTagsFor(trx, id, u.tags);
      if (u.rates && Object.keys(u.rates).length)
        patch.rates = JSON.stringify(rates(u.rates, parseJson<Rates>(o.rates, {})));
      if (u.cacheMode !== undefined) patch.cacheMode = cacheMode(u.cacheMode);
      await diskOfferingRows.update(trx, id, patch);
      await this.event(trx, caller, 'DISK.OFFERING.EDIT', `Disk offering id=${id}`, id);
      return { ...o, ...patch };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const o = await diskOfferingRows.get(trx, id);
      // deleteDiskOffering finds the row whatever its state: deleting an Inactive offering again succeeds.
      if (!o || o.computeOnly) throw invalid(`Unable to find disk offering by id ${id}`, 'id');
      await checkDelete(trx, caller, 'disk', o);
      // Marked, never dropped: volumes made from it keep it.
      await diskOfferingRows.update(trx, id, { state: 'Inactive', removed: o.removed ?? this.clock.now() });
      await this.event(trx, caller, 'DISK.OFFERING.DELETE', `Disk offering id=${id}`, id);
    });
  }

  private event(db: Db, caller: Caller, type: string, description: string, id: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'DiskOffering',
    });
  }
}
