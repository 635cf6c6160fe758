import { randomBytes } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type { WholeResult } from './command.js';
import type { CsError } from './errors.js';

export const CLOUDSTACK_VERSION = '4.18.0.0';
export const JSON_TYPE = 'application/json; charset=UTF-8';
export const XML_TYPE = 'text/xml; charset=UTF-8';

/** The body under the `<command>response` key (a streamed list is written by stream.ts). */
export function resultBody(r: WholeResult): Record<string, unknown> {
  switch (r.kind) {
    case 'list': {
      // ApiResponseSerializer writes count only when non-zero and the array only when non-empty:
      // an empty list is `{}`, and a page past the end is `{count}` (cs's pager stops on it).
      const count = r.count ?? r.items.length;
      const out: Record<string, unknown> = {};
      if (count) out['count'] = count;
      if (r.items.length) out[r.key] = r.items;
      return out;
    }
    case 'object':
      return { [r.key]: r.value };
    case 'success':
      return r.displaytext ? { success: true, displaytext: r.displaytext } : { success: true };
    case 'job':
      return r.id ? { id: r.id, jobid: r.jobid } : { jobid: r.jobid };
    case 'fields':
      return r.value as Record<string, unknown>;
  }
}

export function errorBody(e: CsError): Record<string, unknown> {
  // ExceptionResponse.uuidList holds ExceptionProxyObjects ({uuid, description}), not bare strings.
  const uuidList = e.uuids.map((u) =>
    u.description === undefined ? { uuid: u.uuid } : { uuid: u.uuid, description: u.description },
  );
  const body: Record<string, unknown> = { uuidList, errorcode: e.errorcode };
  if (e.cserrorcode !== undefined) body['cserrorcode'] = e.cserrorcode;
  body['errortext'] = e.errortext;
  return body;
}

/**
 * A Java double field: Gson writes it with a decimal point (4000.0, 1.2E7), which clients that keep
 * JSON's int/float distinction (Python) read as a float. A JS number alone would print 4000.
 */
export class JavaDouble {
  constructor(readonly value: number) {}
  /** Inside encodeJson its marked text (see unmarkDoubles); elsewhere the object itself, as JSON.stringify always wrote it. */
  toJSON(): unknown {
    if (!encoding) return this;
    marked++;
    return DOUBLE_MARK + this.toString();
  }
  toString(): string {
    const v = this.value;
    if (!Number.isFinite(v)) return 'null';
    const a = Math.abs(v);
    if (a === 0) return '0.0';
    if (a >= 1e-3 && a < 1e7) return Number.isInteger(v) ? `${v}.0` : String(v);
    // Double.toString switches to computerized scientific notation outside [10^-3, 10^7).
    const [m, e] = v.toExponential().split('e');
    return `${m!.includes('.') ? m : `${m}.0`}E${Number(e)}`;
  }
}
export const double = (v: number): JavaDouble => new JavaDouble(v);
// A marker no input can forge: a NUL (which JSON.stringify escapes to the text \u0000) and a per-process nonce.
const DOUBLE_NONCE = randomBytes(8).toString('hex');
const DOUBLE_MARK = `\u0000double${DOUBLE_NONCE}:`;
const DOUBLE_OPEN = `"\\u0000double${DOUBLE_NONCE}:`;

/** Unquotes each marked double: `"<marker>4000.0"` becomes `4000.0`. */
function unmarkDoubles(text: string): string {
  let out = '';
  let at = 0;
  for (let i = text.indexOf(DOUBLE_OPEN); i >= 0; i = text.indexOf(DOUBLE_OPEN, at)) {
    const end = text.indexOf('"', i + DOUBLE_OPEN.length);
    out += text.slice(at, i) + text.slice(i + DOUBLE_OPEN.length, end);
    at = end + 1;
  }
  return out + text.slice(at);
}

// Whether JavaDouble.toJSON marks (only while jsonText runs), and how many it marked.
let encoding = false;
let marked = 0;

/**
 * JSON.stringify with the doubles marked by their toJSON rather than by a replacer, which V8 calls for
 * every key and value (a page of 500 VMs: tens of thousands of calls); a text with no double is not
 * searched for marks (the search over a page's megabyte was a tenth of its CPU).
 */
function jsonText(v: unknown): string {
  encoding = true;
  marked = 0;
  try {
    const text = JSON.stringify(v);
    return marked ? unmarkDoubles(text) : text;
  } finally {
    encoding = false;
  }
}

export function encodeJson(responseName: string, body: Record<string, unknown>): string {
  return `{"${responseName}":${jsonText(body)}}`;
}

/** Items as encodeJson writes them inside an array, without the brackets. */
export function jsonItems(items: readonly object[]): string {
  return jsonText(items).slice(1, -1);
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: false,
  processEntities: true,
});

export function encodeXml(responseName: string, body: Record<string, unknown>): string {
  const root = { ...(xmlify(body) as object), '@_cloud-stack-version': CLOUDSTACK_VERSION };
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ [responseName]: root })}`;
}

/** One `<key>` element per item, as encodeXml writes a list's items. */
export function xmlItems(key: string, items: readonly object[]): string {
  return builder.build({ [key]: items.map(xmlify) });
}

/** encodeXml's answer without its closing tag, for the items to follow. */
export function xmlOpen(responseName: string, body: Record<string, unknown>): string {
  const whole = encodeXml(responseName, body);
  return whole.slice(0, whole.length - `</${responseName}>`.length);
}

/** XML has no maps of arbitrary keys or nulls: map objects keep their keys as elements, booleans and numbers become text. */
function xmlify(v: unknown): unknown {
  if (v instanceof JavaDouble) return v.toString();
  if (Array.isArray(v)) return v.map(xmlify);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out[k] = xmlify(x);
    return out;
  }
  return typeof v === 'boolean' || typeof v === 'number' ? String(v) : v;
}

/** Dates as CloudStack prints them: yyyy-MM-dd'T'HH:mm:ssZ in UTC, e.g. 2024-05-01T12:34:56+0000. */
export function csDate(ms: number | null | undefined): string | undefined {
  if (ms === null || ms === undefined) return undefined;
  // A page of 500 VMs formats a thousand dates: the day's text is kept for the next one, the time of day is
  // two-digit pieces. Anything toISOString would write otherwise (before 1970, past 9999, fractions) takes it.
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= LAST_MS) return new Date(ms).toISOString().slice(0, 19) + '+0000';
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const s = Math.floor((ms - day * DAY_MS) / 1000);
  return `${lastDayText}${TWO[Math.floor(s / 3600)]}:${TWO[Math.floor(s / 60) % 60]}:${TWO[s % 60]}+0000`;
}

const DAY_MS = 86_400_000;
// 10000-01-01T00:00:00Z, from which toISOString writes a six-digit year.
const LAST_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let lastDay = -1;
let lastDayText = '';
