import { locate } from './interfaces.view.js';
import type { LaunchTemplateSpecification, RequestLaunchTemplateData } from '@aws-sdk/client-ec2';
import { cs, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { checkMappedSnapshots, visibleCsId } from '../visible.js';
import { placementGroupOf } from './placement.js';
import { launchGroups } from './securitygroups.zones.js';
import { instanceView } from './instances.view.js';
import { oneTemplate, pickVersion, templates } from './launchtemplates.lookup.js';
import { actions, type Decoded, type Input } from './types.js';

/**
 * A version's data as stored: the request's members, the ones given only (they come back the same
 * in ResponseLaunchTemplateData). What it names must be the caller's (or the catalogue's): AWS
 * creates the version and warns, but a version echoing another account's ids would show them.
 */
export async function templateData(
  ctx: Ec2Context,
  req: Decoded<RequestLaunchTemplateData>,
): Promise<Record<string, unknown>> {
  if (req.ImageId) await visibleCsId(ctx, 'image', req.ImageId);
  const groups = [...(req.SecurityGroupIds ?? []), ...(req.NetworkInterfaces ?? []).flatMap((n) => n.Groups ?? [])];
  if (groups.length || req.SecurityGroups?.length)
    await launchGroups(ctx, { SecurityGroupIds: groups, SecurityGroups: req.SecurityGroups });
  for (const n of req.NetworkInterfaces ?? []) {
    // An interface named by id must be one the caller sees (locate refuses another account's).
    if (n.NetworkInterfaceId) await locate(ctx, n.NetworkInterfaceId);
    if (!n.SubnetId) continue;
    const id = await ctx.ids.cs('subnet', n.SubnetId);
    if (!(await csList(ctx, 'listNetworks', 'network', { id, listall: true })).length)
      throw ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${n.SubnetId}' does not exist`);
  }
  if (
    req.KeyName &&
    !(await csList(ctx, 'listSSHKeyPairs', 'sshkeypair', { name: req.KeyName })).some((k) => k.name === req.KeyName)
  )
    throw ec2Error('InvalidKeyPair.NotFound', `The key pair '${req.KeyName}' does not exist`);
  if (req.Placement) await placementGroupOf(ctx, req.Placement);
  await checkMappedSnapshots(ctx, req.BlockDeviceMappings);
  return Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined));
}

/** RunInstances' members, a launch template filling those the call leaves out. */
export type LaunchInput = Input<'RunInstances'>;

const SIMPLE = [
  'ImageId',
  'InstanceType',
  'KeyName',
  'UserData',
  'SecurityGroupIds',
  'SecurityGroups',
  'BlockDeviceMappings',
  'MetadataOptions',
  'Monitoring',
  'EbsOptimized',
  'DisableApiTermination',
  'InstanceInitiatedShutdownBehavior',
  'KernelId',
  'CpuOptions',
] as const;

/**
 * RunInstances with `LaunchTemplate`: the version's data under the call's own parameters (the call
 * wins member by member; Placement field by field; TagSpecifications by resource type). As on AWS,
 * the instances are tagged with the template id and version they came from.
 */
export async function withLaunchTemplate(ctx: Ec2Context, input: LaunchInput): Promise<LaunchInput> {
  const spec = input.LaunchTemplate;
  if (!spec) return withInterfaceGroups(input);
  const t = await oneTemplate(ctx, spec);
  const v = pickVersion(t, await templates(ctx).versions([t.id]), spec.Version);
  const data = v.data as LaunchInput & { RamDiskId?: string };
  const out: LaunchInput = { ...input };
  for (const m of SIMPLE)
    if (out[m] === undefined && data[m] !== undefined) (out as Record<string, unknown>)[m] = data[m];
  if (out['RamdiskId'] === undefined && data.RamDiskId !== undefined) out['RamdiskId'] = data.RamDiskId;
  if (data.Placement) out.Placement = { ...data.Placement, ...(input.Placement ?? {}) };
  // The template's interfaces count only when the call names no subnet or interfaces of its own.
  if (!input.SubnetId && !input.NetworkInterfaces?.length && data.NetworkInterfaces?.length)
    out.NetworkInterfaces = data.NetworkInterfaces;
  const own = new Set((input.TagSpecifications ?? []).map((s) => s.ResourceType));
  const specs = [
    ...(input.TagSpecifications ?? []),
    ...(data.TagSpecifications ?? []).filter((s) => !own.has(s.ResourceType)),
  ];
  const origin = [
    { Key: 'aws:ec2launchtemplate:id', Value: t.id },
    { Key: 'aws:ec2launchtemplate:version', Value: String(v.version) },
  ];
  const instance = specs.find((s) => s.ResourceType === 'instance');
  out.TagSpecifications = instance
    ? specs.map((s) => (s === instance ? { ...s, Tags: [...(s.Tags ?? []), ...origin] } : s))
    : [...specs, { ResourceType: 'instance', Tags: origin }];
  return withInterfaceGroups(out);
}

/** The primary interface's Groups are the instance's security groups when the call names none itself. */
function withInterfaceGroups(input: LaunchInput): LaunchInput {
  const primary = (input.NetworkInterfaces ?? []).find((n) => (n.DeviceIndex ?? 0) === 0);
  if (primary?.Groups?.length && !input.SecurityGroupIds?.length && !input.SecurityGroups?.length)
    return { ...input, SecurityGroupIds: primary.Groups };
  return input;
}

export const launchTemplateDataActions = actions({
  /** GetLaunchTemplateData: what RunInstances would need to launch the instance again. */
  async GetLaunchTemplateData(ctx, input) {
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
    const id = await visibleCsId(ctx, 'instance', input.InstanceId);
    const [vm] = await csList(ctx, 'listVirtualMachines', 'virtualmachine', { id });
    const i = await instanceView(ctx, vm);
    const ud = (await cs(ctx, 'getVirtualMachineUserData', { virtualmachineid: id }))['virtualmachineuserdata']
      ?.userdata as string | undefined;
    const groups = (i['SecurityGroups'] as { GroupId: string }[]).map((g) => g.GroupId);
    const tags = (i['Tags'] as { Key: string }[]).filter((x) => !x.Key.startsWith('aws:'));
    const disks = i['BlockDeviceMappings'] as { DeviceName: string; Ebs: { DeleteOnTermination: boolean } }[];
    return {
      LaunchTemplateData: {
        ImageId: i['ImageId'],
        InstanceType: i['InstanceType'],
        KeyName: i['KeyName'],
        UserData: ud || undefined,
        EbsOptimized: false,
        Placement: {
          AvailabilityZone: i['Placement'].AvailabilityZone,
          GroupName: i['Placement'].GroupName || undefined,
          Tenancy: 'default',
        },
        Monitoring: { Enabled: i['Monitoring'].State === 'enabled' },
        DisableApiTermination: false,
        InstanceInitiatedShutdownBehavior: 'stop',
        NetworkInterfaces: [
          {
            DeviceIndex: 0,
            SubnetId: i['SubnetId'],
            Groups: groups,
            DeleteOnTermination: true,
            AssociatePublicIpAddress: !!i['PublicIpAddress'],
          },
        ],
        BlockDeviceMappings: disks.map((d) => ({
          DeviceName: d.DeviceName,
          Ebs: { DeleteOnTermination: d.Ebs.DeleteOnTermination },
        })),
        TagSpecifications: tags.length ? [{ ResourceType: 'instance', Tags: tags }] : undefined,
        MetadataOptions: { ...i['MetadataOptions'], State: undefined },
        CpuOptions: i['CpuOptions'],
      },
    };
  },
});
