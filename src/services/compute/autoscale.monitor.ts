import type { Clock } from '../../domain/clock.js';
import type { AsVmGroup } from '../../domain/autoscale.js';
import { counterSums, decide, windowStart, type PolicyRule } from '../../domain/autoscale.decide.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import { autoScaleRuleStore as rules } from '../../store/autoscale.store.js';
import { catalogStore } from '../../store/catalog.store.js';
import type { Db, Store } from '../../store/db.js';
import type { AutoScaler } from './autoscale.scaler.js';
import type { AutoScaleStats } from './autoscale.stats.js';
import type { ConfigService } from '../infrastructure/config.service.js';

/** StatsCollector's initial delay before the first AutoScaleMonitor run. */
const INITIAL_DELAY_MS = 15_000;

/**
 * The two schedules of 4.18's autoscaling, on the cloud's clock: each enabled group's monitor task
 * every `interval` seconds of the group (it keeps the group between min and max members and
 * collects samples), and the AutoScaleMonitor every autoscale.stats.interval seconds, which reads
 * the samples of every group and scales it up or down by one VM. `tick()` runs what is due; the
 * server calls it every second, tests after moving their clock. Due times live in this process, as
 * CloudStack's executors live in each management server.
 */
export class AutoScaleMonitor {
  private due = new Map<string, number>();
  private nextCheck: number | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
    private stats: AutoScaleStats,
    private scaler: AutoScaler,
  ) {}

  /** scheduleMonitorTask: the group's first run is one interval from now. */
  schedule(g: Pick<AsVmGroup, 'id' | 'interval'>): void {
    if (!this.due.has(g.id)) this.due.set(g.id, this.clock.now() + g.interval * 1000);
  }

  cancel(groupId: string): void {
    this.due.delete(groupId);
  }

  /** Runs whatever is due; a tick while one runs waits for it instead of running twice. */
  tick(): Promise<void> {
    this.running ??= this.runDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runDue(): Promise<void> {
    // A New group is scheduled when it is created; its task does nothing until its job enables it.
    const tracked = await groups.groups(this.store.db, { states: ['NEW', 'ENABLED', 'SCALING'] });
    const trackedIds = new Set(tracked.map((g) => g.id));
    for (const id of [...this.due.keys()]) if (!trackedIds.has(id)) this.due.delete(id);
    const now = this.clock.now();
    for (const g of tracked) {
      // scheduleMonitorTasks: an enabled group this process has not scheduled (it restarted, or another node enabled it).
      if (!this.due.has(g.id) && g.state !== 'NEW') this.schedule(g);
      if ((this.due.get(g.id) ?? Infinity) > now) continue;
      await this.monitor(g).catch(() => undefined);
      // A fixed delay: the next run is one interval after this one ended.
      if (this.due.has(g.id)) this.due.set(g.id, this.clock.now() + g.interval * 1000);
    }
    const every = this.config.num('autoscale.stats.interval', 60);
    if (every <= 0) return;
    this.nextCheck ??= now + INITIAL_DELAY_MS;
    if (this.nextCheck > now) return;
    await this.checkAll();
    this.nextCheck = this.clock.now() + every * 1000;
  }

  /** MonitorTask / monitorVirtualRouterAsGroup: min and max first; then, if they hold, samples. */
  private async monitor(g0: AsVmGroup): Promise<void> {
    const g = await groups.group(this.store.db, g0.id);
    if (!g || g.state !== 'ENABLED') return;
    if (!(await this.withinLimits(g))) return;
    await this.store.tx((trx) => groups.updateGroup(trx, g.id, { lastInterval: this.clock.now() }));
    await this.stats.collect(g, await policyRules(this.store.db, g));
  }

  /** checkAsGroupMaxAndMinMembers: too few members is a scale-up by the shortfall, too many a scale-down by the excess. */
  private async withinLimits(g: AsVmGroup): Promise<boolean> {
    const n = await groups.availableVms(this.store.db, g.id);
    if (n < g.minMembers) {
      await this.scaler.scaleUp(g.id, g.minMembers - n);
      return false;
    }
    if (n > g.maxMembers) {
      await this.scaler.scaleDown(g.id, n - g.maxMembers);
      return false;
    }
    return true;
  }

  /** checkAllAutoScaleVmGroups: each Enabled group is checked (checkVirtualRouterAsGroup). */
  private async checkAll(): Promise<void> {
    for (const g of await groups.groups(this.store.db, { states: ['ENABLED'] }))
      await this.check(g).catch(() => undefined);
  }

  /** The averages over each policy's duration decide; samples older than the cleanup delay (or duration) go. */
  private async check(g: AsVmGroup): Promise<void> {
    const db = this.store.db;
    const policies = await policyRules(db, g);
    const now = this.clock.now();
    const oldest = Math.min(now, ...policies.map((p) => windowStart(now, p.duration)));
    const profile = await groups.profile(db, g.profileId);
    const offering = profile ? await catalogStore.serviceOffering(db, profile.serviceOfferingId) : undefined;
    const sums = counterSums(policies, await groups.stats(db, g.id, oldest), {
      now,
      availableVms: await groups.availableVms(db, g.id),
      offeringMemoryMb: offering?.memory ?? 1,
    });
    await this.cleanup(g, policies);
    if (!sums) return;
    const action = decide(policies, sums, now);
    if (action === 'SCALEUP') await this.scaler.scaleUp(g.id, 1);
    else if (action === 'SCALEDOWN') await this.scaler.scaleDown(g.id, 1);
  }

  /** cleanupAsVmGroupStatistics. */
  private async cleanup(g: AsVmGroup, policies: PolicyRule[]): Promise<void> {
    const delay = this.config.num('autoscale.stats.cleanup.delay', 7200);
    const now = this.clock.now();
    let longest = delay;
    await this.store.tx(async (trx) => {
      for (const p of policies) {
        const keep = Math.max(delay, p.duration);
        longest = Math.max(longest, keep);
        await groups.removeStats(trx, g.id, now - keep * 1000, p.id);
      }
      await groups.removeStats(trx, g.id, now - longest * 1000);
    });
  }
}

/** toAutoScaleVmGroupTO's policies: the group's, scale-up first, each with its conditions and their counters. */
export async function policyRules(db: Db, g: AsVmGroup): Promise<PolicyRule[]> {
  const links = await groups.groupPolicies(db, [g.id]);
  const policies = new Map(
    (
      await rules.policiesByIds(
        db,
        links.map((l) => l.policyId),
      )
    ).map((p) => [p.id, p]),
  );
  const conditionLinks = await rules.policyConditions(db, [...policies.keys()]);
  const conditions = new Map(
    (
      await rules.conditionsByIds(
        db,
        conditionLinks.map((l) => l.conditionId),
      )
    ).map((c) => [c.id, c]),
  );
  const counters = new Map(
    (await rules.counters(db, { ids: [...new Set([...conditions.values()].map((c) => c.counterId))] })).map((c) => [
      c.id,
      c,
    ]),
  );
  const out: PolicyRule[] = [];
  for (const l of links) {
    const p = policies.get(l.policyId);
    if (!p) continue;
    const own = conditionLinks
      .filter((cl) => cl.policyId === p.id)
      .map((cl) => conditions.get(cl.conditionId))
      .filter((c) => !!c);
    out.push({
      id: p.id,
      action: p.action,
      duration: p.duration,
      quietTime: p.quietTime,
      lastQuietTime: p.lastQuietTime,
      conditions: own.flatMap((c) => {
        const counter = counters.get(c.counterId);
        return counter
          ? [
              {
                id: c.id,
                counterId: c.counterId,
                source: counter.source,
                counterValue: counter.value,
                operator: c.operator,
                threshold: c.threshold,
              },
            ]
          : [];
      }),
    });
  }
  return out;
}
