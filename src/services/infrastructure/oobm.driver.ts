import type { OobmPowerState, PowerOperation } from '../../domain/oobm.js';

/** What a driver is given: the host's configured options (OutOfBandManagement.Option). */
export interface OobmOptions {
  address: string | null;
  port: string | null;
  username: string | null;
  password: string | null;
}

/** OutOfBandManagementDriverResponse: the driver's raw result, its error, and the power state a STATUS read. */
export interface OobmDriverAnswer {
  success: boolean;
  result?: string;
  error?: string;
  authFailure?: boolean;
  powerState?: OobmPowerState;
}

/**
 * A BMC driver (OutOfBandManagementDriver). Drivers talk to hardware outside the cloud, so their
 * implementations live in the bridge layer and are handed to the service by the composition root.
 */
export interface OobmDriver {
  power(options: OobmOptions, op: PowerOperation, timeoutSeconds: number): Promise<OobmDriverAnswer>;
  /** Throws what the driver throws when it cannot change a password at all. */
  changePassword(options: OobmOptions, newPassword: string, timeoutSeconds: number): Promise<OobmDriverAnswer>;
}
