import { DUMMY_ID, holds, type AsStat, type CounterSource, type Operator, type ScaleAction } from './autoscale.js';

/** A policy of a group as the decision needs it (AutoScalePolicyTO with its ConditionTOs). */
export interface PolicyRule {
  id: string;
  action: ScaleAction;
  duration: number;
  quietTime: number;
  lastQuietTime: number | null;
  conditions: {
    id: string;
    counterId: string;
    source: CounterSource;
    counterValue: string;
    operator: Operator;
    threshold: number;
  }[];
}

/** What the samples are read against: the group's live VMs and the profile offering's memory. */
export interface DecideContext {
  now: number;
  /** countAvailableVmsByGroup: members Starting, Running, Stopping or Migrating. */
  availableVms: number;
  /** The RAM (MB) of the profile's service offering: memory samples become a percentage of it. */
  offeringMemoryMb: number;
}

type Sums = Map<string, { sum: number; n: number }>;
const keyOf = (policyId: string, conditionId: string, counterId: string) => `${policyId}-${conditionId}-${counterId}`;

/**
 * The window a policy reads: AutoScaleManagerImpl takes `duration << 10` milliseconds (a shift for
 * ×1000, which makes it 1024), so a window is 2.4 % longer than the duration says.
 */
export const windowStart = (now: number, duration: number): number => now - duration * 1024;

function add(sums: Sums, key: string, v: number): void {
  const s = sums.get(key) ?? { sum: 0, n: 0 };
  sums.set(key, { sum: s.sum + v, n: s.n + 1 });
}

/** updateCountersMapWithInstantData: CPU is a fraction, memory MB; both become percentages. Per-group values are shared among the VMs. */
function instant(sums: Sums, key: string, source: CounterSource, stat: AsStat, ctx: DecideContext): void {
  let v = stat.rawValue;
  if (source === 'MEMORY') v = (v / ctx.offeringMemoryMb) * 100;
  else if (source === 'CPU') v = v * 100;
  if (stat.valueType === 'INSTANT_VM_GROUP') {
    if (ctx.availableVms === 0) return;
    v = v / ctx.availableVms;
  }
  add(sums, key, v);
}

/**
 * updateCountersMapPerCondition's aggregated half: per resource, samples of a counter that only
 * grows become a rate (per second) from the first to the last; a sample lower than the one before
 * means the counter was reset, and that resource's samples are dropped.
 */
function aggregated(sums: Sums, key: string, stats: AsStat[], ctx: DecideContext): boolean {
  const series = new Map<string, AsStat[]>();
  const broken = new Set<string>();
  for (const s of stats) {
    const k = `${s.counterId}-${s.resourceId}`;
    if (broken.has(k)) continue;
    const list = series.get(k);
    if (!list) {
      series.set(k, [s]);
      continue;
    }
    const last = list[list.length - 1]!;
    if (s.created <= last.created) continue;
    if (s.rawValue >= last.rawValue) list.push(s);
    else {
      series.delete(k);
      broken.add(k);
    }
  }
  for (const list of series.values()) {
    if (list.length <= 1) continue;
    const first = list[0]!;
    const last = list[list.length - 1]!;
    let v = ((last.rawValue - first.rawValue) * 1000) / (last.created - first.created);
    if (first.valueType === 'AGGREGATED_VM_GROUP') {
      // As in updateCountersMapByAggregatedRecords, no VMs ends the whole condition.
      if (ctx.availableVms === 0) return false;
      v = v / ctx.availableVms;
    }
    add(sums, key, v);
  }
  return true;
}

/**
 * updateCountersMap: the sums of each condition's samples within its policy's window. A dummy row
 * in any window (a VM was just added or removed, the group just enabled) means no decision at all;
 * an inactive sample in a policy's window (a sample that could not be taken, or one taken before the
 * policy or group changed) sets that policy aside.
 */
export function counterSums(policies: PolicyRule[], stats: AsStat[], ctx: DecideContext): Sums | undefined {
  const sums: Sums = new Map();
  for (const p of policies) {
    const after = windowStart(ctx.now, p.duration);
    const inWindow = stats.filter((s) => s.created > after);
    if (inWindow.some((s) => s.policyId === DUMMY_ID && s.state === 'INACTIVE')) return undefined;
    if (inWindow.some((s) => s.policyId === p.id && s.state === 'INACTIVE')) continue;
    for (const c of p.conditions) {
      const key = keyOf(p.id, c.id, c.counterId);
      const own = inWindow
        .filter((s) => s.policyId === p.id && s.counterId === c.counterId && s.state === 'ACTIVE')
        .sort((a, b) => a.created - b.created);
      const instants = own.filter((s) => s.valueType === 'INSTANT_VM' || s.valueType === 'INSTANT_VM_GROUP');
      for (const s of instants) instant(sums, key, c.source, s, ctx);
      const rates = own.filter((s) => s.valueType === 'AGGREGATED_VM' || s.valueType === 'AGGREGATED_VM_GROUP');
      if (rates.length && !aggregated(sums, key, rates, ctx)) continue;
    }
  }
  return sums;
}

/**
 * getAutoscaleAction: the first policy (scale-up ones first) out of its quiet time whose every
 * condition has samples and holds on their average.
 */
export function decide(policies: PolicyRule[], sums: Sums, now: number): ScaleAction | undefined {
  for (const p of policies) {
    if (now - (p.lastQuietTime ?? 0) < p.quietTime * 1000) continue;
    const allHold = p.conditions.every((c) => {
      const s = sums.get(keyOf(p.id, c.id, c.counterId));
      return !!s && s.n > 0 && holds(c.operator, s.sum / s.n, c.threshold);
    });
    if (allHold) return p.action;
  }
  return undefined;
}
