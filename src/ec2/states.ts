/** CloudStack VM state → EC2 instance state (code, name); the compiler checks every state is mapped. */
type CsState = 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Destroyed' | 'Expunging' | 'Migrating' | 'Error';

export const INSTANCE_STATE: Record<CsState, { Code: number; Name: string }> = {
  Starting: { Code: 0, Name: 'pending' },
  Running: { Code: 16, Name: 'running' },
  Migrating: { Code: 16, Name: 'running' },
  Stopping: { Code: 64, Name: 'stopping' },
  Stopped: { Code: 80, Name: 'stopped' },
  Expunging: { Code: 32, Name: 'shutting-down' },
  Destroyed: { Code: 48, Name: 'terminated' },
  // A launch that failed: AWS shows such instances terminated with a server reason.
  Error: { Code: 48, Name: 'terminated' },
};

export const TERMINATED = { Code: 48, Name: 'terminated' };

export const stateOf = (s: string) => INSTANCE_STATE[s as CsState] ?? { Code: 48, Name: 'terminated' };

/** Service offerings shown as EC2 instance types: the well-known sizes get AWS-like names. */
const TYPE_NAMES: Record<string, string> = {
  'Small Instance': 't2.micro',
  'Medium Instance': 't2.small',
  'Large Instance': 't2.medium',
  'XLarge Instance': 'm5.xlarge',
};

export const instanceTypeOf = (offeringName: string): string =>
  TYPE_NAMES[offeringName] ??
  `cs.${offeringName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`;
