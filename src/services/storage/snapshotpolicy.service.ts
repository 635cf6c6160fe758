import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { INTERVAL_TYPES, intervalTypeOf, nextRunTime, type IntervalType } from '../../domain/schedule.js';
import type { SnapshotPolicy } from '../../domain/storage.js';
import { acctText } from '../../domain/tenancy.js';
import { javaZone } from '../../domain/timezone.js';
import type { Volume } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { accountStore } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { projectStore } from '../../store/project.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { snapshotPolicyStore } from '../../store/snapshotpolicy.store.js';
import { tagStore } from '../../store/tag.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore } from '../../store/volume.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { accountLimit, domainLimit, UNLIMITED } from '../resources.js';
import { templateRows } from '../../store/template.store.js';

export const SNAPSHOT_POLICY_JOBS = { update: 'snapshotpolicy.update' } as const;

export interface PolicyRequest {
  volumeId: string;
  intervalType: string;
  maxSnaps: number;
  schedule: string;
  timezone: string;
  /** fordisplay, which only root admins may pass (the others always create a displayed policy). */
  display: boolean;
  tags: { key: string; value: string }[];
}

/** snapshot.max.<interval>: how many recurring snapshots of that interval a volume keeps at most. */
export const maxSnapsOf = (config: ConfigService, t: IntervalType): number =>
  config.num(`snapshot.max.${t.toLowerCase()}`, 8);

/** The first run of a displayed policy after `now`; a hidden policy is not scheduled. */
export function scheduleOf(
  p: Pick<SnapshotPolicy, 'interval' | 'schedule' | 'timezone' | 'display'>,
  now: number,
): number | null {
  return p.display ? nextRunTime(INTERVAL_TYPES[p.interval]!, p.schedule, javaZone(p.timezone), now) : null;
}

/** SnapshotManagerImpl's policy half: createPolicy, updateSnapshotPolicy, listPoliciesforVolume, deleteSnapshotPolicies. */
export class SnapshotPolicyService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string; display?: boolean }>(SNAPSHOT_POLICY_JOBS.update, ({ caller, params: p }) =>
      this.update(caller, p.id, p.display),
    );
  }

  find(id: string): Promise<SnapshotPolicy | undefined> {
    return snapshotPolicyStore.get(this.store.db, id);
  }

  /** createSnapshotPolicy: a volume has one policy per interval; asking again for one it has updates that one. */
  async create(caller: Caller, r: PolicyRequest): Promise<SnapshotPolicy> {
    return this.store.tx(async (trx) => {
      const v = await this.volumeOf(trx, caller, r);
      const type = intervalTypeOf(r.intervalType);
      if (!type) throw invalid(`Unsupported interval type ${r.intervalType}`, 'intervaltype');
      const zone = javaZone(r.timezone);
      const now = this.clock.now();
      try {
        nextRunTime(type, r.schedule, zone, now);
      } catch {
        throw invalid(`Invalid schedule: ${r.schedule} for interval type: ${r.intervalType}`, 'schedule');
      }
      if (r.maxSnaps <= 0) throw invalid('maxSnaps should be greater than 0', 'maxsnaps');
      const intervalMax = maxSnapsOf(this.config, type);
      if (r.maxSnaps > intervalMax)
        throw invalid(`maxSnaps exceeds limit: ${intervalMax} for interval type: ${r.intervalType}`, 'maxsnaps');
      if (r.display) await this.checkSnapshotLimits(trx, v, r.maxSnaps);
      for (const t of r.tags) if (!t.key) throw invalid('Tag key can not be empty', 'tags');

      const interval = INTERVAL_TYPES.indexOf(type);
      const fields = {
        schedule: r.schedule,
        timezone: zone.id,
        interval,
        maxSnaps: r.maxSnaps,
        display: r.display ? (1 as const) : (0 as const),
      };
      let policy = await snapshotPolicyStore.byVolumeInterval(trx, v.id, interval);
      if (policy) {
        // As CloudStack does, the pending run is only redone when display changes: a new schedule
        // takes effect from the run after the one already planned.
        const nextRun = policy.display === fields.display ? policy.nextRun : scheduleOf(fields, now);
        await snapshotPolicyStore.update(trx, policy.id, { ...fields, nextRun });
        await tagStore.removeOf(trx, policy.id);
        policy = { ...policy, ...fields, nextRun };
      } else {
        policy = {
          id: newId(),
          seq: await nextSeq(trx, 'snapshotpolicy'),
          volumeId: v.id,
          ...fields,
          accountId: v.accountId,
          domainId: v.domainId,
          nextRun: scheduleOf(fields, now),
          created: now,
        };
        await snapshotPolicyStore.insert(trx, policy);
      }
      // The tags map is a HashMap: a key given twice keeps its last value.
      for (const [key, value] of new Map(r.tags.map((t) => [t.key, t.value]))) {
        await tagStore.insert(trx, {
          id: newId(),
          key,
          value,
          resourceType: 'SnapshotPolicy',
          resourceId: policy.id,
          accountId: v.accountId,
          domainId: v.domainId,
          customer: null,
        });
      }
      await eventLog(trx, this.clock, {
        type: 'SNAPSHOTPOLICY.CREATE',
        description: `Successfully completed creating snapshot policy`,
        accountId: v.accountId,
        domainId: v.domainId,
        userId: caller.userId,
        resourceId: v.id,
        resourceType: 'Volume',
      });
      return policy;
    });
  }

  /** The volume a new policy is for, with CreateSnapshotPolicyCmd's owner checks and createPolicy's volume checks. */
  private async volumeOf(db: Db, caller: Caller, r: PolicyRequest): Promise<Volume> {
    const v = await volumeStore.get(db, r.volumeId);
    // getEntityOwnerId looks the volume up first (a removed one's id still passes the parameter check).
    if (!v) throw invalid(`Unable to find volume by id=${r.volumeId}`, 'volumeid');
    const owner = (await accountStore.accountById(db, v.accountId))!;
    if (owner.type === 5) {
      const project = await projectStore.byAccount(db, owner.id);
      if (project && project.state !== 'Active')
        throw forbidden(
          `Can't add resources to the specified project id in state=${project.state} as it's no longer active`,
          'Project',
          project.id,
        );
    } else if (owner.state === 'disabled')
      throw forbidden(`The owner of Template is disabled: ${acctText(owner)}`, 'Account', owner.id);
    assertAccess(caller, v, 'Volume', v.id);
    if (v.state !== 'Ready' && r.display)
      throw invalid(`VolumeId: ${v.id} is not in Ready state but ${v.state}. Cannot take snapshot.`, 'volumeid');
    const t = v.templateId ? await templateRows.get(db, v.templateId) : undefined;
    if (t?.templateType === 'SYSTEM')
      throw invalid(
        `VolumeId: ${v.id} is for System VM , Creating snapshot against System VM volumes is not supported`,
        'volumeid',
      );
    if (v.vmId && !(await vmStore.get(db, v.vmId)))
      throw invalid(
        'Failed to create snapshot policy, snapshots of volumes attached to System or router VM are not allowed',
        'volumeid',
      );
    return v;
  }

  /** A displayed policy may not keep more snapshots than the owner's account or domain may have (root admins excepted). */
  private async checkSnapshotLimits(db: Db, v: Volume, maxSnaps: number): Promise<void> {
    const owner = (await accountStore.accountById(db, v.accountId))!;
    if (owner.type === 1) return;
    const domain = (await accountStore.domainById(db, owner.domainId))!;
    const [a, d] = [await accountLimit(db, owner, 'snapshot'), await domainLimit(db, domain, 'snapshot')];
    if ((a !== UNLIMITED && maxSnaps > a) || (d !== UNLIMITED && maxSnaps > d))
      throw invalid(
        `Max number of snapshots shouldn't exceed the ${owner.type === 5 ? 'domain/project' : 'domain/account'} level snapshot limit`,
        'maxsnaps',
      );
  }

  /** updateSnapshotPolicy's synchronous part (getEntityOwnerId), then its job. */
  async submitUpdate(
    caller: Caller,
    id: string | undefined,
    display: boolean | undefined,
    cmd: string,
  ): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const p = id ? await snapshotPolicyStore.get(trx, id) : undefined;
      if (!p) throw invalid('Invalid snapshot policy id was provided', 'id');
      if (!(await volumeStore.get(trx, p.volumeId))) throw invalid("Snapshot policy's volume id doesnt exist", 'id');
      return this.jobs.submit(trx, caller, { cmd, kind: SNAPSHOT_POLICY_JOBS.update, params: { id, display } });
    });
    this.jobs.kick();
    return jobId;
  }

  private async update(caller: Caller, id: string, display: boolean | undefined): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const p = await snapshotPolicyStore.get(trx, id);
      const v = p && (await volumeStore.get(trx, p.volumeId));
      if (!p || !v) throw invalid('No such volume exist', 'id');
      // 4.18 checks no access here; later releases check the volume's, as every other policy command does.
      assertAccess(caller, v, 'Volume', v.id);
      if (display !== undefined && (display ? 1 : 0) !== p.display) {
        const next = { ...p, display: display ? (1 as const) : (0 as const) };
        await snapshotPolicyStore.update(trx, id, {
          display: next.display,
          nextRun: scheduleOf(next, this.clock.now()),
        });
      }
      await eventLog(trx, this.clock, {
        type: 'SNAPSHOTPOLICY.UPDATE',
        description: `Updated snapshot policy ${id}`,
        accountId: v.accountId,
        domainId: v.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'SnapshotPolicy',
      });
    });
    return { type: 'object', instanceType: 'SnapshotPolicy', id };
  }

  /** listSnapshotPolicies: one policy (by id) or a volume's, of the display flag asked for; the caller must reach the volume. */
  async list(caller: Caller, f: { id?: string; volumeId?: string; display: boolean }): Promise<SnapshotPolicy[]> {
    const db = this.store.db;
    let volumeId = f.volumeId;
    const byId = f.id ? await snapshotPolicyStore.list(db, { id: f.id, display: f.display }) : undefined;
    if (byId?.length) volumeId = byId[0]!.volumeId;
    const v = volumeId ? await volumeStore.get(db, volumeId) : undefined;
    if (!v) throw invalid(`Unable to find a volume with id ${volumeId ?? 'null'}`, 'volumeid');
    assertAccess(caller, v, 'Volume', v.id);
    return byId ?? snapshotPolicyStore.list(db, { volumeId: v.id, display: f.display });
  }

  /** deleteSnapshotPolicies: every policy named must exist on a live volume the caller reaches, or none goes. */
  async remove(caller: Caller, id: string | undefined, ids: string[] | undefined): Promise<void> {
    if (!id && !ids) throw invalid('No policy id (or list of ids) specified.', 'id');
    const wanted = ids ?? [id!];
    if (wanted.length === 0) throw invalid('There are no policy ids', 'ids');
    await this.store.tx(async (trx) => {
      for (const pid of wanted) {
        const p = await snapshotPolicyStore.get(trx, pid);
        if (!p) throw invalid(`Policy id given: ${pid} does not exist`, 'id');
        const v = await volumeStore.get(trx, p.volumeId);
        if (!v) throw invalid(`Policy id given: ${pid} does not belong to a valid volume`, 'id');
        assertAccess(caller, v, 'Volume', v.id);
      }
      await snapshotPolicyStore.remove(trx, wanted);
    });
  }
}
