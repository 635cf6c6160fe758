import { cs, csCall, csJob, csJobBrief, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { zones } from './geo.js';
import { visibleCsId } from '../visible.js';
import { page } from './paging.js';
import { actions, csTags, specTagsOf } from './types.js';
import { encryptionByDefault } from './ebs.js';
import { deviceIdOf, volumeNotes, volumeView } from './volumes.view.js';

const TYPES = ['standard', 'io1', 'io2', 'gp2', 'gp3', 'sc1', 'st1'];

async function describe(ctx: Ec2Context, ids?: string[]) {
  const vols = (await csList(ctx, 'listVolumes', 'volume')).filter((v) => v.state !== 'Expunged');
  const notes = await volumeNotes(ctx, vols);
  const all = await Promise.all(vols.map((v) => volumeView(ctx, v, notes.devices, notes.types)));
  for (const id of ids ?? []) {
    await ctx.ids.cs('volume', id);
    if (!all.some((v) => v['VolumeId'] === id))
      throw ec2Error('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
  }
  return ids ? all.filter((v) => ids.includes(v['VolumeId'])) : all;
}

export async function oneVolume(ctx: Ec2Context, id: string | undefined) {
  if (!id) throw ec2Error('MissingParameter', 'The request must contain the parameter volume');
  return (await describe(ctx, [id]))[0]!;
}

/** CloudStack's attach/detach job failures as the EC2 errors AWS gives for the same mistake. */
function attachError(volumeId: string | undefined, instanceId: string | undefined, device: string | undefined) {
  return (_status: number, text: string): Error | undefined => {
    if (/not attached to any VM/.test(text))
      return ec2Error('VolumeInUse', `${volumeId} is already attached to an instance`);
    if (/same zone as the volume/.test(text))
      return ec2Error(
        'InvalidVolume.ZoneMismatch',
        `The volume '${volumeId}' is not in the same availability zone as instance '${instanceId}'`,
      );
    if (/either running or stopped/.test(text))
      return ec2Error('IncorrectInstanceState', `Instance '${instanceId}' is not 'running' or 'stopped'.`);
    if (/is used by vm/.test(text))
      return ec2Error(
        'InvalidParameterValue',
        `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
      );
    if (/maximum number of data disks/.test(text))
      return ec2Error('AttachmentLimitExceeded', `Instance '${instanceId}' has reached its volume attachment limit`);
    if (/VM snapshots/.test(text)) return ec2Error('IncorrectState', text);
    return undefined;
  };
}

export const volumeActions = actions({
  async CreateVolume(ctx, input) {
    if (!input.AvailabilityZone)
      throw ec2Error('MissingParameter', 'The request must contain the parameter AvailabilityZone');
    if (input.Size === undefined && !input.SnapshotId)
      throw ec2Error('MissingParameter', 'The request must contain the parameter size or snapshotId');
    if (input.VolumeType && !TYPES.includes(input.VolumeType))
      throw ec2Error('InvalidParameterValue', `Value (${input.VolumeType}) for parameter volumeType is invalid.`);
    const zone = (await zones(ctx)).find((z) => z.ZoneName === input.AvailabilityZone);
    if (!zone) throw ec2Error('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone}]`);
    const tags = specTagsOf(input.TagSpecifications, 'volume');
    const name = tags.find((t) => t.Key === 'Name')?.Value;
    const params: Record<string, string | number | undefined> = { zoneid: zone.csZoneId, name };
    if (input.SnapshotId) {
      params['snapshotid'] = await visibleCsId(ctx, 'snapshot', input.SnapshotId);
    } else {
      const size = input.Size ?? NaN;
      if (!(size >= 1 && size <= 16384))
        throw ec2Error(
          'InvalidParameterValue',
          `Volume of ${input.Size}GiB is too large or too small; it must be between 1GiB and 16384GiB.`,
        );
      // Encrypted (asked for, or the account's EBS encryption by default): CloudStack 4.18's encrypting disk offerings.
      // With encryption by default on, AWS encrypts whatever Encrypted says.
      const encrypted = input.Encrypted === true || (await encryptionByDefault(ctx));
      const custom = (await csList(ctx, 'listDiskOfferings', 'diskoffering')).find(
        (o) => o.iscustomized && !!o.encrypt === encrypted,
      );
      if (!custom && encrypted)
        throw ec2Error(
          'InvalidParameterValue',
          'This cloud has no encrypting disk offering of a custom size: encrypted volumes cannot be created (disable EBS encryption by default, or ask the cloud for one)',
        );
      if (!custom) throw ec2Error('Unsupported', 'This cloud has no disk offering of a custom size');
      Object.assign(params, { diskofferingid: custom.id, size: input.Size });
    }
    const r = await csCall(ctx, 'createVolume', params);
    if (r.status === 533)
      throw ec2Error(
        'InsufficientVolumeCapacity',
        'There is not enough capacity to fulfill your EBS volume provision request.',
      );
    if (r.error)
      throw ec2Error(
        r.status === 431 && input.SnapshotId ? 'IncorrectState' : 'InvalidParameterValue',
        String(r.error?.errortext),
      );
    const csId = r.body['id'] as string;
    if (input.VolumeType) await ctx.store.setAttr(csId, 'volumeType', input.VolumeType);
    if (tags.length)
      await csJob(ctx, 'createTags', { resourcetype: 'Volume', resourceids: [csId], tags: csTags(tags) });
    const [v] = (await cs(ctx, 'listVolumes', { id: csId }))['volume'] ?? [];
    const notes = await volumeNotes(ctx, [v]);
    // The answer is the request's: AWS says `creating` even when the volume is ready at once.
    const { csId: _c, ...view } = await volumeView(ctx, v, notes.devices, notes.types);
    return { ...view, State: 'creating' };
  },
  async DeleteVolume(ctx, input) {
    const v = await oneVolume(ctx, input.VolumeId);
    if (v['Attachments'].length)
      throw ec2Error(
        'VolumeInUse',
        `Volume ${input.VolumeId} is currently attached to ${v['Attachments'][0].InstanceId}`,
      );
    const r = await csCall(ctx, 'deleteVolume', { id: v['csId'] });
    if (r.error) throw ec2Error('IncorrectState', String(r.error?.errortext));
    return {};
  },
  async DescribeVolumes(ctx, input) {
    if (input.MaxResults !== undefined && input.VolumeIds?.length)
      throw ec2Error(
        'InvalidParameterCombination',
        'The parameter volumeSet cannot be used with the parameter maxResults',
      );
    const all = applyFilters(await describe(ctx, input.VolumeIds), input.Filters, {
      'volume-id': (v) => [v.VolumeId],
      status: (v) => [v.State],
      size: (v) => [v.Size],
      'availability-zone': (v) => [v.AvailabilityZone],
      'create-time': (v) => [new Date(v.CreateTime).toISOString()],
      'snapshot-id': (v) => [v.SnapshotId],
      'volume-type': (v) => [v.VolumeType],
      encrypted: (v) => [String(v.Encrypted)],
      'multi-attach-enabled': (v) => [String(v.MultiAttachEnabled)],
      'attachment.instance-id': (v) => v.Attachments.map((a) => a.InstanceId),
      'attachment.device': (v) => v.Attachments.map((a) => a.Device),
      'attachment.status': (v) => v.Attachments.map((a) => a.State),
      'attachment.delete-on-termination': (v) => v.Attachments.map((a) => String(a.DeleteOnTermination)),
      'attachment.attach-time': (v) => v.Attachments.map((a) => new Date(a.AttachTime).toISOString()),
    });
    const { items, next } = page(all, input.MaxResults, input.NextToken, 5, 500);
    return { Volumes: items.map(({ csId: _c, ...v }) => v), NextToken: next };
  },
  async AttachVolume(ctx, input) {
    if (!input.Device) throw ec2Error('MissingParameter', 'The request must contain the parameter device');
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
    const v = await oneVolume(ctx, input.VolumeId);
    const vmId = await visibleCsId(ctx, 'instance', input.InstanceId);
    const deviceid = deviceIdOf(input.Device);
    if (v['Attachments'].length) throw ec2Error('VolumeInUse', `${input.VolumeId} is already attached to an instance`);
    const r = await csCall(ctx, 'attachVolume', { id: v['csId'], virtualmachineid: vmId, deviceid });
    if (r.error)
      throw (
        attachError(input.VolumeId, input.InstanceId, input.Device)(r.status, String(r.error?.errortext)) ??
        ec2Error('InvalidParameterValue', String(r.error?.errortext))
      );
    await ctx.store.setAttr(v['csId'], 'device', `${vmId} ${input.Device}`);
    await csJobBrief(ctx, r.body['jobid'], attachError(input.VolumeId, input.InstanceId, input.Device));
    return {
      AttachTime: ctx.clock.now(),
      Device: input.Device,
      InstanceId: input.InstanceId,
      State: 'attaching',
      VolumeId: input.VolumeId,
      DeleteOnTermination: false,
    };
  },
  async DetachVolume(ctx, input) {
    const v = await oneVolume(ctx, input.VolumeId);
    const a = v['Attachments'][0];
    if (!a) throw ec2Error('IncorrectState', `Volume '${input.VolumeId}' is in the '${v['State']}' state.`);
    if ((input.InstanceId && input.InstanceId !== a.InstanceId) || (input.Device && input.Device !== a.Device))
      throw ec2Error(
        'InvalidAttachment.NotFound',
        `Volume '${input.VolumeId}' is not attached to instance '${input.InstanceId ?? a.InstanceId}' as device '${input.Device ?? a.Device}'`,
      );
    if (a.Device === '/dev/xvda' && a.DeleteOnTermination)
      throw ec2Error(
        'OperationNotPermitted',
        `Cannot detach root volume '${input.VolumeId}' from instance '${a.InstanceId}'`,
      );
    const r = await csCall(ctx, 'detachVolume', { id: v['csId'] });
    if (r.error) throw ec2Error('IncorrectState', String(r.error?.errortext));
    await csJobBrief(ctx, r.body['jobid'], (_s, text) => ec2Error('IncorrectState', text));
    return {
      AttachTime: a.AttachTime,
      Device: a.Device,
      InstanceId: a.InstanceId,
      State: 'detaching',
      VolumeId: input.VolumeId,
      DeleteOnTermination: a.DeleteOnTermination,
    };
  },
  async ModifyVolume(ctx, input) {
    const v = await oneVolume(ctx, input.VolumeId);
    if (input.VolumeType && !TYPES.includes(input.VolumeType))
      throw ec2Error('InvalidParameterValue', `Value (${input.VolumeType}) for parameter volumeType is invalid.`);
    const from = v['Size'] as number;
    const to = input.Size ?? from;
    if (to < from)
      throw ec2Error('InvalidParameterValue', `New size cannot be smaller than existing size (${from}GiB)`);
    const start = ctx.clock.now();
    let done = true;
    if (to !== from) {
      const [cur] = (await cs(ctx, 'listVolumes', { id: v['csId'] }))['volume'] ?? [];
      const custom = (await csList(ctx, 'listDiskOfferings', 'diskoffering')).find((o) => o.iscustomized);
      // A volume of a fixed-size offering grows by moving to the customizable one (data disks only, as CloudStack allows).
      const offering = cur.type === 'DATADISK' && cur.diskofferingid !== custom?.id ? custom?.id : undefined;
      const r = await csCall(ctx, 'resizeVolume', { id: v['csId'], size: to, diskofferingid: offering });
      if (r.error) throw ec2Error('IncorrectModificationState', String(r.error?.errortext));
      done =
        (await csJobBrief(ctx, r.body['jobid'], (_s, text) => ec2Error('IncorrectModificationState', text))) !==
        undefined;
    }
    if (input.VolumeType) await ctx.store.setAttr(v['csId'], 'volumeType', input.VolumeType);
    const modification = {
      VolumeId: input.VolumeId,
      ModificationState: done ? 'completed' : 'modifying',
      TargetSize: to,
      OriginalSize: from,
      TargetVolumeType: input.VolumeType ?? v['VolumeType'],
      OriginalVolumeType: v['VolumeType'],
      TargetIops: v['Iops'],
      OriginalIops: v['Iops'],
      TargetMultiAttachEnabled: false,
      OriginalMultiAttachEnabled: false,
      Progress: done ? 100 : 0,
      StartTime: start,
      EndTime: done ? ctx.clock.now() : undefined,
    };
    // DescribeVolumesModifications shows the latest one (volumes.extras.ts).
    await ctx.store.setAttr(v['csId'], 'modification', JSON.stringify(modification));
    return { VolumeModification: modification };
  },
});

export { describe as describeVolumes };
