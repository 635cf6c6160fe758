/**
 * What the simulated agent reports when CloudStack's stats collector asks (GetHostStatsCommand,
 * GetVmStatsCommand): figures derived from what runs where, in the units the real agents use.
 *
 * The guest profile is CloudStack's simulator's (MockVmManagerImpl.getVmStats: 10 % CPU, 32768 KB
 * read and 16384 KB written on the network per sample), plus disk traffic and guest free memory,
 * which that simulator reports as 0 and polystack gives a small steady load so the disk and memory
 * figures mean something. A host's figures are the sum of the guests running on it (user VMs,
 * system VMs and routers), as the simulator's GetHostStats sums its mock VMs.
 */
export const SIMULATED_GUEST = {
  cpuPercent: 10,
  networkReadKBs: 32768,
  networkWriteKBs: 16384,
  diskReadKBs: 4096,
  diskWriteKBs: 2048,
  /** KiB per disk operation (the guest reads and writes 4 KiB blocks). */
  ioKBs: 4,
  /** Share of its memory the guest leaves free. */
  freeMemoryShare: 0.25,
} as const;

/** The 4.18 default system offering of a virtual router (1 x 500 MHz, 256 MB). */
export const ROUTER_SIZE = { cpuNumber: 1, cpuSpeed: 500, memoryMb: 256 } as const;

/** What runs on one host: the summed size of its running guests. */
export interface HostLoad {
  guests: number;
  mhz: number;
  memoryMb: number;
}

/** HostStatsEntry: cpuUtilization is a percentage, usedMemory bytes, network KB in the last sample. */
export interface HostStats {
  cpuUtilization: number;
  usedMemory: number;
  networkReadKBs: number;
  networkWriteKBs: number;
  loadAverage: number;
}

export function hostStats(host: { cpuNumber: number; cpuSpeed: number }, load: HostLoad): HostStats {
  const busyMhz = (load.mhz * SIMULATED_GUEST.cpuPercent) / 100;
  const totalMhz = host.cpuNumber * host.cpuSpeed;
  return {
    cpuUtilization: totalMhz ? (busyMhz * 100) / totalMhz : 0,
    usedMemory: load.memoryMb * 1024 * 1024,
    networkReadKBs: load.guests * SIMULATED_GUEST.networkReadKBs,
    networkWriteKBs: load.guests * SIMULATED_GUEST.networkWriteKBs,
    // Busy cores: what a one-minute load average settles at under a steady load.
    loadAverage: host.cpuSpeed ? busyMhz / host.cpuSpeed : 0,
  };
}

/** VmStatsEntry as UserVmResponse shows it (KB, operations, KiB of memory). */
export interface VmStats {
  cpuUtilization: number;
  networkReadKBs: number;
  networkWriteKBs: number;
  diskReadKBs: number;
  diskWriteKBs: number;
  diskReadIOs: number;
  diskWriteIOs: number;
  memoryKBs: number;
  intFreeMemoryKBs: number;
  targetMemoryKBs: number;
}

export interface StatsWindow {
  /** vm.stats.interval: one sample covers this long. */
  intervalMs: number;
  /** vm.stats.max.retention.time: how far back accumulated samples reach. */
  retentionMs: number;
  /** Sum the retained samples' traffic (listVirtualMachines accumulate=true) instead of the last sample's. */
  accumulate: boolean;
}

/**
 * A running guest's stats after `runningMs` of uptime. The last sample covers at most one interval
 * (less when the VM started within it); accumulated traffic covers the retention window. CPU and
 * memory are always the latest sample's (StatsCollector accumulates traffic only).
 */
export function vmStats(vm: { memory: number }, runningMs: number, w: StatsWindow): VmStats {
  const span = Math.max(0, Math.min(runningMs, w.accumulate ? w.retentionMs : w.intervalMs));
  const samples = w.intervalMs > 0 ? span / w.intervalMs : 0;
  const kb = (perSample: number) => Math.floor(perSample * samples);
  const memoryKBs = vm.memory * 1024;
  const diskReadKBs = kb(SIMULATED_GUEST.diskReadKBs);
  const diskWriteKBs = kb(SIMULATED_GUEST.diskWriteKBs);
  return {
    cpuUtilization: SIMULATED_GUEST.cpuPercent,
    networkReadKBs: kb(SIMULATED_GUEST.networkReadKBs),
    networkWriteKBs: kb(SIMULATED_GUEST.networkWriteKBs),
    diskReadKBs,
    diskWriteKBs,
    diskReadIOs: Math.floor(diskReadKBs / SIMULATED_GUEST.ioKBs),
    diskWriteIOs: Math.floor(diskWriteKBs / SIMULATED_GUEST.ioKBs),
    memoryKBs,
    intFreeMemoryKBs: Math.floor(memoryKBs * SIMULATED_GUEST.freeMemoryShare),
    targetMemoryKBs: memoryKBs,
  };
}

/** VirtualRouterAutoScale.MBITS_TO_BYTES: the router reports its byte counters in megabits. */
export const MBITS_TO_BYTES = (1024 * 1024) / 8;

/** What a router answers GetAutoScaleMetricsCommand with for one load balancer rule. */
export interface RouterAutoScaleMetrics {
  receivedMbits: number;
  transmitMbits: number;
  lbConnections: number;
}

/**
 * A router's public interface counters after `runningMs` up (bytes received and sent since it started,
 * in megabits, counters that only grow) and the current sessions of a balanced address. The router
 * carries the simulated guest's traffic per stats interval; nobody connects to a simulated address.
 */
export function routerAutoScaleMetrics(runningMs: number, intervalMs: number): RouterAutoScaleMetrics {
  const samples = intervalMs > 0 ? Math.max(0, runningMs) / intervalMs : 0;
  const mbits = (kbPerSample: number) => Math.floor(kbPerSample * 1024 * samples) / MBITS_TO_BYTES;
  return {
    receivedMbits: mbits(SIMULATED_GUEST.networkReadKBs),
    transmitMbits: mbits(SIMULATED_GUEST.networkWriteKBs),
    lbConnections: 0,
  };
}
