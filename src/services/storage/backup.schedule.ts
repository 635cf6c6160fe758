import type { Clock } from '../../domain/clock.js';
import { intervalTypeOf, type BackupSchedule } from '../../domain/backup.js';
import { runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { nextRunTime } from '../../domain/schedule.js';
import { javaZone } from '../../domain/timezone.js';
import type { Vm } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore } from '../../store/account.store.js';
import { backupOfferingStore, backupScheduleStore, backupScheduleRows } from '../../store/backup.store.js';
import type { Db, Store } from '../../store/db.js';
import { vmStore } from '../../store/vm.store.js';
import { BACKUP_JOBS } from './backup.jobs.js';
import { backupEnabledIn, validateForZone } from './backup.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export interface ScheduleRequest {
  vmId: string;
  intervalType: string;
  schedule: string;
  timezone: string;
}

/**
 * A VM's user-defined backup schedule (BackupManagerImpl.configureBackupSchedule and its poller):
 * one per VM, due at `scheduledTimestamp`, when a backup job is queued for the VM as the system.
 */
export class BackupScheduleService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  /** BackupManagerImpl.findVmById, then the zone's switch and the caller's access, as each schedule command begins. */
  private async vmFor(db: Db, caller: Caller, vmId: string): Promise<Vm> {
    const vm = await vmStore.get(db, vmId);
    if (!vm) throw runtimeFailure(`Can't find any VM with ID: [${(await vmStore.getAny(db, vmId))?.seq}].`);
    validateForZone(this.config, vm.zoneId);
    assertAccess(caller, vm, 'VirtualMachine', vm.id);
    return vm;
  }

  /** createBackupSchedule and updateBackupSchedule: both set the VM's one schedule. */
  async configure(caller: Caller, r: ScheduleRequest): Promise<BackupSchedule> {
    const type = intervalTypeOf(r.intervalType);
    if (!type) throw runtimeFailure('Invalid interval type provided');
    return this.store.tx(async (trx) => {
      const vm = await this.vmFor(trx, caller, r.vmId);
      if (!vm.backupOfferingId)
        throw runtimeFailure('Cannot configure backup schedule for the VM without having any backup offering');
      const o = await backupOfferingStore.get(trx, vm.backupOfferingId);
      if (!o?.userDrivenBackups)
        throw runtimeFailure('The selected backup offering does not allow user-defined backup schedule');
      const timezone = javaZone(r.timezone).id;
      let next: number;
      try {
        next = nextRunTime(type, r.schedule, javaZone(timezone), this.clock.now());
      } catch {
        throw runtimeFailure(`Invalid schedule: ${r.schedule} for interval type: ${type}`);
      }
      const existing = await backupScheduleStore.ofVm(trx, vm.id);
      const row: BackupSchedule = existing
        ? { ...existing, intervalType: type, schedule: r.schedule, timezone, scheduledTimestamp: next }
        : {
            id: newId(),
            vmId: vm.id,
            intervalType: type,
            schedule: r.schedule,
            timezone,
            scheduledTimestamp: next,
            created: this.clock.now(),
          };
      if (existing)
        await backupScheduleRows.update(trx, row.id, {
          intervalType: type,
          schedule: r.schedule,
          timezone,
          scheduledTimestamp: next,
        });
      else await backupScheduleRows.insert(trx, row);
      await eventLog(trx, this.clock, {
        type: 'BACKUP.SCHEDULE.CONFIGURE',
        description: `Configured backup schedule of VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
      return row;
    });
  }

  /** listBackupSchedule: the VM's schedule, or none. */
  async ofVm(caller: Caller, vmId: string): Promise<BackupSchedule | undefined> {
    const vm = await this.vmFor(this.store.db, caller, vmId);
    return backupScheduleStore.ofVm(this.store.db, vm.id);
  }

  /** deleteBackupSchedule. */
  async remove(caller: Caller, vmId: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const vm = await this.vmFor(trx, caller, vmId);
      if (!(await backupScheduleStore.ofVm(trx, vm.id)))
        throw runtimeFailure('VM has no backup schedule defined, no need to delete anything.');
      await backupScheduleStore.removeOfVm(trx, vm.id);
      await eventLog(trx, this.clock, {
        type: 'BACKUP.SCHEDULE.DELETE',
        description: `Deleted backup schedule of VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
  }

  /**
   * BackupManagerImpl.scheduleBackups: each schedule come due queues a createBackup job for its VM
   * and moves to its next time. A schedule whose VM is gone or off its offering is dropped; one whose
   * offering no longer allows it, whose zone is switched off or whose account is disabled waits.
   */
  async runDue(system: Caller): Promise<number> {
    const now = this.clock.now();
    let queued = 0;
    for (const s of await backupScheduleStore.due(this.store.db, now)) {
      const vm = await vmStore.get(this.store.db, s.vmId);
      if (!vm?.backupOfferingId) {
        await this.store.tx((trx) => backupScheduleStore.removeOfVm(trx, s.vmId));
        continue;
      }
      const o = await backupOfferingStore.get(this.store.db, vm.backupOfferingId);
      if (!o?.userDrivenBackups || !backupEnabledIn(this.config, vm.zoneId)) continue;
      const account = await accountStore.accountById(this.store.db, vm.accountId);
      if (!account || account.state === 'disabled') continue;
      await this.store.tx(async (trx) => {
        await this.jobs.submit(trx, system, {
          cmd: 'org.apache.cloudstack.api.command.user.backup.CreateBackupCmd',
          kind: BACKUP_JOBS.create,
          params: { vmId: vm.id },
          instanceType: 'VirtualMachine',
          instanceId: vm.id,
        });
        await backupScheduleRows.update(trx, s.id, {
          scheduledTimestamp: nextRunTime(s.intervalType, s.schedule, javaZone(s.timezone), now),
        });
      });
      queued++;
    }
    if (queued) this.jobs.kick();
    return queued;
  }
}
