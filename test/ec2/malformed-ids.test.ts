import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { ACTIONS } from '../../src/ec2/actions/index.js';
import { operation, shape } from '../../src/ec2/model.js';
import { wireName } from '../../src/ec2/query.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { sigv4 } from '../helpers/ec2-sign.js';

/**
 * What AWS answers an id of the wrong form with, per request member (the EC2 error codes
 * reference): written here by hand, not taken from the front's tables.
 */
const EXPECTED: Record<string, { prefix: string; code: string; message?: string }> = {
  InstanceId: { prefix: 'i', code: 'InvalidInstanceID.Malformed', message: 'Invalid id: "i-zzz"' },
  ImageId: { prefix: 'ami', code: 'InvalidAMIID.Malformed' },
  VolumeId: { prefix: 'vol', code: 'InvalidVolumeID.Malformed' },
  SnapshotId: { prefix: 'snap', code: 'InvalidSnapshotID.Malformed' },
  GroupId: { prefix: 'sg', code: 'InvalidGroupId.Malformed' },
  SecurityGroupIds: { prefix: 'sg', code: 'InvalidGroupId.Malformed' },
  SubnetId: { prefix: 'subnet', code: 'InvalidSubnetID.Malformed' },
  VpcId: { prefix: 'vpc', code: 'InvalidVpcID.Malformed' },
  AllocationId: { prefix: 'eipalloc', code: 'InvalidAllocationID.Malformed' },
  AssociationId: { prefix: 'eipassoc', code: 'InvalidAssociationID.Malformed' },
  SecurityGroupRuleIds: { prefix: 'sgr', code: 'InvalidSecurityGroupRuleId.Malformed' },
  NetworkInterfaceId: { prefix: 'eni', code: 'InvalidNetworkInterfaceId.Malformed' },
  LaunchTemplateId: { prefix: 'lt', code: 'InvalidLaunchTemplateId.Malformed' },
  SourceImageId: { prefix: 'ami', code: 'InvalidAMIID.Malformed' },
  SourceSnapshotId: { prefix: 'snap', code: 'InvalidSnapshotID.Malformed' },
  AttachmentId: { prefix: 'eni-attach', code: 'InvalidNetworkInterfaceAttachmentId.Malformed' },
  // AWS documents no Malformed code for network ACL ids.
  NetworkAclId: {
    prefix: 'acl',
    code: 'InvalidNetworkAclID.NotFound',
    message: "The networkAcl ID 'acl-zzz' does not exist",
  },
  // AWS documents no Malformed code for key pair ids.
  KeyPairId: { prefix: 'key', code: 'InvalidKeyPair.NotFound', message: "The key pair 'key-zzz' does not exist" },
  RouteTableId: { prefix: 'rtb', code: 'InvalidRouteTableId.Malformed' },
  InternetGatewayId: { prefix: 'igw', code: 'InvalidInternetGatewayId.Malformed' },
  NatGatewayId: { prefix: 'nat', code: 'NatGatewayMalformed' },
  DhcpOptionsId: { prefix: 'dopt', code: 'InvalidDhcpOptionsId.Malformed' },
  EgressOnlyInternetGatewayId: { prefix: 'eigw', code: 'InvalidEgressOnlyInternetGatewayId.Malformed' },
  VpcEndpointId: { prefix: 'vpce', code: 'InvalidVpcEndpointId.Malformed' },
  DestinationPrefixListId: { prefix: 'pl', code: 'InvalidPrefixListId.Malformed' },
  PrefixListId: { prefix: 'pl', code: 'InvalidPrefixListId.Malformed' },
  TransitGatewayId: { prefix: 'tgw', code: 'InvalidTransitGatewayID.Malformed' },
  LocalGatewayId: { prefix: 'lgw', code: 'InvalidLocalGatewayID.Malformed' },
  CarrierGatewayId: { prefix: 'cagw', code: 'InvalidCarrierGatewayID.Malformed' },
  VpcPeeringConnectionId: { prefix: 'pcx', code: 'InvalidVpcPeeringConnectionId.Malformed' },
  // A route's or association's gateway: anything but an internet gateway id names no gateway.
  GatewayId: { prefix: 'igw', code: 'InvalidGatewayID.NotFound', message: "The gateway ID 'igw-zzz' does not exist" },
};
/** Members whose kind depends on the action. */
const BY_ACTION: Record<string, { prefix: string; code: string; message?: string }> = {
  'DisassociateRouteTable.AssociationId': { prefix: 'rtbassoc', code: 'InvalidAssociationID.Malformed' },
  'ReplaceRouteTableAssociation.AssociationId': { prefix: 'rtbassoc', code: 'InvalidAssociationID.Malformed' },
  // Placement groups' GroupId is `pg-`.
  'DescribePlacementGroups.GroupIds': { prefix: 'pg', code: 'InvalidPlacementGroupId.Malformed' },
  'ModifyInstancePlacement.GroupId': { prefix: 'pg', code: 'InvalidPlacementGroupId.Malformed' },
  'ReplaceNetworkAclAssociation.AssociationId': { prefix: 'aclassoc', code: 'InvalidAssociationID.Malformed' },
};
/** Members named *Id(s) that are not EC2 resource ids of a kind the front shows (accounts, zones, KMS, IPAM, kernels). */
// HostId: dedicated hosts, which polystack has none of (ModifyInstancePlacement refuses it).
const NOT_RESOURCE_IDS = new Set([
  'HostId',
  'AvailabilityZoneId',
  'ZoneIds',
  'KmsKeyId',
  'Ipv4IpamPoolId',
  'Ipv6IpamPoolId',
  'KernelId',
  'RamdiskId',
  'OwnerIds',
  'RestorableByUserIds',
  'UserIds',
  'SourceSecurityGroupOwnerId',
]);

const expectedFor = (member: string, action = '') =>
  BY_ACTION[`${action}.${member}`] ?? EXPECTED[member] ?? EXPECTED[member.replace(/s$/, '')];

/** Every id-carrying top-level member of every action the front serves, from the EC2 model. */
const CASES = Object.keys(ACTIONS).flatMap((action) => {
  const input = operation(action)?.input;
  if (!input) return [];
  return Object.entries(shape(input.shape).members ?? {})
    .filter(([name]) => /Ids?$/.test(name) && !NOT_RESOURCE_IDS.has(name))
    .map(([name, m]) => ({
      action,
      member: name,
      param: wireName(name, m) + (shape(m.shape).type === 'list' ? '.1' : ''),
    }));
});

describe("EC2: an id of the wrong form is Malformed (or the kind's documented error) in every action that takes one", () => {
  let s: TestServer;
  before(async () => {
    s = await startServer();
  });
  after(() => s.stop());

  const post = async (params: Record<string, string>) => {
    const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
    const r = await fetch(s.url + '/', {
      method: 'POST',
      headers: sigv4(new URL(s.url), body, s.apiKey, s.secretKey),
      body,
    });
    return { status: r.status, error: new XMLParser().parse(await r.text()).Response?.Errors?.Error };
  };

  it('every id member of the served actions has an expectation', () => {
    assert.ok(CASES.length > 40, `${CASES.length} cases`);
    assert.deepEqual(
      CASES.filter((c) => !expectedFor(c.member, c.action)).map((c) => `${c.action}.${c.member}`),
      [],
    );
  });

  for (const c of CASES) {
    it(`${c.action} ${c.param}`, async () => {
      const want = expectedFor(c.member, c.action)!;
      for (const id of [`${want.prefix}-zzz`, 'zzz']) {
        const r = await post({ Action: c.action, [c.param]: id });
        assert.equal(r.status, 400);
        assert.equal(r.error?.Code, want.code, `${c.action} ${c.param}=${id}: ${r.error?.Message}`);
        const message = id === 'zzz' ? want.message?.replace(`${want.prefix}-zzz`, 'zzz') : want.message;
        assert.equal(r.error.Message, message ?? `Invalid id: "${id}" (expecting "${want.prefix}-...")`);
      }
    });
  }
});
