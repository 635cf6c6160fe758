import { addressActions, associationActions } from './addresses.js';
import { catalogActions } from './catalog.js';
import { geoActions } from './geo.js';
import { instanceActions } from './instances.js';
import { keyPairActions } from './keypairs.js';
import { securityGroupActions } from './securitygroups.js';
import { tagActions } from './tags.js';
import type { Action } from './types.js';
import { vpcActions } from './vpcs.js';
import { attributeActions } from './attributes.js';
import { volumeActions } from './volumes.js';
import { snapshotActions } from './snapshots.js';
import { imageActions } from './images.js';
import { networkAclActions } from './networkacls.js';
import { interfaceActions } from './interfaces.js';

/** Every implemented EC2 action by its model name. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  ...geoActions, ...catalogActions, ...keyPairActions, ...securityGroupActions, ...instanceActions, ...tagActions, ...addressActions, ...associationActions, ...vpcActions, ...attributeActions,
  ...volumeActions, ...snapshotActions, ...imageActions,
  ...networkAclActions, ...interfaceActions,
};
