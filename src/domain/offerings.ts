import { invalid } from './errors.js';
import type { DiskOffering, ServiceOffering } from './types.js';

/** com.cloud.utils.StringUtils.cleanupTags: trimmed, empty ones dropped, joined by commas; null when none is left. */
export function cleanupTags(tags: string | undefined | null): string | null {
  if (tags === undefined || tags === null) return null;
  const list = tags
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return list.length ? list.join(',') : null;
}

export const tagList = (tags: string | null | undefined): string[] =>
  tags
    ? tags
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '')
    : [];

/** A host or pool serves an offering when it carries every tag the offering names (HostTagsDao / StoragePoolTagsDao). */
export const hasAllTags = (have: string | null | undefined, wanted: string | null | undefined): boolean => {
  const h = new Set(tagList(have));
  return tagList(wanted).every((t) => h.has(t));
};

/** Comma-separated id columns. */
export const idList = (ids: string | null | undefined): string[] => (ids ? ids.split(',').filter((i) => i !== '') : []);

/** Storage.ProvisioningType.getProvisioningType: case-insensitive; anything else is refused. */
export function provisioningType(v: string | undefined): string {
  if (v === undefined) return 'thin';
  const t = ['thin', 'sparse', 'fat'].find((x) => x === v.toLowerCase());
  if (!t) throw invalid(`Provisioning type ${v} not supported`, 'provisioningtype');
  return t;
}

/** validateCacheMode: DiskCacheMode's values, any case. */
export function cacheMode(v: string | undefined): string | null {
  if (v === undefined) return null;
  const m = ['none', 'writeback', 'writethrough'].find((x) => x === v.toLowerCase());
  if (!m)
    throw invalid(
      'Please specify one of the following valid cache mode parameters: none, writeback, writethrough',
      'cachemode',
    );
  return m;
}

/** storagetype: local or shared, any case; `local` is what the offering keeps. */
export function storageType(v: string | undefined, offerHa: boolean): 'local' | 'shared' {
  if (v === undefined) return 'shared';
  if (v.toLowerCase() === 'local') {
    if (offerHa) throw invalid('HA offering with local storage is not supported. ', 'storagetype');
    return 'local';
  }
  if (v.toLowerCase() !== 'shared')
    throw invalid(`Invalid storage type ${v} specified, valid types are: 'local' and 'shared'`, 'storagetype');
  return 'shared';
}

export const RATE_KEYS = [
  'bytesReadRate',
  'bytesReadRateMax',
  'bytesReadRateMaxLength',
  'bytesWriteRate',
  'bytesWriteRateMax',
  'bytesWriteRateMaxLength',
  'iopsReadRate',
  'iopsReadRateMax',
  'iopsReadRateMaxLength',
  'iopsWriteRate',
  'iopsWriteRateMax',
  'iopsWriteRateMaxLength',
] as const;
export type RateKey = (typeof RATE_KEYS)[number];
export type Rates = Partial<Record<RateKey, number>>;

/**
 * validateMaxRateEqualsOrGreater for the four pairs, then setBytesRate/setIopsRate: only values
 * above 0 are kept. `base` holds the rates already set (updateDiskOffering).
 */
export function rates(given: Rates, base: Rates = {}): Rates {
  const pairs: [RateKey, RateKey, string][] = [
    ['iopsReadRate', 'iopsReadRateMax', 'IOPS Read'],
    ['iopsWriteRate', 'iopsWriteRateMax', 'IOPS Write'],
    ['bytesReadRate', 'bytesReadRateMax', 'Bytes Read'],
    ['bytesWriteRate', 'bytesWriteRateMax', 'Bytes Write'],
  ];
  for (const [rate, max, what] of pairs) {
    const r = given[rate];
    const m = given[max];
    if (r !== undefined && m !== undefined && m < r)
      throw invalid(`${what} rate (${r}) cannot be greater than ${what} maximum rate (${m})`, max.toLowerCase());
  }
  const out: Rates = { ...base };
  for (const k of RATE_KEYS) {
    const v = given[k];
    if (v !== undefined && v > 0) out[k] = v;
  }
  return out;
}

/** The min/max IOPS rule of createDiskOffering(Internal): only fixed-IOPS offerings keep them. */
export function iops(
  customizedIops: boolean | undefined,
  minIops: number | undefined,
  maxIops: number | undefined,
): { minIops: number | null; maxIops: number | null } {
  if (customizedIops === undefined || customizedIops) return { minIops: null, maxIops: null };
  if (minIops === undefined && maxIops === undefined) return { minIops: 0, maxIops: 0 };
  if (minIops === undefined || minIops <= 0) throw invalid('The min IOPS must be greater than 0.', 'miniops');
  const max = maxIops ?? 0;
  if (minIops > max) throw invalid('The min IOPS must be less than or equal to the max IOPS.', 'maxiops');
  return { minIops, maxIops: max };
}

/** A `details` map as CreateServiceOfferingCmd.getDetails reads it: key/value pairs, or each entry's own fields. */
export function detailsOf(map: Record<string, string>[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of map ?? []) {
    if (d['key'] && d['value']) out[d['key']] = d['value'];
    else for (const [k, v] of Object.entries(d)) out[k] = v;
  }
  return out;
}

export const parseJson = <T>(s: string | null | undefined, dflt: T): T => (s ? (JSON.parse(s) as T) : dflt);

export interface ComputeSize {
  cpuNumber?: number;
  cpuSpeed?: number;
  memory?: number;
  minCpuNumber?: number;
  maxCpuNumber?: number;
  minMemory?: number;
  maxMemory?: number;
}
const INT_MAX = 2147483647;

/**
 * createServiceOffering's size rules. A customized offering takes its CPU count and memory at
 * deploy time, within the min/max given (all four with a speed, or none); a fixed one needs a speed.
 * Returns the details the limits are kept in.
 */
export function computeSize(
  name: string,
  customized: boolean,
  s: ComputeSize,
  maxCores: number,
  maxRamMb: number,
): Record<string, string> {
  const fail = (what: string, param: string) => invalid(`Failed to create service offering ${name}: ${what}`, param);
  if (customized) {
    if (s.cpuNumber !== undefined || s.memory !== undefined)
      throw invalid('For creating a custom compute offering cpu and memory all should be null', 'cpunumber');
    const range = [s.maxCpuNumber, s.minCpuNumber, s.maxMemory, s.minMemory, s.cpuSpeed];
    if (range.some((v) => v === undefined)) {
      if (range.some((v) => v !== undefined))
        throw invalid(
          'For creating a custom compute offering min/max cpu and min/max memory/cpu speed should all be null or all specified',
          'mincpunumber',
        );
      return {};
    }
    if (s.cpuSpeed! < 0) throw fail(`specify the cpu speed value between 1 and ${INT_MAX}`, 'cpuspeed');
    if (s.maxCpuNumber! <= 0 || s.minCpuNumber! <= 0)
      throw fail(`specify the minimum or minimum cpu number value between 1 and ${INT_MAX}`, 'mincpunumber');
    if (s.minMemory! < 32) throw fail(`specify the memory value between 32 and ${INT_MAX} MB`, 'minmemory');
    return {
      minmemory: String(s.minMemory),
      maxmemory: String(s.maxMemory),
      mincpunumber: String(s.minCpuNumber),
      maxcpunumber: String(s.maxCpuNumber),
    };
  }
  if (s.cpuNumber !== undefined && (s.cpuNumber <= 0 || s.cpuNumber > maxCores))
    throw fail(`specify the cpu number value between 1 and ${maxCores}`, 'cpunumber');
  if (s.cpuSpeed === undefined || s.cpuSpeed < 0)
    throw fail(`specify the cpu speed value between 0 and ${INT_MAX}`, 'cpuspeed');
  if (s.memory !== undefined && (s.memory < 32 || s.memory > maxRamMb))
    throw fail(`specify the memory value between 32 and ${maxRamMb} MB`, 'memory');
  return {};
}

/**
 * The size a VM of this offering gets: fixed, or for a customized one what the deploy's details
 * ask for (cpuNumber, cpuSpeed, memory), within the offering's limits (validateCustomParameters).
 * A customized offering keeps 0 where CloudStack keeps null: that part is the deploy's to choose.
 */
export function vmSize(
  o: ServiceOffering,
  custom: Record<string, string>,
): { cpuNumber: number; cpuSpeed: number; memory: number } {
  if (!o.isCustomized) return { cpuNumber: o.cpuNumber, cpuSpeed: o.cpuSpeed, memory: o.memory };
  if (Object.keys(custom).length === 0)
    throw invalid(
      'Need to specify custom parameter values cpu, cpu speed and memory when using custom offering',
      'details',
    );
  const d = parseJson<Record<string, string>>(o.details, {});
  const int = (v: string | undefined, dflt: number) =>
    v !== undefined && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : dflt;
  const fixed = (what: string) =>
    invalid(
      `The ${what} of this offering id:${o.id} is not customizable. This is predefined in the template.`,
      'details',
    );
  let cpuNumber = o.cpuNumber;
  if (!o.cpuNumber) {
    const [min, max] = [int(d['mincpunumber'], 1), int(d['maxcpunumber'], INT_MAX)];
    cpuNumber = int(custom['cpuNumber'], -1);
    if (cpuNumber < min || cpuNumber > max)
      throw invalid(`Invalid cpu cores value, specify a value between ${min} and ${max}`, 'details');
  } else if ('cpuNumber' in custom) throw fixed('cpu cores');
  let cpuSpeed = o.cpuSpeed;
  if (!o.cpuSpeed) {
    cpuSpeed = int(custom['cpuSpeed'], -1);
    if (cpuSpeed <= 0) throw invalid(`Invalid cpu speed value, specify a value between 1 and ${INT_MAX}`, 'details');
  } else if ('cpuSpeed' in custom) throw fixed('cpu speed');
  let memory = o.memory;
  if (!o.memory) {
    const [min, max] = [int(d['minmemory'], 32), int(d['maxmemory'], INT_MAX)];
    memory = int(custom['memory'], -1);
    if (memory < min || memory > max)
      throw invalid(`Invalid memory value, specify a value between ${min} and ${max}`, 'details');
  } else if ('memory' in custom) throw fixed('memory');
  return { cpuNumber, cpuSpeed, memory };
}

/** Whether an offering limited to some zones may be used in this one. */
export const inZones = (o: { zoneIds?: string | null }, zoneId: string): boolean => {
  const z = idList(o.zoneIds);
  return z.length === 0 || z.includes(zoneId);
};

export type AnyOffering = Pick<ServiceOffering, 'domainIds' | 'zoneIds'> | Pick<DiskOffering, 'domainIds' | 'zoneIds'>;
