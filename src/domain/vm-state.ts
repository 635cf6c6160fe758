import type { VmState } from './types.js';
import { invalidState } from './errors.js';

export type VmEvent =
  | 'StartRequested'
  | 'StopRequested'
  | 'DestroyRequested'
  | 'RecoveryRequested'
  | 'ExpungeOperation'
  | 'OperationSucceeded'
  | 'OperationFailed'
  | 'OperationFailedToError';

/** CloudStack's VirtualMachine state table (api/.../vm/VirtualMachine.java), the parts the API drives. */
const TABLE: Record<VmState, Partial<Record<VmEvent, VmState>>> = {
  Stopped: {
    StartRequested: 'Starting',
    DestroyRequested: 'Destroyed',
    ExpungeOperation: 'Expunging',
    OperationFailedToError: 'Error',
  },
  Starting: { OperationSucceeded: 'Running', OperationFailed: 'Stopped', OperationFailedToError: 'Error' },
  Running: { StopRequested: 'Stopping', DestroyRequested: 'Stopping' },
  Stopping: { OperationSucceeded: 'Stopped', OperationFailed: 'Running' },
  Destroyed: { RecoveryRequested: 'Stopped', ExpungeOperation: 'Expunging' },
  Error: { DestroyRequested: 'Expunging', ExpungeOperation: 'Expunging' },
  Expunging: { ExpungeOperation: 'Expunging', OperationFailed: 'Expunging' },
  Migrating: { OperationSucceeded: 'Running', OperationFailed: 'Running' },
};

export function nextState(from: VmState, event: VmEvent): VmState | undefined {
  return TABLE[from][event];
}

export function transition(id: string, from: VmState, event: VmEvent): VmState {
  const to = nextState(from, event);
  if (!to) throw invalidState(`VM ${id} is in state ${from} and cannot take event ${event}`, 'VirtualMachine', id);
  return to;
}

/** States in which a VM holds CPU and memory on a host. */
export const HOLDS_CAPACITY: ReadonlySet<VmState> = new Set(['Starting', 'Running', 'Stopping', 'Migrating']);
