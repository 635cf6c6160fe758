import type { Clock } from '../../domain/clock.js';
import type { Backup, BackupVolumeInfo } from '../../domain/backup.js';
import { DomainError, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { typeNumber, type ResourceName } from '../../domain/resources.js';
import { javaDateString } from '../../domain/schedule.js';
import type { Vm, Volume } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import {
  backupOfferingStore,
  backupScheduleStore,
  backupStore,
  type BackupFilter,
  backupRows,
} from '../../store/backup.store.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore } from '../../store/host.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { resourceStore } from '../../store/resource.store.js';
import { vmStore, vmRows } from '../../store/vm.store.js';
import { volumeStore, volumeRows } from '../../store/volume.store.js';
import { providerNamed, validateForZone } from './backup.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { vmDeltas } from '../resources.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { storagePoolRows } from '../../store/storage.store.js';

export const BACKUP_JOBS = {
  assign: 'backup.offering.assign',
  unassign: 'backup.offering.remove',
  create: 'backup.create',
  remove: 'backup.delete',
  restore: 'backup.restore',
  restoreVolume: 'backup.restore.volume',
} as const;
export type BackupJobKind = keyof typeof BACKUP_JOBS;

/**
 * The backup commands' commands catch every exception and answer ServerApiException(INTERNAL_ERROR)
 * with its message: in their jobs a refusal of any kind is a 530.
 */
async function internal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw e instanceof DomainError ? runtimeFailure(e.message) : e;
  }
}

/** Backup.VolumeInfo[] as Gson writes vm_instance.backup_volumes (uuid, type, size, path). */
export const volumeInfo = (volumes: Volume[]): string =>
  JSON.stringify(volumes.map((v): BackupVolumeInfo => ({ uuid: v.id, type: v.type, size: v.size, path: v.id })));

/** VMInstanceVO.toString, as state-change failures quote it. */
const vmText = (vm: Vm) =>
  `VM instance {"id": ${vm.seq}, "name": "${vm.instanceName}", "uuid": "${vm.id}", "type": "User"}`;

/** VirtualMachine.State's RestoringRequested transition is from these. */
const RESTORABLE = new Set(['Stopped', 'Destroyed', 'Expunging']);

/**
 * The asynchronous backup commands (BackupManagerImpl): each checks its rules in its job, as
 * CloudStack does, and asks the offering's provider plugin to do the work.
 */
export class BackupJobs {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ vmId: string; offeringId: string }>(BACKUP_JOBS.assign, ({ caller, params: p }) =>
      internal(() => this.assign(caller, p.vmId, p.offeringId)),
    );
    jobs.register<{ vmId: string; forced: boolean }>(BACKUP_JOBS.unassign, ({ caller, params: p }) =>
      internal(() => this.unassign(caller, p.vmId, p.forced)),
    );
    jobs.register<{ vmId: string }>(BACKUP_JOBS.create, ({ caller, params: p }) =>
      internal(() => this.take(caller, p.vmId)),
    );
    jobs.register<{ id: string; forced: boolean }>(BACKUP_JOBS.remove, ({ caller, params: p }) =>
      internal(() => this.remove(caller, p.id)),
    );
    jobs.register<{ id: string }>(BACKUP_JOBS.restore, ({ caller, params: p }) =>
      internal(() => this.restore(caller, p.id)),
    );
    jobs.register<{ backupId: string; volumeId: string; vmId: string }>(
      BACKUP_JOBS.restoreVolume,
      ({ caller, params: p }) => internal(() => this.restoreVolume(caller, p)),
    );
  }

  /** Queues one of the jobs; the VM it acts on, if any, is the job's instance. */
  submit(
    caller: Caller,
    kind: BackupJobKind,
    params: Record<string, unknown>,
    cmd: string,
    vmId?: string,
  ): Promise<string> {
    return this.jobs.run(caller, {
      cmd,
      kind: BACKUP_JOBS[kind],
      params,
      instanceType: vmId ? 'VirtualMachine' : undefined,
      instanceId: vmId,
    });
  }

  /** listBackups: the backups the caller may see; naming a VM it may not reach is refused. */
  async list(caller: Caller, scope: ListScope, f: Omit<BackupFilter, 'accountIds'>): Promise<Backup[]> {
    if (f.vmId) {
      const vm = await vmStore.getAny(this.store.db, f.vmId);
      if (vm) assertAccess(caller, vm, 'VirtualMachine', vm.id);
    }
    return backupStore.list(this.store.db, { ...f, accountIds: await scopeAccounts(this.store.db, caller, scope) });
  }

  /** BackupManagerImpl.findVmById: a live VM, or a refusal quoting its internal id. */
  private async liveVm(db: Db, id: string): Promise<Vm> {
    const vm = await vmStore.get(db, id);
    if (!vm) throw runtimeFailure(`Can't find any VM with ID: [${(await vmStore.getAny(db, id))?.seq}].`);
    return vm;
  }

  private async assign(caller: Caller, vmId: string, offeringId: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.liveVm(trx, vmId);
      if (!['Running', 'Stopped', 'Shutdown'].includes(vm.state))
        throw runtimeFailure('VM is not in running or stopped state');
      validateForZone(this.config, vm.zoneId);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (vm.backupOfferingId)
        throw runtimeFailure(
          'VM already is assigned to a backup offering, please remove the VM from its previous offering',
        );
      const o = await backupOfferingStore.get(trx, offeringId);
      if (!o) throw runtimeFailure('Provided backup offering does not exist');
      const provider = providerNamed(o.provider);
      const volumes = volumeInfo(await volumeStore.ofVm(trx, vm.id));
      await vmRows.update(trx, vm.id, {
        backupOfferingId: o.id,
        backupVolumes: volumes,
        backupExternalId: provider.vmExternalId,
      });
      await this.event(
        trx,
        caller,
        vm,
        'BACKUP.OFFERING.ASSIGN',
        `Assigned VM ${vm.name} to backup offering ${o.name}`,
      );
    });
    return { type: 'success' };
  }

  /** removeVirtualMachineFromBackupOffering: with a provider that drops the backups, only when forced. */
  private async unassign(caller: Caller, vmId: string, forced: boolean): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await vmStore.getAny(trx, vmId);
      if (!vm) throw runtimeFailure(`Can't find any VM with ID: [${vmId}].`);
      validateForZone(this.config, vm.zoneId);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      const o = vm.backupOfferingId ? await backupOfferingStore.get(trx, vm.backupOfferingId) : undefined;
      if (!o) throw runtimeFailure('No previously configured backup offering found for the VM');
      const provider = providerNamed(o.provider);
      if (!forced && provider.willDeleteBackupsOnOfferingRemoval)
        throw runtimeFailure(
          `To remove VM [id: ${vm.id}, name: ${vm.instanceName}] from Backup Offering [id: ${o.id}, name: ${o.name}] using the provider [${provider.className}], please specify the ` +
            'forced:true option to allow the deletion of all jobs and backups for this VM or remove the backups that this VM has with the backup offering.',
        );
      if (provider.willDeleteBackupsOnOfferingRemoval)
        await backupStore.remove(
          trx,
          (await backupStore.ofVm(trx, vm.id)).map((b) => b.id),
          this.clock.now(),
        );
      await vmRows.update(trx, vm.id, { backupOfferingId: null, backupExternalId: null, backupVolumes: null });
      await backupScheduleStore.removeOfVm(trx, vm.id);
      await this.event(
        trx,
        caller,
        vm,
        'BACKUP.OFFERING.REMOVE',
        `Removed VM ${vm.name} from backup offering ${o.name}`,
      );
    });
    return { type: 'success' };
  }

  /** createBackup (and a schedule coming due): the provider takes one backup of the VM now. */
  private async take(caller: Caller, vmId: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.liveVm(trx, vmId);
      validateForZone(this.config, vm.zoneId);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (!vm.backupOfferingId)
        throw runtimeFailure(
          'VM has not backup offering configured, cannot create backup before assigning it to a backup offering',
        );
      const o = await backupOfferingStore.get(trx, vm.backupOfferingId);
      if (!o) throw runtimeFailure('VM backup offering not found');
      if (!o.userDrivenBackups) throw runtimeFailure('The assigned backup offering does not allow ad-hoc user backup');
      const now = this.clock.now();
      const b: Backup = {
        id: newId(),
        seq: await nextSeq(trx, 'backup'),
        vmId: vm.id,
        ...providerNamed(o.provider).takeBackup(javaDateString(now)),
        backupOfferingId: o.id,
        accountId: vm.accountId,
        domainId: vm.domainId,
        zoneId: vm.zoneId,
        created: now,
        removed: null,
      };
      await backupRows.insert(trx, b);
      await this.event(trx, caller, vm, 'BACKUP.CREATE', `Created backup of VM ${vm.name}`);
    });
    return { type: 'success' };
  }

  /** deleteBackup: `forced` goes to the provider, and the dummy one deletes either way. */
  private async remove(caller: Caller, id: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const b = await backupStore.getAny(trx, id);
      if (!b) throw runtimeFailure(`Backup ${id} does not exist`);
      const vm = await vmStore.getAny(trx, b.vmId);
      if (!vm) throw runtimeFailure(`VM ${b.vmId} does not exist`);
      validateForZone(this.config, vm.zoneId);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      const o = await backupOfferingStore.getAny(trx, b.backupOfferingId);
      if (!o) throw runtimeFailure(`Backup offering with ID [${b.backupOfferingId}] does not exist.`);
      providerNamed(o.provider);
      // BackupDao.remove of a row already removed changes nothing and answers false.
      if (b.removed !== null) throw runtimeFailure('Error while deleting backup of VM');
      await backupStore.remove(trx, [b.id], this.clock.now());
      await this.event(trx, caller, vm, 'BACKUP.DELETE', `Deleted backup of VM ${vm.name}`);
    });
    return { type: 'success' };
  }

  /**
   * restoreBackup: a stopped (or destroyed) VM goes through Restoring back to Stopped with its disks
   * Ready, as the simulator's hypervisor guru imports it. A destroyed VM comes back with it.
   */
  private async restore(caller: Caller, id: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const b = await backupStore.get(trx, id);
      if (!b) throw runtimeFailure(`Backup ${(await backupStore.getAny(trx, id))?.seq} does not exist`);
      validateForZone(this.config, b.zoneId);
      const vm = await vmStore.getAny(trx, b.vmId);
      if (!vm) throw runtimeFailure(`VM ID ${b.vmId} couldn't be found on existing or removed VMs`);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (vm.removed === null && vm.state !== 'Stopped' && vm.state !== 'Destroyed')
        throw runtimeFailure('Existing VM should be stopped before being restored from backup');
      const o = vm.backupOfferingId ? await backupOfferingStore.getAny(trx, vm.backupOfferingId) : undefined;
      if (!o) throw runtimeFailure('Failed to find backup offering of the VM backup.');
      const details = `{"uuid":"${b.id}","vmId":${vm.seq},"externalId":"${b.externalId}","type":"${b.type}","date":"${b.date}","status":"${b.status}"}`;
      let restorable = vm.removed === null; // an expunged VM's NICs and addresses are gone here, so it is not brought back (GAPS.md)
      try {
        providerNamed(o.provider);
      } catch {
        restorable = false; // tryRestoreVM reports a provider it cannot find as a failed restore
      }
      if (!restorable) throw runtimeFailure(`Error restoring VM from backup [${details}].`);
      await this.backToStopped(trx, vm);
      const now = this.clock.now();
      for (const v of await volumeStore.ofVm(trx, vm.id))
        await volumeRows.update(trx, v.id, { state: 'Ready', attached: now });
      await this.event(trx, caller, vm, 'BACKUP.RESTORE', `Restored VM ${vm.name} from backup`);
    });
    return { type: 'success' };
  }

  /**
   * restoreVolumeFromBackupAndAttachToVM: the VM goes to Restoring and the provider is asked for the
   * volume; the dummy provider cannot restore one, so the VM comes back Stopped and the job fails.
   */
  private async restoreVolume(
    caller: Caller,
    p: { backupId: string; volumeId: string; vmId: string },
  ): Promise<JobResult> {
    const failure = await this.store.tx(async (trx) => {
      if (!p.volumeId) throw runtimeFailure('Invalid volume ID passed');
      const b = await backupStore.get(trx, p.backupId);
      if (!b) throw runtimeFailure('Provided backup not found');
      validateForZone(this.config, b.zoneId);
      const vm = await this.liveVm(trx, p.vmId);
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (vm.backupOfferingId && !this.config.bool('backup.enable.attach.detach.of.volumes'))
        throw runtimeFailure('The selected VM has backups, cannot restore and attach volume to the VM.');
      if (b.zoneId !== vm.zoneId) throw runtimeFailure('Cross zone backup restoration of volume is not allowed');
      const from = await vmStore.getAny(trx, b.vmId);
      if (!from) throw runtimeFailure('VM reference for the provided VM backup not found');
      assertAccess(caller, from, 'VirtualMachine', from.id);
      const hostId = await this.restoreHost(trx, vm);
      const o = await backupOfferingStore.getAny(trx, b.backupOfferingId);
      if (!o) throw runtimeFailure('Failed to find VM backup offering');
      const provider = providerNamed(o.provider);
      if (!RESTORABLE.has(vm.state))
        throw runtimeFailure(
          `Failed to update state of VM [${vmText(vm)}] with event [RestoringRequested] due to [Unable to transition to a new state from ${vm.state} via RestoringRequested].`,
        );
      if (!provider.restoreVolumeRefusal) return undefined;
      // The provider's refusal is logged, not reported: the message ends with an empty reason.
      await this.backToStopped(trx, vm);
      return `Error restoring volume [${p.volumeId}] of VM [${vm.id}] to host [${hostId}] using backup provider [${provider.name}] due to: [].`;
    });
    if (failure) throw runtimeFailure(failure);
    return { type: 'success' };
  }

  /** getRestoreVolumeHostAndDatastore: the VM's host, else the first host that reaches its root disk's pool. */
  private async restoreHost(db: Db, vm: Vm): Promise<string | undefined> {
    if (vm.hostId) return vm.hostId;
    const root = (await volumeStore.ofVm(db, vm.id)).find((v) => v.type === 'ROOT');
    const pool = root?.poolId ? await storagePoolRows.get(db, root.poolId) : undefined;
    if (!pool) return undefined;
    return hostStore.firstOf(db, pool.clusterId ? { clusterId: pool.clusterId } : { zoneId: pool.zoneId });
  }

  /** Restoring ends Stopped; a destroyed VM is live again and counts against its account once more. */
  private async backToStopped(db: Db, vm: Vm): Promise<void> {
    if (vm.state === 'Stopped') return;
    await vmRows.update(db, vm.id, { state: 'Stopped', destroyedAt: null, updated: this.clock.now() });
    if (vm.state !== 'Destroyed') return;
    for (const [n, v] of Object.entries(vmDeltas(vm)))
      await resourceStore.add(db, vm.accountId, typeNumber(n as ResourceName), v);
  }

  private event(db: Db, caller: Caller, vm: Vm, type: string, description: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: vm.accountId,
      domainId: vm.domainId,
      userId: caller.userId,
      resourceId: vm.id,
      resourceType: 'VirtualMachine',
    });
  }
}
