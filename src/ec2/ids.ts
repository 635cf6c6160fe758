import { createHash } from 'node:crypto';
import { ec2Error } from './errors.js';
import type { Ec2Store } from './store.js';

/** EC2 id prefixes for the CloudStack kinds the front shows. */
export const PREFIX = {
  instance: 'i',
  image: 'ami',
  volume: 'vol',
  snapshot: 'snap',
  securityGroup: 'sg',
  keyPair: 'key',
  address: 'eipalloc',
  association: 'eipassoc',
  reservation: 'r',
  vpc: 'vpc',
  subnet: 'subnet',
  rule: 'sgr',
  networkInterface: 'eni',
  // VPC networking (issue 17): front-side objects, and kinds that exist only as route targets polystack never has.
  routeTable: 'rtb',
  routeTableAssociation: 'rtbassoc',
  internetGateway: 'igw',
  natGateway: 'nat',
  dhcpOptions: 'dopt',
  egressOnlyInternetGateway: 'eigw',
  vpcEndpoint: 'vpce',
  prefixList: 'pl',
  transitGateway: 'tgw',
  localGateway: 'lgw',
  carrierGateway: 'cagw',
  vpcPeeringConnection: 'pcx',
  launchTemplate: 'lt',
  placementGroup: 'pg',
  networkAcl: 'acl',
  aclAssociation: 'aclassoc',
  attachment: 'eni-attach',
} as const;
export type Kind = keyof typeof PREFIX;

/** The NotFound and Malformed error codes AWS uses per kind. */
const CODES: Record<Kind, string> = {
  instance: 'InvalidInstanceID',
  image: 'InvalidAMIID',
  volume: 'InvalidVolume',
  snapshot: 'InvalidSnapshot',
  securityGroup: 'InvalidGroup',
  keyPair: 'InvalidKeyPair',
  address: 'InvalidAllocationID',
  association: 'InvalidAssociationID',
  reservation: 'InvalidReservationID',
  vpc: 'InvalidVpcID',
  subnet: 'InvalidSubnetID',
  rule: 'InvalidSecurityGroupRuleId',
  networkInterface: 'InvalidNetworkInterfaceID',
  routeTable: 'InvalidRouteTableID',
  routeTableAssociation: 'InvalidAssociationID',
  internetGateway: 'InvalidInternetGatewayID',
  // AWS's NAT gateway codes have no dot: NatGatewayNotFound, NatGatewayMalformed.
  natGateway: 'NatGateway',
  dhcpOptions: 'InvalidDhcpOptionID',
  egressOnlyInternetGateway: 'InvalidGatewayID',
  vpcEndpoint: 'InvalidVpcEndpointId',
  prefixList: 'InvalidPrefixListID',
  transitGateway: 'InvalidTransitGatewayID',
  localGateway: 'InvalidLocalGatewayID',
  carrierGateway: 'InvalidCarrierGatewayID',
  vpcPeeringConnection: 'InvalidVpcPeeringConnectionID',
  launchTemplate: 'InvalidLaunchTemplateId',
  placementGroup: 'InvalidPlacementGroup',
  networkAcl: 'InvalidNetworkAclID',
  aclAssociation: 'InvalidAssociationID',
  attachment: 'InvalidAttachmentID',
};

/**
 * The code AWS answers an id of the wrong form with, per kind (the error codes reference). Key
 * pair ids have none documented: a malformed one is simply not found.
 */
const MALFORMED: Partial<Record<Kind, string>> = {
  instance: 'InvalidInstanceID.Malformed',
  image: 'InvalidAMIID.Malformed',
  securityGroup: 'InvalidGroupId.Malformed',
  volume: 'InvalidVolumeID.Malformed',
  snapshot: 'InvalidSnapshotID.Malformed',
  address: 'InvalidAllocationID.Malformed',
  association: 'InvalidAssociationID.Malformed',
  reservation: 'InvalidReservationID.Malformed',
  vpc: 'InvalidVpcID.Malformed',
  subnet: 'InvalidSubnetID.Malformed',
  rule: 'InvalidSecurityGroupRuleId.Malformed',
  networkInterface: 'InvalidNetworkInterfaceId.Malformed',
  routeTable: 'InvalidRouteTableId.Malformed',
  routeTableAssociation: 'InvalidAssociationID.Malformed',
  internetGateway: 'InvalidInternetGatewayId.Malformed',
  natGateway: 'NatGatewayMalformed',
  dhcpOptions: 'InvalidDhcpOptionsId.Malformed',
  egressOnlyInternetGateway: 'InvalidEgressOnlyInternetGatewayId.Malformed',
  vpcEndpoint: 'InvalidVpcEndpointId.Malformed',
  prefixList: 'InvalidPrefixListId.Malformed',
  transitGateway: 'InvalidTransitGatewayID.Malformed',
  localGateway: 'InvalidLocalGatewayID.Malformed',
  carrierGateway: 'InvalidCarrierGatewayID.Malformed',
  vpcPeeringConnection: 'InvalidVpcPeeringConnectionId.Malformed',
  launchTemplate: 'InvalidLaunchTemplateId.Malformed',
  placementGroup: 'InvalidPlacementGroupId.Malformed',
  aclAssociation: 'InvalidAssociationID.Malformed',
  attachment: 'InvalidNetworkInterfaceAttachmentId.Malformed',
};

/** The kind's Malformed error (NotFound for kinds without one) unless the id has the kind's form: prefix, 8 or 17 hex. */
export function checkWellFormed(kind: Kind, id: unknown): asserts id is string {
  // A missing parameter arrives as undefined and is malformed like any other text.
  // ENI attachment ids have a two-part prefix (eni-attach-…).
  if (typeof id === 'string' && /^([a-z]+(?:-attach)?)-[0-9a-f]{8}([0-9a-f]{9})?$/.exec(id)?.[1] === PREFIX[kind])
    return;
  const malformed = MALFORMED[kind];
  if (!malformed) throw notFound(kind, String(id));
  // AWS names the expected prefix for every kind but instances ("Invalid id: \"i-x\"").
  throw ec2Error(malformed, `Invalid id: "${id}"${kind === 'instance' ? '' : ` (expecting "${PREFIX[kind]}-...")`}`);
}

/**
 * EC2 ids are derived from CloudStack ids (prefix + 17 hex of a hash), so they are stable across
 * restarts and the same for every front process; the store remembers the way back.
 */
export class Ids {
  /** Ids already written to the store by this process: a listing of 1,000 instances writes nothing twice. */
  private known = new Map<string, string>();
  constructor(private store: Ec2Store) {}

  async of(kind: Kind, csId: string): Promise<string> {
    const key = `${kind}:${csId}`;
    const hit = this.known.get(key);
    if (hit) return hit;
    const id = `${PREFIX[kind]}-${createHash('sha256').update(key).digest('hex').slice(0, 17)}`;
    await this.store.remember(kind, id, csId);
    if (this.known.size > 1_000_000) this.known.clear();
    this.known.set(key, id);
    return id;
  }

  /** The CloudStack id behind an EC2 id, or the kind's Malformed / NotFound error. */
  async cs(kind: Kind, ec2Id: string | undefined): Promise<string> {
    checkWellFormed(kind, ec2Id);
    const found = await this.store.csIdOf(ec2Id);
    if (!found || found.kind !== kind) throw notFound(kind, ec2Id);
    return found.csId;
  }
}

/** The error AWS gives for an id of the kind that does not exist, or that the caller may not see. */
export const notFound = (kind: Kind, id: string): Error =>
  ec2Error(kind === 'natGateway' ? 'NatGatewayNotFound' : `${CODES[kind]}.NotFound`, notFoundText(kind, id));

function notFoundText(kind: Kind, id: string): string {
  switch (kind) {
    case 'instance':
      return `The instance ID '${id}' does not exist`;
    case 'image':
      return `The image id '[${id}]' does not exist`;
    case 'securityGroup':
      return `The security group '${id}' does not exist`;
    case 'volume':
      return `The volume '${id}' does not exist.`;
    case 'snapshot':
      return `The snapshot '${id}' does not exist.`;
    case 'address':
      return `The allocation ID '${id}' does not exist`;
    case 'keyPair':
      return `The key pair '${id}' does not exist`;
    case 'routeTable':
      return `The routeTable ID '${id}' does not exist`;
    case 'internetGateway':
      return `The internetGateway ID '${id}' does not exist`;
    case 'natGateway':
      return `The Nat Gateway ${id} was not found`;
    case 'dhcpOptions':
      return `The dhcpOption ID '${id}' does not exist`;
    case 'routeTableAssociation':
      return `The association ID '${id}' does not exist`;
    case 'launchTemplate':
      return `The specified launch template, with template ID ${id}, does not exist.`;
    case 'networkAcl':
      return `The networkAcl ID '${id}' does not exist`;
    case 'networkInterface':
      return `The networkInterface ID '${id}' does not exist`;
    case 'aclAssociation':
      return `The association ID '${id}' does not exist`;
    case 'attachment':
      return `The attachment ID '${id}' does not exist`;
    default:
      return `The ${kind} '${id}' does not exist`;
  }
}
