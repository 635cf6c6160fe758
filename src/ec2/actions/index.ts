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
import { routeTableActions } from './routetables.js';
import { internetGatewayActions } from './gateways.js';
import { natGatewayActions } from './natgateways.js';
import { dhcpActions } from './dhcp.js';
import { vpcAttributeActions } from './vpcattributes.js';
import { launchTemplateActions } from './launchtemplates.js';
import { launchTemplateDataActions } from './launchtemplates.data.js';
import { placementActions } from './placement.js';
import { instanceExtraActions } from './instances.extras.js';
import { volumeExtraActions } from './volumes.extras.js';
import { snapshotExtraActions } from './snapshots.extras.js';
import { ebsActions } from './ebs.js';
import { imageCopyActions } from './images.copy.js';
import { networkAclActions } from './networkacls.js';
import { interfaceActions } from './interfaces.js';

/** Every implemented EC2 action by its model name. */
export const ACTIONS: Readonly<Record<string, Action>> = {
  ...geoActions,
  ...catalogActions,
  ...keyPairActions,
  ...securityGroupActions,
  ...instanceActions,
  ...tagActions,
  ...addressActions,
  ...associationActions,
  ...vpcActions,
  ...attributeActions,
  ...volumeActions,
  ...snapshotActions,
  ...imageActions,
  ...routeTableActions,
  ...internetGatewayActions,
  ...natGatewayActions,
  ...dhcpActions,
  ...vpcAttributeActions,
  // Issue 17, compute and storage surface.
  ...launchTemplateActions,
  ...launchTemplateDataActions,
  ...placementActions,
  ...instanceExtraActions,
  ...volumeExtraActions,
  ...snapshotExtraActions,
  ...ebsActions,
  ...imageCopyActions,
  ...networkAclActions,
  ...interfaceActions,
};
