import type { Clock } from '../../domain/clock.js';
import { forbidden, runtimeFailure, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { IntervalType } from '../../domain/schedule.js';
import type { Snapshot, SnapshotPolicy, SnapshotType } from '../../domain/storage.js';
import type { Volume } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { nextSeq } from '../../store/sequence.store.js';
import {
  snapshotStore,
  SNAPSHOT_BUSY,
  vmSnapshotStore,
  type SnapshotFilter,
  snapshotRows,
} from '../../store/snapshot.store.js';
import { snapshotPolicyStore } from '../../store/snapshotpolicy.store.js';
import { tagStore } from '../../store/tag.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore, volumeRows } from '../../store/volume.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume, release } from '../resources.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { maxSnapsOf } from './snapshotpolicy.service.js';
import { resizeOnPool } from './storage.placement.js';
import { runningHost, zoneScope } from './volume.jobs.js';
import { zoneRows } from '../../store/datacenter.store.js';
import { templateRows } from '../../store/template.store.js';

export const SNAPSHOT_JOBS = {
  create: 'snapshot.create',
  remove: 'snapshot.delete',
  revert: 'snapshot.revert',
} as const;

const ok = (id: string): JobResult => ({ type: 'object', instanceType: 'Snapshot', id });

/** yyyyMMddHHmmss in GMT, as DateUtil.YYYYMMDD_FORMAT names snapshots. */
export const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/**
 * Volume snapshots: taken from a Ready volume in the background (the volume is Snapshotting
 * meanwhile), kept on secondary storage (no pool space), outliving the volume they came from.
 */
export class SnapshotService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private agent: SimulatedAgent,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ snapshotId: string; policyId?: string }>(SNAPSHOT_JOBS.create, ({ caller, params: p }) =>
      this.take(caller, p.snapshotId, p.policyId),
    );
    jobs.register<{ snapshotId: string }>(SNAPSHOT_JOBS.remove, ({ caller, params: p }) =>
      this.destroy(caller, p.snapshotId),
    );
    jobs.register<{ snapshotId: string }>(SNAPSHOT_JOBS.revert, ({ caller, params: p }) =>
      this.revert(caller, p.snapshotId),
    );
  }

  async list(caller: Caller, scope: ListScope, f: Omit<SnapshotFilter, 'accountIds'>): Promise<Snapshot[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return snapshotStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  find(id: string): Promise<Snapshot | undefined> {
    return snapshotRows.get(this.store.db, id);
  }

  async owned(db: Db, caller: Caller, id: string, param = 'id'): Promise<Snapshot> {
    const s = await snapshotStore.get(db, id);
    if (!s) throw notFound('Snapshot', id, param);
    assertAccess(caller, s, 'Snapshot', id);
    return s;
  }

  /** The create phase of createSnapshot (VolumeApiServiceImpl.allocSnapshot). */
  async create(
    caller: Caller,
    r: { volumeId: string; name?: string },
    cmd: string,
  ): Promise<{ snapshot: Snapshot; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const v = await volumeStore.get(trx, r.volumeId);
      if (!v) throw invalid(`Creating snapshot failed due to volume:${r.volumeId} doesn't exist`, 'volumeid');
      return this.allocate(trx, caller, v, { name: r.name, type: 'MANUAL' }, cmd);
    });
    this.jobs.kick();
    return out;
  }

  /**
   * allocSnapshot's checks and row, and the job that takes it, in the caller's transaction (call
   * `jobs.kick()` after it commits). A policy's run passes the policy: its tags go on the snapshot.
   */
  async allocate(
    trx: Db,
    caller: Caller,
    v: Volume,
    o: { name?: string; type: SnapshotType; policy?: SnapshotPolicy },
    cmd: string,
  ): Promise<{ snapshot: Snapshot; jobId: string }> {
    const zone = (await zoneRows.get(trx, v.zoneId))!;
    if (zone.allocationState === 'Disabled' && !isRootAdmin(caller))
      throw forbidden(`Cannot perform this operation, Zone is currently disabled: ${zone.name}`, 'Zone', zone.id);
    if (v.state !== 'Ready')
      throw invalid(`VolumeId: ${v.id} is not in Ready state but ${v.state}. Cannot take snapshot.`, 'volumeid');
    const t = v.templateId ? await templateRows.get(trx, v.templateId) : undefined;
    if (t?.templateType === 'SYSTEM')
      throw invalid(
        `VolumeId: ${v.id} is for System VM , Creating snapshot against System VM volumes is not supported`,
        'volumeid',
      );
    assertAccess(caller, v, 'Volume', v.id);
    const vm = v.vmId ? await vmStore.get(trx, v.vmId) : undefined;
    const now = this.clock.now();
    const snapshot: Snapshot = {
      id: newId(),
      seq: await nextSeq(trx, 'snapshot'),
      name: o.name ?? `${vm?.name ?? 'detached'}_${v.name}_${stamp(now)}`,
      volumeId: v.id,
      volumeType: v.type,
      zoneId: v.zoneId,
      accountId: v.accountId,
      domainId: v.domainId,
      state: 'Allocated',
      size: v.size,
      physicalSize: 0,
      diskOfferingId: v.diskOfferingId,
      templateId: v.templateId,
      snapshotType: o.type,
      created: now,
      removed: null,
    };
    await consume(trx, snapshot.accountId, { snapshot: 1 });
    await snapshotRows.insert(trx, snapshot);
    for (const tag of o.policy ? await tagStore.ofResource(trx, o.policy.id) : []) {
      await tagStore.insert(trx, {
        ...tag,
        id: newId(),
        resourceType: 'Snapshot',
        resourceId: snapshot.id,
        accountId: v.accountId,
        domainId: v.domainId,
      });
    }
    const params = { snapshotId: snapshot.id, policyId: o.policy?.id };
    const jobId = await this.jobs.submit(trx, caller, {
      cmd,
      kind: SNAPSHOT_JOBS.create,
      params,
      instanceType: 'Snapshot',
      instanceId: snapshot.id,
    });
    return { snapshot, jobId };
  }

  /** Submits deleteSnapshot or revertSnapshot after checking the caller may touch the snapshot. */
  async submit(caller: Caller, kind: 'remove' | 'revert', id: string, cmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      await this.owned(trx, caller, id);
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: SNAPSHOT_JOBS[kind],
        params: { snapshotId: id },
        instanceType: 'Snapshot',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /** Copies the volume to secondary storage; the snapshot ends BackedUp, or Error if the agent fails. */
  private async take(caller: Caller, id: string, policyId?: string): Promise<JobResult> {
    const s = await this.store.tx(async (trx) => {
      const s = await snapshotStore.get(trx, id);
      if (!s) throw notFound('Snapshot', id);
      if (s.state === 'BackedUp' || s.state === 'Error') return undefined;
      await snapshotRows.update(trx, id, { state: 'Creating' });
      await volumeStore.setState(trx, s.volumeId, 'Snapshotting');
      return s;
    });
    if (!s) return ok(id);
    const v = await volumeStore.getAny(this.store.db, s.volumeId);
    const vm = v?.vmId ? await vmStore.get(this.store.db, v.vmId) : undefined;
    try {
      await this.agent.send('CopyCommand', (vm && (await runningHost(this.store.db, vm))) ?? zoneScope(s.zoneId), {
        transition: 'snapshot',
        vmId: vm?.id,
      });
    } catch (e) {
      await this.store.tx(async (trx) => {
        await snapshotRows.update(trx, id, { state: 'Error' });
        await release(trx, s.accountId, { snapshot: 1 });
        await volumeStore.setState(trx, s.volumeId, 'Ready');
      });
      throw runtimeFailure(`Failed to create snapshot ${s.name}; ${e instanceof Error ? e.message : e}`);
    }
    await this.store.tx(async (trx) => {
      await snapshotRows.update(trx, id, { state: 'BackedUp', physicalSize: s.size });
      await volumeStore.setState(trx, s.volumeId, 'Ready');
      await eventLog(trx, this.clock, {
        type: 'SNAPSHOT.CREATE',
        description: `Created snapshot ${s.name}`,
        accountId: s.accountId,
        domainId: s.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Snapshot',
      });
    });
    if (s.snapshotType !== 'MANUAL') await this.keepNewest(caller, s, policyId);
    return ok(id);
  }

  /**
   * postCreateRecurringSnapshotForPolicy: a volume keeps at most snapshot.max.<interval> recurring
   * snapshots of that interval, and no more than its policy's maxsnaps; the oldest go first.
   */
  private async keepNewest(caller: Caller, s: Snapshot, policyId?: string): Promise<void> {
    let max = maxSnapsOf(this.config, s.snapshotType as IntervalType);
    const policy = policyId ? await snapshotPolicyStore.get(this.store.db, policyId) : undefined;
    if (policy && policy.maxSnaps < max) max = policy.maxSnaps;
    const snaps = await snapshotPolicyStore.ofVolumeType(this.store.db, s.volumeId, s.snapshotType);
    while (snaps.length > max && snaps.length > 1) {
      const oldest = snaps.shift()!;
      // One that cannot go now (still being taken) is left; the next run tries again.
      await this.destroy(caller, oldest.id).catch(() => undefined);
    }
  }

  private async destroy(caller: Caller, id: string): Promise<JobResult> {
    const s = await this.owned(this.store.db, caller, id);
    if (s.state === 'Destroyed') throw invalid(`Snapshot with id: ${id} is already destroyed`, 'id');
    if (SNAPSHOT_BUSY.includes(s.state))
      throw invalid(`Can't delete snapshot ${id} due to it is in ${s.state} Status`, 'id');
    await this.agent.send('DeleteCommand', zoneScope(s.zoneId), { transition: 'snapshot' });
    await this.store.tx(async (trx) => {
      await snapshotRows.update(trx, id, { state: 'Destroyed', removed: this.clock.now() });
      if (s.state !== 'Error') await release(trx, s.accountId, { snapshot: 1 });
      await tagStore.removeOf(trx, id);
      await eventLog(trx, this.clock, {
        type: 'SNAPSHOT.DELETE',
        description: `Deleted snapshot ${s.name}`,
        accountId: s.accountId,
        domainId: s.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Snapshot',
      });
    });
    return { type: 'success' };
  }

  /** revertSnapshot: the volume takes the snapshot's contents (and size) back; its VM must be stopped. */
  private async revert(caller: Caller, id: string): Promise<JobResult> {
    const { s, v } = await this.store.tx(async (trx) => {
      const s = await this.owned(trx, caller, id);
      if (s.state !== 'BackedUp') throw invalid(`Snapshot ${s.id} is not in BackedUp state`, 'id');
      const v = await volumeStore.get(trx, s.volumeId);
      if (!v) throw invalid(`Unable to find volume ${s.volumeId} of snapshot ${s.id}: it was deleted`, 'id');
      if (v.state !== 'Ready') throw invalid('The volume is not in Ready state.', 'id');
      if (v.vmId) {
        const vm = await vmStore.get(trx, v.vmId);
        if (vm && vm.state !== 'Stopped')
          throw invalid('The VM the specified disk is attached to is not in the shutdown state.', 'id');
        if ((await vmSnapshotStore.ofVm(trx, v.vmId)).length)
          throw invalid(
            'Unable to revert snapshot for VM, please remove VM snapshots before reverting VM from snapshot',
            'id',
          );
      }
      await resizeOnPool(trx, v, s.size - v.size);
      await volumeStore.setState(trx, v.id, 'RevertSnapshotting');
      return { s, v };
    });
    try {
      await this.agent.send('RevertSnapshotCommand', zoneScope(s.zoneId), { transition: 'snapshot' });
    } catch (e) {
      await this.store.tx(async (trx) => {
        await resizeOnPool(trx, { ...v, size: s.size }, v.size - s.size);
        await volumeStore.setState(trx, v.id, 'Ready');
      });
      throw runtimeFailure(`Failed to revert snapshot ${s.name}; ${e instanceof Error ? e.message : e}`);
    }
    await this.store.tx(async (trx) => {
      await volumeRows.update(trx, v.id, { size: s.size, state: 'Ready' });
      await eventLog(trx, this.clock, {
        type: 'SNAPSHOT.REVERT',
        description: `Reverted volume ${v.name} to snapshot ${s.name}`,
        accountId: s.accountId,
        domainId: s.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Snapshot',
      });
    });
    return ok(id);
  }
}
