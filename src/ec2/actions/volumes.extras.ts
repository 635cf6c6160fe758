import type { Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { page } from './paging.js';
import { actions } from './types.js';
import { describeVolumes, oneVolume } from './volumes.js';

interface VolumeView {
  VolumeId: string;
  Size: number;
  State: string;
  AvailabilityZone: string;
  csId: string;
  Attachments: { InstanceId: string }[];
}

/** EC2's status checks of a volume from its CloudStack state: an errored volume is impaired, one still being made has no data yet. */
function statusOf(v: VolumeView, autoEnableIO: boolean) {
  const status = v.State === 'error' ? 'impaired' : v.State === 'creating' ? 'insufficient-data' : 'ok';
  return {
    VolumeId: v.VolumeId,
    AvailabilityZone: v.AvailabilityZone,
    Events: [],
    Actions: [],
    VolumeStatus: {
      Status: status,
      Details: [
        {
          Name: 'io-enabled',
          Status: status === 'impaired' && !autoEnableIO ? 'failed' : status === 'ok' ? 'passed' : 'insufficient-data',
        },
        { Name: 'io-performance', Status: 'not-applicable' },
      ],
    },
    AttachmentStatuses: v.Attachments.map((a) => ({ InstanceId: a.InstanceId, IoPerformance: 'normal' })),
  };
}

interface Modification {
  VolumeId: string;
  ModificationState: string;
  TargetSize: number;
  OriginalSize: number;
  TargetVolumeType?: string;
  OriginalVolumeType?: string;
  Progress: number;
  StartTime: number;
  EndTime?: number;
}

/** Items without tags still take the `tag:` filters (they match none). */
const untagged = <T>(xs: T[]) => xs as (T & { Tags?: undefined })[];

export const volumeExtraActions = actions({
  async DescribeVolumeStatus(ctx, input) {
    if (input.MaxResults !== undefined && input.VolumeIds?.length)
      throw ec2Error(
        'InvalidParameterCombination',
        'The parameter volumeSet cannot be used with the parameter maxResults',
      );
    const vols = (await describeVolumes(ctx, input.VolumeIds)) as VolumeView[];
    const auto = await ctx.store.attrs(
      vols.map((v) => v.csId),
      'autoEnableIO',
    );
    const all = applyFilters(untagged(vols.map((v) => statusOf(v, auto.get(v.csId) === 'true'))), input.Filters, {
      'availability-zone': (s) => [s.AvailabilityZone],
      'volume-status.status': (s) => [s.VolumeStatus.Status],
      'volume-status.details-name': (s) => s.VolumeStatus.Details.map((d) => d.Name),
      'volume-status.details-status': (s) => s.VolumeStatus.Details.map((d) => d.Status),
      'action.code': () => [],
      'action.description': () => [],
      'action.event-id': () => [],
      'event.description': () => [],
      'event.event-id': () => [],
      'event.event-type': () => [],
      'event.not-after': () => [],
      'event.not-before': () => [],
    });
    const { items, next } = page(all, input.MaxResults, input.NextToken, 5, 1000);
    return { VolumeStatuses: items, NextToken: next };
  },
  async DescribeVolumeAttribute(ctx, input) {
    if (!input.Attribute) throw ec2Error('MissingParameter', 'The request must contain the parameter attribute');
    const v = await oneVolume(ctx, input.VolumeId);
    if (input.Attribute === 'autoEnableIO') {
      const auto = (await ctx.store.attrs([v['csId']], 'autoEnableIO')).get(v['csId']) === 'true';
      return { VolumeId: input.VolumeId, AutoEnableIO: { Value: auto } };
    }
    if (input.Attribute === 'productCodes') return { VolumeId: input.VolumeId, ProductCodes: [] };
    throw ec2Error(
      'InvalidParameterValue',
      `Value (${input.Attribute}) for parameter attribute is invalid. Valid values are autoEnableIO and productCodes.`,
    );
  },
  async ModifyVolumeAttribute(ctx, input) {
    const v = await oneVolume(ctx, input.VolumeId);
    if (input.AutoEnableIO?.Value === undefined)
      throw ec2Error('MissingParameter', 'The request must contain the parameter autoEnableIO');
    await ctx.store.setAttr(v['csId'], 'autoEnableIO', String(input.AutoEnableIO.Value));
    return {};
  },
  /** The latest ModifyVolume of each volume; one still `modifying` is completed once CloudStack shows the new size. */
  async DescribeVolumesModifications(ctx, input) {
    const vols = (await describeVolumes(ctx, input.VolumeIds)) as VolumeView[];
    const stored = await ctx.store.attrs(
      vols.map((v) => v.csId),
      'modification',
    );
    const mods: Modification[] = [];
    for (const v of vols) {
      const raw = stored.get(v.csId);
      if (!raw) {
        if (input.VolumeIds?.includes(v.VolumeId))
          throw ec2Error(
            'InvalidVolumeModification.NotFound',
            `Modification for volume '${v.VolumeId}' does not exist.`,
          );
        continue;
      }
      const m = JSON.parse(raw) as Modification;
      mods.push(
        m.ModificationState === 'modifying' && v.Size >= m.TargetSize
          ? { ...m, ModificationState: 'completed', Progress: 100, EndTime: ctx.clock.now() }
          : m,
      );
    }
    const all = applyFilters(untagged(mods), input.Filters, {
      'volume-id': (m) => [m.VolumeId],
      'modification-state': (m) => [m.ModificationState],
      'target-size': (m) => [m.TargetSize],
      'original-size': (m) => [m.OriginalSize],
      'target-volume-type': (m) => [m.TargetVolumeType],
      'original-volume-type': (m) => [m.OriginalVolumeType],
      'start-time': (m) => [new Date(m.StartTime).toISOString()],
    });
    const { items, next } = page(all, input.MaxResults, input.NextToken, 1, 500);
    return { VolumesModifications: items, NextToken: next };
  },
});
