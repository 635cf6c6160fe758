#!/usr/bin/env node
// A VPC with two subnets, an internet gateway, a route table, a security group that references
// another, a launch template and two instances: the AWS tutorial path, with nothing in it that
// knows about polystack. The SDK finds the endpoint and keys in the environment:
//
//   eval "$(polystack env --aws)"      # AWS_ENDPOINT_URL_EC2, AWS_ACCESS_KEY_ID, ... and the region
//   node examples/ec2-vpc/walkthrough.mjs
//
// It checks what it built as it goes (any difference throws) and removes it all at the end
// unless KEEP=1. NAME (default walkthrough) names the stack's groups, template and tag.
import assert from 'node:assert/strict';
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupIngressCommand, CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSecurityGroupCommand, CreateSubnetCommand,
  CreateVpcCommand, DeleteInternetGatewayCommand, DeleteLaunchTemplateCommand, DeleteRouteTableCommand, DeleteSecurityGroupCommand,
  DeleteSubnetCommand, DeleteVpcCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand, DetachInternetGatewayCommand, DisassociateRouteTableCommand, EC2Client, ModifySubnetAttributeCommand,
  RunInstancesCommand, TerminateInstancesCommand, waitUntilInstanceRunning, waitUntilInstanceTerminated,
} from '@aws-sdk/client-ec2';

const NAME = process.env.NAME ?? 'walkthrough';
const ec2 = new EC2Client({});
const send = (command) => ec2.send(command);
const waiter = { client: ec2, maxWaitTime: 120, minDelay: 1, maxDelay: 2 };

// The network: a VPC, a public subnet for the web tier, a private one for the app tier.
const { Vpc } = await send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
const vpcId = Vpc.VpcId;
const web = (await send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }))).Subnet;
const app = (await send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.2.0/24' }))).Subnet;
await send(new ModifySubnetAttributeCommand({ SubnetId: web.SubnetId, MapPublicIpOnLaunch: { Value: true } }));

// The way out: an internet gateway and a route table that sends the web subnet's traffic to it.
const { InternetGateway } = await send(new CreateInternetGatewayCommand({}));
const igwId = InternetGateway.InternetGatewayId;
await send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
const { RouteTable } = await send(new CreateRouteTableCommand({ VpcId: vpcId }));
const rtbId = RouteTable.RouteTableId;
await send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId }));
const { AssociationId } = await send(new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: web.SubnetId }));

// The guards: HTTPS to the web tier from anywhere; the app tier only from the web tier's group.
const webSg = (await send(new CreateSecurityGroupCommand({ GroupName: `${NAME}-web`, Description: 'web tier', VpcId: vpcId }))).GroupId;
const appSg = (await send(new CreateSecurityGroupCommand({ GroupName: `${NAME}-app`, Description: 'app tier', VpcId: vpcId }))).GroupId;
await send(new AuthorizeSecurityGroupIngressCommand({ GroupId: webSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
await send(new AuthorizeSecurityGroupIngressCommand({ GroupId: appSg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: webSg }] }] }));

// What every machine of the stack shares: a launch template.
const [image] = (await send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] }))).Images;
const { LaunchTemplate } = await send(new CreateLaunchTemplateCommand({
  LaunchTemplateName: NAME,
  LaunchTemplateData: { ImageId: image.ImageId, InstanceType: 't2.micro', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'stack', Value: NAME }] }] },
}));
const launch = (subnet, group) => send(new RunInstancesCommand({
  LaunchTemplate: { LaunchTemplateId: LaunchTemplate.LaunchTemplateId, Version: '$Latest' }, MinCount: 1, MaxCount: 1,
  SubnetId: subnet.SubnetId, SecurityGroupIds: [group],
}));
const ids = [(await launch(web, webSg)).Instances[0].InstanceId, (await launch(app, appSg)).Instances[0].InstanceId];
await waitUntilInstanceRunning(waiter, { InstanceIds: ids });

// Check what was built, the way a user reads it back.
const instances = (await send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:stack', Values: [NAME] }] }))).Reservations.flatMap((r) => r.Instances);
assert.deepEqual(instances.map((i) => i.InstanceId).sort(), [...ids].sort());
for (const [i, subnet, group, prefix] of [[ids[0], web, webSg, '10.20.1.'], [ids[1], app, appSg, '10.20.2.']]) {
  const instance = instances.find((x) => x.InstanceId === i);
  assert.equal(instance.VpcId, vpcId);
  assert.equal(instance.SubnetId, subnet.SubnetId);
  assert.ok(instance.PrivateIpAddress.startsWith(prefix), `${instance.PrivateIpAddress} is not in ${subnet.CidrBlock}`);
  assert.deepEqual(instance.SecurityGroups.map((g) => g.GroupId), [group]);
  assert.equal(instance.ImageId, image.ImageId);
}
const [table] = (await send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [web.SubnetId] }] }))).RouteTables;
assert.equal(table.RouteTableId, rtbId);
assert.ok(table.Routes.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId === igwId), 'the default route goes to the internet gateway');
assert.ok(table.Routes.some((r) => r.DestinationCidrBlock === '10.20.0.0/16' && r.GatewayId === 'local'), 'the VPC-local route');
const [appGroup] = (await send(new DescribeSecurityGroupsCommand({ GroupIds: [appSg] }))).SecurityGroups;
assert.equal(appGroup.VpcId, vpcId);
assert.deepEqual(appGroup.IpPermissions[0].UserIdGroupPairs.map((p) => p.GroupId), [webSg]);

console.log(`vpc ${vpcId}: subnets ${web.SubnetId} (public) and ${app.SubnetId}, gateway ${igwId}, route table ${rtbId}`);
for (const i of instances) console.log(`instance ${i.InstanceId} ${i.State.Name} ${i.PrivateIpAddress} in ${i.SubnetId} with ${i.SecurityGroups.map((g) => g.GroupName).join(',')}`);

if (process.env.KEEP !== '1') {
  await send(new TerminateInstancesCommand({ InstanceIds: ids }));
  await waitUntilInstanceTerminated(waiter, { InstanceIds: ids });
  await send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: LaunchTemplate.LaunchTemplateId }));
  await send(new DeleteSecurityGroupCommand({ GroupId: appSg }));
  await send(new DeleteSecurityGroupCommand({ GroupId: webSg }));
  await send(new DisassociateRouteTableCommand({ AssociationId }));
  await send(new DeleteRouteTableCommand({ RouteTableId: rtbId }));
  await send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
  await send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
  await send(new DeleteSubnetCommand({ SubnetId: web.SubnetId }));
  await send(new DeleteSubnetCommand({ SubnetId: app.SubnetId }));
  await send(new DeleteVpcCommand({ VpcId: vpcId }));
  console.log('removed');
}
ec2.destroy();
