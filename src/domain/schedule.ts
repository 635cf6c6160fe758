/**
 * When a recurring schedule next runs: DateUtil.getNextRunTime over a lenient java.util.Calendar in
 * the schedule's time zone, and TimeZone.getTimeZone's reading of a zone name. Used by backup
 * schedules (and fit for snapshot policies, which share the format).
 */
import type { IntervalType } from './backup.js';

const CUSTOM_GMT = /^GMT([+-])(\d{1,2})(?::?(\d{2}))?$/;

/**
 * TimeZone.getTimeZone(id).getID(): a name Java knows stays as written (its names are case-sensitive),
 * a custom GMT offset is normalised to GMT+hh:mm, and anything else becomes GMT.
 */
export function javaTimeZone(id: string): string {
  const custom = CUSTOM_GMT.exec(id);
  if (custom) {
    const [, sign, h, m = '00'] = custom;
    if (Number(h) > 23 || Number(m) > 59) return 'GMT';
    return `GMT${sign}${h!.padStart(2, '0')}:${m}`;
  }
  // ICU takes any case; Java's names start each part with a capital (Europe/Paris, CET, Etc/GMT+5).
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/.test(id)) return 'GMT';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
    return id;
  } catch {
    return 'GMT';
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone is ahead of UTC at `ms`. */
function offsetAt(ms: number, tz: string): number {
  const custom = CUSTOM_GMT.exec(tz);
  if (custom) return (custom[1] === '-' ? -1 : 1) * (Number(custom[2]) * 60 + Number(custom[3] ?? 0)) * 60_000;
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return wall - Math.floor(ms / 1000) * 1000;
}

interface Wall { y: number; mo: number; d: number; h: number; mi: number }

/** The zone's calendar fields at `ms`, and the day of the week (1 = Sunday, as Calendar counts). */
function wallClock(ms: number, tz: string): Wall & { dow: number } {
  const t = new Date(ms + offsetAt(ms, tz));
  return { y: t.getUTCFullYear(), mo: t.getUTCMonth(), d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), dow: t.getUTCDay() + 1 };
}

/** A lenient calendar's time for these fields: out-of-range values roll over into the next unit. */
function fromWall(w: Wall, tz: string): number {
  const guess = Date.UTC(w.y, w.mo, w.d, w.h, w.mi);
  const first = guess - offsetAt(guess, tz);
  return guess - offsetAt(first, tz);
}

/** Integer.parseInt: an optional sign and decimal digits, within int range. */
function parseJavaInt(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`For input string: "${s}"`);
  const n = Number(s);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) throw new Error(`For input string: "${s}"`);
  return n;
}

/** String.split(":"): trailing empty parts are dropped; a string without the separator is one part. */
function javaSplit(s: string): string[] {
  if (!s.includes(':')) return [s];
  const parts = s.split(':');
  while (parts.length && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * DateUtil.getNextRunTime: the schedule (HOURLY "MM", DAILY "MM:HH", WEEKLY "MM:HH:D" with 1 for
 * Sunday, MONTHLY "MM:HH:DD" up to 28) in `tz`, first after `start`. Throws on a malformed schedule.
 */
export function nextRunTime(type: IntervalType, schedule: string, tz: string, start: number): number {
  const parts = javaSplit(schedule);
  const needed = type === 'HOURLY' ? 1 : type === 'DAILY' ? 2 : 3;
  if (parts.length < needed) throw new Error(`Incorrect schedule format: ${schedule} for interval type:${type}`);
  const [minutes, hour, day] = parts.slice(0, needed).map(parseJavaInt) as [number, number?, number?];
  const now = wallClock(start, tz);
  const w: Wall = { y: now.y, mo: now.mo, d: now.d, h: now.h, mi: minutes };
  if (type !== 'HOURLY') w.h = hour!;
  if (type === 'WEEKLY') w.d = now.d + (day! - now.dow); // Calendar.set(DAY_OF_WEEK) stays in the current Sunday-first week
  if (type === 'MONTHLY') {
    if (day! > 28) throw new Error('Day cannot be greater than 28 for monthly schedule');
    w.d = day!;
  }
  const t = fromWall(w, tz);
  if (t > start) return t;
  if (type === 'HOURLY') return t + 3_600_000;
  if (type === 'DAILY') return fromWall({ ...w, d: w.d + 1 }, tz);
  if (type === 'WEEKLY') return fromWall({ ...w, d: w.d + 7 }, tz);
  return fromWall({ ...w, mo: w.mo + 1 }, tz);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** java.util.Date.toString() on a server whose time zone is UTC: "Mon Dec 07 03:25:26 UTC 2026". */
export function javaDateString(ms: number): string {
  const t = new Date(ms);
  return `${DAYS[t.getUTCDay()]} ${MONTHS[t.getUTCMonth()]} ${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} UTC ${t.getUTCFullYear()}`;
}
