import type { Clock } from '../../domain/clock.js';
import { INTERVAL_TYPES } from '../../domain/schedule.js';
import type { SnapshotPolicy } from '../../domain/storage.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore } from '../../store/account.store.js';
import type { Store } from '../../store/db.js';
import { snapshotPolicyStore } from '../../store/snapshotpolicy.store.js';
import { volumeStore } from '../../store/volume.store.js';
import type { Caller } from '../../domain/caller.js';
import type { SnapshotService } from './snapshot.service.js';
import { scheduleOf } from './snapshotpolicy.service.js';

/** What the scheduler's jobs are listed as: SnapshotSchedulerImpl queues CreateSnapshotCmd itself. */
const SCHEDULED_CMD = 'org.apache.cloudstack.api.command.user.snapshot.CreateSnapshotCmd';

/**
 * SnapshotSchedulerImpl: each poll takes a recurring snapshot of every policy whose time has come
 * on the cloud's clock, as the system user on behalf of the volume's owner, and plans the policy's
 * next run after the poll's time (runs a stopped or frozen clock skipped are not made up).
 */
export class SnapshotScheduler {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private snapshots: SnapshotService,
    private system: () => Promise<Caller>,
    private log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  /** SnapshotSchedulerImpl.start: every displayed policy's next run is planned again from now. */
  async start(): Promise<void> {
    const now = this.clock.now();
    await this.store.tx(async (trx) => {
      for (const p of await snapshotPolicyStore.displayed(trx)) {
        await snapshotPolicyStore.update(trx, p.id, { nextRun: scheduleOf(p, now) });
      }
    });
  }

  /** One poll; answers how many snapshots it started. */
  async poll(): Promise<number> {
    const now = this.clock.now();
    let started = 0;
    for (const p of await snapshotPolicyStore.due(this.store.db, now)) {
      try {
        if (await this.fire(p, now)) started++;
      } catch (e) {
        // The run stays due, as a schedule whose CreateSnapshotCmd failed does: the next poll tries again.
        this.log(
          `scheduled snapshot of policy ${p.id} (volume ${p.volumeId}) not taken: ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    if (started) this.jobs.kick();
    return started;
  }

  private async fire(p: SnapshotPolicy, now: number): Promise<boolean> {
    const system = await this.system();
    return this.store.tx(async (trx) => {
      // canSnapshotBeScheduled: a volume on no pool yet, or of a disabled account, waits.
      const v = await volumeStore.get(trx, p.volumeId);
      if (!v?.poolId) return false;
      if ((await accountStore.accountById(trx, v.accountId))?.state === 'disabled') return false;
      if (!(await snapshotPolicyStore.claim(trx, p, scheduleOf(p, now)!))) return false;
      // The job runs as the system user and is listed as the volume owner's (ctxUserId 1, ctxAccountId the owner).
      const onBehalf: Caller = { ...system, accountId: v.accountId, domainId: v.domainId };
      const type = INTERVAL_TYPES[p.interval]!;
      await this.snapshots.allocate(trx, onBehalf, v, { type, policy: p }, SCHEDULED_CMD);
      return true;
    });
  }
}
