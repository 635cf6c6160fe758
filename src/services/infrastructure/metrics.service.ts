import { cpus, freemem, hostname, loadavg, totalmem } from 'node:os';
import type { Clock } from '../../domain/clock.js';
import type { ManagementServer } from '../../domain/cluster.js';
import { SYSTEM_VM_KIND, type SystemVmType } from '../../domain/systemvm.js';
import type { Cluster, Host, Vm, Zone } from '../../domain/types.js';
import { hostStats, ROUTER_SIZE, vmStats, type HostLoad, type HostStats, type VmStats } from '../../domain/usage.js';
import type { Store } from '../../store/db.js';
import { metricsStore } from '../../store/metrics.store.js';
import type { ConfigService } from './config.service.js';

/** The notification and disable thresholds (fractions) that apply to one cluster, or the global ones. */
export interface Thresholds {
  cpu: number;
  memory: number;
  cpuDisable: number;
  memoryDisable: number;
}

/**
 * HostMetrics of MetricsServiceImpl: what a cluster's or zone's routing hosts add up to. Totals are the
 * capacity of its hosts; allocated what VMs reserve on them; used what their agents report.
 */
export interface HostSummary {
  totalCpu: number;
  cpuAllocated: number;
  cpuUsedPercentage: number;
  maximumCpuUsage: number;
  totalMemory: number;
  memoryAllocated: number;
  memoryUsed: number;
  maximumMemoryUsage: number;
  totalHosts: number;
  totalResources: number;
  upResources: number;
  thresholds: Thresholds;
}

export interface ManagementServerStats {
  availableProcessors: number;
  agentCount: number;
  sessions: number;
  heapMemoryUsed: number;
  heapMemoryTotal: number;
  threads: { blocked: number; daemon: number; runnable: number; terminated: number; total: number; waiting: number };
  systemMemoryTotal: number;
  systemMemoryFree: number;
  systemMemoryVirtualSize: number;
  systemTotalCpuCycles: number;
  systemLoadAverages: number[];
  systemCycleUsage: number[];
  dbIsLocal: boolean;
  usageIsLocal: boolean;
  collectionTime: number;
}

export interface DbStats {
  hostname: string;
  replicas: string[];
  connections: number;
  version: string;
  versionComment: string;
  queries: number;
  uptime: number;
  loadAverages: number[];
  collectionTime: number;
}

const GUEST_SIZE: Record<SystemVmType, { cpuNumber: number; cpuSpeed: number; memoryMb: number }> = SYSTEM_VM_KIND;

/**
 * The metrics plugin (MetricsServiceImpl) over the simulated data center: host, cluster and zone
 * figures from the guests each host runs, thresholds from the same settings CloudStack reads, and
 * this process's own figures for the management server and database views.
 */
export class MetricsService {
  private dbSamples: { at: number; queries: number }[] = [];
  private readonly started: number;

  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
    private dbUrl: string | undefined,
  ) {
    this.started = clock.now();
  }

  /** What each host's agent reports now: Up routing hosts only (a host that is not connected reports nothing). */
  async hostStats(hosts: Host[]): Promise<Map<string, HostStats>> {
    const loads = await this.loads();
    const out = new Map<string, HostStats>();
    for (const h of hosts) {
      if (h.type !== 'Routing' || h.state !== 'Up') continue;
      out.set(h.id, hostStats(h, loads.get(h.id) ?? { guests: 0, mhz: 0, memoryMb: 0 }));
    }
    return out;
  }

  /** The running guests on each host: user VMs, system VMs and routers, by their offering sizes. */
  private async loads(): Promise<Map<string, HostLoad>> {
    const db = this.store.db;
    const [users, system, routers] = await Promise.all([
      metricsStore.userGuestsByHost(db),
      metricsStore.systemGuestsByHost(db),
      metricsStore.routersByHost(db),
    ]);
    const out = new Map<string, HostLoad>();
    const add = (hostId: string, n: number, mhz: number, memoryMb: number) => {
      const l = out.get(hostId) ?? { guests: 0, mhz: 0, memoryMb: 0 };
      out.set(hostId, { guests: l.guests + n, mhz: l.mhz + mhz, memoryMb: l.memoryMb + memoryMb });
    };
    for (const u of users) add(u.hostId, Number(u.n), Number(u.mhz), Number(u.memoryMb));
    for (const s of system) {
      const size = GUEST_SIZE[s.type as SystemVmType];
      if (size) add(s.hostId, Number(s.n), Number(s.n) * size.cpuNumber * size.cpuSpeed, Number(s.n) * size.memoryMb);
    }
    for (const r of routers)
      add(
        r.hostId,
        Number(r.n),
        Number(r.n) * ROUTER_SIZE.cpuNumber * ROUTER_SIZE.cpuSpeed,
        Number(r.n) * ROUTER_SIZE.memoryMb,
      );
    return out;
  }

  /** User VMs on each host: Running ones and all (HostMetricsResponse.instances). */
  async instances(): Promise<Map<string, { running: number; total: number }>> {
    const rows = await metricsStore.userVmsOnHosts(this.store.db);
    return new Map(rows.map((r) => [r.hostId, { running: Number(r.running ?? 0), total: Number(r.total) }]));
  }

  /**
   * AlertManager.CPUCapacityThreshold / MemoryCapacityThreshold and DeploymentClusterPlanner's disable
   * thresholds, each read for the cluster (ConfigKey.valueIn), or their global values without one.
   */
  thresholds(clusterId?: string): Thresholds {
    const at = clusterId ? { scope: 'Cluster' as const, id: clusterId } : undefined;
    return {
      cpu: this.config.numIn('cluster.cpu.allocated.capacity.notificationthreshold', at, 0.75),
      memory: this.config.numIn('cluster.memory.allocated.capacity.notificationthreshold', at, 0.75),
      cpuDisable: this.config.numIn('cluster.cpu.allocated.capacity.disablethreshold', at, 0.85),
      memoryDisable: this.config.numIn('cluster.memory.allocated.capacity.disablethreshold', at, 0.85),
    };
  }

  /**
   * StorageCapacityThreshold (per cluster) and StorageCapacityDisableThreshold for a pool. Deviation:
   * MetricsServiceImpl reads the disable threshold, a Zone-scoped setting, with the pool's cluster id
   * as if it were a zone id; polystack reads it for the pool's zone.
   */
  storageThresholds(pool: { zoneId: string; clusterId: string | null }): { used: number; disable: number } {
    return {
      used: this.config.numIn(
        'cluster.storage.capacity.notificationthreshold',
        pool.clusterId ? { scope: 'Cluster', id: pool.clusterId } : undefined,
        0.75,
      ),
      disable: this.config.numIn('pool.storage.capacity.disablethreshold', { scope: 'Zone', id: pool.zoneId }, 0.85),
    };
  }

  /** listClustersMetrics: each cluster's routing hosts summed; hosts that are Up count as up resources. */
  async clusters(clusters: Cluster[], hosts: Host[]): Promise<Map<string, HostSummary>> {
    const stats = await this.hostStats(hosts);
    return new Map(
      clusters.map((c) => {
        const own = hosts.filter((h) => h.clusterId === c.id && h.type === 'Routing');
        const s = summarize(own, stats, this.thresholds(c.id));
        return [c.id, { ...s, totalResources: own.length, upResources: own.filter((h) => h.state === 'Up').length }];
      }),
    );
  }

  /** listZonesMetrics: the routing hosts of each zone's clusters; clusters Enabled and Managed count as up resources. */
  async zones(zones: Zone[], clusters: Cluster[], hosts: Host[]): Promise<Map<string, HostSummary>> {
    const stats = await this.hostStats(hosts);
    return new Map(
      zones.map((z) => {
        const own = clusters.filter((c) => c.zoneId === z.id);
        const ids = new Set(own.map((c) => c.id));
        const s = summarize(
          hosts.filter((h) => ids.has(h.clusterId) && h.type === 'Routing'),
          stats,
          this.thresholds(),
        );
        // polystack clusters are always Managed (clusterView's managedstate).
        return [
          z.id,
          { ...s, totalResources: own.length, upResources: own.filter((c) => c.allocationState === 'Enabled').length },
        ];
      }),
    );
  }

  infrastructure(): ReturnType<typeof metricsStore.infrastructure> {
    return metricsStore.infrastructure(this.store.db);
  }

  /** The stats of each running user VM (others report none): uptime since it last became Running, on the cloud's clock. */
  vmStats(vms: Vm[], accumulate?: boolean): Map<string, VmStats> {
    const window = {
      intervalMs: this.config.num('vm.stats.interval', 60000),
      retentionMs: this.config.num('vm.stats.max.retention.time', 720) * 60_000,
      accumulate: accumulate ?? this.config.bool('vm.stats.increment.metrics', true),
    };
    const now = this.clock.now();
    return new Map(vms.filter((v) => v.state === 'Running').map((v) => [v.id, vmStats(v, now - v.updated, window)]));
  }

  /**
   * ManagementServerHostStats of a node: this process measures itself; another node's figures live in
   * that node's memory, so it reports none (as CloudStack does for a node whose status it has not received).
   */
  async managementServer(
    node: ManagementServer,
    selfRunId: string | undefined,
  ): Promise<ManagementServerStats | undefined> {
    if (node.runId !== selfRunId || node.state !== 'Up') return undefined;
    const db = this.store.db;
    const [agents, sessions] = await Promise.all([metricsStore.agentsUp(db), metricsStore.sessions(db)]);
    const mem = process.memoryUsage();
    const cores = cpus();
    // Cumulative CPU times of every core: user (with nice), system (with irq), idle, in ticks of 10 ms.
    const ticks = cores
      .reduce(
        (a, c) => [a[0]! + c.times.user + c.times.nice, a[1]! + c.times.sys + c.times.irq, a[2]! + c.times.idle],
        [0, 0, 0],
      )
      .map((t) => Math.round(t / 10));
    const handles = activeHandles();
    return {
      availableProcessors: cores.length,
      agentCount: agents,
      sessions,
      heapMemoryUsed: mem.heapUsed,
      heapMemoryTotal: mem.heapTotal,
      // Node runs JavaScript on one thread; the others are libuv's pool and handles waiting on I/O.
      threads: { blocked: 0, daemon: handles, runnable: 1, terminated: 0, total: 1 + handles, waiting: handles },
      systemMemoryTotal: totalmem(),
      systemMemoryFree: freemem(),
      systemMemoryVirtualSize: mem.rss,
      systemTotalCpuCycles: cores.reduce((a, c) => a + c.speed, 0) / 1000,
      systemLoadAverages: loadavg(),
      systemCycleUsage: ticks,
      dbIsLocal: !this.dbUrl || /@(localhost|127\.|\[::1\])/.test(this.dbUrl),
      usageIsLocal: false,
      collectionTime: this.clock.now(),
    };
  }

  /**
   * listDbMetrics: the database's version and connections, the statements this process sent, and
   * queries per second over the last `database.server.stats.retention` intervals of
   * `database.server.stats.interval` seconds, sampled when asked.
   */
  async db(): Promise<DbStats> {
    const now = this.clock.now();
    const server = await metricsStore.server(this.store.db, this.store.dialect);
    const queries = this.store.queries();
    const intervalMs = Math.max(1, this.config.num('database.server.stats.interval', 60)) * 1000;
    const retention = Math.max(0, this.config.num('database.server.stats.retention', 3));
    const last = this.dbSamples.at(-1) ?? { at: this.started, queries: 0 };
    if (now - last.at >= intervalMs || !this.dbSamples.length) this.dbSamples.push({ at: now, queries });
    this.dbSamples = this.dbSamples.slice(-(retention + 1));
    const loads = this.dbSamples
      .map((s, i) => {
        const prev = i ? this.dbSamples[i - 1]! : { at: this.started, queries: 0 };
        return s.at > prev.at ? ((s.queries - prev.queries) * 1000) / (s.at - prev.at) : 0;
      })
      .slice(-retention);
    return {
      hostname: this.dbUrl ? dbHost(this.dbUrl) : 'localhost',
      replicas: [''],
      connections: server.connections,
      version: server.version,
      versionComment: server.versionComment,
      queries,
      uptime: server.uptimeSeconds ?? Math.floor((now - this.started) / 1000),
      loadAverages: retention ? loads.reverse() : [],
      collectionTime: now,
    };
  }

  /** No usage server runs beside polystack: its state is Down and no usage job ever ran. */
  usageServer(): { collectionTime: number; hostname: string; state: 'Up' | 'Down'; lastSuccessfulJob: number } {
    return { collectionTime: this.clock.now(), hostname: 'N/A', state: 'Down', lastSuccessfulJob: 0 };
  }

  /** This machine's name, for a node that did not name itself. */
  static machine(): string {
    return hostname();
  }
}

function summarize(
  hosts: Host[],
  stats: Map<string, HostStats>,
  thresholds: Thresholds,
): Omit<HostSummary, 'totalResources' | 'upResources'> {
  const s = {
    totalCpu: 0,
    cpuAllocated: 0,
    cpuUsedPercentage: 0,
    maximumCpuUsage: 0,
    totalMemory: 0,
    memoryAllocated: 0,
    memoryUsed: 0,
    maximumMemoryUsage: 0,
    totalHosts: 0,
    thresholds,
  };
  for (const h of hosts) {
    // Capacity totals come from the capacity rows, which count enabled hosts only (listCapacity's sums).
    if (h.resourceState === 'Enabled') {
      s.totalCpu += h.cpuNumber * h.cpuSpeed;
      s.totalMemory += h.memory;
    }
    s.totalHosts++;
    s.cpuAllocated += h.cpuUsed;
    s.memoryAllocated += h.memoryUsed;
    const st = stats.get(h.id);
    if (!st) continue;
    s.cpuUsedPercentage += st.cpuUtilization;
    s.memoryUsed += st.usedMemory;
    s.maximumCpuUsage = Math.max(s.maximumCpuUsage, st.cpuUtilization);
    s.maximumMemoryUsage = Math.max(s.maximumMemoryUsage, st.usedMemory);
  }
  return s;
}

/** Handles keeping the event loop busy (sockets, timers): Node's stand-in for waiting daemon threads. */
function activeHandles(): number {
  const p = process as unknown as { getActiveResourcesInfo?: () => string[] };
  return p.getActiveResourcesInfo?.().length ?? 0;
}

function dbHost(url: string): string {
  try {
    return new URL(url).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}
