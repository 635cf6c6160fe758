import type { Clock } from '../../domain/clock.js';
import { runtimeFailure, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { VmSnapshot } from '../../domain/storage.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { snapshotStore, vmSnapshotStore, type VmSnapshotFilter, vmSnapshotRows } from '../../store/snapshot.store.js';
import { vmStore, vmRows } from '../../store/vm.store.js';
import { tagStore } from '../../store/tag.store.js';
import { volumeStore } from '../../store/volume.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { stamp } from '../storage/snapshot.service.js';
import { runningHost, zoneScope } from '../storage/volume.jobs.js';
import { serviceOfferingRows } from '../../store/catalog.store.js';

export const VM_SNAPSHOT_JOBS = {
  create: 'vmsnapshot.create',
  revert: 'vmsnapshot.revert',
  remove: 'vmsnapshot.delete',
} as const;

const BUSY = new Set(['Allocated', 'Creating', 'Reverting', 'Expunging']);

/**
 * VM snapshots (VMSnapshotManagerImpl): a point of a VM's disks, and with snapshotmemory its
 * memory, that the VM can be reverted to. They form a tree; the last one taken or reverted to
 * is `current`. While a VM has any, its volumes cannot be attached, detached or resized.
 */
export class VmSnapshotService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private agent: SimulatedAgent,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(VM_SNAPSHOT_JOBS.create, ({ caller, params: p }) => this.take(caller, p.id));
    jobs.register<{ id: string }>(VM_SNAPSHOT_JOBS.revert, ({ caller, params: p }) => this.revert(caller, p.id));
    jobs.register<{ id: string }>(VM_SNAPSHOT_JOBS.remove, ({ caller, params: p }) => this.destroy(caller, p.id));
  }

  async list(caller: Caller, scope: ListScope, f: Omit<VmSnapshotFilter, 'accountIds'>): Promise<VmSnapshot[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return vmSnapshotStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  find(id: string): Promise<VmSnapshot | undefined> {
    return vmSnapshotRows.get(this.store.db, id);
  }

  private async owned(db: Db, caller: Caller, id: string): Promise<VmSnapshot> {
    const s = await vmSnapshotStore.get(db, id);
    if (!s) throw invalid(`unable to find the vm snapshot with id ${id}`, 'vmsnapshotid');
    assertAccess(caller, s, 'VMSnapshot', id);
    return s;
  }

  /** The create phase of createVMSnapshot (allocVMSnapshot). */
  async create(
    caller: Caller,
    r: { vmId: string; name?: string; description?: string; memory: boolean },
    cmd: string,
  ): Promise<{ snapshot: VmSnapshot; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const vm = await vmStore.get(trx, r.vmId);
      if (!vm)
        throw invalid(
          `Creating VM snapshot failed due to VM:${r.vmId} is a system VM or does not exist`,
          'virtualmachineid',
        );
      const now = this.clock.now();
      const name = `${vm.instanceName}_VS_${stamp(now)}`;
      const displayName = r.name ?? name;
      const existing = await vmSnapshotStore.ofVm(trx, vm.id);
      if (existing.some((s) => s.displayName === displayName))
        throw invalid(`Creating VM snapshot failed due to VM snapshot with name${displayName}  already exists`, 'name');
      if (vm.state !== 'Running' && vm.state !== 'Stopped')
        throw invalid(
          `Creating vm snapshot failed due to VM:${vm.id} is not in the running or Stopped state`,
          'virtualmachineid',
        );
      if (r.memory && vm.state !== 'Running')
        throw invalid('Can not snapshot memory when VM is not in Running state', 'snapshotmemory');
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      const max = this.config.num('vmsnapshot.max', 10);
      if (existing.length >= max)
        throw runtimeFailure(
          `Creating vm snapshot failed due to a VM can just have : ${max} VM snapshots. Please delete old ones`,
        );
      if (
        (
          await snapshotStore.busyOn(
            trx,
            (await volumeStore.ofVm(trx, vm.id)).map((v) => v.id),
          )
        ).length
      )
        throw runtimeFailure(
          'There is other active volume snapshot tasks on the instance to which the volume is attached, please try again later.',
        );
      if (existing.some((s) => BUSY.has(s.state)))
        throw runtimeFailure('There is other active vm snapshot tasks on the instance, please try again later');
      const snapshot: VmSnapshot = {
        id: newId(),
        name,
        displayName,
        description: r.description ?? null,
        vmId: vm.id,
        type: r.memory ? 'DiskAndMemory' : 'Disk',
        state: 'Allocated',
        current: 0,
        parentId: existing.find((s) => s.current)?.id ?? null,
        serviceOfferingId: vm.serviceOfferingId,
        zoneId: vm.zoneId,
        accountId: vm.accountId,
        domainId: vm.domainId,
        created: now,
        removed: null,
      };
      await vmSnapshotRows.insert(trx, snapshot);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: VM_SNAPSHOT_JOBS.create,
        params: { id: snapshot.id },
        instanceType: 'VMSnapshot',
        instanceId: snapshot.id,
      });
      return { snapshot, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async submit(caller: Caller, kind: 'revert' | 'remove', id: string, cmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const s = await vmSnapshotStore.get(trx, id);
      if (!s) throw notFound('VMSnapshot', id, 'vmsnapshotid');
      assertAccess(caller, s, 'VMSnapshot', id);
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: VM_SNAPSHOT_JOBS[kind],
        params: { id },
        instanceType: kind === 'revert' ? 'VirtualMachine' : 'VMSnapshot',
        instanceId: kind === 'revert' ? s.vmId : id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  private async agentHost(vmId: string, zoneId: string) {
    const vm = await vmStore.get(this.store.db, vmId);
    return (vm && (await runningHost(this.store.db, vm))) ?? zoneScope(zoneId);
  }

  private async take(caller: Caller, id: string): Promise<JobResult> {
    const s = await vmSnapshotStore.get(this.store.db, id);
    if (!s) throw notFound('VMSnapshot', id);
    if (s.state === 'Ready') return { type: 'object', instanceType: 'VMSnapshot', id };
    await this.store.tx((trx) => vmSnapshotRows.update(trx, id, { state: 'Creating' }));
    try {
      await this.agent.send('CreateVMSnapshotCommand', await this.agentHost(s.vmId, s.zoneId), {
        transition: 'vmsnapshot',
        vmId: s.vmId,
      });
    } catch (e) {
      await this.store.tx((trx) => vmSnapshotRows.update(trx, id, { state: 'Error' }));
      throw runtimeFailure(`Creating VM snapshot failed due to ${e instanceof Error ? e.message : e}`);
    }
    await this.store.tx(async (trx) => {
      await vmSnapshotRows.update(trx, id, { state: 'Ready' });
      await vmSnapshotStore.setCurrent(trx, s.vmId, id);
      await eventLog(trx, this.clock, {
        type: 'VMSNAPSHOT.CREATE',
        description: `Created VM snapshot ${s.displayName}`,
        accountId: s.accountId,
        domainId: s.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VMSnapshot',
      });
    });
    return { type: 'object', instanceType: 'VMSnapshot', id };
  }

  /** revertToVMSnapshot: a running VM goes back to a memory snapshot, a stopped one to a disk snapshot; the offering comes back too. */
  private async revert(caller: Caller, id: string): Promise<JobResult> {
    const s = await this.store.tx(async (trx) => {
      const s = await this.owned(trx, caller, id);
      const vm = await vmStore.get(trx, s.vmId);
      if (!vm) throw invalid(`Revert vm to snapshot: ${id} failed due to vm: ${s.vmId} is not found`, 'vmsnapshotid');
      const siblings = await vmSnapshotStore.ofVm(trx, vm.id);
      if (siblings.some((x) => x.id !== id && BUSY.has(x.state)))
        throw invalid(
          'There is other active vm snapshot tasks on the instance, please try again later',
          'vmsnapshotid',
        );
      if (vm.state !== 'Running' && vm.state !== 'Stopped')
        throw invalid(
          'VM Snapshot reverting failed due to vm is not in the state of Running or Stopped.',
          'vmsnapshotid',
        );
      if ((vm.state === 'Running' && s.type === 'Disk') || (vm.state === 'Stopped' && s.type === 'DiskAndMemory'))
        throw invalid(
          'VM Snapshot revert not allowed. This will result in VM state change. You can revert running VM to disk and memory type snapshot and stopped VM to disk type snapshot',
          'vmsnapshotid',
        );
      if (s.state !== 'Ready')
        throw invalid(
          'VM Snapshot reverting failed due to vm snapshot is not in the state of Created.',
          'vmsnapshotid',
        );
      await vmSnapshotRows.update(trx, id, { state: 'Reverting' });
      return s;
    });
    try {
      await this.agent.send('RevertToVMSnapshotCommand', await this.agentHost(s.vmId, s.zoneId), {
        transition: 'vmsnapshot',
        vmId: s.vmId,
      });
    } catch (e) {
      await this.store.tx((trx) => vmSnapshotRows.update(trx, id, { state: 'Ready' }));
      throw runtimeFailure(
        `Revert VM: ${s.vmId} to snapshot: ${s.displayName} failed; ${e instanceof Error ? e.message : e}`,
      );
    }
    await this.store.tx(async (trx) => {
      await vmSnapshotRows.update(trx, id, { state: 'Ready' });
      await vmSnapshotStore.setCurrent(trx, s.vmId, id);
      const vm = (await vmStore.get(trx, s.vmId))!;
      const o = await serviceOfferingRows.get(trx, s.serviceOfferingId);
      // A stopped VM takes its old offering back; a running one keeps its host reservation as it is.
      if (o && vm.state === 'Stopped' && vm.serviceOfferingId !== o.id)
        await vmRows.update(trx, vm.id, {
          serviceOfferingId: o.id,
          cpuNumber: o.cpuNumber,
          cpuSpeed: o.cpuSpeed,
          memory: o.memory,
          updated: this.clock.now(),
        });
      await eventLog(trx, this.clock, {
        type: 'VMSNAPSHOT.REVERTTO',
        description: `Reverted VM ${vm.name} to snapshot ${s.displayName}`,
        accountId: s.accountId,
        domainId: s.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return { type: 'object', instanceType: 'VirtualMachine', id: s.vmId };
  }

  private async destroy(caller: Caller, id: string): Promise<JobResult> {
    const s = await this.store.tx(async (trx) => {
      const s = await this.owned(trx, caller, id);
      if (s.state !== 'Ready' && s.state !== 'Expunging' && s.state !== 'Error')
        throw invalid(
          `Can't delete the vm snapshotshot ${id} due to it is not in Created or Error, or Expunging State`,
          'vmsnapshotid',
        );
      if ((await vmSnapshotStore.ofVm(trx, s.vmId)).some((x) => x.id !== id && BUSY.has(x.state)))
        throw invalid(
          'There is other active vm snapshot tasks on the instance, please try again later',
          'vmsnapshotid',
        );
      await vmSnapshotRows.update(trx, id, { state: 'Expunging' });
      return s;
    });
    try {
      await this.agent.send('DeleteVMSnapshotCommand', await this.agentHost(s.vmId, s.zoneId), {
        transition: 'vmsnapshot',
        vmId: s.vmId,
      });
    } catch (e) {
      await this.store.tx((trx) => vmSnapshotRows.update(trx, id, { state: s.state }));
      throw runtimeFailure(`Delete vm snapshot ${s.displayName} failed; ${e instanceof Error ? e.message : e}`);
    }
    await this.store.tx(async (trx) => {
      // Children hang off the deleted snapshot's parent; the parent becomes current if this one was.
      await vmSnapshotStore.reparentChildren(trx, id, s.parentId);
      await vmSnapshotRows.update(trx, id, { removed: this.clock.now(), current: 0 });
      if (s.current && s.parentId) await vmSnapshotStore.setCurrent(trx, s.vmId, s.parentId);
      await tagStore.removeOf(trx, id);
      await eventLog(trx, this.clock, {
        type: 'VMSNAPSHOT.DELETE',
        description: `Deleted VM snapshot ${s.displayName}`,
        accountId: s.accountId,
        domainId: s.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VMSnapshot',
      });
    });
    return { type: 'success' };
  }
}
