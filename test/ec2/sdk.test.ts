import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

/** The AWS SDK for JavaScript v3 (SigV4 with more signed headers, x-amz-content-sha256), its waiters and paginators. */
describe('EC2 front through @aws-sdk/client-ec2', () => {
  let s: TestServer;
  let ec2: EC2Client;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '50' } });
    ec2 = new EC2Client({
      endpoint: s.url,
      region: 'us-east-1',
      credentials: { accessKeyId: s.apiKey, secretAccessKey: s.secretKey },
    });
  });
  after(async () => {
    ec2.destroy();
    await s.stop();
  });

  it('runs instances, waits with the SDK waiters, pages with its paginator, and shows the same VMs as CloudStack', async () => {
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'sdk-key' }));
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'sdk-web', Description: 'web' }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 6,
        MaxCount: 6,
        InstanceType: 't2.micro',
        KeyName: 'sdk-key',
        SecurityGroupIds: [GroupId!],
        Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
        UserData: Buffer.from('#cloud-config\n').toString('base64'),
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'sdk' }] }],
      }),
    );
    const ids = run.Instances!.map((i) => i.InstanceId!);
    assert.equal(ids.length, 6);
    assert.ok(run.$metadata.requestId, 'the request id comes from x-amzn-RequestId');
    const waited = await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: ids });
    assert.equal(waited.state, 'SUCCESS');

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: 'tag:team', Values: ['sdk'] }] },
    )) {
      pages++;
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) seen.push(i.InstanceId!);
    }
    assert.equal(pages, 2, 'six instances in pages of five');
    assert.deepEqual(seen.sort(), [...ids].sort());

    // The same VMs through the CloudStack API, in the same state.
    const cs = await httpLogin(s.endpoint);
    const vms = (await cs.call('listVirtualMachines', { 'tags[0].key': 'team', 'tags[0].value': 'sdk' })).body
      .virtualmachine;
    assert.equal(vms.length, 6);
    assert.ok(vms.every((v: any) => v.state === 'Running' && v.keypairs === 'sdk-key'));

    await ec2.send(new StopInstancesCommand({ InstanceIds: ids.slice(0, 1) }));
    assert.equal(
      (await waitUntilInstanceStopped(quickWaiter(ec2, 60), { InstanceIds: ids.slice(0, 1) })).state,
      'SUCCESS',
    );
    const stopped = (
      await cs.call('listVirtualMachines', { 'tags[0].key': 'team', 'tags[0].value': 'sdk', state: 'Stopped' })
    ).body;
    assert.equal(stopped.count, 1, 'CloudStack sees the instance EC2 stopped');
    const t = await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
    assert.ok(
      t.TerminatingInstances!.every(
        (x) => x.CurrentState!.Name === 'shutting-down' || x.CurrentState!.Name === 'terminated',
      ),
    );
  });

  it('creates and deletes a VPC with a subnet (CloudStack VPC and tier); the default VPCs stay', async () => {
    const {
      CreateVpcCommand,
      CreateSubnetCommand,
      DescribeSubnetsCommand,
      DeleteSubnetCommand,
      DeleteVpcCommand,
      DescribeVpcsCommand,
    } = await import('@aws-sdk/client-ec2');
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!;
    assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId, CidrBlock: '10.50.1.0/24' }))).Subnet!;
    assert.equal(subnet.CidrBlock, '10.50.1.0/24');
    const listed = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] })))
      .Subnets!;
    assert.deepEqual(
      listed.map((x) => x.SubnetId),
      [subnet.SubnetId],
    );
    await assert.rejects(ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId })), /DependencyViolation|dependencies/);

    // Launch into the subnet: the VM lands on the tier's network, with the address asked for.
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId;
    await assert.rejects(
      ec2.send(
        new RunInstancesCommand({
          ImageId: image,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnet.SubnetId,
          Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
        }),
      ),
      (e: any) => e.name === 'InvalidParameterValue',
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't2.micro',
        SubnetId: subnet.SubnetId,
        PrivateIpAddress: '10.50.1.25',
      }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(quickWaiter(ec2, 30), {
      InstanceIds: [iid],
    });
    const inVpc = (
      await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))
    ).Reservations!.flatMap((r) => r.Instances!);
    assert.deepEqual(
      inVpc.map((i) => [i.InstanceId, i.SubnetId, i.PrivateIpAddress, i.Placement!.AvailabilityZone]),
      [[iid, subnet.SubnetId, '10.50.1.25', subnet.AvailabilityZone]],
    );
    await assert.rejects(
      ec2.send(
        new RunInstancesCommand({ ImageId: image, MinCount: 1, MaxCount: 1, SubnetId: 'subnet-00000000000000000' }),
      ),
      (e: any) => e.name === 'InvalidSubnetID.NotFound',
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
    await waitUntilInstanceTerminated(quickWaiter(ec2, 30), {
      InstanceIds: [iid],
    });
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId }));
    const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs!;
    assert.ok(!vpcs.some((v) => v.VpcId === vpc.VpcId));
    assert.equal(vpcs.filter((v) => v.IsDefault).length, 2, 'one default VPC per zone');
  });

  it('creates, attaches and detaches a volume, snapshots it, with the SDK waiters; CloudStack sees the same disk', async () => {
    const {
      CreateVolumeCommand,
      AttachVolumeCommand,
      DetachVolumeCommand,
      DeleteVolumeCommand,
      DescribeVolumesCommand,
      CreateSnapshotCommand,
      DeleteSnapshotCommand,
      waitUntilVolumeAvailable,
      waitUntilVolumeInUse,
      waitUntilSnapshotCompleted,
      waitUntilVolumeDeleted,
    } = await import('@aws-sdk/client-ec2');
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't2.micro',
        Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
      }),
    );
    const instanceId = run.Instances![0]!.InstanceId!;
    await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: [instanceId] });
    const wait = quickWaiter(ec2, 60);
    const vol = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'Sandbox-simulator-basic', Size: 5 }));
    assert.equal((await waitUntilVolumeAvailable(wait, { VolumeIds: [vol.VolumeId!] })).state, 'SUCCESS');
    const att = await ec2.send(
      new AttachVolumeCommand({ VolumeId: vol.VolumeId, InstanceId: instanceId, Device: '/dev/xvdb' }),
    );
    assert.equal(att.State, 'attaching');
    assert.equal((await waitUntilVolumeInUse(wait, { VolumeIds: [vol.VolumeId!] })).state, 'SUCCESS');

    const cs = await httpLogin(s.endpoint);
    const disks = (await cs.call('listVolumes', { type: 'DATADISK', listall: 'true' })).body.volume.filter(
      (v: any) => v.size === 5 * 2 ** 30,
    );
    assert.equal(disks.length, 1);
    assert.equal(disks[0].deviceid, 1, '/dev/xvdb is CloudStack device 1');
    assert.equal(disks[0].vmstate, 'Running');

    const snap = await ec2.send(new CreateSnapshotCommand({ VolumeId: vol.VolumeId }));
    assert.equal((await waitUntilSnapshotCompleted(wait, { SnapshotIds: [snap.SnapshotId!] })).state, 'SUCCESS');
    assert.equal((await ec2.send(new DetachVolumeCommand({ VolumeId: vol.VolumeId }))).State, 'detaching');
    assert.equal((await waitUntilVolumeAvailable(wait, { VolumeIds: [vol.VolumeId!] })).state, 'SUCCESS');
    const after = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [vol.VolumeId!] }))).Volumes![0]!;
    assert.deepEqual(after.Attachments, []);
    await ec2.send(new DeleteVolumeCommand({ VolumeId: vol.VolumeId }));
    assert.equal((await waitUntilVolumeDeleted(wait, { VolumeIds: [vol.VolumeId!] })).state, 'SUCCESS');
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snap.SnapshotId }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  });

  it('a VM created through CloudStack shows up through EC2', async () => {
    const cs = await httpLogin(s.endpoint);
    const zone = (await cs.call('listZones', { name: 'Sandbox-simulator-advanced' })).body.zone[0].id;
    const offering = (await cs.call('listServiceOfferings', { name: 'Small Instance' })).body.serviceoffering[0].id;
    const template = (
      await cs.call('listTemplates', { templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
    ).body.template[0].id;
    const d = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
      name: 'from-cloudstack',
    });
    for (let i = 0; i < 200; i++) {
      if ((await cs.call('queryAsyncJobResult', { jobid: d.body.jobid })).body.jobstatus !== 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const out = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'availability-zone', Values: ['Sandbox-simulator-advanced'] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
      }),
    );
    const inst = out.Reservations!.flatMap((r) => r.Instances!);
    assert.equal(inst.length, 1);
    assert.equal(
      inst[0]!.PrivateIpAddress,
      (await cs.call('listVirtualMachines', { id: d.body.id })).body.virtualmachine[0].ipaddress,
    );
  });

  it('RunInstances TagSpecifications of type volume tag the root volume the launch creates, as AWS does', async () => {
    const { DescribeVolumesCommand } = await import('@aws-sdk/client-ec2');
    const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        MinCount: 1,
        MaxCount: 1,
        InstanceType: 't2.micro',
        Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'vm' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'backup', Value: 'daily' }] },
        ],
      }),
    );
    const iid = run.Instances![0]!.InstanceId!;
    const volumes = (
      await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [iid] }] }))
    ).Volumes!;
    assert.equal(volumes.length, 1, 'the root volume');
    assert.deepEqual(volumes[0]!.Tags, [{ Key: 'backup', Value: 'daily' }], "volume tags only, not the instance's");
    const tagged = (
      await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:backup', Values: ['daily'] }] }))
    ).Volumes!;
    assert.deepEqual(
      tagged.map((v) => v.VolumeId),
      [volumes[0]!.VolumeId],
    );
    const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [iid] }))).Reservations![0]!
      .Instances![0]!;
    assert.deepEqual(described.Tags, [{ Key: 'role', Value: 'vm' }]);
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [iid] }));
  });
});
