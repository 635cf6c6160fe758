import type { WireTemplate } from '../../cloudstack/wire.js';
import { csList, csTime, ownerId, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { instanceTypeOf } from '../states.js';
import { actions } from './types.js';

/** Template status texts of a copy still on its way (the rest of a not-ready template is its error). */
const PENDING = /% Downloaded$|^Installing|^Active$|^Processing$/;

/**
 * Templates as AMIs. Without Owners: what the caller may launch plus its own images still being
 * made (pending) or failed; `self`: its own; `amazon`: the featured ones.
 */
export async function images(ctx: Ec2Context, owners?: string[]) {
  const filters = owners?.includes('self')
    ? ['self']
    : owners?.includes('amazon')
      ? ['featured']
      : ['executable', 'self'];
  const seen = new Map<string, WireTemplate>();
  for (const filter of filters) {
    for (const t of await csList(ctx, 'listTemplates', 'template', { templatefilter: filter })) {
      const prev = seen.get(t.id);
      if (!prev || (!prev.isready && t.isready)) seen.set(t.id, t);
    }
  }
  const list = [...seen.values()];
  const snapshots = await ctx.store.attrs(
    list.map((t) => t.id),
    'snapshot',
  );
  return Promise.all(
    list.map(async (t) => {
      const snap = snapshots.get(t.id);
      const state = t.isready ? 'available' : !t.status || PENDING.test(t.status) ? 'pending' : 'failed';
      return {
        ImageId: await ctx.ids.of('image', t.id),
        csId: t.id as string,
        ImageLocation: t.url ?? `polystack/${t.name}`,
        State: state,
        OwnerId: ownerId(t.accountid ?? t.account ?? ''),
        CreationDate: new Date(csTime(t.created)).toISOString(),
        Public: !!t.ispublic,
        Architecture: 'x86_64',
        ImageType: 'machine',
        Name: t.name as string,
        Description: t.displaytext as string,
        RootDeviceType: 'ebs',
        RootDeviceName: '/dev/xvda',
        VirtualizationType: 'hvm',
        Hypervisor: 'xen',
        ImageOwnerAlias: t.isfeatured ? 'amazon' : undefined,
        PlatformDetails: 'Linux/UNIX',
        EnaSupport: true,
        StateReason: state === 'failed' ? { Code: 'Client.ImageError', Message: t.status } : undefined,
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: {
              VolumeSize: Math.max(1, Math.ceil(Number(t.size ?? 0) / 2 ** 30)),
              VolumeType: 'gp2',
              DeleteOnTermination: true,
              Encrypted: false,
              ...(snap ? { SnapshotId: await ctx.ids.of('snapshot', snap) } : {}),
            },
          },
        ],
        Tags: (t.tags ?? []).map((x) => ({ Key: x.key, Value: x.value })),
      };
    }),
  );
}

export async function instanceTypes(ctx: Ec2Context) {
  return (await csList(ctx, 'listServiceOfferings', 'serviceoffering')).map((o) => ({
    InstanceType: instanceTypeOf(o.name),
    csId: o.id as string,
    CurrentGeneration: true,
    FreeTierEligible: false,
    SupportedUsageClasses: ['on-demand'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'xen',
    ProcessorInfo: { SupportedArchitectures: ['x86_64'], SustainedClockSpeedInGhz: Number(o.cpuspeed) / 1000 },
    VCpuInfo: { DefaultVCpus: o.cpunumber, DefaultCores: o.cpunumber, DefaultThreadsPerCore: 1 },
    MemoryInfo: { SizeInMiB: o.memory },
    InstanceStorageSupported: false,
    EbsInfo: { EbsOptimizedSupport: 'default', EncryptionSupport: 'supported' },
    NetworkInfo: {
      NetworkPerformance: 'Moderate',
      MaximumNetworkInterfaces: 4,
      Ipv4AddressesPerInterface: 4,
      Ipv6Supported: false,
    },
    BurstablePerformanceSupported: false,
    SupportedBootModes: ['legacy-bios'],
  }));
}

export const catalogActions = actions({
  async DescribeImages(ctx, input) {
    let all = await images(ctx, input.Owners);
    const imageIds = input.ImageIds;
    if (imageIds) {
      for (const id of imageIds)
        if (!all.some((i) => i.ImageId === id))
          throw ec2Error('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
      all = all.filter((i) => imageIds.includes(i.ImageId));
    }
    all = applyFilters(all, input.Filters, {
      name: (i) => [i.Name],
      'image-id': (i) => [i.ImageId],
      'owner-id': (i) => [i.OwnerId],
      'owner-alias': (i) => [i.ImageOwnerAlias],
      state: (i) => [i.State],
      architecture: (i) => [i.Architecture],
      'is-public': (i) => [String(i.Public)],
      'root-device-type': (i) => [i.RootDeviceType],
      'virtualization-type': (i) => [i.VirtualizationType],
      description: (i) => [i.Description],
      'image-type': (i) => [i.ImageType],
    });
    return { Images: all.map(({ csId: _c, ...i }) => i) };
  },
  async DescribeInstanceTypes(ctx, input) {
    let all = await instanceTypes(ctx);
    const wanted: readonly string[] | undefined = input.InstanceTypes;
    if (wanted) all = all.filter((t) => wanted.includes(t.InstanceType));
    all = applyFilters(all, input.Filters, {
      'instance-type': (t) => [t.InstanceType],
      'vcpu-info.default-vcpus': (t) => [t.VCpuInfo.DefaultVCpus],
      'memory-info.size-in-mib': (t) => [t.MemoryInfo.SizeInMiB],
    });
    return { InstanceTypes: all.map(({ csId: _c, ...t }) => t) };
  },
});
