import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AllocateAddressCommand,
  AssociateDhcpOptionsCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateDhcpOptionsCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteDhcpOptionsCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  DeleteVpcCommand,
  DescribeDhcpOptionsCommand,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ReplaceRouteCommand,
  ReplaceRouteTableAssociationCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilNatGatewayAvailable,
  waitUntilNatGatewayDeleted,
  type RouteTable,
} from '@aws-sdk/client-ec2';
import { CsClient } from '../helpers/cs-client.js';
import { createTenant } from '../helpers/fronts.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { quickWaiter } from '../helpers/waiters.js';

/** An SDK error of this code. */
const code = (name: string) => (e: unknown) => {
  assert.equal((e as { name?: string }).name, name, String(e));
  return true;
};

/**
 * EC2 VPC networking (issue 17) through the AWS SDK: route tables and routes, internet and NAT
 * gateways, DHCP option sets, VPC and subnet attributes, security groups of a VPC and launches
 * into a VPC tier with them.
 */
describe('EC2 VPC networking through @aws-sdk/client-ec2', () => {
  let s: TestServer;
  let admin: CsClient;
  let a: EC2Client;
  let b: EC2Client;
  let vpcId = '';
  let subnetId = '';

  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
    admin = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    const client = async (name: string) => {
      const k = await createTenant(admin, name);
      return new EC2Client({
        endpoint: s.url,
        region: 'us-east-1',
        credentials: { accessKeyId: k.apiKey, secretAccessKey: k.secretKey },
      });
    };
    a = await client('net-a');
    b = await client('net-b');
    vpcId = (await a.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
    subnetId = (await a.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.1.0/24' }))).Subnet!.SubnetId!;
  });
  after(async () => {
    a.destroy();
    b.destroy();
    await s.stop();
  });

  const tablesOf = async (c: EC2Client, vpc: string): Promise<RouteTable[]> =>
    (await c.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).RouteTables!;

  it('every VPC has a main route table with its local route; the default VPC routes to its internet gateway', async () => {
    const [main, ...rest] = await tablesOf(a, vpcId);
    assert.equal(rest.length, 0);
    assert.match(main!.RouteTableId!, /^rtb-[0-9a-f]{17}$/);
    assert.deepEqual(main!.Routes, [
      { DestinationCidrBlock: '10.60.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
    ]);
    assert.equal(main!.Associations!.length, 1);
    assert.equal(main!.Associations![0]!.Main, true);
    assert.match(main!.Associations![0]!.RouteTableAssociationId!, /^rtbassoc-[0-9a-f]{17}$/);
    const byMain = (
      await a.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'association.main', Values: ['true'] },
            { Name: 'vpc-id', Values: [vpcId] },
          ],
        }),
      )
    ).RouteTables!;
    assert.deepEqual(
      byMain.map((t) => t.RouteTableId),
      [main!.RouteTableId],
    );

    const dflt = (await a.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })))
      .Vpcs![0]!;
    const [dmain] = await tablesOf(a, dflt.VpcId!);
    const igws = (
      await a.send(
        new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [dflt.VpcId!] }] }),
      )
    ).InternetGateways!;
    assert.equal(igws.length, 1);
    assert.deepEqual(igws[0]!.Attachments, [{ VpcId: dflt.VpcId, State: 'available' }]);
    assert.deepEqual(
      dmain!.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.State]),
      [
        [dflt.CidrBlock, 'local', 'active'],
        ['0.0.0.0/0', igws[0]!.InternetGatewayId, 'active'],
      ],
    );
    // The default VPC is every account's; each has its own tables in it.
    const [bmain] = await tablesOf(b, dflt.VpcId!);
    assert.notEqual(bmain!.RouteTableId, dmain!.RouteTableId);
  });

  it('internet gateways: create, attach (once), detach, delete, with AWS errors', async () => {
    const igw = (
      await a.send(
        new CreateInternetGatewayCommand({
          TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'Name', Value: 'a-igw' }] }],
        }),
      )
    ).InternetGateway!;
    assert.match(igw.InternetGatewayId!, /^igw-[0-9a-f]{17}$/);
    assert.deepEqual(igw.Attachments, []);
    assert.deepEqual(igw.Tags, [{ Key: 'Name', Value: 'a-igw' }]);
    const id = igw.InternetGatewayId!;
    await a.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    const shown = (await a.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] })))
      .InternetGateways![0]!;
    assert.deepEqual(shown.Attachments, [{ VpcId: vpcId, State: 'available' }]);
    await assert.rejects(
      a.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId })),
      code('Resource.AlreadyAssociated'),
    );
    const second = (await a.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await assert.rejects(
      a.send(new AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId })),
      code('Resource.AlreadyAssociated'),
    );
    await assert.rejects(
      a.send(new DetachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId })),
      code('Gateway.NotAttached'),
    );
    await assert.rejects(
      a.send(new DeleteInternetGatewayCommand({ InternetGatewayId: id })),
      code('DependencyViolation'),
    );
    await a.send(new DeleteInternetGatewayCommand({ InternetGatewayId: second }));
    await assert.rejects(
      a.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [second] })),
      code('InvalidInternetGatewayID.NotFound'),
    );
    await assert.rejects(
      a.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: ['igw-zzz'] })),
      code('InvalidInternetGatewayId.Malformed'),
    );
    const byTag = (
      await a.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'tag:Name', Values: ['a-igw'] }] }))
    ).InternetGateways!;
    assert.deepEqual(
      byTag.map((g) => g.InternetGatewayId),
      [id],
    );
    assert.deepEqual((await a.send(new DescribeEgressOnlyInternetGatewaysCommand({}))).EgressOnlyInternetGateways, []);
  });

  it('route tables: routes, subnet associations, the main association moved and back, blackholes, deletion', async () => {
    const igw = (
      await a.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }))
    ).InternetGateways![0]!.InternetGatewayId!;
    const rt = (
      await a.send(
        new CreateRouteTableCommand({
          VpcId: vpcId,
          TagSpecifications: [{ ResourceType: 'route-table', Tags: [{ Key: 'Name', Value: 'public' }] }],
        }),
      )
    ).RouteTable!;
    assert.match(rt.RouteTableId!, /^rtb-[0-9a-f]{17}$/);
    assert.equal(rt.VpcId, vpcId);
    assert.deepEqual(rt.Associations, []);
    assert.deepEqual(rt.Tags, [{ Key: 'Name', Value: 'public' }]);
    const rtId = rt.RouteTableId!;
    assert.equal(
      (await a.send(new CreateRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })))
        .Return,
      true,
    );
    await assert.rejects(
      a.send(new CreateRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
      code('RouteAlreadyExists'),
    );
    await assert.rejects(
      a.send(new CreateRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '10.60.0.0/16', GatewayId: igw })),
      code('RouteAlreadyExists'),
    );
    await assert.rejects(
      a.send(
        new CreateRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '10.9.0.0/16', GatewayId: 'vgw-12345678' }),
      ),
      code('InvalidGatewayID.NotFound'),
    );
    await assert.rejects(
      a.send(new CreateRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '10.9.0.0/99', GatewayId: igw })),
      code('InvalidParameterValue'),
    );
    await assert.rejects(
      a.send(
        new CreateRouteCommand({
          RouteTableId: rtId,
          DestinationCidrBlock: '10.9.0.0/16',
          NatGatewayId: 'nat-00000000000000000',
        }),
      ),
      code('NatGatewayNotFound'),
    );
    await assert.rejects(
      a.send(
        new CreateRouteCommand({
          RouteTableId: 'rtb-00000000000000000',
          DestinationCidrBlock: '10.9.0.0/16',
          GatewayId: igw,
        }),
      ),
      code('InvalidRouteTableID.NotFound'),
    );
    await assert.rejects(
      a.send(new ReplaceRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '10.9.0.0/16', GatewayId: igw })),
      code('InvalidParameterValue'),
    );

    const assoc = await a.send(new AssociateRouteTableCommand({ RouteTableId: rtId, SubnetId: subnetId }));
    assert.match(assoc.AssociationId!, /^rtbassoc-[0-9a-f]{17}$/);
    assert.deepEqual(assoc.AssociationState, { State: 'associated' });
    await assert.rejects(
      a.send(new AssociateRouteTableCommand({ RouteTableId: rtId, SubnetId: subnetId })),
      code('Resource.AlreadyAssociated'),
    );
    const bySubnet = (
      await a.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))
    ).RouteTables!;
    assert.deepEqual(
      bySubnet.map((t) => t.RouteTableId),
      [rtId],
    );
    const shown = bySubnet[0]!;
    assert.deepEqual(
      shown.Routes!.map((r) => [r.DestinationCidrBlock, r.GatewayId, r.Origin, r.State]),
      [
        ['10.60.0.0/16', 'local', 'CreateRouteTable', 'active'],
        ['0.0.0.0/0', igw, 'CreateRoute', 'active'],
      ],
    );
    assert.deepEqual(
      shown.Associations!.map((x) => [x.Main, x.SubnetId, x.RouteTableAssociationId]),
      [[false, subnetId, assoc.AssociationId]],
    );
    await assert.rejects(a.send(new DeleteRouteTableCommand({ RouteTableId: rtId })), code('DependencyViolation'));
    await assert.rejects(a.send(new DeleteVpcCommand({ VpcId: vpcId })), code('DependencyViolation'));

    // The main association moves to the new table and back.
    const [main] = (await tablesOf(a, vpcId)).filter((t) => t.Associations!.some((x) => x.Main));
    await assert.rejects(
      a.send(new DeleteRouteTableCommand({ RouteTableId: main!.RouteTableId })),
      code('DependencyViolation'),
    );
    const mainAssoc = main!.Associations!.find((x) => x.Main)!.RouteTableAssociationId!;
    await assert.rejects(
      a.send(new DisassociateRouteTableCommand({ AssociationId: mainAssoc })),
      code('InvalidParameterValue'),
    );
    const moved = await a.send(
      new ReplaceRouteTableAssociationCommand({ AssociationId: mainAssoc, RouteTableId: rtId }),
    );
    assert.match(moved.NewAssociationId!, /^rtbassoc-/);
    const mains = (
      await a.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'association.main', Values: ['true'] },
            { Name: 'vpc-id', Values: [vpcId] },
          ],
        }),
      )
    ).RouteTables!;
    assert.deepEqual(
      mains.map((t) => t.RouteTableId),
      [rtId],
    );
    await a.send(
      new ReplaceRouteTableAssociationCommand({
        AssociationId: moved.NewAssociationId,
        RouteTableId: main!.RouteTableId,
      }),
    );
    await assert.rejects(
      a.send(new DisassociateRouteTableCommand({ AssociationId: 'rtbassoc-00000000000000000' })),
      code('InvalidAssociationID.NotFound'),
    );

    // A route to a detached gateway is a blackhole, as on AWS.
    await a.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const hole = (await a.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtId] }))).RouteTables![0]!;
    assert.equal(hole.Routes!.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')!.State, 'blackhole');
    await a.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await a.send(new ReplaceRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));

    await a.send(new CreateTagsCommand({ Resources: [rtId], Tags: [{ Key: 'tier', Value: 'web' }] }));
    const tags = (await a.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [rtId] }] }))).Tags!;
    assert.deepEqual(tags.map((t) => [t.Key, t.Value, t.ResourceType]).sort(), [
      ['Name', 'public', 'route-table'],
      ['tier', 'web', 'route-table'],
    ]);

    await a.send(new DeleteRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '0.0.0.0/0' }));
    await assert.rejects(
      a.send(new DeleteRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '0.0.0.0/0' })),
      code('InvalidRoute.NotFound'),
    );
    await assert.rejects(
      a.send(new DeleteRouteCommand({ RouteTableId: rtId, DestinationCidrBlock: '10.60.0.0/16' })),
      code('InvalidParameterValue'),
    );
    await a.send(new DisassociateRouteTableCommand({ AssociationId: assoc.AssociationId }));
    await a.send(new DeleteRouteTableCommand({ RouteTableId: rtId }));
    await assert.rejects(
      a.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtId] })),
      code('InvalidRouteTableID.NotFound'),
    );
  });

  it('NAT gateways over an elastic IP of the VPC: available, used by a route, deleted (then a blackhole); unfit ones fail as on AWS', async () => {
    const eip = await a.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const cs = new CsClient(s.endpoint, s.apiKey, s.secretKey);
    const [ip] = (await cs.call('listPublicIpAddresses', { ipaddress: eip.PublicIp!, listall: 'true' })).body
      .publicipaddress;
    const [vpc] = (await cs.call('listVPCs', { listall: 'true' })).body.vpc.filter(
      (v: { cidr: string }) => v.cidr === '10.60.0.0/16',
    );
    assert.equal(ip.vpcid, vpc.id, "the elastic IP is one of the VPC's CloudStack addresses");

    const made = await a.send(
      new CreateNatGatewayCommand({
        SubnetId: subnetId,
        AllocationId: eip.AllocationId,
        TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'a-nat' }] }],
      }),
    );
    const nat = made.NatGateway!;
    assert.match(nat.NatGatewayId!, /^nat-[0-9a-f]{17}$/);
    assert.equal(nat.State, 'pending');
    assert.equal(nat.VpcId, vpcId);
    assert.equal(
      (await waitUntilNatGatewayAvailable(quickWaiter(a, 10), { NatGatewayIds: [nat.NatGatewayId!] })).state,
      'SUCCESS',
    );
    const shown = (await a.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat.NatGatewayId!] })))
      .NatGateways![0]!;
    assert.deepEqual([shown.State, shown.SubnetId, shown.ConnectivityType], ['available', subnetId, 'public']);
    assert.deepEqual(
      shown.NatGatewayAddresses!.map((x) => [x.AllocationId, x.PublicIp]),
      [[eip.AllocationId, eip.PublicIp]],
    );
    assert.deepEqual(shown.Tags, [{ Key: 'Name', Value: 'a-nat' }]);

    const [main] = await tablesOf(a, vpcId);
    await a.send(
      new CreateRouteCommand({
        RouteTableId: main!.RouteTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: nat.NatGatewayId,
      }),
    );
    await assert.rejects(a.send(new DeleteVpcCommand({ VpcId: vpcId })), code('DependencyViolation'));

    // The same address twice: AWS accepts the request and fails the gateway.
    const twice = (await a.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: eip.AllocationId })))
      .NatGateway!;
    const failed = (await a.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [twice.NatGatewayId!] })))
      .NatGateways![0]!;
    assert.deepEqual([failed.State, failed.FailureCode], ['failed', 'Resource.AlreadyAssociated']);
    await assert.rejects(a.send(new CreateNatGatewayCommand({ SubnetId: subnetId })), code('MissingParameter'));
    await assert.rejects(
      a.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: 'eipalloc-00000000000000000' })),
      code('InvalidAllocationID.NotFound'),
    );

    assert.equal(
      (await a.send(new DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId }))).NatGatewayId,
      nat.NatGatewayId,
    );
    assert.equal(
      (await waitUntilNatGatewayDeleted(quickWaiter(a, 10), { NatGatewayIds: [nat.NatGatewayId!] })).state,
      'SUCCESS',
    );
    const route = (
      await a.send(new DescribeRouteTablesCommand({ RouteTableIds: [main!.RouteTableId!] }))
    ).RouteTables![0]!.Routes!.find((r) => r.NatGatewayId);
    assert.equal(route!.State, 'blackhole');
    await a.send(new DeleteRouteCommand({ RouteTableId: main!.RouteTableId, DestinationCidrBlock: '0.0.0.0/0' }));
    await assert.rejects(
      a.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-00000000000000000'] })),
      code('NatGatewayNotFound'),
    );

    // An address of another network cannot serve this VPC: CloudStack cannot move it.
    const other = (await a.send(new CreateVpcCommand({ CidrBlock: '10.61.0.0/16' }))).Vpc!.VpcId!;
    const otherSubnet = (await a.send(new CreateSubnetCommand({ VpcId: other, CidrBlock: '10.61.1.0/24' }))).Subnet!
      .SubnetId!;
    const elsewhere = (
      await a.send(new CreateNatGatewayCommand({ SubnetId: otherSubnet, AllocationId: eip.AllocationId }))
    ).NatGateway!;
    const why = (await a.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [elsewhere.NatGatewayId!] })))
      .NatGateways![0]!;
    assert.deepEqual([why.State, why.FailureCode], ['failed', 'InvalidAllocationID.NotFound']);
  });

  it('DHCP option sets, VPC DNS attributes, subnet MapPublicIpOnLaunch; no endpoints or prefix lists', async () => {
    const vpc = (await a.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    assert.match(vpc.DhcpOptionsId!, /^dopt-[0-9a-f]{17}$/);
    const dflt = (await a.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [vpc.DhcpOptionsId!] })))
      .DhcpOptions![0]!;
    assert.deepEqual(dflt.DhcpConfigurations, [
      { Key: 'domain-name', Values: [{ Value: 'ec2.internal' }] },
      { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
    ]);
    const made = (
      await a.send(
        new CreateDhcpOptionsCommand({
          DhcpConfigurations: [
            { Key: 'domain-name', Values: ['corp.example'] },
            { Key: 'domain-name-servers', Values: ['10.0.0.2', '10.0.0.3'] },
          ],
        }),
      )
    ).DhcpOptions!;
    assert.deepEqual(made.DhcpConfigurations![1], {
      Key: 'domain-name-servers',
      Values: [{ Value: '10.0.0.2' }, { Value: '10.0.0.3' }],
    });
    await assert.rejects(
      a.send(new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'color', Values: ['blue'] }] })),
      code('InvalidParameterValue'),
    );
    await a.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: made.DhcpOptionsId, VpcId: vpcId }));
    assert.equal(
      (await a.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.DhcpOptionsId,
      made.DhcpOptionsId,
    );
    await assert.rejects(
      a.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: made.DhcpOptionsId })),
      code('DependencyViolation'),
    );
    await a.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: 'default', VpcId: vpcId }));
    assert.equal((await a.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.DhcpOptionsId, 'default');
    await a.send(new DeleteDhcpOptionsCommand({ DhcpOptionsId: made.DhcpOptionsId }));
    await assert.rejects(
      a.send(new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [made.DhcpOptionsId!] })),
      code('InvalidDhcpOptionID.NotFound'),
    );

    const attr = async (Attribute: 'enableDnsSupport' | 'enableDnsHostnames') => {
      const r = await a.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute }));
      return (r.EnableDnsSupport ?? r.EnableDnsHostnames)!.Value;
    };
    assert.deepEqual(
      [await attr('enableDnsSupport'), await attr('enableDnsHostnames')],
      [true, false],
      'AWS defaults of a non-default VPC',
    );
    await a.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    assert.equal(await attr('enableDnsHostnames'), true);
    await assert.rejects(
      a.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: false } })),
      code('InvalidParameterValue'),
    );
    await assert.rejects(
      a.send(
        new ModifyVpcAttributeCommand({
          VpcId: vpcId,
          EnableDnsSupport: { Value: true },
          EnableDnsHostnames: { Value: true },
        }),
      ),
      code('InvalidParameterCombination'),
    );

    await a.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }));
    assert.equal(
      (await a.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets![0]!.MapPublicIpOnLaunch,
      true,
    );
    await assert.rejects(
      a.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, AssignIpv6AddressOnCreation: { Value: true } })),
      code('InvalidParameterValue'),
    );

    assert.deepEqual(
      (await a.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints,
      [],
    );
    assert.deepEqual((await a.send(new DescribePrefixListsCommand({}))).PrefixLists, []);
  });

  it('security groups of a VPC show their VpcId; instances launch into a VPC tier with them', async () => {
    const { GroupId } = await a.send(
      new CreateSecurityGroupCommand({ GroupName: 'tier-web', Description: 'web tier', VpcId: vpcId }),
    );
    const g = (await a.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))).SecurityGroups![0]!;
    assert.equal(g.VpcId, vpcId);
    const byVpc = (await a.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })))
      .SecurityGroups!;
    assert.deepEqual(
      byVpc.map((x) => x.GroupId),
      [GroupId],
    );
    await assert.rejects(
      a.send(
        new CreateSecurityGroupCommand({ GroupName: 'nowhere', Description: 'x', VpcId: 'vpc-00000000000000000' }),
      ),
      code('InvalidVpcID.NotFound'),
    );

    const [image] = (await a.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const run = await a.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't2.micro',
        SubnetId: subnetId,
        SecurityGroupIds: [GroupId!],
      }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    assert.equal((await waitUntilInstanceRunning(quickWaiter(a, 30), { InstanceIds: [iid] })).state, 'SUCCESS');
    const inst = (await a.send(new DescribeInstancesCommand({ InstanceIds: [iid] }))).Reservations![0]!.Instances![0]!;
    assert.deepEqual(
      [inst.SubnetId, inst.VpcId, inst.SecurityGroups!.map((x) => x.GroupId)],
      [subnetId, vpcId, [GroupId]],
    );

    // A group of another VPC does not go on an instance of this one.
    const dflt = (await a.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })))
      .Vpcs![0]!;
    const { GroupId: elsewhere } = await a.send(
      new CreateSecurityGroupCommand({ GroupName: 'default-vpc-web', Description: 'x', VpcId: dflt.VpcId }),
    );
    await assert.rejects(
      a.send(
        new RunInstancesCommand({
          ImageId: image!.ImageId,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnetId,
          SecurityGroupIds: [elsewhere!],
        }),
      ),
      code('InvalidParameter'),
    );
    await a.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
  });

  it('another account sees none of the route tables, gateways and option sets, and cannot use them', async () => {
    const rt = (await a.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const igw = (await a.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    const dopt = (
      await a.send(
        new CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'domain-name', Values: ['a.example'] }] }),
      )
    ).DhcpOptions!.DhcpOptionsId!;
    const nat = (await a.send(new DescribeNatGatewaysCommand({}))).NatGateways![0]!.NatGatewayId!;
    const bVpc = (await b.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }))).Vpc!.VpcId!;

    const seen = JSON.stringify([
      await b.send(new DescribeRouteTablesCommand({})),
      await b.send(new DescribeInternetGatewaysCommand({})),
      await b.send(new DescribeDhcpOptionsCommand({})),
      await b.send(new DescribeNatGatewaysCommand({})),
    ]);
    for (const id of [rt, igw, dopt, nat, vpcId]) assert.ok(!seen.includes(id), `B sees ${id}`);
    await assert.rejects(
      b.send(new DescribeRouteTablesCommand({ RouteTableIds: [rt] })),
      code('InvalidRouteTableID.NotFound'),
    );
    await assert.rejects(
      b.send(new CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })),
      code('InvalidRouteTableID.NotFound'),
    );
    await assert.rejects(
      b.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: bVpc })),
      code('InvalidInternetGatewayID.NotFound'),
    );
    await assert.rejects(
      b.send(new AssociateDhcpOptionsCommand({ DhcpOptionsId: dopt, VpcId: bVpc })),
      code('InvalidDhcpOptionID.NotFound'),
    );
    await assert.rejects(b.send(new DeleteNatGatewayCommand({ NatGatewayId: nat })), code('NatGatewayNotFound'));
    await assert.rejects(b.send(new CreateRouteTableCommand({ VpcId: vpcId })), code('InvalidVpcID.NotFound'));
    // A's objects are as they were.
    assert.equal(
      (await a.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }))).InternetGateways![0]!
        .Attachments!.length,
      0,
    );
    assert.equal((await a.send(new DescribeRouteTablesCommand({ RouteTableIds: [rt] }))).RouteTables!.length, 1);
  });
});
