import type { VmState } from '../domain/types.js';

/**
 * CloudStack VM states as the API reports them: polystack's own (VmState) plus those a real
 * CloudStack behind a gateway can also answer with. The assertion below makes a new polystack
 * state a compile error here until it is mapped.
 */
type CsVmState = VmState | 'Allocated' | 'Creating' | 'Unknown' | 'Shutdowned' | 'Restoring' | 'BackingUp';
type Covers<T extends CsVmState> = T;
export type _EveryPolystackStateIsMapped = Covers<VmState>;

export type GceStatus =
  'PROVISIONING' | 'STAGING' | 'RUNNING' | 'STOPPING' | 'SUSPENDING' | 'SUSPENDED' | 'REPAIRING' | 'TERMINATED';

/** `undefined`: the instance is gone as far as Compute Engine is concerned (GET answers 404). */
export const INSTANCE_STATUS: Record<CsVmState, GceStatus | undefined> = {
  Allocated: 'PROVISIONING',
  Creating: 'PROVISIONING',
  Starting: 'STAGING',
  Running: 'RUNNING',
  Migrating: 'RUNNING',
  Stopping: 'STOPPING',
  Stopped: 'TERMINATED',
  Shutdowned: 'TERMINATED',
  // A launch that failed: GCE keeps such an instance TERMINATED with a statusMessage.
  Error: 'TERMINATED',
  Unknown: 'REPAIRING',
  Restoring: 'REPAIRING',
  BackingUp: 'RUNNING',
  Destroyed: undefined,
  Expunging: undefined,
};

export const statusOf = (state: string): GceStatus | undefined =>
  Object.hasOwn(INSTANCE_STATUS, state) ? INSTANCE_STATUS[state as CsVmState] : 'REPAIRING';

/** Volume states → Disk.status (CREATING, RESTORING, FAILED, READY, DELETING). */
const DISK_STATUS: Record<string, string> = {
  Allocated: 'READY',
  Creating: 'CREATING',
  Ready: 'READY',
  Migrating: 'RESTORING',
  Snapshotting: 'READY',
  Uploaded: 'READY',
  Resizing: 'RESTORING',
  Expunging: 'DELETING',
  Destroy: 'DELETING',
  Expunged: 'DELETING',
  UploadOp: 'CREATING',
  NotUploaded: 'FAILED',
};
export const diskStatusOf = (state: string): string => DISK_STATUS[state] ?? 'READY';
