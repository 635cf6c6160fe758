/** The infrastructure records the API builds a zone from, and the rules that are pure data. */
import { decodePercentOrKeep } from './percent.js';
import { invalid } from './errors.js';
import type { Flag } from './types.js';

export interface TrafficType {
  id: string;
  physicalNetworkId: string;
  trafficType: string;
  kvmLabel: string | null;
  xenLabel: string | null;
  vmwareLabel: string | null;
  hypervLabel: string | null;
  ovm3Label: string | null;
  vlan: string | null;
  created: number;
}
export interface NetworkServiceProvider {
  id: string;
  physicalNetworkId: string;
  name: string;
  state: string;
  destinationPhysicalNetworkId: string | null;
  /** Comma-separated service names. */
  services: string;
  created: number;
}
/** A VirtualRouter/VpcVirtualRouter element or an internal load-balancer element of a provider. */
export interface ProviderElement {
  id: string;
  nspId: string;
  type: ElementType;
  enabled: Flag;
  created: number;
}
export type ElementType = 'VirtualRouter' | 'VPCVirtualRouter' | 'InternalLbVm';

export const TRAFFIC_TYPES = ['Public', 'Guest', 'Storage', 'Management', 'Control', 'Vpn'] as const;
export const ISOLATION_METHODS = [
  'VLAN',
  'L3',
  'GRE',
  'STT',
  'BCF_SEGMENT',
  'MIDO',
  'SSP',
  'VXLAN',
  'ODL',
  'L3VPN',
  'VSP',
  'VCS',
  'TF',
];

/**
 * The providers createPhysicalNetwork adds by itself (NetworkServiceImpl.createPhysicalNetwork), with
 * the services each one offers; all start Disabled except ConfigDrive.
 */
export const DEFAULT_PROVIDERS: { name: string; services: string[]; element?: ElementType; enabled?: true }[] = [
  {
    name: 'VirtualRouter',
    element: 'VirtualRouter',
    services: [
      'Dhcp',
      'Dns',
      'Firewall',
      'Gateway',
      'Lb',
      'PortForwarding',
      'SourceNat',
      'StaticNat',
      'UserData',
      'Vpn',
    ],
  },
  { name: 'SecurityGroupProvider', services: ['SecurityGroup'] },
  {
    name: 'VpcVirtualRouter',
    element: 'VPCVirtualRouter',
    services: [
      'Dhcp',
      'Dns',
      'Gateway',
      'Lb',
      'NetworkACL',
      'PortForwarding',
      'SourceNat',
      'StaticNat',
      'UserData',
      'Vpn',
    ],
  },
  { name: 'InternalLbVm', element: 'InternalLbVm', services: ['Lb'] },
  { name: 'ConfigDrive', services: ['UserData'], enabled: true },
];
/** Providers addNetworkServiceProvider knows besides the defaults (Marvin adds these for external devices). */
export const EXTERNAL_PROVIDERS = [
  'Netscaler',
  'JuniperSRX',
  'F5BigIp',
  'NiciraNvp',
  'NuageVsp',
  'JuniperContrailRouter',
  'JuniperContrailVpcRouter',
  'BigSwitchBcf',
  'Ovs',
  'Opendaylight',
  'PaloAlto',
  'BrocadeVcs',
  'GloboDns',
];

/** Grouping.AllocationState: zones, pods and clusters. */
export const ALLOCATION_STATES = ['Enabled', 'Disabled'] as const;

/** ResourceState of a host. */
export type ResourceState =
  | 'Enabled'
  | 'Disabled'
  | 'PrepareForMaintenance'
  | 'ErrorInPrepareForMaintenance'
  | 'Maintenance'
  | 'ErrorInMaintenance';
export const MAINTENANCE_STATES: ReadonlySet<string> = new Set([
  'PrepareForMaintenance',
  'ErrorInPrepareForMaintenance',
  'Maintenance',
  'ErrorInMaintenance',
]);
/** ResourceState.canAttemptMaintenance: a host already on its way in cannot be asked again. */
export const canAttemptMaintenance = (s: string) => s === 'Enabled' || s === 'Disabled' || s === 'ErrorInMaintenance';

/** Capacity.CAPACITY_TYPE_* with the names CapacityVO.getCapacityName gives them. */
export const CAPACITY = {
  MEMORY: 0,
  CPU: 1,
  STORAGE: 2,
  STORAGE_ALLOCATED: 3,
  VIRTUAL_NETWORK_PUBLIC_IP: 4,
  PRIVATE_IP: 5,
  SECONDARY_STORAGE: 6,
  VLAN: 7,
  DIRECT_ATTACHED_PUBLIC_IP: 8,
  LOCAL_STORAGE: 9,
  GPU: 19,
  CPU_CORE: 90,
} as const;
export const CAPACITY_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(CAPACITY).map(([k, v]) => [v, k]),
);

const GiB = 1024 ** 3;
/** The simulator's host defaults (MockAgentManager): 4 cores of 8000 MHz, 8 GiB. */
export const SIM_HOST = { cpuNumber: 4, cpuSpeed: 8000, memory: 8 * GiB };
/** Primary and secondary stores have no real disk behind them; CloudStack's simulator reports 1 TiB too (MockStorageManager). */
export const SIM_STORE_BYTES = 1024 * GiB;
/** What an image store reports of its disk (StorageStats: capacity and bytes used): the simulator's 1 TiB, nothing on it. */
export const imageStoreStats = (): { total: number; used: number } => ({ total: SIM_STORE_BYTES, used: 0 });

const FORM = 'http://sim/c0/h0/cpucore=8&cpuspeed=4000&memory=17179869184 (cpuspeed in MHz, memory in bytes)';
const OVERRIDES: Record<string, 'cpuNumber' | 'cpuSpeed' | 'memory'> = {
  cpucore: 'cpuNumber',
  cpuspeed: 'cpuSpeed',
  memory: 'memory',
};
/** Below this a memory override was surely meant in MiB or GiB, not bytes. */
const MIN_MEMORY = 64 * 1024 ** 2;

/**
 * `http://sim/c0/h0/cpuspeed=4000&cpucore=8&memory=17179869184` carries per-host overrides in its last
 * path segment (SimulatorDiscoverer); memory is in bytes, as MockAgentManager stores it. What it does
 * not understand (a query string, an unknown key, a value that is no positive whole number, a memory
 * size that can only be MiB or GiB) is refused rather than silently giving a default host.
 */
export function simHostSize(url: string): { cpuNumber: number; cpuSpeed: number; memory: number } {
  if (/[?#]/.test(url))
    throw invalid(`Simulator host overrides go in the URL's last path segment, not a query string: ${FORM}`, 'url');
  const last = decodePercentOrKeep(url.split('/').pop() ?? '');
  const out = { ...SIM_HOST };
  if (!last.includes('=')) return out;
  for (const pair of last.split('&')) {
    const [k = '', v = ''] = pair.split('=');
    const field = Object.hasOwn(OVERRIDES, k.toLowerCase()) ? OVERRIDES[k.toLowerCase()] : undefined;
    if (!field)
      throw invalid(
        `Unknown simulator host override "${k}" in ${url}: the overrides are cpucore, cpuspeed and memory, as in ${FORM}`,
        'url',
      );
    const n = Number(v);
    if (!/^\d+$/.test(v) || n <= 0 || !Number.isSafeInteger(n))
      throw invalid(`Simulator host override ${k}=${v} is not a positive whole number: ${FORM}`, 'url');
    if (field === 'memory' && n < MIN_MEMORY)
      throw invalid(
        `Simulator host override memory=${v} is in bytes (${v} bytes is less than 64 MiB); 16 GiB is memory=17179869184`,
        'url',
      );
    out[field] = n;
  }
  return out;
}

/** Whether SimulatorDiscoverer takes a URL: scheme http and an authority starting with "sim". */
export function isSimulatorUrl(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(url);
  return !!m && m[1]!.toLowerCase() === 'http' && m[2]!.startsWith('sim');
}

/** `nfs://10.147.28.6:/export/home/primary` → host and path, as createStoragePool splits it. */
export function storageUrl(url: string): { scheme: string; host: string; path: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:]*)(?::\d*)?(\/.*)?$/i.exec(url);
  if (!m) return undefined;
  return { scheme: m[1]!.toLowerCase(), host: m[2]!, path: m[3] ?? '' };
}

/** `100-200,300-310` as CloudStack's validateVlanRange reads it. */
export function parseVnetRanges(s: string): { start: number; end: number }[] | string {
  const out: { start: number; end: number }[] = [];
  const rangeMessage = ' between 0 and 4095';
  for (const r of s.split(',')) {
    const parts = r.split('-');
    if (parts.length === 1 && parts[0] === '') return out;
    if (parts.length < 2)
      return (
        'Please provide valid vnet range. vnet range should be a comma separated list of vlan ranges. example 500-500,600-601' +
        rangeMessage
      );
    const [a, b] = parts.map(Number);
    if (!/^\d+$/.test(parts[0]!) || !/^\d+$/.test(parts[1]!))
      return (
        'Please provide valid vnet range. The vnet range should be a comma separated list example 2001-2012,3000-3005.' +
        rangeMessage
      );
    if (a! < 0 || b! > 4095) return 'Vnet range has to be' + rangeMessage;
    if (a! > b!)
      return 'Vnet range has to be' + rangeMessage + ' and start range should be lesser than or equal to stop range';
    out.push({ start: a!, end: b! });
  }
  return out;
}

/**
 * com.cloud.host.ControlState.getControlState: what a VM's host allows, as listVirtualMachines,
 * listRouters and listSystemVms show it (hostcontrolstate).
 */
export function controlState(
  host: { state: string; resourceState: string } | undefined,
): 'Enabled' | 'Disabled' | 'Offline' | 'Maintenance' | 'Unknown' {
  if (!host || host.state === 'Unknown') return 'Unknown';
  if (['Down', 'Disconnected', 'Alert'].includes(host.state)) return 'Offline';
  if (MAINTENANCE_STATES.has(host.resourceState)) return 'Maintenance';
  return host.resourceState === 'Enabled' ? 'Enabled' : 'Disabled';
}
