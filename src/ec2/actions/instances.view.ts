import { csList, csTime, memo, ownerId, type Ec2Context } from '../context.js';
import { instanceTypeOf, stateOf } from '../states.js';

const vpcOfNetwork = (ctx: Ec2Context) =>
  memo(ctx, 'vpcOfNetwork', async () =>
    new Map((await csList(ctx, 'listNetworks', 'network', { listall: true })).filter((n) => n.vpcid).map((n) => [n.id as string, n.vpcid as string])));

/** A CloudStack VM as an EC2 Instance (output members by model name). */
export async function instanceView(ctx: Ec2Context, vm: any, launchIndex = 0): Promise<Record<string, any>> {
  const nic = (vm.nic ?? []).find((n: any) => n.isdefault) ?? vm.nic?.[0];
  const state = stateOf(vm.state);
  const private4 = nic?.ipaddress as string | undefined;
  const instanceId = await ctx.ids.of('instance', vm.id);
  const subnetId = nic ? await ctx.ids.of('subnet', nic.networkid) : undefined;
  // A VM in a VPC tier is in that VPC; any other is in its zone's default VPC.
  const tierVpc = nic ? (await vpcOfNetwork(ctx)).get(nic.networkid) : undefined;
  const vpcId = await ctx.ids.of('vpc', tierVpc ?? `zone:${vm.zoneid}`);
  return {
    InstanceId: instanceId, ImageId: await ctx.ids.of('image', vm.templateid), State: state,
    PrivateDnsName: private4 ? `ip-${private4.replace(/\./g, '-')}.ec2.internal` : '', PublicDnsName: '', StateTransitionReason: '',
    KeyName: vm.keypairs ? String(vm.keypairs).split(',')[0] : undefined, AmiLaunchIndex: launchIndex,
    InstanceType: instanceTypeOf(vm.serviceofferingname ?? ''), LaunchTime: csTime(vm.created),
    Placement: { AvailabilityZone: vm.zonename, GroupName: '', Tenancy: 'default' }, Monitoring: { State: 'disabled' },
    SubnetId: subnetId, VpcId: vpcId, PrivateIpAddress: private4, PublicIpAddress: vm.publicip,
    Architecture: 'x86_64', RootDeviceType: 'ebs', RootDeviceName: '/dev/xvda', VirtualizationType: 'hvm', Hypervisor: 'xen',
    ClientToken: '', EbsOptimized: false, EnaSupport: true, SourceDestCheck: true,
    SecurityGroups: await Promise.all((vm.securitygroup ?? []).map(async (g: any) => ({ GroupName: g.name, GroupId: await ctx.ids.of('securityGroup', g.id) }))),
    Tags: (vm.tags ?? []).map((t: any) => ({ Key: t.key, Value: t.value })),
    NetworkInterfaces: [],
    BlockDeviceMappings: [],
    MetadataOptions: { State: 'applied', HttpTokens: 'optional', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled', InstanceMetadataTags: 'disabled' },
    StateReason: state.Name === 'stopped' || state.Name === 'terminated'
      ? vm.state === 'Error'
        ? { Code: 'Server.InternalError', Message: 'Server.InternalError: Internal error on launch' }
        : { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' }
      : undefined,
    PlatformDetails: 'Linux/UNIX', UsageOperation: 'RunInstances', CpuOptions: { CoreCount: vm.cpunumber, ThreadsPerCore: 1 },
    ownerId: ownerId(vm.accountid ?? vm.account ?? ''),
  };
}
