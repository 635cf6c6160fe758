// tier: fast (in process, under 0.15 s a test: a sweep cheap enough to run between two edits)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACTIONS } from '../../src/ec2/actions/index.js';
import { ownerId } from '../../src/ec2/context.js';
import { operation, shape } from '../../src/ec2/model.js';
import { wireName } from '../../src/ec2/query.js';
import { ROUTES } from '../../src/gce/routes.js';
import { PARTS, RESOURCES } from '../../src/gce/schemas.js';
import { fuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { ownedFingerprint } from './owned.js';

type Tenant = Awaited<ReturnType<FuzzWorld['addTenant']>>;
/** One tenant's EC2 objects, by the kind of member that names them. */
type Ec2Objects = Record<string, string>;

/** EC2 input members that name a tenant's object: the member name → the kind of object. */
const EC2_MEMBERS: Record<string, string> = {
  KeyName: 'keyName',
  KeyNames: 'keyName',
  KeyPairId: 'keyId',
  KeyPairIds: 'keyId',
  GroupName: 'groupName',
  GroupNames: 'groupName',
  SourceSecurityGroupName: 'groupName',
  GroupId: 'groupId',
  GroupIds: 'groupId',
  SecurityGroupIds: 'groupId',
  SecurityGroupRuleIds: 'ruleId',
  InstanceId: 'instance',
  InstanceIds: 'instance',
  Resources: 'instance',
  VpcId: 'vpc',
  VpcIds: 'vpc',
  SubnetId: 'subnet',
  SubnetIds: 'subnet',
  PublicIp: 'publicIp',
  PublicIps: 'publicIp',
  AllocationId: 'allocation',
  AllocationIds: 'allocation',
  AssociationId: 'association',
  VolumeId: 'volume',
  VolumeIds: 'volume',
  SnapshotId: 'snapshot',
  SnapshotIds: 'snapshot',
  ImageId: 'image',
  ImageIds: 'image',
  OwnerIds: 'owner',
  RestorableByUserIds: 'owner',
  RouteTableId: 'routeTable',
  RouteTableIds: 'routeTable',
  GatewayId: 'internetGateway',
  InternetGatewayId: 'internetGateway',
  InternetGatewayIds: 'internetGateway',
  NatGatewayId: 'natGateway',
  NatGatewayIds: 'natGateway',
  DhcpOptionsId: 'dhcpOptions',
  DhcpOptionsIds: 'dhcpOptions',
  SourceImageId: 'image',
  SourceSnapshotId: 'snapshot',
  LaunchTemplateId: 'launchTemplate',
  LaunchTemplateIds: 'launchTemplate',
  LaunchTemplateName: 'launchTemplateName',
  LaunchTemplateNames: 'launchTemplateName',
  NetworkAclId: 'networkAcl',
  NetworkAclIds: 'networkAcl',
  NetworkInterfaceId: 'networkInterface',
  NetworkInterfaceIds: 'networkInterface',
  AttachmentId: 'attachment',
};
/** Paths whose object is a particular one of its kind. */
const EC2_PATHS: Record<string, string> = {
  'DetachVolume:VolumeId': 'attachedVolume',
  'ModifyInstanceAttribute:BlockDeviceMapping.1.Ebs.VolumeId': 'attachedVolume',
  'DisassociateRouteTable:AssociationId': 'routeTableAssociation',
  'ReplaceRouteTableAssociation:AssociationId': 'routeTableAssociation',
  // Placement groups' names and ids (their own members share security groups' names).
  'RunInstances:Placement.GroupName': 'placementGroupName',
  'RunInstances:Placement.GroupId': 'placementGroupId',
  'CreatePlacementGroup:GroupName': 'placementGroupName',
  'DeletePlacementGroup:GroupName': 'placementGroupName',
  'DescribePlacementGroups:GroupName.1': 'placementGroupName',
  'DescribePlacementGroups:GroupId.1': 'placementGroupId',
  'ModifyInstancePlacement:GroupName': 'placementGroupName',
  'ModifyInstancePlacement:GroupId': 'placementGroupId',
  'CreateLaunchTemplate:LaunchTemplateData.Placement.GroupName': 'placementGroupName',
  'CreateLaunchTemplate:LaunchTemplateData.Placement.GroupId': 'placementGroupId',
  'CreateLaunchTemplateVersion:LaunchTemplateData.Placement.GroupName': 'placementGroupName',
  'CreateLaunchTemplateVersion:LaunchTemplateData.Placement.GroupId': 'placementGroupId',
};
/** Id-like members that name nothing a tenant owns, and why. */
const EC2_EXEMPT: Record<string, string> = {
  Name: 'filter, instance-profile and new AMI names, not objects',
  RegionNames: 'regions are shared',
  ZoneNames: 'zones are shared',
  ZoneIds: 'zones are shared',
  AvailabilityZoneId: 'zones are shared',
  AttributeNames: 'account attribute names',
  CidrIp: 'an address range',
  PrefixListIds: 'prefix lists are not modelled',
  SourceSecurityGroupOwnerId: 'an account number; the group is named by SourceSecurityGroupName',
  DeviceName: 'a device name',
  VirtualName: 'a device name',
  KernelId: 'not modelled',
  RamdiskId: 'not modelled',
  HostId: 'dedicated hosts are not modelled',
  CapacityReservationId: 'not modelled',
  RamDiskId: 'not modelled (launch template data)',
  AcceleratorNames: 'accelerator kinds (nvidia a100, ...), not objects',
  Ipv4IpamPoolId: 'IPAM is not modelled',
  Ipv6IpamPoolId: 'IPAM is not modelled',
  KmsKeyId: 'there is no KMS: volumes are unencrypted and a key id names nothing',
  RootDeviceName: 'a device name',
  UserIds:
    "accounts the caller grants launch permission on its own image (ModifyImageAttribute ImageId is tried with B granting itself A's image)",
  UserId: 'as UserIds, in LaunchPermission.Add / Remove',
  EgressOnlyInternetGatewayId: 'egress-only internet gateways are not modelled (none exist)',
  EgressOnlyInternetGatewayIds: 'egress-only internet gateways are not modelled (none exist)',
  VpcEndpointId: 'VPC endpoints are not modelled (none exist)',
  VpcEndpointIds: 'VPC endpoints are not modelled (none exist)',
  DestinationPrefixListId: 'prefix lists are not modelled',
  TransitGatewayId: 'transit gateways are not modelled',
  LocalGatewayId: 'local gateways are not modelled',
  CarrierGatewayId: 'carrier gateways are not modelled',
  VpcPeeringConnectionId: 'VPC peering is not modelled',
};
/** Paths whose member name means something else there. */
const EC2_EXEMPT_PATHS: Record<string, string> = {};
let made = 0;
/** A name B has not used yet (AMI names are unique per account). */
const fresh = (what: string) => `b-${what}-${++made}`;
const ZONE = 'Sandbox-simulator-advanced';
/** What an action needs besides the member under test, from the caller's own objects, so only that member can make it fail. */
const EC2_COMPANIONS: Record<string, (own: Ec2Objects) => Record<string, string>> = {
  RunInstances: (o) => ({ ImageId: o['catalogImage']!, MinCount: '1', MaxCount: '1', InstanceType: 't2.micro' }),
  CreateKeyPair: () => ({ KeyName: 'b-new-key' }),
  ImportKeyPair: () => ({
    KeyName: 'b-imported',
    PublicKeyMaterial: Buffer.from(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGlzb2xhdGlvbi10ZXN0LWtleS1mb3ItdGVuYW50LWI b',
    ).toString('base64'),
  }),
  CreateSecurityGroup: () => ({ GroupName: 'b-new-group', GroupDescription: 'b' }),
  AuthorizeSecurityGroupIngress: (o) => ({
    GroupId: o['groupId']!,
    'IpPermissions.1.IpProtocol': 'tcp',
    'IpPermissions.1.FromPort': '2200',
    'IpPermissions.1.ToPort': '2200',
    'IpPermissions.1.IpRanges.1.CidrIp': '10.9.9.0/24',
  }),
  AuthorizeSecurityGroupEgress: (o) => ({
    GroupId: o['groupId']!,
    'IpPermissions.1.IpProtocol': 'tcp',
    'IpPermissions.1.FromPort': '2200',
    'IpPermissions.1.ToPort': '2200',
    'IpPermissions.1.IpRanges.1.CidrIp': '10.9.9.0/24',
  }),
  RevokeSecurityGroupIngress: (o) => ({ GroupId: o['groupId']! }),
  RevokeSecurityGroupEgress: (o) => ({ GroupId: o['groupId']! }),
  CreateTags: () => ({ 'Tag.1.Key': 'stolen', 'Tag.1.Value': 'b' }),
  DeleteTags: () => ({ 'Tag.1.Key': 'owner' }),
  AssociateAddress: (o) => ({ InstanceId: o['instance']!, AllocationId: o['allocation']! }),
  CreateSubnet: () => ({ CidrBlock: '10.30.1.0/24' }),
  DescribeVpcAttribute: () => ({ Attribute: 'enableDnsSupport' }),
  DescribeInstanceAttribute: () => ({ Attribute: 'instanceType' }),
  ModifyInstanceAttribute: (o) => ({ InstanceId: o['instance']!, 'InstanceType.Value': 't2.small' }),
  CreateVolume: () => ({ AvailabilityZone: ZONE }),
  AttachVolume: (o) => ({ VolumeId: o['volume']!, InstanceId: o['instance']!, Device: '/dev/sdg' }),
  DetachVolume: (o) => ({ VolumeId: o['attachedVolume']! }),
  ModifyVolume: () => ({ Size: '3', VolumeType: 'gp3' }),
  CreateImage: (o) => ({ InstanceId: o['instance']!, Name: fresh('image') }),
  RegisterImage: () => ({ Name: fresh('registered') }),
  DescribeImageAttribute: () => ({ Attribute: 'launchPermission' }),
  ModifyImageAttribute: (o) => ({
    Attribute: 'launchPermission',
    OperationType: 'add',
    'UserId.1': o['owner']!,
    'Description.Value': 'b was here',
  }),
  AssociateRouteTable: (o) => ({ RouteTableId: o['routeTable']!, SubnetId: o['subnet']! }),
  ReplaceRouteTableAssociation: (o) => ({ AssociationId: o['routeTableAssociation']!, RouteTableId: o['routeTable']! }),
  CreateRoute: (o) => ({ RouteTableId: o['routeTable']!, DestinationCidrBlock: '10.99.0.0/16' }),
  ReplaceRoute: (o) => ({ RouteTableId: o['routeTable']!, DestinationCidrBlock: '10.99.0.0/16' }),
  DeleteRoute: (o) => ({ RouteTableId: o['routeTable']!, DestinationCidrBlock: '10.99.0.0/16' }),
  AttachInternetGateway: (o) => ({ InternetGatewayId: o['internetGateway']!, VpcId: o['vpc']! }),
  DetachInternetGateway: (o) => ({ InternetGatewayId: o['internetGateway']!, VpcId: o['vpc']! }),
  CreateNatGateway: (o) => ({ SubnetId: o['subnet']!, AllocationId: o['allocation']! }),
  AssociateDhcpOptions: (o) => ({ DhcpOptionsId: o['dhcpOptions']!, VpcId: o['vpc']! }),
  ModifyVpcAttribute: () => ({ 'EnableDnsHostnames.Value': 'true' }),
  ModifySubnetAttribute: () => ({ 'MapPublicIpOnLaunch.Value': 'true' }),
  ResetImageAttribute: () => ({ Attribute: 'launchPermission' }),
  CopyImage: () => ({ SourceRegion: 'us-east-1', Name: fresh('copy') }),
  CopySnapshot: () => ({ SourceRegion: 'us-east-1' }),
  DescribeSnapshotAttribute: () => ({ Attribute: 'createVolumePermission' }),
  ModifySnapshotAttribute: (o) => ({
    Attribute: 'createVolumePermission',
    OperationType: 'add',
    'UserId.1': o['owner']!,
  }),
  ResetSnapshotAttribute: () => ({ Attribute: 'createVolumePermission' }),
  DescribeVolumeAttribute: () => ({ Attribute: 'autoEnableIO' }),
  ModifyVolumeAttribute: () => ({ 'AutoEnableIO.Value': 'true' }),
  ResetInstanceAttribute: () => ({ Attribute: 'sourceDestCheck' }),
  ModifyInstanceMetadataOptions: () => ({ HttpTokens: 'required' }),
  CreatePlacementGroup: () => ({ Strategy: 'spread' }),
  ModifyInstancePlacement: (o) => ({ InstanceId: o['instance']!, GroupName: o['placementGroupName']! }),
  CreateLaunchTemplate: () => ({ LaunchTemplateName: fresh('lt'), 'LaunchTemplateData.InstanceType': 't2.micro' }),
  CreateLaunchTemplateVersion: (o) => ({
    LaunchTemplateId: o['launchTemplate']!,
    'LaunchTemplateData.InstanceType': 't2.micro',
  }),
  DeleteLaunchTemplateVersions: () => ({ 'LaunchTemplateVersion.1': '1' }),
};

/** Every (action, wire path, member) of the implemented EC2 actions whose member looks like it names something. */
function ec2Targets(): { action: string; path: string; member: string }[] {
  const out: { action: string; path: string; member: string }[] = [];
  const walk = (action: string, name: string, prefix: string, depth: number) => {
    const s = shape(name);
    if (s.type === 'structure' && depth < 4) {
      for (const [m, mem] of Object.entries(s.members ?? {})) {
        const path = prefix ? `${prefix}.${wireName(m, mem)}` : wireName(m, mem);
        // A list goes on the wire as its first item: `InstanceId.1`, not `InstanceId` (which names no item).
        const wirePath = shape(mem.shape).type === 'list' ? `${path}.1` : path;
        if (/(Id|Ids|Name|Names|Ip|Ips)$|^Resources$/.test(m)) out.push({ action, path: wirePath, member: m });
        walk(action, mem.shape, path, depth + 1);
      }
    }
    if (s.type === 'list' && depth < 4) walk(action, s.member!.shape, `${prefix}.1`, depth + 1);
  };
  for (const action of Object.keys(ACTIONS)) {
    const input = operation(action)?.input?.shape;
    if (input) walk(action, input, '', 0);
  }
  return out;
}

/** Reference fields of GCE request bodies: the field name → what of the other tenant's to put there. */
const GCE_REFS: Record<string, (a: { project: string; zone: string; ip: string }) => string> = {
  network: (a) => `projects/${a.project}/global/networks/default`,
  subnetwork: (a) => `projects/${a.project}/regions/sandbox-simulator/subnetworks/default`,
  source: (a) => `projects/${a.project}/zones/${a.zone}/disks/a-vm`,
  natIP: (a) => a.ip,
};
const GCE_REF_EXEMPT: Record<string, string> = {
  sourceImage: 'images are the shared catalogue (public image projects)',
  machineType: 'machine types are shared',
  diskType: 'disk types are shared',
  zone: 'zones are shared',
  selfLink: 'output only',
  email: 'service accounts are not objects here',
};
const REF_NAME = /^(network|subnetwork|source|sourceImage|natIP|machineType|diskType|zone|selfLink|email)$|Link$/;

/** Every string field path of a body schema whose name says it refers to another resource. */
function refFields(schema: string, prefix = '', depth = 0): { path: string; field: string }[] {
  const out: { path: string; field: string }[] = [];
  for (const [k, t] of Object.entries(RESOURCES[schema] ?? PARTS[schema] ?? {})) {
    const inner = t.replace(/^[[{]|[\]}]$/g, '');
    const path = prefix ? `${prefix}.${k}` : k;
    if ((RESOURCES[inner] || PARTS[inner]) && depth < 3)
      out.push(...refFields(inner, t.startsWith('[') ? `${path}[0]` : path, depth + 1));
    else if (inner === 'string' && REF_NAME.test(k)) out.push({ path, field: k });
  }
  return out;
}

/** Sets `a.b[0].c` in an object, making the containers on the way. */
function setPath(obj: any, path: string, value: unknown): void {
  const parts = path.replace(/\[0\]/g, '.0').split('.');
  let cur = obj;
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (last) cur[p] = value;
    else cur = cur[p] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
  });
}

describe('tenant isolation on the EC2 and GCE fronts, from their tables', () => {
  let fw: FuzzWorld;
  let a: Tenant;
  let b: Tenant;
  const aEc2: Ec2Objects = {};
  const bEc2: Ec2Objects = {};
  let aIp = '';
  const aIds = new Set<string>();
  /** CloudStack ids of A's objects: no answer to B names them, not even an error. */
  const aCsIds = new Set<string>();
  /** CloudStack ids of A's volumes, snapshots and templates: the EC2 front's notes on them (device, type, description, source snapshot) are A's too. */
  const aStorage = async () => {
    const db = fw.w.store.db;
    const ids = await Promise.all(
      (['volumes', 'snapshots', 'templates', 'vms', 'affinityGroups'] as const).map((t) =>
        db.selectFrom(t).select('id').where('accountId', '=', a.accountId).execute(),
      ),
    );
    return ids.flat().map((r) => r.id);
  };
  /** A's VPCs, networks and groups: the EC2 front's notes on them (DHCP options, DNS attributes, MapPublicIpOnLaunch, a group's VPC) are A's. */
  const aNetworking = async () => {
    const db = fw.w.store.db;
    const ids = await Promise.all(
      (['vpcs', 'networks', 'securityGroups'] as const).map((t) =>
        db.selectFrom(t).select('id').where('accountId', '=', a.accountId).execute(),
      ),
    );
    return ids.flat().map((r) => r.id);
  };
  /** The owner key the EC2 front files A's route tables, gateways and option sets under. */
  const aOwner = async () => {
    const acc = await fw.w.store.db
      .selectFrom('accounts')
      .select(['domainId', 'name'])
      .where('id', '=', a.accountId)
      .executeTakeFirstOrThrow();
    return `${acc.domainId}/${acc.name}`;
  };
  const fingerprint = async () =>
    ownedFingerprint(fw.w.store.db, a.accountId, [
      { db: fw.ec2Store.db, table: 'terminated', column: 'accountKey', value: a.apiKey },
      { db: fw.ec2Store.db, table: 'netObjects', column: 'owner', value: await aOwner() },
      ...(await aNetworking()).map((value) => ({ db: fw.ec2Store.db, table: 'attrs', column: 'csId', value })),
      { db: fw.ec2Store.db, table: 'launchTemplates', column: 'accountKey', value: a.apiKey },
      ...(aEc2['launchTemplate']
        ? [{ db: fw.ec2Store.db, table: 'launchTemplateVersions', column: 'templateId', value: aEc2['launchTemplate'] }]
        : []),
      { db: fw.gceStore.db, table: 'instances', column: 'accountId', value: a.accountId },
      { db: fw.gceStore.db, table: 'operations', column: 'accountId', value: a.accountId },
      ...(await aStorage()).map((value) => ({ db: fw.ec2Store.db, table: 'attrs', column: 'csId', value })),
    ]);

  const ec2 = async (t: Tenant, params: Record<string, string>) => {
    const r = await fw.ec2(t, Object.entries({ Version: '2016-11-15', ...params }));
    await fw.drain();
    return r;
  };
  const grab = (body: string, re: RegExp) => re.exec(body)?.[1] ?? '';

  async function ec2Objects(t: Tenant, tag: string, out: Ec2Objects): Promise<void> {
    out['catalogImage'] = grab((await ec2(t, { Action: 'DescribeImages' })).body, /<imageId>(ami-[0-9a-f]+)</);
    out['owner'] = ownerId(t.accountId);
    out['keyName'] = `${tag}-key`;
    await ec2(t, { Action: 'CreateKeyPair', KeyName: out['keyName'] });
    out['keyId'] = grab((await ec2(t, { Action: 'DescribeKeyPairs' })).body, /<keyPairId>(key-[0-9a-f]+)</);
    out['groupName'] = `${tag}-sg`;
    out['groupId'] = grab(
      (await ec2(t, { Action: 'CreateSecurityGroup', GroupName: out['groupName'], GroupDescription: tag })).body,
      /<groupId>(sg-[0-9a-f]+)</,
    );
    await ec2(t, {
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: out['groupId'],
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': '22',
      'IpPermissions.1.ToPort': '22',
      'IpPermissions.1.IpRanges.1.CidrIp': '0.0.0.0/0',
    });
    out['ruleId'] = grab(
      (
        await ec2(t, {
          Action: 'DescribeSecurityGroupRules',
          'Filter.1.Name': 'group-id',
          'Filter.1.Value.1': out['groupId'],
        })
      ).body,
      /<securityGroupRuleId>(sgr-[0-9a-f]+)</,
    );
    const run = await ec2(t, {
      Action: 'RunInstances',
      ImageId: out['catalogImage'],
      MinCount: '1',
      MaxCount: '1',
      InstanceType: 't2.micro',
      KeyName: out['keyName'],
      'Placement.AvailabilityZone': 'Sandbox-simulator-advanced',
    });
    out['instance'] = grab(run.body, /<instanceId>(i-[0-9a-f]+)</);
    await ec2(t, { Action: 'CreateTags', 'ResourceId.1': out['instance'], 'Tag.1.Key': 'owner', 'Tag.1.Value': tag });
    const vpc = await ec2(t, { Action: 'CreateVpc', CidrBlock: '10.20.0.0/16' });
    out['vpc'] = grab(vpc.body, /<vpcId>(vpc-[0-9a-f]+)</);
    out['subnet'] = grab(
      (await ec2(t, { Action: 'CreateSubnet', VpcId: out['vpc'], CidrBlock: '10.20.1.0/24' })).body,
      /<subnetId>(subnet-[0-9a-f]+)</,
    );
    out['internetGateway'] = grab(
      (await ec2(t, { Action: 'CreateInternetGateway' })).body,
      /<internetGatewayId>(igw-[0-9a-f]+)</,
    );
    await ec2(t, { Action: 'AttachInternetGateway', InternetGatewayId: out['internetGateway'], VpcId: out['vpc'] });
    out['routeTable'] = grab(
      (await ec2(t, { Action: 'CreateRouteTable', VpcId: out['vpc'] })).body,
      /<routeTableId>(rtb-[0-9a-f]+)</,
    );
    await ec2(t, {
      Action: 'CreateRoute',
      RouteTableId: out['routeTable'],
      DestinationCidrBlock: '10.99.0.0/16',
      GatewayId: out['internetGateway'],
    });
    out['routeTableAssociation'] = grab(
      (await ec2(t, { Action: 'AssociateRouteTable', RouteTableId: out['routeTable'], SubnetId: out['subnet'] })).body,
      /<associationId>(rtbassoc-[0-9a-f]+)</,
    );
    out['dhcpOptions'] = grab(
      (
        await ec2(t, {
          Action: 'CreateDhcpOptions',
          'DhcpConfiguration.1.Key': 'domain-name',
          'DhcpConfiguration.1.Value.1': `${tag}.example`,
        })
      ).body,
      /<dhcpOptionsId>(dopt-[0-9a-f]+)</,
    );
    const alloc = await ec2(t, { Action: 'AllocateAddress' });
    out['allocation'] = grab(alloc.body, /<allocationId>(eipalloc-[0-9a-f]+)</);
    out['publicIp'] = grab(alloc.body, /<publicIp>([\d.]+)</);
    out['natGateway'] = grab(
      (await ec2(t, { Action: 'CreateNatGateway', SubnetId: out['subnet'], AllocationId: out['allocation'] })).body,
      /<natGatewayId>(nat-[0-9a-f]+)</,
    );
    out['association'] = grab(
      (await ec2(t, { Action: 'AssociateAddress', InstanceId: out['instance'], AllocationId: out['allocation'] })).body,
      /<associationId>(eipassoc-[0-9a-f]+)</,
    );
    await storageObjects(t, tag, out);
    out['placementGroupName'] = `${tag}-pg`;
    out['placementGroupId'] = grab(
      (await ec2(t, { Action: 'CreatePlacementGroup', GroupName: out['placementGroupName'], Strategy: 'spread' })).body,
      /<groupId>(pg-[0-9a-f]+)</,
    );
    out['launchTemplateName'] = `${tag}-lt`;
    const lt = await ec2(t, {
      Action: 'CreateLaunchTemplate',
      LaunchTemplateName: out['launchTemplateName'],
      'LaunchTemplateData.ImageId': out['catalogImage']!,
      'LaunchTemplateData.KeyName': out['keyName']!,
    });
    out['launchTemplate'] = grab(lt.body, /<launchTemplateId>(lt-[0-9a-f]+)</);
    out['networkAcl'] = grab(
      (await ec2(t, { Action: 'CreateNetworkAcl', VpcId: out['vpc'] })).body,
      /<networkAclId>(acl-[0-9a-f]+)</,
    );
    // The instance's primary interface and its attachment (every instance has one).
    const eni = (
      await ec2(t, {
        Action: 'DescribeNetworkInterfaces',
        'Filter.1.Name': 'attachment.instance-id',
        'Filter.1.Value.1': out['instance'],
      })
    ).body;
    out['networkInterface'] = grab(eni, /<networkInterfaceId>(eni-[0-9a-f]+)</);
    out['attachment'] = grab(eni, /<attachmentId>(eni-attach-[0-9a-f]+)</);
    for (const [k, v] of Object.entries(out)) assert.ok(v, `${tag}: no ${k}`);
  }

  /** A detached volume, one attached to the instance, a snapshot of the attached one and a private AMI of the instance. */
  async function storageObjects(t: Tenant, tag: string, out: Ec2Objects): Promise<void> {
    const volume = async () =>
      grab(
        (await ec2(t, { Action: 'CreateVolume', AvailabilityZone: ZONE, Size: '1' })).body,
        /<volumeId>(vol-[0-9a-f]+)</,
      );
    out['volume'] = await volume();
    out['attachedVolume'] = await volume();
    await ec2(t, {
      Action: 'AttachVolume',
      VolumeId: out['attachedVolume'],
      InstanceId: out['instance']!,
      Device: '/dev/sdf',
    });
    out['snapshot'] = grab(
      (await ec2(t, { Action: 'CreateSnapshot', VolumeId: out['attachedVolume'], Description: tag })).body,
      /<snapshotId>(snap-[0-9a-f]+)</,
    );
    out['image'] = grab(
      (await ec2(t, { Action: 'CreateImage', InstanceId: out['instance']!, Name: `${tag}-ami` })).body,
      /<imageId>(ami-[0-9a-f]+)</,
    );
  }

  before(async () => {
    fw = await fuzzWorld();
    a = await fw.addTenant('iso-a');
    b = await fw.addTenant('iso-b');
    await ec2Objects(a, 'a', aEc2);
    await ec2Objects(b, 'b', bEc2);
    aIp = aEc2['publicIp']!;
    const zone = 'sandbox-simulator-basic';
    const insert = await fw.gce(
      a.token,
      'POST',
      `/compute/v1/projects/iso-a/zones/${zone}/instances`,
      JSON.stringify({
        name: 'a-vm',
        machineType: `zones/${zone}/machineTypes/small-instance`,
        disks: [
          { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
        ],
      }),
    );
    assert.equal(insert.status, 200, insert.body);
    aEc2['gceOperation'] = JSON.parse(insert.body).name;
    await fw.drain();
    const fwRule = await fw.gce(
      a.token,
      'POST',
      '/compute/v1/projects/iso-a/global/firewalls',
      JSON.stringify({ name: 'a-fw', allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] }),
    );
    assert.equal(fwRule.status, 200, fwRule.body);
    await fw.drain();
    for (const v of Object.values(aEc2)) if (v !== aEc2['catalogImage']) aIds.add(v);
    for (const r of await fw.w.store.db.selectFrom('vms').select('id').where('accountId', '=', a.accountId).execute())
      aCsIds.add(r.id);
    for (const id of await aStorage()) aCsIds.add(id);
    for (const id of aCsIds) aIds.add(id);
  });
  after(() => fw.close());

  /** Refused, or answered without A's objects; either way A's objects are as they were. */
  async function assertRefused(
    label: string,
    send: () => Promise<{ status: number; body: string }>,
    sent: string[],
  ): Promise<void> {
    const before = await fingerprint();
    const r = await send();
    await fw.drain();
    assert.ok(r.status < 500, `${label}: ${r.status} ${r.body.slice(0, 300)}`);
    assert.deepEqual(
      [...aCsIds].filter((id) => r.body.includes(id)),
      [],
      `${label} named A's CloudStack ids: ${r.body.slice(0, 300)}`,
    );
    if (r.status < 300) {
      const leaked = [...aIds].filter((id) => r.body.includes(id) && !(sent.includes(id) && /^(a-|iso-a)/.test(id)));
      assert.deepEqual(leaked, [], `${label} answered ${r.status} with A's objects: ${r.body.slice(0, 300)}`);
    }
    assert.equal(await fingerprint(), before, `${label} changed A's objects: ${r.status} ${r.body.slice(0, 300)}`);
  }

  it('every id-like EC2 input member is mapped to an object kind or exempt with a reason', () => {
    const unmapped = ec2Targets().filter(
      (t) => !EC2_MEMBERS[t.member] && !EC2_EXEMPT[t.member] && !EC2_EXEMPT_PATHS[`${t.action}:${t.path}`],
    );
    assert.deepEqual(unmapped, []);
  });

  for (const t of ec2Targets().filter((x) => EC2_MEMBERS[x.member] && !EC2_EXEMPT_PATHS[`${x.action}:${x.path}`])) {
    const kind = EC2_PATHS[`${t.action}:${t.path}`] ?? EC2_MEMBERS[t.member]!;
    it(`EC2 ${t.action} ${t.path}: tenant B naming tenant A's ${kind}`, async () => {
      const value = aEc2[kind]!;
      const params = { Action: t.action, ...(EC2_COMPANIONS[t.action]?.(bEc2) ?? {}), [t.path]: value };
      await assertRefused(`${t.action} ${t.path}=${value}`, () => ec2(b, params), [value]);
    });
  }

  it('every GCE body field that refers to a resource is mapped or exempt with a reason', () => {
    const fields = ROUTES.filter((r) => r.request).flatMap((r) =>
      refFields(r.request!).map((f) => ({ route: r.id, ...f })),
    );
    assert.deepEqual(
      fields.filter((f) => !GCE_REFS[f.field] && !GCE_REF_EXEMPT[f.field]),
      [],
    );
  });

  const zone = 'sandbox-simulator-basic';
  /** Path parameters: the resource names tenant A has (shared catalogue names for the rest). */
  const gceParams = (project: string): Record<string, string> => ({
    project,
    zone,
    region: 'sandbox-simulator',
    instance: 'a-vm',
    disk: 'a-vm',
    firewall: 'a-fw',
    network: 'default',
    operation: aEc2['gceOperation'] ?? 'op',
    image: 'centos-5',
    family: 'centos-5',
    machineType: 'small-instance',
    diskType: 'pd-standard',
  });
  const urlOf = (path: string, params: Record<string, string>) =>
    `/compute/v1/${path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k]!))}`;
  const minimalBody = (schema?: string): any =>
    schema === 'Instance'
      ? {
          name: 'b-vm',
          machineType: `zones/${zone}/machineTypes/small-instance`,
          disks: [
            { boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } },
          ],
        }
      : schema === 'Firewall'
        ? { name: 'b-fw', allowed: [{ IPProtocol: 'tcp', ports: ['80'] }] }
        : schema === 'Snapshot'
          ? { name: 'b-snap' }
          : schema === 'Tags'
            ? { items: ['x'] }
            : schema === 'InstancesSetLabelsRequest'
              ? { labels: { x: 'y' } }
              : schema
                ? { items: [{ key: 'x', value: 'y' }] }
                : undefined;

  for (const route of ROUTES) {
    it(`GCE ${route.id}: tenant B in tenant A's project is forbidden`, async () => {
      const body = minimalBody(route.request);
      await assertRefused(
        `${route.id} in iso-a`,
        async () => {
          const r = await fw.gce(
            b.token,
            route.method,
            urlOf(route.path, gceParams('iso-a')),
            body && JSON.stringify(body),
          );
          assert.equal(r.status, 403, `${route.id}: ${r.status} ${r.body.slice(0, 200)}`);
          return r;
        },
        [],
      );
    });
    if (/\{(instance|disk|firewall|operation)\}/.test(route.path)) {
      it(`GCE ${route.id}: tenant A's resource names mean nothing in tenant B's project`, async () => {
        const body = minimalBody(route.request);
        await assertRefused(
          `${route.id} in iso-b`,
          async () => {
            const r = await fw.gce(
              b.token,
              route.method,
              urlOf(route.path, gceParams('iso-b')),
              body && JSON.stringify(body),
            );
            assert.equal(r.status, 404, `${route.id}: ${r.status} ${r.body.slice(0, 200)}`);
            return r;
          },
          [],
        );
      });
    }
    for (const f of route.request ? refFields(route.request).filter((x) => GCE_REFS[x.field]) : []) {
      it(`GCE ${route.id} body ${f.path}: tenant A's ${f.field} is refused`, async () => {
        const body = minimalBody(route.request);
        const value = GCE_REFS[f.field]!({ project: 'iso-a', zone, ip: aIp });
        setPath(body, f.path, value);
        await assertRefused(
          `${route.id} ${f.path}=${value}`,
          async () => {
            const r = await fw.gce(b.token, route.method, urlOf(route.path, gceParams('iso-b')), JSON.stringify(body));
            if (r.status === 200 && JSON.parse(r.body).kind === 'compute#operation') {
              const op = JSON.parse(r.body);
              const done = await fw.gce(
                b.token,
                'POST',
                `/compute/v1/projects/iso-b/${op.zone ? `zones/${zone}/` : 'global/'}operations/${op.name}/wait`,
              );
              assert.ok(
                JSON.parse(done.body).error,
                `${route.id} with A's ${f.field} succeeded: ${done.body.slice(0, 300)}`,
              );
            }
            return r;
          },
          [value],
        );
      });
    }
  }
});
