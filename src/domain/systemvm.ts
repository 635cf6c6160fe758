/** CloudStack's secondary storage VM and console proxy (VirtualMachine.Type SecondaryStorageVm / ConsoleProxy). */
export type SystemVmType = 'secondarystoragevm' | 'consoleproxy';
export type SystemVmState = 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Migrating' | 'Destroyed';

export interface SystemVm {
  id: string;
  seq: number;
  name: string;
  type: SystemVmType;
  zoneId: string;
  podId: string | null;
  /** The routing host the VM runs on, and the host row its agent registers as (type SecondaryStorageVM / ConsoleProxy). */
  hostId: string | null;
  lastHostId: string | null;
  agentHostId: string | null;
  state: SystemVmState;
  publicIp: string | null;
  privateIp: string | null;
  linkLocalIp: string | null;
  templateId: string | null;
  created: number;
  removed: number | null;
}

/** The 4.18 system offerings (SecondaryStorageManagerImpl / ConsoleProxyManagerImpl defaults): 1 x 500 MHz, 512 / 1024 MB (not reserved: see placeOn). */
export const SYSTEM_VM_KIND = {
  secondarystoragevm: {
    prefix: 's',
    hostType: 'SecondaryStorageVM',
    offering: 'System Offering For Secondary Storage VM',
    cpuNumber: 1,
    cpuSpeed: 500,
    memoryMb: 512,
    event: 'SSVM',
  },
  consoleproxy: {
    prefix: 'v',
    hostType: 'ConsoleProxy',
    offering: 'System Offering For Console Proxy',
    cpuNumber: 1,
    cpuSpeed: 500,
    memoryMb: 1024,
    event: 'PROXY',
  },
} as const;
