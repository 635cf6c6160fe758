import type { Clock } from '../../domain/clock.js';
import { invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import {
  cacheMode,
  cleanupTags,
  computeSize,
  hasAllTags,
  iops,
  parseJson,
  provisioningType,
  rates,
  storageType,
  type ComputeSize,
  type Rates,
} from '../../domain/offerings.js';
import type { DiskOffering, ServiceOffering } from '../../domain/types.js';
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
import { diskOfferingRows, serviceOfferingRows } from '../../store/catalog.store.js';
import { domainRows } from '../../store/account.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore } from '../../store/volume.store.js';

export interface NewServiceOffering extends ComputeSize {
  name: string;
  displayText?: string;
  customized?: boolean;
  storageType?: string;
  offerHa?: boolean;
  limitCpuUse?: boolean;
  isVolatile?: boolean;
  tags?: string;
  hostTags?: string;
  domainIds?: string[];
  zoneIds?: string[];
  isSystem?: boolean;
  systemVmType?: string;
  networkRate?: number;
  deploymentPlanner?: string;
  details?: Record<string, string>;
  rootDiskSize?: number;
  provisioningType?: string;
  customizedIops?: boolean;
  minIops?: number;
  maxIops?: number;
  rates?: Rates;
  hypervisorSnapshotReserve?: number;
  cacheMode?: string;
  dynamicScalingEnabled?: boolean;
  diskOfferingId?: string;
  diskOfferingStrictness?: boolean;
  encryptRoot?: boolean;
  storagePolicy?: string;
}
export interface ServiceOfferingUpdate {
  name?: string;
  displayText?: string;
  sortKey?: number;
  domainIds?: string;
  zoneIds?: string;
  hostTags?: string;
  storageTags?: string;
}

const SYSTEM_VM_TYPES: Record<string, string> = {
  domainrouter: 'domainrouter',
  consoleproxy: 'consoleproxy',
  secondarystoragevm: 'secondarystoragevm',
  internalloadbalancervm: 'internalloadbalancervm',
};
const GiB = 1024 ** 3;

/** createServiceOffering / updateServiceOffering / deleteServiceOffering (ConfigurationManagerImpl). */
export class ServiceOfferingService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
  ) {}

  async create(caller: Caller, r: NewServiceOffering): Promise<ServiceOffering> {
    if (!r.name) throw invalid('Failed to create service offering because offering name has not been spified.', 'name');
    const displayText = r.displayText || r.name;
    // CreateServiceOfferingCmd.isCustomized: asked for, or implied by a missing CPU count or memory.
    const customized = r.customized ?? (r.cpuNumber === undefined || r.memory === undefined);
    const maxCores = this.config.num('vm.serviceoffering.cpu.cores.max', 0) || 2147483647;
    const maxRam = this.config.num('vm.serviceoffering.ram.size.max', 0) || 2147483647;
    const limits = computeSize(r.name, customized, r, maxCores, maxRam);
    const offerHa = r.offerHa ?? false;
    const local = storageType(r.storageType, offerHa);
    const cache = cacheMode(r.cacheMode);
    const provisioning = provisioningType(r.provisioningType);
    const system = r.isSystem ?? false;
    let vmType: string | null = null;
    let customizedIops = r.customizedIops;
    if (system) {
      vmType = r.systemVmType === undefined ? 'domainrouter' : (SYSTEM_VM_TYPES[r.systemVmType] ?? null);
      if (!vmType)
        throw invalid(
          'Invalid systemVmType. Supported types are: DomainRouter, ConsoleProxy, SecondaryStorageVm',
          'systemvmtype',
        );
      if (r.customizedIops !== undefined)
        throw invalid('Customized IOPS is not a valid parameter for a system VM.', 'customizediops');
      customizedIops = false;
      if (r.hypervisorSnapshotReserve !== undefined)
        throw invalid(
          'Hypervisor snapshot reserve is not a valid parameter for a system VM.',
          'hypervisorsnapshotreserve',
        );
    }
    if (r.networkRate !== undefined) {
      if (system && vmType !== 'domainrouter')
        throw invalid(
          'Network rate can be specified only for non-System offering and system offerings having "domainrouter" systemvmtype',
          'networkrate',
        );
      if (r.networkRate < 0)
        throw invalid(
          `Failed to create service offering ${r.name}: specify the network rate value more than 0`,
          'networkrate',
        );
    }
    // The simulator's management server knows the planners CloudStack ships.
    if (r.deploymentPlanner !== undefined && !PLANNERS.includes(r.deploymentPlanner))
      throw invalid(
        'Invalid name for Deployment Planner specified, please use listDeploymentPlanners to get the valid set',
        'deploymentplanner',
      );
    if (r.storagePolicy !== undefined)
      throw invalid('Please specify a valid vSphere storage policy id', 'storagepolicy');
    const details = { ...(r.details ?? {}), ...limits };
    const gpu = ['pciDevice' in details, 'vgpuType' in details];
    if (gpu[0] !== gpu[1])
      throw invalid('Please specify the pciDevice and vgpuType correctly.', 'serviceofferingdetails');
    for (const k of ['bandwidthLimitInMbps', 'iopsLimit']) delete details[k];
    const own = iops(customizedIops, r.minIops, r.maxIops);
    const diskRates = rates(r.rates ?? {});
    if (r.rootDiskSize !== undefined) {
      if (r.rootDiskSize <= 0)
        throw invalid(`The Root disk size is of ${r.rootDiskSize} GB but it must be greater than 0.`, 'rootdisksize');
      const max = this.config.num('storage.max.volume.size', 2000);
      if (r.rootDiskSize > max) throw invalid(`The maximum size for a disk is ${max} GB.`, 'rootdisksize');
    }
    if (r.hypervisorSnapshotReserve !== undefined && r.hypervisorSnapshotReserve < 0)
      throw invalid(
        'If provided, Hypervisor Snapshot Reserve must be greater than or equal to 0.',
        'hypervisorsnapshotreserve',
      );

    return this.store.tx(async (trx) => {
      await checkZones(trx, r.zoneIds ?? []);
      const domainIds = await filterChildDomains(trx, r.domainIds ?? []);
      if (r.diskOfferingId !== undefined) {
        const d = await diskOfferingRows.get(trx, r.diskOfferingId);
        if (!d || d.computeOnly || d.state !== 'Active')
          throw invalid('Please specify a valid disk offering.', 'diskofferingid');
      }
      await checkCreate(trx, this.config, caller, 'service', domainIds, !!(r.tags?.trim() || r.hostTags?.trim()));
      const now = this.clock.now();
      let diskOfferingId = r.diskOfferingId;
      if (diskOfferingId === undefined) {
        // createDiskOfferingInternal: the offering's own disk half, which listDiskOfferings never shows.
        const disk: DiskOffering = {
          id: newId(),
          name: r.name,
          displayText,
          diskSize: r.rootDiskSize ?? 0,
          isCustomized: 0,
          storageType: local,
          state: 'Active',
          created: now,
          tags: cleanupTags(r.tags),
          provisioningType: provisioning,
          computeOnly: 1,
          customizedIops: customizedIops ? 1 : 0,
          minIops: own.minIops,
          maxIops: own.maxIops,
          rates: JSON.stringify(diskRates),
          cacheMode: cache,
          encrypt: r.encryptRoot ? 1 : 0,
          diskSizeStrictness: 0,
          displayOffering: 1,
          hypervisorSnapshotReserve: r.hypervisorSnapshotReserve ?? null,
          details: null,
          domainIds: null,
          zoneIds: null,
          sortKey: 0,
          removed: null,
        };
        await diskOfferingRows.insert(trx, disk);
        diskOfferingId = disk.id;
      }
      const o: ServiceOffering = {
        id: newId(),
        name: r.name,
        displayText,
        cpuNumber: r.cpuNumber ?? 0,
        cpuSpeed: r.cpuSpeed ?? 0,
        memory: r.memory ?? 0,
        storageType: local,
        offerHa: offerHa ? 1 : 0,
        limitCpuUse: r.limitCpuUse ? 1 : 0,
        isSystem: system ? 1 : 0,
        isCustomized: customized ? 1 : 0,
        rootDiskSize: r.rootDiskSize ?? null,
        state: 'Active',
        created: now,
        diskOfferingId,
        hostTags: cleanupTags(r.hostTags),
        isVolatile: r.isVolatile ? 1 : 0,
        dynamicScaling: r.dynamicScalingEnabled === false ? 0 : 1,
        diskOfferingStrictness: r.diskOfferingStrictness ? 1 : 0,
        systemVmType: vmType,
        networkRate: r.networkRate ?? null,
        deploymentPlanner: r.deploymentPlanner ?? null,
        details: Object.keys(details).length ? JSON.stringify(details) : null,
        domainIds: domainIds.join(',') || null,
        zoneIds: [...new Set(r.zoneIds ?? [])].join(',') || null,
        sortKey: 0,
        defaultUse: 0,
        removed: null,
      };
      await serviceOfferingRows.insert(trx, o);
      await this.event(trx, caller, 'SERVICE.OFFERING.CREATE', `Service offering id=${o.id}`, o.id);
      return o;
    });
  }

  async update(caller: Caller, id: string, u: ServiceOfferingUpdate): Promise<ServiceOffering> {
    return this.store.tx(async (trx) => {
      const o = await serviceOfferingRows.get(trx, id);
      if (!o || o.removed) throw invalid(`unable to find service offering ${id}`, 'id');
      const domainIds = updatedIds(u.domainIds, o.domainIds, 'public');
      const zoneIds = updatedIds(u.zoneIds, o.zoneIds, 'all');
      for (const d of domainIds)
        if (!(await domainRows.get(trx, d))) throw invalid('Please specify a valid domain id', 'domainid');
      await checkZones(trx, zoneIds);
      const filtered = await filterChildDomains(trx, domainIds);
      const finalDomains = await checkUpdate(trx, this.config, caller, 'service', o, {
        domainIds: filtered,
        zoneIds,
        renames: u.name !== undefined || u.displayText !== undefined || u.sortKey !== undefined,
        tagged: !!(u.hostTags?.trim() || u.storageTags?.trim()),
      });
      const patch: Partial<ServiceOffering> = {
        domainIds: finalDomains.join(',') || null,
        zoneIds: [...new Set(zoneIds)].join(',') || null,
      };
      if (u.name !== undefined) patch.name = u.name;
      if (u.displayText !== undefined) patch.displayText = u.displayText;
      if (u.sortKey !== undefined) patch.sortKey = u.sortKey;
      if (u.hostTags !== undefined) patch.hostTags = await this.hostTagsFor(trx, o, u.hostTags);
      if (u.storageTags !== undefined && o.diskOfferingId)
        await diskOfferingRows.update(trx, o.diskOfferingId, {
          tags: await storageTagsFor(trx, o.diskOfferingId, u.storageTags),
        });
      await serviceOfferingRows.update(trx, id, patch);
      await this.event(trx, caller, 'SERVICE.OFFERING.EDIT', `Service offering id=${id}`, id);
      return { ...o, ...patch };
    });
  }

  /** updateServiceOfferingHostTagsIfNotNull: hosts running VMs of the offering must already carry the new tags. */
  private async hostTagsFor(db: Db, o: ServiceOffering, given: string): Promise<string | null> {
    const tags = cleanupTags(given);
    if (!tags) return null;
    const hosts = await vmStore.hostsRunningOffering(db, o.id);
    const bad = hosts.filter((h) => !hasAllTags(h.hostTags, tags));
    if (bad.length)
      throw invalid(
        `There are active VMs using offering [${o.id}], and the hosts [${bad.map((h) => h.name).join(', ')}] don't have the new tags`,
        'hosttags',
      );
    return tags;
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const o = await serviceOfferingRows.get(trx, id);
      // deleteServiceOffering finds the row whatever its state: deleting an Inactive offering again succeeds.
      if (!o) throw invalid(`unable to find service offering ${id}`, 'id');
      if (o.defaultUse) throw invalid('Default service offerings cannot be deleted', 'id');
      await checkDelete(trx, caller, 'service', o);
      const now = this.clock.now();
      // Marked, never dropped: VMs of the offering keep running and still show it.
      if (o.diskOfferingId) {
        const d = await diskOfferingRows.get(trx, o.diskOfferingId);
        if (d?.computeOnly) await diskOfferingRows.update(trx, d.id, { state: 'Inactive', removed: d.removed ?? now });
      }
      await serviceOfferingRows.update(trx, id, { state: 'Inactive', removed: o.removed ?? now });
      await this.event(trx, caller, 'SERVICE.OFFERING.DELETE', `Service offering id=${id}`, id);
    });
  }

  async get(id: string): Promise<ServiceOffering> {
    const o = await serviceOfferingRows.get(this.store.db, id);
    if (!o) throw notFound('ServiceOffering', id);
    return o;
  }

  private event(db: Db, caller: Caller, type: string, description: string, id: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'ServiceOffering',
    });
  }
}

/** The planners a CloudStack management server lists (listDeploymentPlanners). */
export const PLANNERS = [
  'FirstFitPlanner',
  'UserDispersingPlanner',
  'UserConcentratedPodPlanner',
  'ImplicitDedicationPlanner',
  'SkipHeuristicsPlanner',
];

/** updateOfferingTagsIfIsNotNull: pools holding live volumes of the offering must already carry the new tags; blank clears them. */
export async function storageTagsFor(db: Db, diskOfferingId: string, given: string): Promise<string | null> {
  const tags = cleanupTags(given);
  if (!tags) return null;
  const pools = await volumeStore.poolsHoldingOffering(db, diskOfferingId);
  const bad = pools.find((p) => !hasAllTags(p.tags, tags));
  if (bad)
    throw invalid(
      `There are active volumes using the disk offering ${diskOfferingId}, and the pool ${bad.name} doesn't have the new tags. Please first add the new tags to the mentioned storage pools before adding them to the disk offering.`,
      'tags',
    );
  return tags;
}

export const rootDiskBytes = (o: ServiceOffering): number | undefined =>
  o.rootDiskSize ? o.rootDiskSize * GiB : undefined;
export const offeringDetails = (o: ServiceOffering): Record<string, string> => parseJson(o.details, {});
