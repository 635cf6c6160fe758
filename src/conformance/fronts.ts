import type { Suite } from './scenario.js';

type Front = Suite<unknown>['front'];
// A record keyed by every front: the compiler asks for a new one here (SUITES has the same keys).
const ALL: Record<Front, true> = { cloudstack: true, ec2: true, gce: true };

/** The fronts a conformance suite speaks to, without loading the suites. */
export const CONFORMANCE_FRONTS = Object.keys(ALL) as Front[];
