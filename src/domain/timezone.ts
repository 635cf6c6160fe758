/**
 * Time zones as Java's TimeZone.getTimeZone reads them (CloudStack keeps the id it answers), and the
 * wall-clock arithmetic a schedule in such a zone needs, done with the tz database Intl carries.
 */

/** Java's three-letter ids (ZoneInfo's old mappings): kept as written, run by these rules. */
const JAVA_SHORT_IDS: Readonly<Record<string, string>> = {
  ACT: 'Australia/Darwin',
  AET: 'Australia/Sydney',
  AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo',
  AST: 'America/Anchorage',
  BET: 'America/Sao_Paulo',
  BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare',
  CNT: 'America/St_Johns',
  CST: 'America/Chicago',
  CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris',
  IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia',
  NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland',
  PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix',
  PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles',
  SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh',
  EST: 'Etc/GMT+5',
  MST: 'Etc/GMT+7',
  HST: 'Etc/GMT+10',
};

/** Java's custom ids: GMT, a sign, hours (1-2 digits) and optional minutes (":mm", or hhmm). */
const CUSTOM = /^GMT([+-])(\d{1,2})(?::(\d{2})|(\d{2}))?$/;

/** A zone: an IANA name Intl runs, or a fixed offset (Java's custom ids) in minutes east of GMT. */
export type Zone = { id: string; iana: string } | { id: string; offsetMinutes: number };

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(iana: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(iana);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: iana,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  formatters.set(iana, f);
  return f;
}

/**
 * TimeZone.getTimeZone(id): a zone the JDK knows keeps the id as written; a custom GMT offset is
 * written GMT+hh:mm; anything else is GMT (Java does not refuse an unknown id, it falls back).
 */
export function javaZone(id: string): Zone {
  const c = CUSTOM.exec(id);
  if (c) {
    const hours = Number(c[2]);
    const minutes = Number(c[3] ?? c[4] ?? 0);
    if (hours <= 23 && minutes <= 59) {
      const two = (n: number) => String(n).padStart(2, '0');
      return {
        id: `GMT${c[1]}${two(hours)}:${two(minutes)}`,
        offsetMinutes: (c[1] === '-' ? -1 : 1) * (hours * 60 + minutes),
      };
    }
  }
  const short = JAVA_SHORT_IDS[id];
  if (short) return { id, iana: short };
  // Java's ids are case-sensitive and start each part with a capital (Europe/Paris, CET, Etc/GMT+5); Intl
  // would also take "utc" or "cet", which Java does not know (GMT).
  if (/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/.test(id) && formatter(id)) return { id, iana: id };
  return { id: 'GMT', iana: 'UTC' };
}

/** Wall-clock fields of an instant in a zone (month 1-12). */
export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** Minutes the zone is ahead of GMT at an instant. */
function offsetAt(z: Zone, t: number): number {
  if ('offsetMinutes' in z) return z.offsetMinutes;
  const parts = Object.fromEntries(
    formatter(z.iana)!
      .formatToParts(new Date(t))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  return Math.round((asUtc - (t - (((t % 1000) + 1000) % 1000))) / 60_000);
}

export function wallAt(z: Zone, t: number): Wall {
  const d = new Date(t + offsetAt(z, t) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

/**
 * The instant of a wall-clock time in a zone. Fields may overflow (minute 75, day 0): they carry as
 * a lenient java.util.Calendar carries them. A time a DST change skips moves forward, as Java does.
 */
export function instantOf(z: Zone, w: Wall): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const first = asUtc - offsetAt(z, asUtc) * 60_000;
  const second = asUtc - offsetAt(z, first) * 60_000;
  return offsetAt(z, second) === offsetAt(z, first) ? second : Math.max(first, second);
}
