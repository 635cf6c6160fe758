import { checkWellFormed, type Kind } from './ids.js';

/**
 * The request members that carry EC2 ids, by the kind of id. AWS rejects an id of the wrong form
 * (`ami-zzz`) as Malformed before it looks anything up, in a Describe* list as anywhere else, so
 * every action gets the same check here rather than each its own.
 */
const MEMBERS: Record<string, Kind> = {
  InstanceId: 'instance',
  InstanceIds: 'instance',
  ImageId: 'image',
  ImageIds: 'image',
  VolumeId: 'volume',
  VolumeIds: 'volume',
  SnapshotId: 'snapshot',
  SnapshotIds: 'snapshot',
  GroupId: 'securityGroup',
  GroupIds: 'securityGroup',
  SecurityGroupIds: 'securityGroup',
  SubnetId: 'subnet',
  SubnetIds: 'subnet',
  VpcId: 'vpc',
  VpcIds: 'vpc',
  AllocationId: 'address',
  AllocationIds: 'address',
  AssociationId: 'association',
  KeyPairId: 'keyPair',
  KeyPairIds: 'keyPair',
  SecurityGroupRuleIds: 'rule',
  NetworkInterfaceId: 'networkInterface',
  NetworkInterfaceIds: 'networkInterface',
  RouteTableId: 'routeTable',
  RouteTableIds: 'routeTable',
  InternetGatewayId: 'internetGateway',
  InternetGatewayIds: 'internetGateway',
  NatGatewayId: 'natGateway',
  NatGatewayIds: 'natGateway',
  DhcpOptionsId: 'dhcpOptions',
  DhcpOptionsIds: 'dhcpOptions',
  EgressOnlyInternetGatewayId: 'egressOnlyInternetGateway',
  EgressOnlyInternetGatewayIds: 'egressOnlyInternetGateway',
  VpcEndpointId: 'vpcEndpoint',
  VpcEndpointIds: 'vpcEndpoint',
  DestinationPrefixListId: 'prefixList',
  PrefixListIds: 'prefixList',
  TransitGatewayId: 'transitGateway',
  LocalGatewayId: 'localGateway',
  CarrierGatewayId: 'carrierGateway',
  VpcPeeringConnectionId: 'vpcPeeringConnection',
  LaunchTemplateId: 'launchTemplate',
  LaunchTemplateIds: 'launchTemplate',
  SourceImageId: 'image',
  SourceSnapshotId: 'snapshot',
  NetworkAclId: 'networkAcl',
  NetworkAclIds: 'networkAcl',
  AttachmentId: 'attachment',
};

/**
 * Members whose kind depends on the action: a route table association is `rtbassoc-` (an address
 * association `eipassoc-`, a network ACL association `aclassoc-`), placement groups' GroupId is `pg-` (not `sg-`).
 */
const BY_ACTION: Record<string, Record<string, Kind | 'unchecked'>> = {
  DisassociateRouteTable: { AssociationId: 'routeTableAssociation' },
  ReplaceRouteTableAssociation: { AssociationId: 'routeTableAssociation' },
  // `default` (no options) is a DhcpOptionsId here; the action checks the rest.
  AssociateDhcpOptions: { DhcpOptionsId: 'unchecked' },
  DescribePlacementGroups: { GroupIds: 'placementGroup' },
  ModifyInstancePlacement: { GroupId: 'placementGroup' },
  // ReplaceNetworkAclAssociation's AssociationId is an aclassoc- id.
  ReplaceNetworkAclAssociation: { AssociationId: 'aclAssociation' },
};

/** The first id in a decoded request that does not have its kind's form fails the request. */
export function checkInputIds(input: Record<string, unknown>, action = ''): void {
  const own = Object.hasOwn(BY_ACTION, action) ? BY_ACTION[action] : undefined;
  for (const [member, byMember] of Object.entries({ ...MEMBERS, ...own })) {
    if (byMember === 'unchecked') continue;
    const kind = byMember;
    const value = input[member];
    if (value === undefined) continue;
    for (const id of Array.isArray(value) ? value : [value]) checkWellFormed(kind, id);
  }
}
