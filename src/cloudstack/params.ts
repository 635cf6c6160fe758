import { isUuid } from '../domain/ids.js';
import { CsError, csErrors } from './errors.js';
import { paramsOf, type ApiParamSpec, type ApiSpec } from './spec.js';

/** Raw request parameters: names as sent, values decoded, in arrival order. */
export type RawPairs = [string, string][];

export type MapParam = Record<string, string>[];

/**
 * Parameters of one command after the checks ParamProcessWorker makes: required present,
 * values of the declared type and length, uuids well-formed, lists and maps unpacked.
 * Names are lower-cased (map field names keep their case).
 */
export class Params {
  /**
   * Names a handler asked for, through any accessor, given or not (shared with copies made by
   * `with`). test/cloudstack/unread-params.test.ts uses it to find parameters a command accepts
   * but never reads; a Set add per read is all it costs.
   */
  readonly read: Set<string>;

  constructor(
    readonly command: string,
    private readonly values: Map<string, string>,
    private readonly maps: Map<string, MapParam>,
    read?: Set<string>,
    /** Declared parameters sent with an empty value: dropped from the others, but CloudStack hands "" to the command. */
    private readonly empties: ReadonlySet<string> = new Set(),
  ) {
    this.read = read ?? new Set();
  }

  /** Names of the plain (non-map) parameters given; enumerating them reads no value, so records nothing. */
  names(): string[] {
    return [...this.values.keys()];
  }
  has(name: string): boolean {
    this.read.add(name);
    return this.values.has(name) || this.maps.has(name);
  }
  str(name: string): string | undefined {
    this.read.add(name);
    return this.values.get(name);
  }
  /** A string parameter as the command sees it: "" when it was sent empty, undefined when absent. */
  given(name: string): string | undefined {
    this.read.add(name);
    return this.values.get(name) ?? (this.empties.has(name) ? '' : undefined);
  }
  req(name: string): string {
    this.read.add(name);
    const v = this.values.get(name);
    if (v === undefined || v === '') throw csErrors.missingParam(this.command, name);
    return v;
  }
  uuid(name: string): string | undefined {
    this.read.add(name);
    return this.values.get(name);
  }
  bool(name: string): boolean | undefined;
  bool(name: string, dflt: boolean): boolean;
  bool(name: string, dflt?: boolean): boolean | undefined {
    this.read.add(name);
    const v = this.values.get(name);
    // Boolean.valueOf: "true" in any case is true, anything else false.
    return v === undefined ? dflt : v.toLowerCase() === 'true';
  }
  /** The same parameters with one plain value replaced (a numeric internal id by the uuid it names). */
  with(name: string, value: string): Params {
    return new Params(this.command, new Map([...this.values, [name, value]]), this.maps, this.read, this.empties);
  }
  int(name: string): number | undefined {
    this.read.add(name);
    const v = this.values.get(name);
    return v === undefined ? undefined : Number(v);
  }
  list(name: string): string[] | undefined {
    this.read.add(name);
    const v = this.values.get(name);
    return v === undefined
      ? undefined
      : v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  }
  map(name: string): MapParam | undefined {
    this.read.add(name);
    return this.maps.get(name);
  }
  /** All plain values, for jobs that are replayed after a restart. */
  toJSON(): Record<string, unknown> {
    return { values: Object.fromEntries(this.values), maps: Object.fromEntries(this.maps) };
  }
}

const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
const INT_RE = /^[+-]?\d+$/;
const NUM_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const AUTH_PARAMS = new Set([
  'command',
  'apikey',
  'signature',
  'signatureversion',
  'expires',
  'response',
  'sessionkey',
  '_',
]);

/**
 * ApiServer.checkCharacterInkParams: every parameter, known to the command or not, is refused if
 * its value holds an ASCII control character; the name is reported as sent.
 */
export function checkControlCharacters(pairs: RawPairs): void {
  for (const [name, value] of pairs) {
    if (name.toLowerCase() !== 'activationrule' && CONTROL.test(value)) throw csErrors.nonPrintable(name);
  }
}

/**
 * How ParamUnpackWorker reads `name[index].field`: one '[' and one ']' in that order, a '.' after the
 * ']' (the field is everything after the first '.'), and an index Integer.parseInt accepts. A name
 * whose '[' comes first is a plain parameter. Undefined for a plain name; throws 430 when malformed.
 */
function mapName(key: string): { name: string; index: number; field: string } | undefined {
  const open = key.indexOf('[');
  if (open !== key.lastIndexOf('[')) throw csErrors.malformed(key);
  if (open <= 0) return undefined;
  const close = key.indexOf(']');
  if (close < open || close !== key.lastIndexOf(']')) throw csErrors.malformed(key);
  const dot = key.indexOf('.');
  if (dot < close) throw csErrors.malformed(key);
  const indexText = key.slice(open + 1, close);
  const index = Number(indexText);
  if (!/^[+-]?\d+$/.test(indexText) || index > 2147483647 || index < -2147483648) throw csErrors.malformed(key);
  return { name: key.slice(0, open).toLowerCase(), index, field: key.slice(dot + 1) };
}

/** Splits `name[i].field` parameters into maps; returns plain values by lower-cased name. */
export function unpack(pairs: RawPairs): {
  values: Map<string, string>;
  maps: Map<string, Map<number, Record<string, string>>>;
} {
  const values = new Map<string, string>();
  const maps = new Map<string, Map<number, Record<string, string>>>();
  for (const [rawName, value] of pairs) {
    const m = mapName(rawName);
    if (m) {
      let byIdx = maps.get(m.name);
      if (!byIdx) maps.set(m.name, (byIdx = new Map()));
      let entry = byIdx.get(m.index);
      if (!entry) byIdx.set(m.index, (entry = {}));
      entry[m.field] = value;
      continue;
    }
    const name = rawName.toLowerCase();
    if (!values.has(name)) values.set(name, value);
  }
  return { values, maps };
}

/** Validates against the command's spec; unknown extra parameters are ignored as the server does. */
export function decodeParams(api: ApiSpec, pairs: RawPairs): Params {
  const cmd = api.name;
  const { values, maps } = unpack(pairs);
  const spec = paramsOf(api);
  const out = new Map<string, string>();
  const outMaps = new Map<string, MapParam>();
  const empties = new Set<string>();
  for (const [name, value] of values) {
    if (value === '' && spec.get(name)?.type === 'string') empties.add(name);
    if (AUTH_PARAMS.has(name) || value === '') continue;
    const p = spec.get(name);
    if (!p) continue;
    // ParamProcessWorker checks the annotated length of string parameters only.
    if (p.type === 'string' && value.length > p.length) throw csErrors.tooLong(cmd, name, p.length);
    if (p.type === 'uuid' && !uuidValue(cmd, p, value)) continue;
    checkType(cmd, name, p.type, value);
    out.set(name, value);
  }
  for (const [name, byIdx] of maps) {
    const p = spec.get(name);
    if (!p) continue;
    outMaps.set(
      name,
      [...byIdx.entries()].sort(([a], [b]) => a - b).map(([, v]) => v),
    );
  }
  for (const p of requiredInReportOrder(api)) {
    const name = p.name.toLowerCase();
    const present = p.type === 'map' ? outMaps.has(name) : (out.get(name) ?? '') !== '';
    if (!present) throw csErrors.missingParam(cmd, name);
  }
  if (spec.has('page') && spec.has('pagesize')) checkPaging(out);
  return new Params(cmd, out, outMaps, undefined, empties);
}

/** BaseListCmd.validateSpecificParameters: page and pagesize come together (pagesize -1 stands alone). */
function checkPaging(values: Map<string, string>): void {
  const page = values.get('page');
  const size = values.get('pagesize');
  if (page === undefined && size !== undefined && Number(size) !== -1)
    throw new CsError(431, '"page" parameter is required when "pagesize" is specified', 9999);
  if (size === undefined && page !== undefined)
    throw new CsError(431, '"pagesize" parameter is required when "page" is specified', 9999);
}

/**
 * The server reports the first missing parameter in the order the command class declares its
 * fields, which the spec dump does not keep; the usual leading ones (zone, offering, template,
 * id) come first, then the spec's order.
 */
const FIRST = ['zoneid', 'serviceofferingid', 'templateid', 'id', 'name'];
function requiredInReportOrder(api: ApiSpec): ApiParamSpec[] {
  const rank = (n: string) => {
    const i = FIRST.indexOf(n.toLowerCase());
    return i < 0 ? FIRST.length : i;
  };
  return api.params.filter((p) => p.required).sort((a, b) => rank(a.name) - rank(b.name));
}

/** What Long.parseLong accepts: an optional sign and decimal digits, within a signed 64-bit long. */
const LONG_RE = /^[+-]?\d+$/;
export function parseLong(value: string): bigint | undefined {
  if (!LONG_RE.test(value)) return undefined;
  const n = BigInt(value);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

/**
 * ParamProcessWorker.translateUuidToInternalId, up to the look-up: "-1" passes as -1; a parameter
 * added since 3.x (its annotation has `since`) takes only a uuid, anything else leaving the field
 * null (false here: the parameter is dropped); an older one also takes a numeric internal id, which
 * must be at least 1 (validateNaturalNumber's ServerApiException, which processParameters catches
 * as a CloudRuntimeException: a 530). Other values go on to be looked up as uuids.
 */
function uuidValue(cmd: string, p: ApiParamSpec, value: string): boolean {
  if (value === '-1' || isUuid(value)) return true;
  if (p.since) return false;
  const n = parseLong(value);
  if (n !== undefined && n < 1n)
    throw new CsError(530, `Internal error executing API command ${cmd.toLowerCase()}`, 9999);
  return true;
}

function checkType(cmd: string, name: string, type: string, value: string): void {
  switch (type) {
    case 'uuid':
      // A numeric internal id is translated (or refused) when the ids are resolved.
      if (value !== '-1' && !isUuid(value) && parseLong(value) === undefined) throw csErrors.badId(cmd, name, value);
      return;
    case 'integer':
    case 'short':
    case 'long':
      if (!INT_RE.test(value) || !Number.isSafeInteger(Number(value))) throw csErrors.invalidValue(cmd, name, value);
      if (type === 'integer' && Math.abs(Number(value)) > 2147483647) throw csErrors.invalidValue(cmd, name, value);
      return;
    case 'float':
    case 'double':
      if (!NUM_RE.test(value)) throw csErrors.invalidValue(cmd, name, value);
      return;
    case 'list':
      // uuid lists are checked by the command when it resolves them
      return;
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(value)) throw csErrors.badDate(cmd, value);
      return;
    default:
      return;
  }
}
