import type { HostStats, VmStats } from '../../domain/usage.js';
import type {
  DbStats,
  HostSummary,
  ManagementServerStats,
  Thresholds,
} from '../../services/infrastructure/metrics.service.js';
import { csDate, double } from '../encode.js';

/** Java's String.format("%.Nf"): HALF_UP on the exact value (toFixed rounds ties up, toward +inf, so negatives go by their magnitude). */
export const fixed = (v: number, digits = 2): string => (v < 0 ? `-${(-v).toFixed(digits)}` : v.toFixed(digits));
/** DecimalFormat("#.##"): at most two decimals, no trailing zeros. */
export const decimal = (v: number): string => String(Number(v.toFixed(2)));
const GIB = 1024 * 1024 * 1024;
const pct = (s: unknown): number => Number(String(s ?? '').replace('%', ''));

/** HostResponse's figures from the host's last stats (HostJoinDaoImpl): none when the agent reports nothing. */
export function hostStatsFields(s: HostStats | undefined): Record<string, unknown> {
  if (!s) return {};
  return {
    cpuused: `${decimal(s.cpuUtilization)}%`,
    memoryused: Math.floor(s.usedMemory),
    networkkbsread: Math.floor(s.networkReadKBs),
    networkkbswrite: Math.floor(s.networkWriteKBs),
    cpuloadaverage: double(s.loadAverage),
  };
}

/** HostMetricsResponse: the HostResponse `h` plus sizes in GHz/GB and the threshold flags of its cluster. */
export function hostMetricsView(
  h: Record<string, unknown>,
  t: Thresholds,
  instances: { running: number; total: number } | undefined,
): Record<string, unknown> {
  const v: Record<string, unknown> = { ...h };
  const cpus = Number(h['cpunumber']);
  const speed = Number(h['cpuspeed']);
  const ghz = (share: unknown) => `${fixed((pct(share) * cpus * speed) / (100 * 1000))} Ghz`;
  v['powerstate'] = (h['outofbandmanagement'] as { powerstate?: string } | undefined)?.powerstate;
  v['instances'] = `${instances?.running ?? 0} / ${instances?.total ?? 0}`;
  v['cputotalghz'] = `${fixed((cpus * speed) / 1000)} Ghz`;
  if (h['cpuused'] !== undefined) v['cpuusedghz'] = ghz(h['cpuused']);
  v['cpuallocatedghz'] = ghz(h['cpuallocated']);
  const total = Number(h['memorytotal']);
  v['memorytotalgb'] = `${fixed(total / GIB)} GB`;
  if (h['memoryused'] !== undefined) v['memoryusedgb'] = `${fixed(Number(h['memoryused']) / GIB)} GB`;
  v['memoryallocatedgb'] = `${fixed(Number(h['memoryallocated']) / GIB)} GB`;
  if (h['networkkbsread'] !== undefined) v['networkread'] = `${fixed(Number(h['networkkbsread']) / (1024 * 1024))} GB`;
  if (h['networkkbswrite'] !== undefined)
    v['networkwrite'] = `${fixed(Number(h['networkkbswrite']) / (1024 * 1024))} GB`;
  if (h['cpuused'] !== undefined) {
    v['cputhreshold'] = pct(h['cpuused']) > 100 * t.cpu;
    v['cpudisablethreshold'] = pct(h['cpuused']) > 100 * t.cpuDisable;
  }
  v['cpuallocatedthreshold'] = pct(h['cpuallocated']) > 100 * t.cpu;
  v['cpuallocateddisablethreshold'] = pct(h['cpuallocated']) > 100 * t.cpuDisable;
  if (h['memoryused'] !== undefined) {
    v['memorythreshold'] = Number(h['memoryused']) > total * t.memory;
    v['memorydisablethreshold'] = Number(h['memoryused']) > total * t.memoryDisable;
  }
  v['memoryallocatedthreshold'] = Number(h['memoryallocated']) > total * t.memory;
  v['memoryallocateddisablethreshold'] = Number(h['memoryallocated']) > total * t.memoryDisable;
  return v;
}

/**
 * ClusterMetricsResponse / ZoneMetricsResponse's host summary. `zone`: ZoneMetricsResponse averages
 * memory with a long division where ClusterMetricsResponse divides doubles.
 */
export function summaryFields(s: HostSummary, zone: boolean): Record<string, unknown> {
  const t = s.thresholds;
  const v: Record<string, unknown> = { cputotal: `${fixed(s.totalCpu / 1000)} Ghz` };
  if (s.totalCpu) v['cpuallocated'] = `${fixed((s.cpuAllocated * 100) / s.totalCpu)}%`;
  if (s.cpuUsedPercentage > 0 && s.totalHosts) {
    const avg = s.cpuUsedPercentage / s.totalHosts;
    v['cpuused'] = `${fixed(avg)}%`;
    // As in CloudStack: the CPU deviation is a fraction printed with a % sign (the memory one is a percentage).
    v['cpumaxdeviation'] = `${fixed((s.maximumCpuUsage - avg) / avg)}%`;
  }
  v['memorytotal'] = `${fixed(s.totalMemory / GIB)} GB`;
  if (s.totalMemory) v['memoryallocated'] = `${fixed((s.memoryAllocated * 100) / s.totalMemory)}%`;
  if (s.memoryUsed > 0) {
    if (s.totalMemory || zone) v['memoryused'] = `${fixed((s.memoryUsed * 100) / s.totalMemory)}%`;
    if (s.totalHosts) {
      const avg = zone ? Math.floor(s.memoryUsed / s.totalHosts) : s.memoryUsed / s.totalHosts;
      v['memorymaxdeviation'] = `${fixed(((s.maximumMemoryUsage - avg) * 100) / avg)}%`;
    }
  }
  if (s.totalHosts) {
    v['cputhreshold'] = s.cpuUsedPercentage / (100 * s.totalHosts) > t.cpu;
    v['cpudisablethreshold'] = s.cpuUsedPercentage / (100 * s.totalHosts) > t.cpuDisable;
  }
  if (s.totalCpu) {
    v['cpuallocatedthreshold'] = s.cpuAllocated / s.totalCpu > t.cpu;
    v['cpuallocateddisablethreshold'] = s.cpuAllocated / s.totalCpu > t.cpuDisable;
  }
  if (s.totalMemory) {
    v['memorythreshold'] = s.memoryUsed / s.totalMemory > t.memory;
    v['memorydisablethreshold'] = s.memoryUsed / s.totalMemory > t.memoryDisable;
    v['memoryallocatedthreshold'] = s.memoryAllocated / s.totalMemory > t.memory;
    v['memoryallocateddisablethreshold'] = s.memoryAllocated / s.totalMemory > t.memoryDisable;
  }
  return v;
}

/** StoragePoolMetricsResponse: the pool view `p` plus GB figures and its threshold flags. */
export function storagePoolMetricsView(
  p: Record<string, unknown>,
  t: { used: number; disable: number },
): Record<string, unknown> {
  const total = Number(p['disksizetotal']);
  const used = Number(p['disksizeused']);
  const allocated = Number(p['disksizeallocated']);
  const factorText = String(p['overprovisionfactor']);
  const factor = Number(factorText);
  return {
    ...p,
    disksizeusedgb: `${fixed(used / GIB)} GB`,
    disksizetotalgb: `${fixed(total / GIB)} GB (x${factorText})`,
    disksizeallocatedgb: `${fixed(allocated / GIB)} GB`,
    disksizeunallocatedgb: `${fixed((factor * total - allocated) / GIB)} GB`,
    storageusagethreshold: used > total * factor * t.used,
    storageusagedisablethreshold: used > total * factor * t.disable,
    storageallocatedthreshold: allocated > total * factor * t.used,
    // MetricsServiceImpl passes the used size, not the allocated one, to the allocated disable flag.
    storageallocateddisablethreshold: used > total * factor * t.disable,
  };
}

/** UserVmResponse's stats fields (UserVmJoinDaoImpl), from the VM's latest stats. */
export function vmStatsFields(s: VmStats | undefined): Record<string, unknown> {
  if (!s) return {};
  return {
    cpuused: `${decimal(s.cpuUtilization)}%`,
    networkkbsread: s.networkReadKBs,
    networkkbswrite: s.networkWriteKBs,
    diskkbsread: s.diskReadKBs,
    diskkbswrite: s.diskWriteKBs,
    diskioread: s.diskReadIOs,
    diskiowrite: s.diskWriteIOs,
    memorykbs: s.memoryKBs,
    memoryintfreekbs: s.intFreeMemoryKBs >= s.memoryKBs ? -1 : s.intFreeMemoryKBs,
    memorytargetkbs: s.targetMemoryKBs,
  };
}

/** VmMetricsResponse: the VM view `v` (with its stats fields) plus totals in GHz/GiB and traffic in MiB. */
export function vmMetricsView(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...v,
    cputotal: `${fixed((Number(v['cpunumber']) * Number(v['cpuspeed'])) / 1000, 1)} Ghz`,
    memorytotal: `${fixed(Number(v['memory']) / 1024)} GiB`,
  };
  const mib = (k: string, to: string) => {
    if (v[k] !== undefined) out[to] = `${fixed(Number(v[k]) / 1024)} MiB`;
  };
  mib('networkkbsread', 'networkread');
  mib('networkkbswrite', 'networkwrite');
  mib('diskkbsread', 'diskread');
  mib('diskkbswrite', 'diskwrite');
  if (v['diskioread'] !== undefined && v['diskiowrite'] !== undefined)
    out['diskiopstotal'] = Number(v['diskioread']) + Number(v['diskiowrite']);
  return out;
}

/** VolumeMetricsResponse: size in GiB, and for admins the storage type with the volume type ("Shared (ROOT)"). */
export function volumeMetricsView(v: Record<string, unknown>, admin: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...v, sizegb: `${fixed(Number(v['size']) / GIB)} GiB` };
  const st = typeof v['storagetype'] === 'string' ? v['storagetype'] : '';
  if (admin && st && v['type'])
    out['storagetype'] = `${st.slice(0, 1).toUpperCase()}${st.slice(1)} (${String(v['type'])})`;
  if (v['diskioread'] !== undefined && v['diskiowrite'] !== undefined)
    out['diskiopstotal'] = Number(v['diskioread']) + Number(v['diskiowrite']);
  return out;
}

/** NumbersUtil.toReadableSize: bytes in the largest unit that keeps the figure at or above 1 (1024-based, two decimals). */
export function readableSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fixed(v)} ${units[i]}`;
}

/** ManagementServerMetricsResponse's figures for a node with stats. */
export function managementServerStatsFields(s: ManagementServerStats): Record<string, unknown> {
  const [user = 0, sys = 0, idle = 0] = s.systemCycleUsage;
  const busy = user + sys;
  return {
    dbislocal: s.dbIsLocal,
    usageislocal: s.usageIsLocal,
    availableprocessors: s.availableProcessors,
    agentcount: s.agentCount,
    collectiontime: csDate(s.collectionTime),
    sessions: s.sessions,
    heapmemoryused: s.heapMemoryUsed,
    heapmemorytotal: s.heapMemoryTotal,
    threadsblockedcount: s.threads.blocked,
    threadsdaemoncount: s.threads.daemon,
    threadsrunnablecount: s.threads.runnable,
    threadsteminatedcount: s.threads.terminated,
    threadstotalcount: s.threads.total,
    threadswaitingcount: s.threads.waiting,
    systemmemorytotal: readableSize(s.systemMemoryTotal),
    systemmemoryfree: readableSize(s.systemMemoryFree),
    systemmemoryvirtualsize: readableSize(s.systemMemoryVirtualSize),
    // polystack logs to stdout: no log file takes disk space.
    loginfo: 'logs go to the standard output of the polystack process',
    systemtotalcpucycles: double(s.systemTotalCpuCycles),
    systemloadaverages: s.systemLoadAverages.map(double),
    systemcycleusage: s.systemCycleUsage,
    cpuload: `${fixed(busy + idle ? (100 * busy) / (busy + idle) : 0)}%`,
  };
}

/** DbMetricsResponse. */
export function dbMetricsView(d: DbStats): Record<string, unknown> {
  return {
    hostname: d.hostname,
    replicas: d.replicas,
    connections: d.connections,
    version: d.version,
    versioncomment: d.versionComment,
    queries: d.queries,
    uptime: d.uptime,
    dbloadaverages: d.loadAverages.map(double),
    collectiontime: csDate(d.collectionTime),
  };
}
