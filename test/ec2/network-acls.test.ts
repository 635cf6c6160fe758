import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ReplaceNetworkAclAssociationCommand,
  ReplaceNetworkAclEntryCommand,
  type NetworkAcl,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { startGateway } from '../helpers/ec2-gateway.js';

const code = (name: string) => (e: { name?: string }) => e.name === name;

/** Network ACLs over CloudStack VPC ACL lists, through the AWS SDK, checked on the CloudStack side too. */
describe('EC2 network ACLs', () => {
  let s: TestServer;
  let ec2: EC2Client;
  let cs: Awaited<ReturnType<typeof httpLogin>>;
  let vpcId: string;
  let subnetId: string;
  let subnet2: string;
  let csVpc: string;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    cs = await httpLogin(s.endpoint);
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
    subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.1.0/24' }))).Subnet!.SubnetId!;
    subnet2 = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.2.0/24' }))).Subnet!.SubnetId!;
    csVpc = (await cs.call('listVPCs', {})).body.vpc.find((v: { cidr: string }) => v.cidr === '10.60.0.0/16').id;
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  const acls = async (filters: { Name: string; Values: string[] }[]) =>
    (await ec2.send(new DescribeNetworkAclsCommand({ Filters: filters }))).NetworkAcls!;
  const defaultAcl = async () =>
    (
      await acls([
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default', Values: ['true'] },
      ])
    )[0]!;
  const tiers = async () =>
    (await cs.call('listNetworks', { vpcid: csVpc })).body.network as {
      cidr: string;
      aclname: string;
      aclid: string;
    }[];
  const entries = (a: NetworkAcl) =>
    a.Entries!.map((e) => [
      e.Egress,
      e.RuleNumber,
      e.Protocol,
      e.RuleAction,
      e.CidrBlock,
      e.PortRange?.From,
      e.PortRange?.To,
    ]);

  it("shows each VPC's default ACL, associated with its subnets, with AWS's entries and the implicit deny", async () => {
    const all = await acls([]);
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    for (const v of vpcs)
      assert.equal(all.filter((a) => a.VpcId === v.VpcId && a.IsDefault).length, 1, `one default ACL for ${v.VpcId}`);
    const d = await defaultAcl();
    assert.match(d.NetworkAclId!, /^acl-[0-9a-f]{17}$/);
    assert.match(d.OwnerId!, /^\d{12}$/);
    assert.deepEqual(d.Associations!.map((x) => x.SubnetId).sort(), [subnetId, subnet2].sort());
    assert.ok(
      d.Associations!.every(
        (x) => /^aclassoc-[0-9a-f]{17}$/.test(x.NetworkAclAssociationId!) && x.NetworkAclId === d.NetworkAclId,
      ),
    );
    assert.deepEqual(entries(d), [
      [true, 100, '-1', 'allow', '0.0.0.0/0', undefined, undefined],
      [true, 32767, '-1', 'deny', '0.0.0.0/0', undefined, undefined],
      [false, 100, '-1', 'allow', '0.0.0.0/0', undefined, undefined],
      [false, 32767, '-1', 'deny', '0.0.0.0/0', undefined, undefined],
    ]);
    // CloudStack: the EC2 subnets are tiers on the built-in allow-all list, not CloudStack's default_deny.
    assert.deepEqual(
      (await tiers()).map((t) => t.aclname),
      ['default_allow', 'default_allow'],
    );
    assert.deepEqual(
      (await acls([{ Name: 'association.subnet-id', Values: [subnetId] }])).map((a) => a.NetworkAclId),
      [d.NetworkAclId],
    );
    await assert.rejects(
      ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ['acl-0123456789abcdef0'] })),
      code('InvalidNetworkAclID.NotFound'),
    );
    await assert.rejects(
      ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'colour', Values: ['x'] }] })),
      code('InvalidParameterValue'),
    );
  });

  it('creates an ACL and its entries as a CloudStack list and items; numbers are per direction', async () => {
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!;
    assert.equal(acl.VpcId, vpcId);
    assert.equal(acl.IsDefault, false);
    assert.deepEqual(acl.Associations, []);
    assert.deepEqual(
      entries(acl).map((e) => e[1]),
      [32767, 32767],
    );
    const id = acl.NetworkAclId!;
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '10.0.0.0/8',
        PortRange: { From: 22, To: 22 },
      }),
    );
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: 100,
        Protocol: '-1',
        RuleAction: 'deny',
        Egress: true,
        CidrBlock: '192.168.0.0/16',
      }),
    );
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: 110,
        Protocol: '1',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        IcmpTypeCode: { Type: 8, Code: 0 },
      }),
    );
    await assert.rejects(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: 100,
          Protocol: '17',
          RuleAction: 'allow',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
          PortRange: { From: 53, To: 53 },
        }),
      ),
      (e: Error) =>
        e.name === 'NetworkAclEntryAlreadyExists' &&
        e.message === 'The network acl entry identified by 100 already exists.',
    );
    await assert.rejects(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: 120,
          Protocol: '6',
          RuleAction: 'allow',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
        }),
      ),
      code('InvalidParameterValue'),
    );
    await assert.rejects(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: 32767,
          Protocol: '-1',
          RuleAction: 'allow',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
        }),
      ),
      code('InvalidParameterValue'),
    );
    await assert.rejects(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: 'acl-0123456789abcdef0',
          RuleNumber: 1,
          Protocol: '-1',
          RuleAction: 'allow',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
        }),
      ),
      code('InvalidNetworkAclID.NotFound'),
    );
    const [got] = await acls([{ Name: 'network-acl-id', Values: [id] }]);
    assert.deepEqual(entries(got!), [
      [true, 100, '-1', 'deny', '192.168.0.0/16', undefined, undefined],
      [true, 32767, '-1', 'deny', '0.0.0.0/0', undefined, undefined],
      [false, 100, '6', 'allow', '10.0.0.0/8', 22, 22],
      [false, 110, '1', 'allow', '0.0.0.0/0', undefined, undefined],
      [false, 32767, '-1', 'deny', '0.0.0.0/0', undefined, undefined],
    ]);
    assert.deepEqual(got!.Entries!.find((e) => e.RuleNumber === 110)!.IcmpTypeCode, { Type: 8, Code: 0 });
    // CloudStack: one list in the VPC, its items Ingress/Egress with the EC2 rule's protocol, ports and action.
    const list = (await cs.call('listNetworkACLLists', { vpcid: csVpc })).body.networkacllist.find(
      (l: { vpcid?: string; name: string }) => l.vpcid === csVpc && l.name !== 'ec2-default',
    );
    const items = (await cs.call('listNetworkACLs', { aclid: list.id })).body.networkacl as {
      traffictype: string;
      protocol: string;
      action: string;
      startport?: string;
      cidrlist: string;
      number: number;
    }[];
    assert.deepEqual(items.map((i) => [i.traffictype, i.protocol, i.action, i.startport, i.cidrlist]).sort(), [
      ['Egress', 'all', 'Deny', undefined, '192.168.0.0/16'],
      ['Ingress', 'icmp', 'Allow', undefined, '0.0.0.0/0'],
      ['Ingress', 'tcp', 'Allow', '22', '10.0.0.0/8'],
    ]);

    // Replace changes the rule in place (updateNetworkACLItem); delete removes it.
    await ec2.send(
      new ReplaceNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: 100,
        Protocol: 'udp',
        RuleAction: 'deny',
        Egress: false,
        CidrBlock: '10.1.0.0/16',
        PortRange: { From: 53, To: 54 },
      }),
    );
    await assert.rejects(
      ec2.send(
        new ReplaceNetworkAclEntryCommand({
          NetworkAclId: id,
          RuleNumber: 200,
          Protocol: '-1',
          RuleAction: 'deny',
          Egress: true,
          CidrBlock: '0.0.0.0/0',
        }),
      ),
      (e: Error) => e.name === 'InvalidNetworkAclEntry.NotFound' && e.message === 'no egress entry with number 200',
    );
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: true }));
    await assert.rejects(
      ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: true })),
      code('InvalidNetworkAclEntry.NotFound'),
    );
    const after = (await acls([{ Name: 'network-acl-id', Values: [id] }]))[0]!;
    assert.deepEqual(
      entries(after).filter((e) => e[1] !== 32767),
      [
        [false, 100, '17', 'deny', '10.1.0.0/16', 53, 54],
        [false, 110, '1', 'allow', '0.0.0.0/0', undefined, undefined],
      ],
    );
    assert.equal((await cs.call('listNetworkACLs', { aclid: list.id })).body.count, 2);
  });

  it('moves a subnet to another ACL and back; an ACL in use cannot be deleted; the default cannot be', async () => {
    const id = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    const d = await defaultAcl();
    const assoc = d.Associations!.find((x) => x.SubnetId === subnetId)!.NetworkAclAssociationId!;
    const { NewAssociationId } = await ec2.send(
      new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: id }),
    );
    assert.match(NewAssociationId!, /^aclassoc-[0-9a-f]{17}$/);
    assert.notEqual(NewAssociationId, assoc);
    const moved = (await acls([{ Name: 'association.subnet-id', Values: [subnetId] }]))[0]!;
    assert.equal(moved.NetworkAclId, id);
    assert.deepEqual(
      moved.Associations!.map((x) => x.NetworkAclAssociationId),
      [NewAssociationId],
    );
    const tier = (await tiers()).find((t) => t.cidr === '10.60.1.0/24')!;
    assert.equal(tier.aclname.startsWith('acl-'), true, 'CloudStack: the tier uses the new list');
    await assert.rejects(
      ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: id })),
      code('InvalidAssociationID.NotFound'),
    );
    await assert.rejects(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id })), code('DependencyViolation'));
    await assert.rejects(
      ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: d.NetworkAclId })),
      code('InvalidParameterValue'),
    );
    const other = (await acls([{ Name: 'default', Values: ['true'] }])).find((a) => a.VpcId !== vpcId)!;
    await assert.rejects(
      ec2.send(
        new ReplaceNetworkAclAssociationCommand({ AssociationId: NewAssociationId, NetworkAclId: other.NetworkAclId }),
      ),
      code('UnsupportedOperation'),
    );
    await ec2.send(
      new ReplaceNetworkAclAssociationCommand({ AssociationId: NewAssociationId, NetworkAclId: d.NetworkAclId }),
    );
    assert.equal((await tiers()).find((t) => t.cidr === '10.60.1.0/24')!.aclname, 'default_allow');
    await ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id }));
    await assert.rejects(
      ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id })),
      code('InvalidNetworkAclID.NotFound'),
    );
  });

  it("changing the default ACL's entries gives the VPC its own list, keeps the id and moves its subnets", async () => {
    const before = await defaultAcl();
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: before.NetworkAclId,
        RuleNumber: 90,
        Protocol: '6',
        RuleAction: 'deny',
        Egress: false,
        CidrBlock: '10.9.0.0/16',
        PortRange: { From: 0, To: 65535 },
      }),
    );
    await assert.rejects(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: before.NetworkAclId,
          RuleNumber: 100,
          Protocol: '-1',
          RuleAction: 'allow',
          Egress: true,
          CidrBlock: '0.0.0.0/0',
        }),
      ),
      code('NetworkAclEntryAlreadyExists'),
    );
    await ec2.send(
      new DeleteNetworkAclEntryCommand({ NetworkAclId: before.NetworkAclId, RuleNumber: 100, Egress: true }),
    );
    const d = await defaultAcl();
    assert.equal(d.NetworkAclId, before.NetworkAclId);
    assert.deepEqual(entries(d), [
      [true, 32767, '-1', 'deny', '0.0.0.0/0', undefined, undefined],
      [false, 90, '6', 'deny', '10.9.0.0/16', 0, 65535],
      [false, 100, '-1', 'allow', '0.0.0.0/0', undefined, undefined],
      [false, 32767, '-1', 'deny', '0.0.0.0/0', undefined, undefined],
    ]);
    assert.deepEqual(
      (await tiers()).map((t) => t.aclname),
      ['ec2-default', 'ec2-default'],
    );
    assert.deepEqual(
      d.Associations!.map((x) => x.NetworkAclAssociationId).sort(),
      before.Associations!.map((x) => x.NetworkAclAssociationId).sort(),
      'association ids survive',
    );
    // A subnet made afterwards is associated with the default ACL too.
    const s3 = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.3.0/24' }))).Subnet!.SubnetId!;
    assert.ok((await defaultAcl()).Associations!.some((x) => x.SubnetId === s3));
  });

  it("a zone's default VPC has a read-only default ACL over its guest networks", async () => {
    const zoneVpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] })))
      .Vpcs![0]!.VpcId!;
    const [acl] = await acls([{ Name: 'vpc-id', Values: [zoneVpc] }]);
    assert.equal(acl!.IsDefault, true);
    await assert.rejects(
      ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: acl!.NetworkAclId,
          RuleNumber: 5,
          Protocol: '-1',
          RuleAction: 'deny',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
        }),
      ),
      code('UnsupportedOperation'),
    );
    await assert.rejects(ec2.send(new CreateNetworkAclCommand({ VpcId: zoneVpc })), code('UnsupportedOperation'));
  });

  it('works the same through the gateway in front of a CloudStack', async () => {
    const gw = await startGateway(s);
    const via = new EC2Client({
      endpoint: gw.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    try {
      const vpc = (await via.send(new CreateVpcCommand({ CidrBlock: '10.61.0.0/16' }))).Vpc!.VpcId!;
      const sub = (await via.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.61.1.0/24' }))).Subnet!
        .SubnetId!;
      const [def] = (await via.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] })))
        .NetworkAcls!;
      assert.deepEqual([def!.IsDefault, def!.Associations!.map((a) => a.SubnetId)], [true, [sub]]);
      const acl = (await via.send(new CreateNetworkAclCommand({ VpcId: vpc }))).NetworkAcl!.NetworkAclId!;
      await via.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: acl,
          RuleNumber: 10,
          Protocol: 'tcp',
          RuleAction: 'allow',
          Egress: false,
          CidrBlock: '0.0.0.0/0',
          PortRange: { From: 443, To: 443 },
        }),
      );
      await via.send(
        new ReplaceNetworkAclAssociationCommand({
          AssociationId: def!.Associations![0]!.NetworkAclAssociationId,
          NetworkAclId: acl,
        }),
      );
      const remoteVpc = (await cs.call('listVPCs', {})).body.vpc.find(
        (v: { cidr: string }) => v.cidr === '10.61.0.0/16',
      ).id;
      const [tier] = (await cs.call('listNetworks', { vpcid: remoteVpc })).body.network;
      const items = (await cs.call('listNetworkACLs', { networkid: tier.id })).body.networkacl;
      assert.deepEqual(
        items.map((i: { protocol: string; startport: string; traffictype: string }) => [
          i.protocol,
          i.startport,
          i.traffictype,
        ]),
        [['tcp', '443', 'Ingress']],
      );
      const [seen] = (
        await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [sub] }] }))
      ).NetworkAcls!;
      assert.equal(seen!.NetworkAclId, acl, 'the same ids whichever front process answers');
    } finally {
      via.destroy();
      gw.stop();
    }
  });
});
