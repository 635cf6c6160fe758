import { cs } from './cloudstack';

export interface Amount {
  used: number;
  total: number;
}

export interface ZoneCapacity {
  cpu?: Amount;
  memory?: Amount;
  storage?: Amount;
  publicIps?: Amount;
  /** Which command the numbers came from, shown beside them. */
  source: string;
}

interface CapacityRow {
  type: number;
  zoneid: string;
  capacityused: number;
  capacitytotal: number;
}
interface HostRow {
  zoneid: string;
  type: string;
  cpunumber?: number;
  cpuspeed?: number;
  cpuallocated?: string;
  memorytotal?: number;
  memoryallocated?: number;
}
interface PoolRow {
  zoneid: string;
  disksizetotal?: number;
  disksizeallocated?: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const amount = (rows: { used: number; total: number }[]): Amount | undefined =>
  rows.length ? { used: sum(rows.map((r) => r.used)), total: sum(rows.map((r) => r.total)) } : undefined;

/** CloudStack's capacity types (Capacity.CAPACITY_TYPE_*) that the dashboard shows. */
const TYPE = { memory: 0, cpu: 1, storage: 3, publicIp: 4, directPublicIp: 8 } as const;

async function fromListCapacity(zoneId: string): Promise<ZoneCapacity> {
  const { items } = await cs.list<CapacityRow>('listCapacity', 'capacity', { zoneid: zoneId });
  const of = (t: number) =>
    amount(
      items
        .filter((c) => Number(c.type) === t)
        .map((c) => ({ used: Number(c.capacityused), total: Number(c.capacitytotal) })),
    );
  return {
    cpu: of(TYPE.cpu),
    memory: of(TYPE.memory),
    storage: of(TYPE.storage),
    publicIps: of(TYPE.publicIp) ?? of(TYPE.directPublicIp),
    source: 'listCapacity',
  };
}

/** Without listCapacity: CPU and memory from the hosts' allocation fields, storage from the pools, where those commands exist. */
async function fromHosts(zoneId: string): Promise<ZoneCapacity> {
  const out: ZoneCapacity = { source: 'listHosts' };
  if (cs.supports('listHosts')) {
    const hosts = (await cs.list<HostRow>('listHosts', 'host', { zoneid: zoneId, type: 'Routing' })).items;
    const cpu = hosts.map((h) => {
      const total = Number(h.cpunumber ?? 0) * Number(h.cpuspeed ?? 0);
      return { total, used: (parseFloat(h.cpuallocated ?? '0') / 100) * total };
    });
    out.cpu = amount(cpu);
    out.memory = amount(
      hosts.map((h) => ({ total: Number(h.memorytotal ?? 0), used: Number(h.memoryallocated ?? 0) })),
    );
  }
  if (cs.supports('listStoragePools')) {
    const pools = (await cs.list<PoolRow>('listStoragePools', 'storagepool', { zoneid: zoneId })).items;
    out.storage = amount(
      pools.map((p) => ({ total: Number(p.disksizetotal ?? 0), used: Number(p.disksizeallocated ?? 0) })),
    );
  }
  return out;
}

/** Public addresses in use out of all the zone has (an admin lists the free ones with allocatedonly=false). */
async function publicIps(zoneId: string): Promise<Amount> {
  const [all, used] = await Promise.all([
    cs.list('listPublicIpAddresses', 'publicipaddress', {
      zoneid: zoneId,
      allocatedonly: false,
      listall: true,
      pagesize: 1,
      page: 1,
    }),
    cs.list('listPublicIpAddresses', 'publicipaddress', {
      zoneid: zoneId,
      allocatedonly: true,
      listall: true,
      pagesize: 1,
      page: 1,
    }),
  ]);
  return { used: used.count, total: all.count };
}

/** A zone's capacity from the best source this server has. */
export async function zoneCapacity(zoneId: string): Promise<ZoneCapacity> {
  const c = cs.supports('listCapacity') ? await fromListCapacity(zoneId) : await fromHosts(zoneId);
  if (!c.publicIps) {
    const ips = await publicIps(zoneId);
    // A basic zone has no public range: its guests take addresses of the pod directly.
    if (ips.total > 0) c.publicIps = ips;
    if (c.source === 'listHosts' && !c.cpu) c.source = 'listPublicIpAddresses';
  }
  return c;
}

const HISTORY_KEY = 'polystack.capacity.history';
export type Sample = { t: number; zones: Record<string, Record<string, number>> };

/**
 * CloudStack keeps no capacity history an API returns, so the console records what it sees while
 * it is open (percent used per zone and kind), for the tab's lifetime, at most 120 samples.
 */
export function recordSample(zones: Record<string, ZoneCapacity>): Sample[] {
  const pct = (a?: Amount) => (a && a.total > 0 ? (a.used / a.total) * 100 : undefined);
  const sample: Sample = { t: Date.now(), zones: {} };
  for (const [id, c] of Object.entries(zones)) {
    const row: Record<string, number> = {};
    for (const k of ['cpu', 'memory', 'storage', 'publicIps'] as const) {
      const v = pct(c[k]);
      if (v !== undefined) row[k] = v;
    }
    sample.zones[id] = row;
  }
  const history = [...readHistory(), sample].slice(-120);
  sessionStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  return history;
}

export function readHistory(): Sample[] {
  try {
    return JSON.parse(sessionStorage.getItem(HISTORY_KEY) ?? '[]') as Sample[];
  } catch {
    return [];
  }
}
