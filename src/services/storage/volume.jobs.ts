import type { Clock } from '../../domain/clock.js';
import { runtimeFailure, invalid, invalidState, notFound } from '../../domain/errors.js';
import { MAX_DATA_VOLUMES, pickDeviceId } from '../../domain/storage.js';
import type { Host, Vm, Volume } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { snapshotStore, vmSnapshotStore } from '../../store/snapshot.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore, volumeRows } from '../../store/volume.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume, release, volumeDeltas } from '../resources.js';
import { placeVolume, resizeOnPool } from './storage.placement.js';
import { hostRows } from '../../store/host.store.js';
import { storagePoolRows } from '../../store/storage.store.js';
import { diskOfferingRows } from '../../store/catalog.store.js';
import { accountRows } from '../../store/account.store.js';

export const VOLUME_JOBS = {
  create: 'volume.create',
  attach: 'volume.attach',
  detach: 'volume.detach',
  resize: 'volume.resize',
} as const;

const GiB = 1024 ** 3;
const ok = (id: string): JobResult => ({ type: 'object', instanceType: 'Volume', id });

/** The zone's storage as the agent sees it, for work no hypervisor host does (secondary storage). */
export const zoneScope = (zoneId: string): Pick<Host, 'id' | 'clusterId' | 'podId' | 'zoneId'> => ({
  id: '',
  clusterId: '',
  podId: '',
  zoneId,
});

/** The host a command about a VM's disks goes to: its host while it runs, else none is sent. */
export async function runningHost(db: Db, vm: Vm): Promise<Host | undefined> {
  return vm.state === 'Running' && vm.hostId ? hostRows.get(db, vm.hostId) : undefined;
}

export interface ResizeParams {
  volumeId: string;
  sizeGb?: number;
  diskOfferingId?: string;
  shrinkOk?: boolean;
}

/**
 * The volume jobs. As in CloudStack, attach, detach and resize check their rules when the job
 * runs; a command reaches the simulated agent only when the VM is running (a stopped VM's disks
 * change in the database alone), and whatever was held is given back when it fails.
 */
export class VolumeJobs {
  constructor(
    private store: Store,
    private clock: Clock,
    private agent: SimulatedAgent,
    private volumes: { checkSizeRange(bytes: number): void }, // VolumeService's size rule, without importing it back
    private catalog: CatalogService,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ volumeId: string; vmId?: string }>(VOLUME_JOBS.create, ({ caller, params: p }) =>
      this.create(caller, p.volumeId, p.vmId),
    );
    jobs.register<{ volumeId: string; vmId: string; deviceId?: number }>(VOLUME_JOBS.attach, ({ caller, params: p }) =>
      this.attach(caller, p.volumeId, p.vmId, p.deviceId),
    );
    jobs.register<{ volumeId: string }>(VOLUME_JOBS.detach, ({ caller, params: p }) => this.detach(caller, p.volumeId));
    jobs.register<ResizeParams>(VOLUME_JOBS.resize, ({ caller, params: p }) => this.resize(caller, p));
  }

  private async load(db: Db, id: string): Promise<Volume> {
    const v = await volumeStore.get(db, id);
    if (!v) throw notFound('Volume', id);
    return v;
  }

  /** A volume from a disk offering is only a row until it is attached; one from a snapshot is copied out now. */
  private async create(caller: Caller, volumeId: string, vmId?: string): Promise<JobResult> {
    const v = await this.load(this.store.db, volumeId);
    if (v.state !== 'Creating') return ok(v.id);
    try {
      await this.agent.send('CopyCommand', zoneScope(v.zoneId), { transition: 'volume' });
    } catch (e) {
      await this.store.tx(async (trx) => {
        const now = await this.load(trx, volumeId);
        if (now.poolId) await resizeOnPool(trx, now, -now.size);
        await release(trx, now.accountId, volumeDeltas([now.size]));
        await volumeRows.update(trx, volumeId, { state: 'Expunged', removed: this.clock.now() });
      });
      throw runtimeFailure(`Failed to create volume: ${v.id}${e instanceof Error ? `; ${e.message}` : ''}`);
    }
    await this.store.tx((trx) => volumeStore.setState(trx, volumeId, 'Ready'));
    if (vmId) {
      try {
        await this.attach(caller, volumeId, vmId);
      } catch (e) {
        throw runtimeFailure(
          `Volume: ${v.id} created successfully, but failed to attach the newly created volume to VM: ${vmId} due to error: ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    return ok(v.id);
  }

  /** attachVolume: VolumeApiServiceImpl.attachVolumeToVM's checks, then the disk appears on the VM. */
  private async attach(caller: Caller, volumeId: string, vmId: string, requested?: number): Promise<JobResult> {
    const prepared = await this.store.tx(async (trx) => {
      const v = await this.load(trx, volumeId);
      if (v.vmId === vmId && v.state === 'Attaching') return { v, vm: (await vmStore.get(trx, vmId))!, send: true }; // resumed after a restart
      if (v.type !== 'ROOT' && v.type !== 'DATADISK')
        throw invalid('Please specify a volume with the valid type: ROOT or DATADISK', 'id');
      if (v.vmId) throw invalid('Please specify a volume that is not attached to any VM.', 'id');
      if (v.state === 'Destroy') throw invalid('Please specify a volume that is not destroyed.', 'id');
      const vm = await vmStore.get(trx, vmId);
      if (!vm) throw invalid('Please specify a valid User VM.', 'virtualmachineid');
      if (vm.state !== 'Running' && vm.state !== 'Stopped')
        throw invalid('Please specify a VM that is either running or stopped.', 'virtualmachineid');
      if (vm.zoneId !== v.zoneId)
        throw invalid('Please specify a VM that is in the same zone as the volume.', 'virtualmachineid');
      const disks = await volumeStore.ofVm(trx, vm.id);
      if (requested === 0) {
        if (vm.state !== 'Stopped')
          throw invalid('Root volume detach can happen only when vm is in states: Stopped or Destroyed', 'deviceid');
        if (disks.some((d) => d.deviceId === 0)) throw invalid('Vm already has root volume attached to it', 'deviceid');
      } else if (disks.filter((d) => d.type === 'DATADISK').length >= MAX_DATA_VOLUMES) {
        throw invalid(
          `The specified VM already has the maximum number of data disks (${MAX_DATA_VOLUMES}) attached. Please specify another VM.`,
          'virtualmachineid',
        );
      }
      if ((await vmSnapshotStore.ofVm(trx, vm.id)).length)
        throw invalid(
          'Unable to attach volume, please specify a VM that does not have VM snapshots',
          'virtualmachineid',
        );
      this.checkBackups(vm, true);
      assertAccess(caller, v, 'Volume', v.id);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (v.state !== 'Allocated' && v.state !== 'Ready')
        throw invalid('Volume state must be in Allocated, Ready or in Uploaded state', 'id');
      const deviceId = pickDeviceId(
        disks.map((d) => d.deviceId ?? -1),
        MAX_DATA_VOLUMES,
        vm.id,
        requested,
      );
      if (typeof deviceId === 'string') throw runtimeFailure(deviceId);
      // The disk is created (or moved) next to the VM's root disk once that exists.
      const root = disks.find((d) => d.type === 'ROOT' && d.poolId);
      if (root && (v.state === 'Allocated' || v.poolId !== root.poolId)) {
        const rootPool = await storagePoolRows.get(trx, root.poolId!);
        const onZonePool = v.poolId && (await storagePoolRows.get(trx, v.poolId))?.scope === 'ZONE';
        if (!onZonePool)
          await placeVolume(trx, v, {
            zoneId: vm.zoneId,
            clusterId: rootPool?.clusterId ?? vm.clusterId,
            preferPoolId: root.poolId,
          });
      }
      const placed = await this.load(trx, v.id);
      const sent = vm.state === 'Running';
      await volumeRows.update(trx, v.id, {
        vmId: vm.id,
        deviceId,
        attached: sent ? null : this.clock.now(),
        state: sent ? 'Attaching' : placed.poolId ? 'Ready' : 'Allocated',
      });
      if (!sent) await this.attached(trx, caller, placed, vm);
      return { v: placed, vm, send: sent };
    });
    if (!prepared.send) return ok(volumeId);
    try {
      await this.agent.send('AttachCommand', await runningHost(this.store.db, prepared.vm), {
        transition: 'volume',
        vmId: prepared.vm.id,
      });
    } catch (e) {
      await this.store.tx((trx) =>
        volumeRows.update(trx, volumeId, { vmId: null, deviceId: null, attached: null, state: 'Ready' }),
      );
      throw runtimeFailure(
        `Failed to attach volume ${prepared.v.name} to VM ${prepared.vm.name}; ${e instanceof Error ? e.message : e}`,
      );
    }
    await this.store.tx(async (trx) => {
      await volumeRows.update(trx, volumeId, { state: 'Ready', attached: this.clock.now() });
      await this.attached(trx, caller, prepared.v, prepared.vm);
    });
    return ok(volumeId);
  }

  /**
   * VolumeApiServiceImpl.validateIfVmHasBackups: a VM on a backup offering, with volumes recorded
   * for it, keeps its disks unless backup.enable.attach.detach.of.volumes allows the change.
   */
  private checkBackups(vm: Vm, attach: boolean): void {
    if (
      !vm.backupOfferingId ||
      !vm.backupVolumes ||
      vm.backupVolumes === '[]' ||
      this.config.bool('backup.enable.attach.detach.of.volumes')
    )
      return;
    const key = 'backup.enable.attach.detach.of.volumes';
    throw attach
      ? invalid(
          `Unable to attach volume, please specify a VM that does not have any backups or set the global configuration '${key}' to true.`,
          'virtualmachineid',
        )
      : invalid(
          `Unable to detach volume, cannot detach volume from a VM that has backups. First remove the VM from the backup offering or set the global configuration '${key}' to true.`,
          'id',
        );
  }

  private attached(db: Db, caller: Caller, v: Volume, vm: Vm): Promise<void> {
    return eventLog(db, this.clock, {
      type: 'VOLUME.ATTACH',
      description: `Attached volume ${v.name} to VM ${vm.name}`,
      accountId: v.accountId,
      domainId: v.domainId,
      userId: caller.userId,
      resourceId: v.id,
      resourceType: 'Volume',
    });
  }

  /** detachVolume: the disk leaves the VM and keeps its place on primary storage. */
  private async detach(caller: Caller, volumeId: string): Promise<JobResult> {
    const { v, vm } = await this.store.tx(async (trx) => {
      const v = await this.load(trx, volumeId);
      assertAccess(caller, v, 'Volume', v.id);
      if (!v.vmId) throw invalid('The specified volume is not attached to a VM.', 'id');
      const vm = (await vmStore.get(trx, v.vmId))!;
      if (vm.state !== 'Running' && vm.state !== 'Stopped' && vm.state !== 'Destroyed')
        throw invalid('Please specify a VM that is either running or stopped.', 'id');
      if (v.type === 'ROOT' && vm.state !== 'Stopped')
        throw invalid('Root volume detach can happen only when vm is in states: Stopped or Destroyed', 'id');
      if ((await vmSnapshotStore.ofVm(trx, vm.id)).length)
        throw invalid('Unable to detach volume, please specify a VM that does not have VM snapshots', 'id');
      this.checkBackups(vm, false);
      if (v.state !== 'Ready' && v.state !== 'Allocated')
        throw invalidState(`Volume ${v.name} is in state ${v.state}`, 'Volume', v.id);
      return { v, vm };
    });
    const host = await runningHost(this.store.db, vm);
    if (host && v.poolId) {
      try {
        await this.agent.send('DettachCommand', host, { transition: 'volume', vmId: vm.id });
      } catch (e) {
        throw runtimeFailure(
          `Failed to detach volume ${v.name} from VM ${vm.name}; ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    await this.store.tx(async (trx) => {
      await volumeRows.update(trx, v.id, { vmId: null, deviceId: null, attached: null });
      await eventLog(trx, this.clock, {
        type: 'VOLUME.DETACH',
        description: `Detached volume ${v.name} from VM ${vm.name}`,
        accountId: v.accountId,
        domainId: v.domainId,
        userId: caller.userId,
        resourceId: v.id,
        resourceType: 'Volume',
      });
    });
    return ok(v.id);
  }

  /** resizeVolume: VolumeApiServiceImpl.resizeVolume's rules; growing holds the extra space first. */
  private async resize(caller: Caller, p: ResizeParams): Promise<JobResult> {
    const plan = await this.store.tx(async (trx) => {
      const v = await this.load(trx, p.volumeId);
      if ((await snapshotStore.busyOn(trx, [v.id])).length)
        throw runtimeFailure(
          'There is/are unbacked up snapshot(s) on this volume, resize volume is not permitted, please try again later.',
        );
      assertAccess(caller, v, 'Volume', v.id);
      if (v.state !== 'Ready' && v.state !== 'Allocated')
        throw invalid(
          `Volume should be in ready or allocated state before attempting a resize. Volume ${v.id} is in state ${v.state}.`,
          'id',
        );
      const { size, offeringId } = await this.targetSize(trx, v, p);
      if (size !== v.size) {
        if (v.vmId && (await vmSnapshotStore.ofVm(trx, v.vmId)).length)
          throw invalid('A volume that is attached to a VM with any VM snapshots cannot be resized.', 'id');
        this.volumes.checkSizeRange(size);
        if (v.size > size && !p.shrinkOk)
          throw invalid(
            `Going from existing size of ${v.size} to size of ${size} would shrink the volume.Need to sign off by supplying the shrinkok parameter with value of true.`,
            'size',
          );
      }
      // Growth counts against primary_storage before anything moves; a shrink is given back when it is done.
      if (size > v.size) await consume(trx, v.accountId, { primary_storage: size - v.size });
      if (v.state === 'Allocated' || size === v.size) {
        if (size < v.size) await release(trx, v.accountId, { primary_storage: v.size - size });
        await volumeRows.update(trx, v.id, { size, diskOfferingId: offeringId });
        await this.resized(trx, caller, v);
        return undefined;
      }
      if (size > v.size) await resizeOnPool(trx, v, size - v.size);
      await volumeStore.setState(trx, v.id, 'Resizing');
      const vm = v.vmId ? await vmStore.get(trx, v.vmId) : undefined;
      return { v, size, offeringId, host: vm ? await runningHost(trx, vm) : undefined, vmId: vm?.id };
    });
    if (!plan) return ok(p.volumeId);
    try {
      await this.agent.send('ResizeVolumeCommand', plan.host ?? zoneScope(plan.v.zoneId), {
        transition: 'volume',
        vmId: plan.vmId,
      });
    } catch (e) {
      await this.store.tx(async (trx) => {
        if (plan.size > plan.v.size) await resizeOnPool(trx, plan.v, plan.v.size - plan.size);
        if (plan.size > plan.v.size) await release(trx, plan.v.accountId, { primary_storage: plan.size - plan.v.size });
        await volumeStore.setState(trx, plan.v.id, 'Ready');
      });
      throw runtimeFailure(
        `Exception caught during resize volume operation of volume UUID: ${plan.v.id}; ${e instanceof Error ? e.message : e}`,
      );
    }
    await this.store.tx(async (trx) => {
      if (plan.size < plan.v.size) await resizeOnPool(trx, plan.v, plan.size - plan.v.size);
      if (plan.size < plan.v.size) await release(trx, plan.v.accountId, { primary_storage: plan.v.size - plan.size });
      await volumeRows.update(trx, plan.v.id, { size: plan.size, diskOfferingId: plan.offeringId, state: 'Ready' });
      await this.resized(trx, caller, plan.v);
    });
    return ok(p.volumeId);
  }

  private resized(db: Db, caller: Caller, v: Volume): Promise<void> {
    return eventLog(db, this.clock, {
      type: 'VOLUME.RESIZE',
      description: `Resized volume ${v.name}`,
      accountId: v.accountId,
      domainId: v.domainId,
      userId: caller.userId,
      resourceId: v.id,
      resourceType: 'Volume',
    });
  }

  /** The size (bytes) and offering a resize asks for, by a new size, a new offering, or both. */
  private async targetSize(db: Db, v: Volume, p: ResizeParams): Promise<{ size: number; offeringId: string | null }> {
    const current = v.diskOfferingId ? await diskOfferingRows.get(db, v.diskOfferingId) : undefined;
    if (!p.diskOfferingId || p.diskOfferingId === v.diskOfferingId) {
      if (p.sizeGb === undefined) return { size: v.size, offeringId: v.diskOfferingId };
      if (!current?.isCustomized && v.type !== 'ROOT')
        throw invalid(
          "To change a volume's size without providing a new disk offering, its current disk offering must be customizable or it must be a root volume (if providing a disk offering, make sure it is different from the current disk offering).",
          'size',
        );
      return { size: p.sizeGb * GiB, offeringId: v.diskOfferingId };
    }
    const next = await this.catalog.diskOffering(db, p.diskOfferingId).catch(() => {
      throw invalid('Requested disk offering has been removed.', 'diskofferingid');
    });
    const owner = await accountRows.get(db, v.accountId);
    if (owner) await this.catalog.usableDiskOffering(db, owner, next.id, v.zoneId);
    let size: number;
    if (next.isCustomized) {
      if (p.sizeGb === undefined) throw invalid('The new disk offering requires that a size be specified.', 'size');
      size = p.sizeGb * GiB;
    } else {
      if (p.sizeGb !== undefined)
        throw invalid('You cannnot pass in a custom disk size to a non-custom disk offering.', 'size');
      size = next.diskSize * GiB;
    }
    if (size !== v.size && v.type !== 'DATADISK')
      throw invalid('Only data volumes can be resized via a new disk offering.', 'diskofferingid');
    return { size, offeringId: next.id };
  }
}
