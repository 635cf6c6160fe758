import type { Clock } from '../../domain/clock.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Vm, Volume } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { nextSeq } from '../../store/sequence.store.js';
import { snapshotStore } from '../../store/snapshot.store.js';
import { snapshotPolicyStore } from '../../store/snapshotpolicy.store.js';
import { tagStore } from '../../store/tag.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore, type VolumeFilter, volumeRows } from '../../store/volume.store.js';
import type { Page, PageRequest } from '../../store/paging.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume, release, volumeDeltas } from '../resources.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { placeVolume, releaseVolume } from './storage.placement.js';
import { VOLUME_JOBS } from './volume.jobs.js';

const GiB = 1024 ** 3;

export interface CreateVolumeRequest extends OwnerRequest {
  name?: string;
  zoneId?: string;
  diskOfferingId?: string;
  snapshotId?: string;
  vmId?: string;
  /** GiB, for customised offerings. */
  size?: number;
  displayVolume?: boolean;
}

/** Volumes as the API manages them: create, delete and the checks before their jobs. */
export class VolumeService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private catalog: CatalogService,
  ) {}

  async list(caller: Caller, scope: ListScope, f: Omit<VolumeFilter, 'accountIds'>): Promise<Volume[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return volumeStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  /** One page of what `list` gives, paged in the database. */
  async page(
    caller: Caller,
    scope: ListScope,
    f: Omit<VolumeFilter, 'accountIds'>,
    page: PageRequest | undefined,
  ): Promise<Page<Volume>> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return volumeStore.page(this.store.db, { ...f, accountIds: accounts }, page);
  }

  /** A volume by id, including one removed since (job results name it). */
  find(id: string): Promise<Volume | undefined> {
    return volumeStore.getAny(this.store.db, id);
  }

  /** A volume the caller may act on. */
  async owned(db: Db, caller: Caller, id: string, param = 'id'): Promise<Volume> {
    const v = await volumeStore.get(db, id);
    if (!v) throw notFound('Volume', id, param);
    assertAccess(caller, v, 'Volume', id);
    return v;
  }

  /** VolumeApiServiceImpl.validateVolumeSizeRange. */
  checkSizeRange(bytes: number): void {
    const max = this.config.num('storage.max.volume.size', 2000);
    if (bytes < 0 || (bytes > 0 && bytes < GiB)) throw invalid('Please specify a size of at least 1 GB.', 'size');
    if (bytes > max * GiB)
      throw invalid(`Requested volume size is ${bytes}, but the maximum size allowed is ${max} GB.`, 'size');
  }

  /** The create phase of createVolume (allocVolume): the row, then a job that creates it. */
  async create(caller: Caller, r: CreateVolumeRequest, cmd: string): Promise<{ volume: Volume; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const owner = await resolveOwner(trx, caller, r);
      if (r.displayVolume !== undefined && !isRootAdmin(caller))
        throw forbidden('Cannot update parameter displayvolume, only admin permitted ');
      if (!r.snapshotId && !r.diskOfferingId)
        throw invalid(
          'At least one of disk Offering ID or snapshot ID must be passed whilst creating volume',
          'diskofferingid',
        );
      const snapshot = r.snapshotId ? await snapshotStore.get(trx, r.snapshotId) : undefined;
      if (r.snapshotId && !snapshot) throw notFound('Snapshot', r.snapshotId, 'snapshotid');
      if (snapshot && r.diskOfferingId && snapshot.volumeType !== 'ROOT')
        throw invalid(
          'Disk Offering ID cannot be passed whilst creating volume from snapshot other than ROOT disk snapshots',
          'diskofferingid',
        );
      let size = 0;
      let offeringId = r.diskOfferingId ?? null;
      if (r.diskOfferingId) size = await this.offeringSize(trx, r.diskOfferingId, r.size);
      let vm: Vm | undefined;
      let zoneId = r.zoneId;
      if (snapshot) {
        if (snapshot.state !== 'BackedUp')
          throw invalid(
            `Snapshot id=${snapshot.id} is not in BackedUp state yet and can't be used for volume creation`,
            'snapshotid',
          );
        zoneId ??= snapshot.zoneId;
        if (!offeringId) {
          offeringId = snapshot.diskOfferingId;
          size = snapshot.size;
        } else if (size < snapshot.size) {
          throw invalid(
            `Invalid size for volume creation: ${Math.floor(size / GiB)}GB, snapshot size is: ${Math.floor(snapshot.size / GiB)}GB`,
            'size',
          );
        }
        assertAccess(caller, snapshot, 'Snapshot', snapshot.id);
        if (r.vmId) {
          vm = await vmStore.get(trx, r.vmId);
          if (!vm) throw invalid('Please specify a valid User VM.', 'virtualmachineid');
          if (vm.state !== 'Running' && vm.state !== 'Stopped')
            throw invalid('Please specify a VM that is either running or stopped.', 'virtualmachineid');
          assertAccess(caller, vm, 'VirtualMachine', vm.id);
        }
      }
      const zone = zoneId ? await this.catalog.zone(trx, zoneId).catch(() => undefined) : undefined;
      if (!zone) throw invalid(`Unable to find zone by id ${zoneId ?? null}`, 'zoneid');
      if (zone.allocationState === 'Disabled' && !isRootAdmin(caller))
        throw forbidden(`Cannot perform this operation, Zone is currently disabled: ${zone.id}`, 'Zone', zone.id);
      // checkDiskOfferingAccess: an offering limited to domains or zones is the owner's to use only there.
      if (r.diskOfferingId) await this.catalog.usableDiskOffering(trx, owner, r.diskOfferingId, zone.id);
      const seq = await nextSeq(trx, 'volume');
      const volume: Volume = {
        id: newId(),
        seq,
        name: r.name?.trim() ? r.name : newId(),
        vmId: null,
        type: 'DATADISK',
        state: snapshot ? 'Creating' : 'Allocated',
        size,
        zoneId: zone.id,
        poolId: null,
        diskOfferingId: offeringId,
        templateId: null,
        accountId: owner.id,
        domainId: owner.domainId,
        deviceId: null,
        created: this.clock.now(),
        attached: null,
        removed: null,
        snapshotId: snapshot?.id ?? null,
      };
      if (snapshot) {
        const source = await volumeStore.getAny(trx, snapshot.volumeId);
        volume.templateId = source?.templateId ?? null;
      }
      await consume(trx, owner.id, volumeDeltas([size]));
      await volumeRows.insert(trx, volume);
      // A volume from a snapshot is written out now, so its space is held from the start.
      if (snapshot) volume.poolId = (await placeVolume(trx, volume, { zoneId: zone.id, clusterId: vm?.clusterId })).id;
      await eventLog(trx, this.clock, {
        type: 'VOLUME.CREATE',
        description: `Created volume ${volume.name}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: volume.id,
        resourceType: 'Volume',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: VOLUME_JOBS.create,
        params: { volumeId: volume.id, vmId: vm?.id },
        instanceType: 'Volume',
        instanceId: volume.id,
      });
      return { volume, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /** The size a disk offering gives a new volume, with createVolume's checks of `size` (GiB). */
  private async offeringSize(db: Db, offeringId: string, sizeGb?: number): Promise<number> {
    if (sizeGb !== undefined && sizeGb <= 0) throw invalid('Disk size must be larger than 0', 'size');
    const o = await this.catalog.diskOffering(db, offeringId).catch(() => {
      throw invalid('Please specify a valid disk offering.', 'diskofferingid');
    });
    if (o.isCustomized) {
      if (sizeGb === undefined) throw invalid('This disk offering requires a custom size specified', 'size');
      const max = this.config.num('custom.diskoffering.size.max', 1024);
      const min = this.config.num('custom.diskoffering.size.min', 1);
      if (sizeGb < min || sizeGb > max)
        throw invalid(`Volume size: ${sizeGb}GB is out of allowed range. Max: ${max} Min:${min}`, 'size');
    } else if (sizeGb !== undefined) {
      throw invalid('This disk offering does not allow custom size', 'size');
    }
    const bytes = o.diskSize > 0 ? o.diskSize * GiB : (sizeGb ?? 0) * GiB;
    this.checkSizeRange(bytes);
    return bytes;
  }

  /** deleteVolume (synchronous): only a detached volume; its space goes back to the pool. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const v = await volumeStore.get(trx, id);
      if (!v) throw notFound('Volume', id);
      if ((await snapshotStore.busyOn(trx, [v.id])).length)
        throw invalid('There are snapshot operations in progress on the volume, unable to delete it', 'id');
      if (v.vmId) throw invalid('Please specify a volume that is not attached to any VM.', 'id');
      if (['Creating', 'Attaching', 'Resizing', 'Snapshotting', 'RevertSnapshotting'].includes(v.state))
        throw new DomainError(
          'InvalidState',
          `Volume ${v.name} is in state ${v.state}; please wait for the operation on it to finish`,
          { kind: 'Volume', id: v.id },
        );
      assertAccess(caller, v, 'Volume', v.id);
      await releaseVolume(trx, v);
      await release(trx, v.accountId, volumeDeltas([v.size]));
      await volumeRows.update(trx, v.id, { state: 'Expunged', removed: this.clock.now() });
      await snapshotPolicyStore.removeOfVolumes(trx, [v.id]);
      await tagStore.removeOf(trx, v.id);
      await eventLog(trx, this.clock, {
        type: 'VOLUME.DELETE',
        description: `Deleted volume ${v.name}`,
        accountId: v.accountId,
        domainId: v.domainId,
        userId: caller.userId,
        resourceId: v.id,
        resourceType: 'Volume',
      });
    });
  }

  /** Submits a volume job after checking the caller may act on the volume (and on the VM, for attach). */
  async submit(
    caller: Caller,
    kind: 'attach' | 'detach' | 'resize',
    volumeId: string,
    cmd: string,
    params: Record<string, unknown> = {},
  ): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      await this.owned(trx, caller, volumeId);
      if (typeof params['vmId'] === 'string') {
        const vm = await vmStore.get(trx, params['vmId']);
        if (!vm) throw notFound('VirtualMachine', params['vmId'], 'virtualmachineid');
        assertAccess(caller, vm, 'VirtualMachine', vm.id);
      }
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: VOLUME_JOBS[kind],
        params: { volumeId, ...params },
        instanceType: 'Volume',
        instanceId: volumeId,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /** detachVolume names its volume by id or by (virtual machine, device). */
  async byDevice(caller: Caller, vmId: string, deviceId: number): Promise<Volume> {
    const vm = await vmStore.get(this.store.db, vmId);
    if (!vm) throw notFound('VirtualMachine', vmId, 'virtualmachineid');
    assertAccess(caller, vm, 'VirtualMachine', vm.id);
    const v = (await volumeStore.ofVm(this.store.db, vmId)).find((x) => x.deviceId === deviceId);
    if (!v) throw invalid(`Unable to find volume with ID: null`, 'deviceid');
    return v;
  }
}
