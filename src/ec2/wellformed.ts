import { checkWellFormed, type Kind } from './ids.js';

/**
 * The request members that carry EC2 ids, by the kind of id. AWS rejects an id of the wrong form
 * (`ami-zzz`) as Malformed before it looks anything up, in a Describe* list as anywhere else, so
 * every action gets the same check here rather than each its own.
 */
const MEMBERS: Record<string, Kind> = {
  InstanceId: 'instance', InstanceIds: 'instance', ImageId: 'image', ImageIds: 'image', VolumeId: 'volume', VolumeIds: 'volume',
  SnapshotId: 'snapshot', SnapshotIds: 'snapshot', GroupId: 'securityGroup', GroupIds: 'securityGroup', SecurityGroupIds: 'securityGroup',
  SubnetId: 'subnet', SubnetIds: 'subnet', VpcId: 'vpc', VpcIds: 'vpc', AllocationId: 'address', AllocationIds: 'address',
  AssociationId: 'association', KeyPairId: 'keyPair', KeyPairIds: 'keyPair', SecurityGroupRuleIds: 'rule',
  NetworkInterfaceId: 'networkInterface', NetworkInterfaceIds: 'networkInterface',
  NetworkAclId: 'networkAcl', NetworkAclIds: 'networkAcl', AttachmentId: 'attachment',
};

/** Members whose kind depends on the action: ReplaceNetworkAclAssociation's AssociationId is an aclassoc- id. */
const BY_ACTION: Record<string, Record<string, Kind>> = { ReplaceNetworkAclAssociation: { AssociationId: 'aclAssociation' } };

/** The first id in a decoded request that does not have its kind's form fails the request. */
export function checkInputIds(input: Record<string, unknown>, action = ''): void {
  for (const [member, kind] of Object.entries({ ...MEMBERS, ...BY_ACTION[action] })) {
    const value = input[member];
    if (value === undefined) continue;
    for (const id of Array.isArray(value) ? value : [value]) checkWellFormed(kind, id);
  }
}
