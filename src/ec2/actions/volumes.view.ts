import type { WireVolume } from '../../cloudstack/wire.js';
import { csList, csTime, memo, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';

const GiB = 2 ** 30;

/** CloudStack volume state (and its VM) → EC2 volume state. */
export function volumeState(v: WireVolume): string {
  if (v.type === 'ROOT' && ['Destroyed', 'Expunging'].includes(v.vmstate ?? '')) return 'deleting';
  switch (v.state) {
    case 'Creating':
    case 'Allocated':
      return v.virtualmachineid ? 'in-use' : v.state === 'Creating' ? 'creating' : 'available';
    case 'Destroy':
    case 'Expunging':
      return 'deleting';
    case 'Expunged':
      return 'deleted';
    case 'Error':
    case 'UploadError':
      return 'error';
    default:
      return v.virtualmachineid ? 'in-use' : 'available';
  }
}

/** `/dev/sdf`, `/dev/xvdf` → CloudStack device 5; the root disk is device 0 (`/dev/xvda`). */
export function deviceIdOf(device: string): number | undefined {
  const m = /^\/dev\/(?:sd|xvd)([a-z])$/.exec(device);
  if (!m)
    throw ec2Error(
      'InvalidParameterValue',
      `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`,
    );
  const id = m[1]!.charCodeAt(0) - 97;
  // CloudStack numbers data disks 1..7 and keeps 3 for the CD-ROM; other names let CloudStack choose.
  return id >= 1 && id <= 7 && id !== 3 ? id : undefined;
}

export const deviceNameOf = (deviceId: number | undefined): string =>
  deviceId === 0 || deviceId === undefined ? '/dev/xvda' : `/dev/xvd${String.fromCharCode(97 + deviceId)}`;

/** Disk offerings that encrypt (CloudStack 4.18's `encrypt`), read once per request. */
const encryptingOfferings = (ctx: Ec2Context): Promise<Set<string>> =>
  memo(
    ctx,
    'encryptingOfferings',
    async () =>
      new Set(
        (await csList(ctx, 'listDiskOfferings', 'diskoffering')).filter((o) => o.encrypt).map((o) => o.id as string),
      ),
  );

/** A CloudStack volume as an EC2 Volume; `devices` holds the names the caller attached with. */
export async function volumeView(
  ctx: Ec2Context,
  v: WireVolume,
  devices: Map<string, string>,
  types: Map<string, string>,
) {
  const volumeId = await ctx.ids.of('volume', v.id);
  const size = Math.max(1, Math.ceil(Number(v.size ?? 0) / GiB));
  const remembered = devices.get(v.id);
  const [rememberedVm, rememberedName] = remembered ? remembered.split(' ') : [];
  const device = v.virtualmachineid && rememberedVm === v.virtualmachineid ? rememberedName! : deviceNameOf(v.deviceid);
  const type = types.get(v.id) ?? 'gp2';
  return {
    VolumeId: volumeId,
    Size: size,
    SnapshotId: v.snapshotid ? await ctx.ids.of('snapshot', v.snapshotid) : '',
    AvailabilityZone: v.zonename,
    State: volumeState(v),
    CreateTime: csTime(v.created),
    Encrypted: (await encryptingOfferings(ctx)).has(v.diskofferingid ?? ''),
    VolumeType: type,
    Iops: type === 'gp2' ? Math.max(100, 3 * size) : type.startsWith('io') || type === 'gp3' ? 3000 : undefined,
    MultiAttachEnabled: false,
    Tags: (v.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })),
    Attachments: v.virtualmachineid
      ? [
          {
            VolumeId: volumeId,
            InstanceId: await ctx.ids.of('instance', v.virtualmachineid),
            Device: device,
            State: v.state === 'Attaching' ? 'attaching' : 'attached',
            AttachTime: csTime(v.attached ?? v.created),
            DeleteOnTermination: v.type === 'ROOT',
          },
        ]
      : [],
    csId: v.id as string,
  };
}

/** Device names and types remembered for a page of volumes. */
export async function volumeNotes(
  ctx: Ec2Context,
  vols: readonly WireVolume[],
): Promise<{ devices: Map<string, string>; types: Map<string, string> }> {
  const ids = vols.map((v) => v.id as string);
  return { devices: await ctx.store.attrs(ids, 'device'), types: await ctx.store.attrs(ids, 'volumeType') };
}
