import type { WireVm, WireVolume } from '../../cloudstack/wire.js';
import { csList, csTime, memo, ownerId, type Ec2Context } from '../context.js';
import { deviceNameOf, volumeNotes } from './volumes.view.js';
import { instanceTypeOf, stateOf } from '../states.js';
import { mappedGroups, MEMBERSHIP_TAG } from './securitygroups.zones.js';
import { instanceNotes } from './instances.extras.js';
import { placementNameOf } from './placement.js';
import { instanceInterfaces } from './interfaces.view.js';

const vpcOfNetwork = (ctx: Ec2Context) =>
  memo(
    ctx,
    'vpcOfNetwork',
    async () =>
      new Map(
        (await csList(ctx, 'listNetworks', 'network', { listall: true }))
          .filter((n) => n.vpcid)
          .map((n) => [n.id as string, n.vpcid as string]),
      ),
  );

/** A VM as listed, or with the tags a launch is about to add (only their keys and values). */
export type VmSource = Omit<WireVm, 'tags'> & { tags?: { key?: string; value?: string }[] };

/** An EC2 Instance as instanceView makes it (ownerId is for the reservation around it). */
export type InstanceView = Awaited<ReturnType<typeof instanceView>>;

/** A CloudStack VM as an EC2 Instance (output members by model name). */
export async function instanceView(ctx: Ec2Context, vm: VmSource, launchIndex = 0, disks?: Disks) {
  const nic = (vm.nic ?? []).find((n) => n.isdefault) ?? vm.nic?.[0];
  const state = stateOf(vm.state);
  const private4 = nic?.ipaddress as string | undefined;
  const instanceId = await ctx.ids.of('instance', vm.id);
  const subnetId = nic ? await ctx.ids.of('subnet', nic.networkid) : undefined;
  // A VM in a VPC tier is in that VPC; any other is in its zone's default VPC.
  const tierVpc = nic ? (await vpcOfNetwork(ctx)).get(nic.networkid) : undefined;
  const vpcId = await ctx.ids.of('vpc', tierVpc ?? `zone:${vm.zoneid}`);
  const notes = await instanceNotes(ctx, vm.id);
  const groups = await groupsOf(ctx, vm);
  return {
    InstanceId: instanceId,
    ImageId: await ctx.ids.of('image', vm.templateid),
    State: state,
    PrivateDnsName: private4 ? `ip-${private4.replace(/\./g, '-')}.ec2.internal` : '',
    PublicDnsName: '',
    StateTransitionReason: '',
    KeyName: vm.keypairs ? String(vm.keypairs).split(',')[0] : undefined,
    AmiLaunchIndex: launchIndex,
    InstanceType: instanceTypeOf(vm.serviceofferingname ?? ''),
    LaunchTime: csTime(vm.created),
    Placement: { AvailabilityZone: vm.zonename, GroupName: placementNameOf(vm), Tenancy: 'default' },
    Monitoring: { State: notes.monitoring ? 'enabled' : 'disabled' },
    SubnetId: subnetId,
    VpcId: vpcId,
    PrivateIpAddress: private4,
    PublicIpAddress: vm.publicip,
    Architecture: 'x86_64',
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    VirtualizationType: 'hvm',
    Hypervisor: 'xen',
    ClientToken: '',
    EbsOptimized: false,
    EnaSupport: true,
    SourceDestCheck: notes.sourceDestCheck,
    SecurityGroups: groups,
    Tags: (vm.tags ?? []).filter((t) => t.key !== MEMBERSHIP_TAG).map((t) => ({ Key: t.key, Value: t.value })),
    NetworkInterfaces: await instanceInterfaces(ctx, vm, groups),
    BlockDeviceMappings: disks?.get(vm.id) ?? [],
    MetadataOptions: { State: 'applied', ...notes.metadata },
    StateReason:
      state.Name === 'stopped' || state.Name === 'terminated'
        ? vm.state === 'Error'
          ? { Code: 'Server.InternalError', Message: 'Server.InternalError: Internal error on launch' }
          : { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' }
        : undefined,
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    CpuOptions: { CoreCount: vm.cpunumber, ThreadsPerCore: 1 },
    ownerId: ownerId(vm.accountid ?? vm.account ?? ''),
  };
}

/** A VM's groups: CloudStack's, or in a zone without them the groups its membership tag names. */
async function groupsOf(ctx: Ec2Context, vm: VmSource): Promise<{ GroupName: string; GroupId: string }[]> {
  const ids = mappedGroups(vm);
  const groups = ids.length
    ? (await memo(ctx, 'sg:own', () => csList(ctx, 'listSecurityGroups', 'securitygroup', { listall: true }))).filter(
        (g) => ids.includes(g.id),
      )
    : (vm.securitygroup ?? []);
  return Promise.all(
    groups.map(async (g) => ({ GroupName: g.name as string, GroupId: await ctx.ids.of('securityGroup', g.id) })),
  );
}

/** The block devices of the instances in a listing, by CloudStack VM id. */
export type Disks = Map<string, Record<string, unknown>[]>;

/** `whole`: the VMs are all the caller's (a listing without MaxResults), not one page of them. */
export async function disksOf(ctx: Ec2Context, vms: readonly { id: string }[], whole = false): Promise<Disks> {
  const byVm: Disks = new Map();
  if (vms.length === 0) return byVm;
  const vols = (await volumesOf(ctx, vms, whole)).filter(
    (v): v is WireVolume & { virtualmachineid: string } => !!v.virtualmachineid,
  );
  vols.sort((a, b) => Number(a.deviceid ?? 0) - Number(b.deviceid ?? 0));
  const devices = (await volumeNotes(ctx, vols)).devices;
  for (const v of vols) {
    const remembered = devices.get(v.id)?.split(' ');
    const mapping = {
      DeviceName: remembered && remembered[0] === v.virtualmachineid ? remembered[1] : deviceNameOf(v.deviceid),
      Ebs: {
        VolumeId: await ctx.ids.of('volume', v.id),
        Status: v.state === 'Attaching' ? 'attaching' : 'attached',
        AttachTime: csTime(v.attached ?? v.created),
        DeleteOnTermination: v.type === 'ROOT',
      },
    };
    const list = byVm.get(v.virtualmachineid);
    if (list) list.push(mapping);
    else byVm.set(v.virtualmachineid, [mapping]);
  }
  return byVm;
}

/**
 * A page of instances asks for its own VMs' volumes (CloudStack's listVolumes takes one VM id), at any
 * size: for a page of 100 of 1,000 VMs that took about two thirds of the CPU of reading every volume,
 * and it does not grow with the number of VMs. A whole listing of more than a few dozen reads every volume once.
 */
const PER_VM_BELOW = 50;

async function volumesOf(ctx: Ec2Context, vms: readonly { id: string }[], whole: boolean): Promise<WireVolume[]> {
  if (whole && vms.length >= PER_VM_BELOW) return csList(ctx, 'listVolumes', 'volume');
  const each = await Promise.all(vms.map((vm) => csList(ctx, 'listVolumes', 'volume', { virtualmachineid: vm.id })));
  return each.flat();
}
