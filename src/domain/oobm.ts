/** A host's out-of-band management configuration (OutOfBandManagementVO); the id is the host's. */
export interface Oobm {
  id: string;
  enabled: number;
  powerState: OobmPowerState;
  driver: string | null;
  address: string | null;
  port: string | null;
  username: string | null;
  password: string | null;
  created: number;
}
/** A zone or cluster with out-of-band management switched on or off (the `outOfBandManagementEnabled` detail). */
export interface OobmScope {
  id: string;
  enabled: number;
}

export type OobmPowerState = 'On' | 'Off' | 'Unknown' | 'Disabled';
export type OobmEvent = 'On' | 'Off' | 'AuthError' | 'Unknown' | 'Disabled';
/** OutOfBandManagement.PowerOperation: what issueOutOfBandManagementPowerAction may ask, by exact name. */
export const POWER_OPERATIONS = ['ON', 'OFF', 'CYCLE', 'RESET', 'SOFT', 'STATUS'] as const;
export type PowerOperation = (typeof POWER_OPERATIONS)[number];

/** OutOfBandManagement.PowerState's state machine: event -> [new state, states it may come from]. */
const FSM: Record<OobmEvent, [OobmPowerState, OobmPowerState[]]> = {
  On: ['On', ['On', 'Off', 'Unknown', 'Disabled']],
  Off: ['Off', ['On', 'Off', 'Unknown', 'Disabled']],
  Unknown: ['Unknown', ['On', 'Off', 'Unknown', 'Disabled']],
  AuthError: ['Unknown', ['On', 'Off', 'Disabled']],
  Disabled: ['Disabled', ['On', 'Off', 'Unknown']],
};

/** The state an event leads to, or undefined when the machine has no such transition (the state stays). */
export function nextPowerState(from: OobmPowerState, event: OobmEvent): OobmPowerState | undefined {
  const [to, froms] = FSM[event];
  return froms.includes(from) ? to : undefined;
}

/** PowerState.toEvent: what a driver's status answer does to the recorded state. */
export const powerEvent = (s: OobmPowerState): OobmEvent =>
  s === 'On' || s === 'Off' || s === 'Disabled' ? s : 'Unknown';
