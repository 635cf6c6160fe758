import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  waitUntilInstanceRunning,
} from '@aws-sdk/client-ec2';
import { startServer, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';
import { quickWaiter } from '../helpers/waiters.js';

const BIN = fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));

/** The EC2 front as a gateway in front of a separate polystack process acting as "the real CloudStack". */
describe('polystack ec2-gateway', () => {
  let cloud: TestServer;
  let gw: ChildProcess;
  let url: string;
  before(async () => {
    cloud = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
    gw = spawn(
      process.execPath,
      [
        BIN,
        'ec2-gateway',
        '--cloudstack',
        cloud.endpoint,
        '--admin-key',
        cloud.apiKey,
        '--admin-secret',
        cloud.secretKey,
        '--port',
        '0',
        '--in-memory',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    url = await new Promise((resolve, reject) => {
      let out = '';
      gw.stdout!.on('data', (d) => {
        out += d;
        const m = /ready on (\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      gw.once('exit', (c) => reject(new Error(`gateway exited ${c}`)));
    });
  });
  after(async () => {
    gw.kill('SIGTERM');
    await cloud.stop();
  });

  it('runs an instance on the remote cloud through EC2, visible there through CloudStack', async () => {
    const ec2 = new EC2Client({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: cloud.apiKey, secretAccessKey: cloud.secretKey },
    });
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!.map((z) => z.ZoneName);
    assert.deepEqual(zones.sort(), ['Sandbox-simulator-advanced', 'Sandbox-simulator-basic']);
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        Placement: { AvailabilityZone: 'Sandbox-simulator-basic' },
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    assert.equal((await waitUntilInstanceRunning(quickWaiter(ec2, 60), { InstanceIds: [id] })).state, 'SUCCESS');
    const ip = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!
      .PrivateIpAddress;
    const cs = await httpLogin(cloud.endpoint);
    const vms = (await cs.call('listVirtualMachines', {})).body.virtualmachine;
    assert.equal(vms.length, 1);
    assert.equal(vms[0].ipaddress, ip);
    ec2.destroy();
  });

  it('security groups in a zone without them become the remote network firewall', async () => {
    const ec2 = new EC2Client({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: cloud.apiKey, secretAccessKey: cloud.secretKey },
    });
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'gw-web', Description: 'web' }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupName: 'gw-web',
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        SecurityGroupIds: [GroupId!],
        Placement: { AvailabilityZone: 'Sandbox-simulator-advanced' },
      }),
    );
    assert.deepEqual(run.Instances![0]!.SecurityGroups, [{ GroupName: 'gw-web', GroupId }]);
    const cs = await httpLogin(cloud.endpoint);
    const rules = (await cs.call('listFirewallRules', { listall: 'true' })).body.firewallrule ?? [];
    assert.deepEqual(
      rules.map((r: any) => [r.protocol, r.startport, r.cidrlist]),
      [['tcp', 443, '0.0.0.0/0']],
    );
    ec2.destroy();
  });

  it("VPC networking against the remote cloud: VPC groups and tier launches are CloudStack objects, NAT gateways hold the VPC's address", async () => {
    const sdk = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: cloud.apiKey, secretAccessKey: cloud.secretKey },
    });
    const cs = await httpLogin(cloud.endpoint);
    const vpcId = (await ec2.send(new sdk.CreateVpcCommand({ CidrBlock: '10.80.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new sdk.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.80.1.0/24' }))).Subnet!
      .SubnetId!;
    const [vpc] = (await cs.call('listVPCs', { cidr: '10.80.0.0/16' })).body.vpc;
    const [tier] = (await cs.call('listNetworks', { vpcid: vpc.id })).body.network;

    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'gw-tier', Description: 'tier', VpcId: vpcId }),
    );
    assert.equal(
      (await ec2.send(new sdk.DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))).SecurityGroups![0]!.VpcId,
      vpcId,
    );
    const groups = (await cs.call('listSecurityGroups', { securitygroupname: 'gw-tier' })).body.securitygroup;
    assert.equal(groups.length, 1, 'the group is a CloudStack security group');
    const [image] = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images!;
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: image!.ImageId,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        SecurityGroupIds: [GroupId!],
      }),
    );
    assert.deepEqual(
      run.Instances![0]!.SecurityGroups!.map((g) => g.GroupId),
      [GroupId],
    );
    const [vm] = (await cs.call('listVirtualMachines', { networkid: tier.id })).body.virtualmachine;
    assert.equal(
      vm.tags.find((t: { key: string }) => t.key === 'polystack:ec2.securitygroups')?.value,
      groups[0].id,
      'the VM on the tier carries its groups',
    );

    // An address CloudStack gave the VPC is the NAT gateway's elastic IP.
    const job = (await cs.call('associateIpAddress', { vpcid: vpc.id })).body;
    for (let i = 0; i < 100 && (await cs.call('queryAsyncJobResult', { jobid: job.jobid })).body.jobstatus === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const [ip] = (await cs.call('listPublicIpAddresses', { id: job.id })).body.publicipaddress;
    const eip = (await ec2.send(new sdk.DescribeAddressesCommand({ PublicIps: [ip.ipaddress] }))).Addresses![0]!;
    const igw = (await ec2.send(new sdk.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new sdk.AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const nat = (
      await ec2.send(new sdk.CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId: eip.AllocationId }))
    ).NatGateway!.NatGatewayId!;
    const shown = (await ec2.send(new sdk.DescribeNatGatewaysCommand({ NatGatewayIds: [nat] }))).NatGateways![0]!;
    assert.deepEqual([shown.State, shown.NatGatewayAddresses![0]!.PublicIp], ['available', ip.ipaddress]);
    const rt = (await ec2.send(new sdk.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(
      new sdk.CreateRouteCommand({ RouteTableId: rt, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }),
    );
    await ec2.send(new sdk.AssociateRouteTableCommand({ RouteTableId: rt, SubnetId: subnetId }));
    const routes = (
      await ec2.send(
        new sdk.DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
      )
    ).RouteTables![0]!.Routes!;
    assert.deepEqual(
      routes.map((r) => [r.DestinationCidrBlock, r.GatewayId ?? r.NatGatewayId, r.State]),
      [
        ['10.80.0.0/16', 'local', 'active'],
        ['0.0.0.0/0', nat, 'active'],
      ],
    );
    await assert.rejects(
      ec2.send(new sdk.DeleteVpcCommand({ VpcId: vpcId })),
      (e: Error) => e.name === 'DependencyViolation',
    );
    assert.equal((await cs.call('listVPCs', { id: vpc.id })).body.vpc.length, 1, 'the CloudStack VPC stays');
    ec2.destroy();
  });

  it('refuses a key the remote cloud does not know', async () => {
    const ec2 = new EC2Client({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'nobody', secretAccessKey: 'x' },
    });
    await assert.rejects(ec2.send(new DescribeAvailabilityZonesCommand({})), /AWS was not able to validate/);
    ec2.destroy();
  });
});
