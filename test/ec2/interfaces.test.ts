import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AssignPrivateIpAddressesCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInterfaceCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfaceAttributeCommand,
  DescribeNetworkInterfacesCommand,
  DetachNetworkInterfaceCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  UnassignPrivateIpAddressesCommand,
  waitUntilInstanceRunning,
  type NetworkInterface,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { startGateway } from '../helpers/ec2-gateway.js';
import { quickWaiter } from '../helpers/waiters.js';

const code = (name: string) => (e: { name?: string }) => e.name === name;
type Cs = Awaited<ReturnType<typeof httpLogin>>;

/** Runs one instance into a fresh VPC subnet and gives back the ids the tests use. */
async function setup(ec2: EC2Client, cidr: number) {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: `10.${cidr}.0.0/16` }))).Vpc!.VpcId!;
  const subnet1 = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${cidr}.1.0/24` }))).Subnet!
    .SubnetId!;
  const subnet2 = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${cidr}.2.0/24` }))).Subnet!
    .SubnetId!;
  const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
    .Images![0]!.ImageId;
  const run = await ec2.send(
    new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, InstanceType: 't2.micro', SubnetId: subnet1 }),
  );
  const instanceId = run.Instances![0]!.InstanceId!;
  await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: [instanceId] });
  return { vpcId, subnet1, subnet2, instanceId };
}

const nicsOf = async (cs: Cs, ip: string) => {
  const vm = (await cs.call('listVirtualMachines', { listall: 'true' })).body.virtualmachine.find(
    (v: { nic: { ipaddress: string }[] }) => v.nic.some((n) => n.ipaddress === ip),
  );
  return (await cs.call('listNics', { virtualmachineid: vm.id })).body.nic as {
    ipaddress: string;
    networkid: string;
    secondaryip?: { ipaddress: string }[];
  }[];
};

/** Attaches, assigns, detaches and deletes an interface, checking EC2 and CloudStack after each step. */
async function lifecycle(ec2: EC2Client, cs: Cs, cidr: number) {
  const { vpcId, subnet1, subnet2, instanceId } = await setup(ec2, cidr);
  const eni = (
    await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: subnet2,
        Description: 'second',
        PrivateIpAddress: `10.${cidr}.2.50`,
      }),
    )
  ).NetworkInterface!;
  assert.match(eni.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
  assert.deepEqual(
    [eni.Status, eni.SubnetId, eni.VpcId, eni.PrivateIpAddress, eni.Description, eni.Attachment],
    ['available', subnet2, vpcId, `10.${cidr}.2.50`, 'second', undefined],
  );
  const { AttachmentId } = await ec2.send(
    new AttachNetworkInterfaceCommand({
      NetworkInterfaceId: eni.NetworkInterfaceId,
      InstanceId: instanceId,
      DeviceIndex: 1,
    }),
  );
  assert.match(AttachmentId!, /^eni-attach-[0-9a-f]{17}$/);
  const primaryIp = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!
    .Instances![0]!.PrivateIpAddress!;
  assert.deepEqual(
    (await nicsOf(cs, primaryIp)).map((n) => n.ipaddress).sort(),
    [primaryIp, `10.${cidr}.2.50`].sort(),
    'CloudStack: a second NIC with the address',
  );
  const attached = (
    await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))
  ).NetworkInterfaces![0]!;
  assert.deepEqual(
    [
      attached.Status,
      attached.Attachment?.InstanceId,
      attached.Attachment?.DeviceIndex,
      attached.Attachment?.AttachmentId,
    ],
    ['in-use', instanceId, 1, AttachmentId],
  );

  await ec2.send(
    new AssignPrivateIpAddressesCommand({
      NetworkInterfaceId: eni.NetworkInterfaceId,
      PrivateIpAddresses: [`10.${cidr}.2.60`],
    }),
  );
  assert.deepEqual(
    (await nicsOf(cs, primaryIp)).find((n) => n.ipaddress === `10.${cidr}.2.50`)!.secondaryip!.map((s) => s.ipaddress),
    [`10.${cidr}.2.60`],
  );
  await ec2.send(
    new UnassignPrivateIpAddressesCommand({
      NetworkInterfaceId: eni.NetworkInterfaceId,
      PrivateIpAddresses: [`10.${cidr}.2.60`],
    }),
  );
  assert.deepEqual((await nicsOf(cs, primaryIp)).find((n) => n.ipaddress === `10.${cidr}.2.50`)!.secondaryip ?? [], []);

  await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
  const detached = (
    await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))
  ).NetworkInterfaces![0]!;
  assert.deepEqual(
    [detached.Status, detached.PrivateIpAddress, detached.Description, detached.Attachment],
    ['available', `10.${cidr}.2.50`, 'second', undefined],
  );
  assert.equal((await nicsOf(cs, primaryIp)).length, 1, 'CloudStack: the NIC is gone');
  await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId }));
  await assert.rejects(
    ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] })),
    code('InvalidNetworkInterfaceID.NotFound'),
  );
  return { vpcId, subnet1, subnet2, instanceId, primaryIp };
}

describe('EC2 network interfaces', () => {
  let s: TestServer;
  let ec2: EC2Client;
  let cs: Cs;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '20' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    cs = await httpLogin(s.endpoint);
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  it("shows every instance's NICs: the primary one at device index 0, the same in DescribeInstances", async () => {
    const { subnet1, vpcId, instanceId } = await setup(ec2, 70);
    const [eni] = (
      await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
      )
    ).NetworkInterfaces!;
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!
      .Instances![0]!;
    assert.match(eni!.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.deepEqual(
      [
        eni!.Status,
        eni!.SubnetId,
        eni!.VpcId,
        eni!.PrivateIpAddress,
        eni!.Attachment!.DeviceIndex,
        eni!.Attachment!.Status,
        eni!.Attachment!.DeleteOnTermination,
      ],
      ['in-use', subnet1, vpcId, inst.PrivateIpAddress, 0, 'attached', true],
    );
    assert.match(eni!.MacAddress!, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.deepEqual(
      eni!.PrivateIpAddresses!.map((p) => [p.Primary, p.PrivateIpAddress]),
      [[true, inst.PrivateIpAddress]],
    );
    const ni = inst.NetworkInterfaces!;
    assert.equal(ni.length, 1);
    assert.deepEqual(
      [
        ni[0]!.NetworkInterfaceId,
        ni[0]!.SubnetId,
        ni[0]!.VpcId,
        ni[0]!.Attachment!.DeviceIndex,
        ni[0]!.Attachment!.AttachmentId,
        ni[0]!.Status,
      ],
      [eni!.NetworkInterfaceId, subnet1, vpcId, 0, eni!.Attachment!.AttachmentId, 'in-use'],
    );
    const filters = async (Name: string, Values: string[]) =>
      (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name, Values }] }))).NetworkInterfaces!.map(
        (x: NetworkInterface) => x.NetworkInterfaceId,
      );
    assert.deepEqual(await filters('subnet-id', [subnet1]), [eni!.NetworkInterfaceId]);
    assert.deepEqual(await filters('vpc-id', [vpcId]), [eni!.NetworkInterfaceId]);
    assert.deepEqual(await filters('private-ip-address', [inst.PrivateIpAddress!]), [eni!.NetworkInterfaceId]);
    assert.deepEqual(await filters('network-interface-id', [eni!.NetworkInterfaceId!]), [eni!.NetworkInterfaceId]);
    await assert.rejects(
      ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: eni!.Attachment!.AttachmentId })),
      code('OperationNotPermitted'),
    );
    await assert.rejects(
      ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni!.NetworkInterfaceId })),
      code('InvalidNetworkInterface.InUse'),
    );
  });

  it('creates, attaches (addNicToVirtualMachine), assigns addresses (addIpToNic), detaches and deletes an interface', async () => {
    const { subnet2, instanceId } = await lifecycle(ec2, cs, 71);
    const inst = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!
      .Instances![0]!;
    assert.equal(inst.NetworkInterfaces!.length, 1);
    // Errors: a taken device index, an interface in use, unknown ids, addresses not held.
    const eni = (
      await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet2, SecondaryPrivateIpAddressCount: 1 }))
    ).NetworkInterface!;
    assert.equal(eni.PrivateIpAddresses!.length, 2);
    assert.ok(eni.PrivateIpAddresses!.every((p) => p.PrivateIpAddress!.startsWith('10.71.2.')));
    await assert.rejects(
      ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: eni.NetworkInterfaceId,
          InstanceId: instanceId,
          DeviceIndex: 0,
        }),
      ),
      code('InvalidParameterValue'),
    );
    const { AttachmentId } = await ec2.send(
      new AttachNetworkInterfaceCommand({
        NetworkInterfaceId: eni.NetworkInterfaceId,
        InstanceId: instanceId,
        DeviceIndex: 2,
      }),
    );
    const after = (
      await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni.NetworkInterfaceId!] }))
    ).NetworkInterfaces![0]!;
    assert.deepEqual(
      after.PrivateIpAddresses!.map((p) => p.PrivateIpAddress),
      eni.PrivateIpAddresses!.map((p) => p.PrivateIpAddress),
      'the addresses come along',
    );
    await assert.rejects(
      ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: eni.NetworkInterfaceId,
          InstanceId: instanceId,
          DeviceIndex: 3,
        }),
      ),
      code('InvalidNetworkInterface.InUse'),
    );
    await assert.rejects(
      ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni.NetworkInterfaceId })),
      code('InvalidNetworkInterface.InUse'),
    );
    await assert.rejects(
      ec2.send(
        new UnassignPrivateIpAddressesCommand({
          NetworkInterfaceId: eni.NetworkInterfaceId,
          PrivateIpAddresses: ['10.71.2.99'],
        }),
      ),
      code('InvalidParameterValue'),
    );
    await assert.rejects(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })),
      code('InvalidNetworkInterfaceID.NotFound'),
    );
    await assert.rejects(
      ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: 'eni-attach-0123456789abcdef0' })),
      code('InvalidAttachmentID.NotFound'),
    );
    await assert.rejects(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnet2, PrivateIpAddress: '10.99.0.5' })),
      code('InvalidParameterValue'),
    );
    const inst2 = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!
      .Instances![0]!;
    assert.deepEqual(
      inst2.NetworkInterfaces!.map((n) => n.Attachment!.DeviceIndex),
      [0, 2],
    );
    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
  });

  it('reads and changes Description, SourceDestCheck and Groups', async () => {
    const { instanceId } = await setup(ec2, 72);
    const [eni] = (
      await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
      )
    ).NetworkInterfaces!;
    const id = eni!.NetworkInterfaceId!;
    const attr = (Attribute: 'description' | 'sourceDestCheck' | 'groupSet' | 'attachment') =>
      ec2.send(new DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Attribute }));
    assert.equal((await attr('sourceDestCheck')).SourceDestCheck!.Value, true);
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, Description: { Value: 'web' } }),
    );
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: id, SourceDestCheck: { Value: false } }),
    );
    assert.equal((await attr('description')).Description!.Value, 'web');
    assert.equal((await attr('sourceDestCheck')).SourceDestCheck!.Value, false);
    assert.equal((await attr('attachment')).Attachment!.InstanceId, instanceId);
    assert.deepEqual((await attr('groupSet')).Groups, eni!.Groups);
    const listed = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [id] })))
      .NetworkInterfaces![0]!;
    assert.deepEqual([listed.Description, listed.SourceDestCheck], ['web', false]);
    await assert.rejects(
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: id,
          Description: { Value: 'x' },
          SourceDestCheck: { Value: true },
        }),
      ),
      code('InvalidParameterCombination'),
    );
    await assert.rejects(
      ec2.send(
        new ModifyNetworkInterfaceAttributeCommand({
          NetworkInterfaceId: 'eni-0123456789abcdef0',
          Description: { Value: 'x' },
        }),
      ),
      code('InvalidNetworkInterfaceID.NotFound'),
    );
  });

  it('works the same through the gateway in front of a CloudStack', async () => {
    const gw = await startGateway(s);
    const via = new EC2Client({
      endpoint: gw.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
    try {
      const { instanceId } = await lifecycle(via, cs, 73);
      const [primary] = (
        await via.send(
          new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instanceId] }] }),
        )
      ).NetworkInterfaces!;
      assert.equal(primary!.Attachment!.DeviceIndex, 0);
    } finally {
      via.destroy();
      gw.stop();
    }
  });
});
