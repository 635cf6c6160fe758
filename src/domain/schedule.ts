/**
 * Recurring snapshot schedules: DateUtil.IntervalType and DateUtil.getNextRunTime of CloudStack 4.18.
 * A schedule is MM (hourly), MM:HH (daily), MM:HH:DOW (weekly, 1 = Sunday) or MM:HH:DOM (monthly,
 * DOM at most 28), read in the policy's time zone.
 */
import { instantOf, wallAt, type Zone } from './timezone.js';

/** DateUtil.IntervalType; a policy keeps (and answers) its ordinal. */
export const INTERVAL_TYPES = ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type IntervalType = (typeof INTERVAL_TYPES)[number];

/** IntervalType.getIntervalType: the name in any case, else undefined. */
export function intervalTypeOf(name: string | undefined): IntervalType | undefined {
  return INTERVAL_TYPES.find((t) => t === name?.toUpperCase());
}

/** Snapshot.Type: what a snapshot was taken by (MANUAL, or the interval of its policy). */
export const SNAPSHOT_TYPES = [
  'MANUAL',
  'RECURRING',
  'TEMPLATE',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'GROUP',
] as const;
export type SnapshotTypeName = (typeof SNAPSHOT_TYPES)[number];
export function snapshotTypeOf(name: string): SnapshotTypeName | undefined {
  return SNAPSHOT_TYPES.find((t) => t === name.toUpperCase());
}

export class ScheduleError extends Error {}

/** Integer.parseInt: an optional sign and decimal digits that fit an int. */
function javaInt(s: string | undefined): number {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) throw new ScheduleError(`not a number: ${s}`);
  const n = Number(s);
  if (n > 2147483647 || n < -2147483648) throw new ScheduleError(`out of range: ${s}`);
  return n;
}

/** String.split(":"): trailing empty parts are dropped (but "" stays one empty part). */
function javaSplit(s: string): string[] {
  const parts = s.split(':');
  if (parts.length === 1) return parts;
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const HOUR = 3_600_000;
const MIN_PARTS: Record<IntervalType, number> = { HOURLY: 1, DAILY: 2, WEEKLY: 3, MONTHLY: 3 };

/**
 * The first run strictly after `start`. Throws ScheduleError where CloudStack's parse throws: too few
 * parts, a part that is not an int, a monthly day past 28. Out-of-range fields (minute 75) carry
 * over as CloudStack's Calendar does when it falls back to lenient.
 */
export function nextRunTime(type: IntervalType, schedule: string, zone: Zone, start: number): number {
  const parts = javaSplit(schedule);
  if (parts.length < MIN_PARTS[type])
    throw new ScheduleError(`Incorrect schedule format: ${schedule} for interval type:${type}`);
  const minute = javaInt(parts[0]);
  const now = wallAt(zone, start);
  let run: number;
  if (type === 'HOURLY') {
    run = instantOf(zone, { ...now, minute });
    // Calendar.add(HOUR_OF_DAY, 1) adds an hour of time, not of wall clock.
    if (run <= start) run += HOUR;
  } else {
    const hour = javaInt(parts[1]);
    const day = type === 'DAILY' ? now.day : javaInt(parts[2]);
    if (type === 'MONTHLY' && day > 28) throw new ScheduleError('Day cannot be greater than 28 for monthly schedule');
    const at = (w: { year: number; month: number; day: number }) => instantOf(zone, { ...w, hour, minute });
    // WEEKLY sets DAY_OF_WEEK within the current week, which starts on Sunday (day 1).
    const base =
      type === 'WEEKLY' ? { ...now, day: now.day - dayOfWeek(now) + day } : type === 'MONTHLY' ? { ...now, day } : now;
    run = at(base);
    if (run <= start) {
      if (type === 'DAILY') run = at({ ...base, day: base.day + 1 });
      else if (type === 'WEEKLY') run = at({ ...base, day: base.day + 7 });
      else run = at(addMonth(base));
    }
  }
  if (!Number.isFinite(run)) throw new ScheduleError(`schedule ${schedule} runs at no representable time`);
  return run;
}

/** 1 = Sunday ... 7 = Saturday, for a wall-clock date. */
function dayOfWeek(w: { year: number; month: number; day: number }): number {
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay() + 1;
}

/** Calendar.add(MONTH, 1) on a (possibly overflowing) date: the day is kept, or the month's last. */
function addMonth(w: { year: number; month: number; day: number }): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day));
  const y = d.getUTCFullYear(),
    m = d.getUTCMonth() + 1;
  const next = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: Math.min(d.getUTCDate(), last) };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** java.util.Date.toString() on a server whose time zone is UTC: "Mon Dec 07 03:25:26 UTC 2026". */
export function javaDateString(ms: number): string {
  const t = new Date(ms);
  return `${DAYS[t.getUTCDay()]} ${MONTHS[t.getUTCMonth()]} ${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} UTC ${t.getUTCFullYear()}`;
}
