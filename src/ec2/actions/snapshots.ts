import type { WireError, WireSnapshot } from '../../cloudstack/wire.js';
import { csCall, csJob, csList, csTime, ownerId, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { page } from './paging.js';
import { actions, csTags, specTagsOf } from './types.js';
import { oneVolume } from './volumes.js';

const GiB = 2 ** 30;

/** CloudStack snapshot state → EC2 snapshot state. */
const stateOf = (s: string) => (s === 'BackedUp' ? 'completed' : s === 'Error' ? 'error' : 'pending');

async function snapshotView(ctx: Ec2Context, s: WireSnapshot, descriptions: Map<string, string>) {
  const state = stateOf(s.state);
  return {
    SnapshotId: await ctx.ids.of('snapshot', s.id),
    VolumeId: await ctx.ids.of('volume', s.volumeid),
    State: state,
    StartTime: csTime(s.created),
    Progress: state === 'completed' ? '100%' : '0%',
    OwnerId: ownerId(s.accountid ?? ''),
    VolumeSize: Math.max(1, Math.ceil(Number(s.virtualsize ?? 0) / GiB)),
    Description: descriptions.get(s.id) ?? '',
    Encrypted: false,
    StorageTier: 'standard',
    StateMessage: state === 'error' ? 'The snapshot could not be taken' : undefined,
    Tags: (s.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })),
    csId: s.id as string,
  };
}

export async function snapshots(ctx: Ec2Context, ids?: string[]) {
  const list = (await csList(ctx, 'listSnapshots', 'snapshot')).filter((s) => s.state !== 'Destroyed');
  const descriptions = await ctx.store.attrs(
    list.map((s) => s.id),
    'description',
  );
  const all = await Promise.all(list.map((s) => snapshotView(ctx, s, descriptions)));
  for (const id of ids ?? []) {
    await ctx.ids.cs('snapshot', id);
    if (!all.some((s) => s.SnapshotId === id))
      throw ec2Error('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  }
  return ids ? all.filter((s) => ids.includes(s.SnapshotId)) : all;
}

/** Takes a snapshot of a volume; with `wait`, returns once it is completed (CreateImage needs that). */
export async function takeSnapshot(
  ctx: Ec2Context,
  volumeCsId: string,
  volumeId: string | undefined,
  description?: string,
  wait = false,
): Promise<string> {
  const r = await csCall(ctx, 'createSnapshot', { volumeid: volumeCsId });
  if (r.error)
    throw ec2Error(
      'IncorrectState',
      `The volume '${volumeId}' is not in a state a snapshot can be taken of: ${r.error?.errortext}`,
    );
  const csId = r.body['id'] as string;
  if (description) await ctx.store.setAttr(csId, 'description', description);
  if (wait) {
    for (;;) {
      const j = (await csCall(ctx, 'queryAsyncJobResult', { jobid: r.body['jobid'] })).body;
      if (j?.jobstatus === 1) break;
      if (j?.jobstatus === 2)
        throw ec2Error(
          'InternalError',
          `The snapshot of ${volumeId} failed: ${(j.jobresult as Partial<WireError> | undefined)?.errortext}`,
        );
      await new Promise((res) => setTimeout(res, 10));
    }
  }
  return csId;
}

async function imageOfSnapshot(ctx: Ec2Context, snapshotCsId: string): Promise<string | undefined> {
  const own = await csList(ctx, 'listTemplates', 'template', { templatefilter: 'self' });
  const from = await ctx.store.attrs(
    own.map((t) => t.id),
    'snapshot',
  );
  const t = own.find((x) => from.get(x.id) === snapshotCsId);
  return t ? ctx.ids.of('image', t.id) : undefined;
}

export const snapshotActions = actions({
  async CreateSnapshot(ctx, input) {
    const v = await oneVolume(ctx, input.VolumeId);
    const csId = await takeSnapshot(ctx, v['csId'], input.VolumeId, input.Description);
    const tags = specTagsOf(input.TagSpecifications, 'snapshot');
    if (tags.length)
      await csJob(ctx, 'createTags', { resourcetype: 'Snapshot', resourceids: [csId], tags: csTags(tags) });
    const [s] = await csList(ctx, 'listSnapshots', 'snapshot', { id: csId });
    const { csId: _c, ...view } = await snapshotView(
      ctx,
      s,
      new Map(input.Description ? [[csId, input.Description]] : []),
    );
    return view;
  },
  async DeleteSnapshot(ctx, input) {
    if (!input.SnapshotId) throw ec2Error('MissingParameter', 'The request must contain the parameter SnapshotId');
    const [s] = await snapshots(ctx, [input.SnapshotId]);
    // An AMI registered from the snapshot still needs it (CloudStack would let it go; AWS does not).
    const image = await imageOfSnapshot(ctx, s!.csId);
    if (image)
      throw ec2Error('InvalidSnapshot.InUse', `The snapshot ${input.SnapshotId} is currently in use by ${image}`);
    await csJob(ctx, 'deleteSnapshot', { id: s!.csId });
    return {};
  },
  async DescribeSnapshots(ctx, input) {
    if (input.MaxResults !== undefined && input.SnapshotIds?.length)
      throw ec2Error(
        'InvalidParameterCombination',
        'The parameter snapshotSet cannot be used with the parameter maxResults',
      );
    let all = await snapshots(ctx, input.SnapshotIds);
    // Everything listed is the caller's own and shared with no one: `self` and the caller's owner id match all of it, other accounts nothing.
    const mine = (accounts: string[] | undefined) => (s: { OwnerId: string }) =>
      !accounts?.length || accounts.some((o) => o === 'self' || o === s.OwnerId);
    all = all.filter(mine(input.OwnerIds)).filter(mine(input.RestorableByUserIds));
    all = applyFilters(all, input.Filters, {
      'snapshot-id': (s) => [s.SnapshotId],
      'volume-id': (s) => [s.VolumeId],
      status: (s) => [s.State],
      'owner-id': (s) => [s.OwnerId],
      progress: (s) => [s.Progress],
      'start-time': (s) => [new Date(s.StartTime).toISOString()],
      'volume-size': (s) => [s.VolumeSize],
      description: (s) => [s.Description],
      encrypted: (s) => [String(s.Encrypted)],
      'storage-tier': (s) => [s.StorageTier],
    });
    const { items, next } = page(all, input.MaxResults, input.NextToken, 5, 1000);
    return { Snapshots: items.map(({ csId: _c, ...s }) => s), NextToken: next };
  },
});
