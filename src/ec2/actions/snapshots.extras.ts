import { csCall, csJob, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { snapshots, takeSnapshot } from './snapshots.js';
import { actions } from './types.js';

const PERMISSION = 'createVolumePermission';

/** A createVolumePermission entry: the group `all` or one account. */
interface CreateVolumePermission {
  Group?: string;
  UserId?: string;
}

async function oneSnapshot(ctx: Ec2Context, id: string | undefined) {
  if (!id) throw ec2Error('MissingParameter', 'The request must contain the parameter SnapshotId');
  return (await snapshots(ctx, [id]))[0]!;
}

async function permissionsOf(ctx: Ec2Context, csId: string): Promise<CreateVolumePermission[]> {
  return JSON.parse((await ctx.store.attrs([csId], PERMISSION)).get(csId) ?? '[]') as CreateVolumePermission[];
}

const same = (a: CreateVolumePermission, b: CreateVolumePermission) => a.Group === b.Group && a.UserId === b.UserId;

/** A permission names `all` or a 12-digit account, as AWS checks them. */
function checkPermission(p: CreateVolumePermission): void {
  if (p.Group !== undefined && p.Group !== 'all')
    throw ec2Error(
      'InvalidParameterValue',
      `Value (${p.Group}) for parameter group is invalid. Only 'all' is a valid group.`,
    );
  if (p.UserId !== undefined && !/^\d{12}$/.test(p.UserId))
    throw ec2Error('InvalidUserID.Malformed', `User ID '${p.UserId}' is not valid`);
  if (p.Group === undefined && p.UserId === undefined)
    throw ec2Error('MissingParameter', 'The request must contain the parameter userId or group');
}

export const snapshotExtraActions = actions({
  async DescribeSnapshotAttribute(ctx, input) {
    if (!input.Attribute) throw ec2Error('MissingParameter', 'The request must contain the parameter Attribute');
    const s = await oneSnapshot(ctx, input.SnapshotId);
    if (input.Attribute === 'productCodes') return { SnapshotId: input.SnapshotId, ProductCodes: [] };
    if (input.Attribute !== PERMISSION)
      throw ec2Error('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid.`);
    return { SnapshotId: input.SnapshotId, CreateVolumePermissions: await permissionsOf(ctx, s.csId) };
  },
  async ModifySnapshotAttribute(ctx, input) {
    const s = await oneSnapshot(ctx, input.SnapshotId);
    if (input.Attribute !== undefined && input.Attribute !== PERMISSION)
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.Attribute}) for parameter attribute is invalid. Only createVolumePermission can be modified.`,
      );
    const listed: CreateVolumePermission[] = [
      ...(input.GroupNames ?? []).map((Group) => ({ Group })),
      ...(input.UserIds ?? []).map((UserId) => ({ UserId })),
    ];
    if (listed.length && input.OperationType !== 'add' && input.OperationType !== 'remove')
      throw ec2Error('MissingParameter', 'The request must contain the parameter operationType');
    const add = [...(input.CreateVolumePermission?.Add ?? []), ...(input.OperationType === 'add' ? listed : [])];
    const remove = [
      ...(input.CreateVolumePermission?.Remove ?? []),
      ...(input.OperationType === 'remove' ? listed : []),
    ];
    if (!add.length && !remove.length)
      throw ec2Error('MissingParameter', 'The request must contain the parameter createVolumePermission');
    for (const p of [...add, ...remove]) checkPermission(p);
    const current = (await permissionsOf(ctx, s.csId)).filter((p) => !remove.some((r) => same(p, r)));
    for (const p of add)
      if (!current.some((c) => same(c, p))) current.push(p.Group ? { Group: p.Group } : { UserId: p.UserId });
    await ctx.store.setAttr(s.csId, PERMISSION, JSON.stringify(current));
    return {};
  },
  async ResetSnapshotAttribute(ctx, input) {
    if (!input.Attribute) throw ec2Error('MissingParameter', 'The request must contain the parameter Attribute');
    const s = await oneSnapshot(ctx, input.SnapshotId);
    if (input.Attribute !== PERMISSION)
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.Attribute}) for parameter attribute is invalid. Only createVolumePermission can be reset.`,
      );
    await ctx.store.deleteAttr(s.csId, PERMISSION);
    return {};
  },
  /**
   * CopySnapshot within the region: CloudStack 4.18 has no snapshot copy, so the snapshot becomes a
   * volume, the volume a new snapshot, and the volume goes. The copy shows that volume's id, as an
   * AWS copy shows an arbitrary one.
   */
  async CopySnapshot(ctx, input) {
    if (!input.SourceRegion) throw ec2Error('MissingParameter', 'The request must contain the parameter SourceRegion');
    if (!input.SourceSnapshotId)
      throw ec2Error('MissingParameter', 'The request must contain the parameter SourceSnapshotId');
    if (input.SourceRegion !== ctx.region || (input.DestinationRegion && input.DestinationRegion !== ctx.region))
      throw ec2Error('InvalidParameterValue', `Invalid region: polystack has one region, ${ctx.region}`);
    if (input.Encrypted || input.KmsKeyId)
      throw ec2Error(
        'InvalidParameterValue',
        'Encrypted copies are not supported: polystack snapshots are not encrypted',
      );
    const s = await oneSnapshot(ctx, input.SourceSnapshotId);
    if (s.State !== 'completed') throw ec2Error('IncorrectState', `Snapshot is in invalid state - ${s.State}`);
    const made = await csJob(ctx, 'createVolume', { snapshotid: s.csId, name: `copy-of-${input.SourceSnapshotId}` });
    const volume = (made['volume'] ?? made) as { id: string };
    try {
      const csId = await takeSnapshot(
        ctx,
        volume.id,
        await ctx.ids.of('volume', volume.id),
        input.Description ?? `[Copied ${input.SourceSnapshotId} from ${ctx.region}]`,
        true,
      );
      const tags = (input.TagSpecifications ?? [])
        .filter((t) => t.ResourceType === 'snapshot')
        .flatMap((t) => t.Tags ?? [])
        .map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
      if (tags.length)
        await csJob(ctx, 'createTags', {
          resourcetype: 'Snapshot',
          resourceids: [csId],
          tags: tags.map((t) => ({ key: t.Key, value: t.Value })),
        });
      return { SnapshotId: await ctx.ids.of('snapshot', csId), Tags: tags };
    } finally {
      if ((await csList(ctx, 'listVolumes', 'volume', { id: volume.id })).length)
        await csCall(ctx, 'deleteVolume', { id: volume.id });
    }
  },
});
