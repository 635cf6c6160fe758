import { cloudstackSuite } from './cloudstack.suite.js';
import { ec2Suite } from './ec2.suite.js';
import { gceSuite } from './gce.suite.js';
import type { Suite } from './scenario.js';

/** Every suite, by the front it speaks to. */
export const SUITES: Readonly<Record<Suite<unknown>['front'], Suite<any>>> = {
  cloudstack: cloudstackSuite,
  ec2: ec2Suite,
  gce: gceSuite,
};
