import type { Snapshot } from '../compute.types.js';
import type { WireSnapshot } from '../../cloudstack/wire.js';
import { csJob, csList, memo, type GceContext } from '../context.js';
import { alreadyExists, found, invalidField, notFound, required, unsupported } from '../errors.js';
import { csTime, fingerprint, numericId, parseRef, rfc3339, slug } from '../ids.js';
import { labelsOf, relabel, tagJobs } from '../labels.js';
import { list, listQuery } from '../lists.js';
import { replayed, startOperation, undo, type Followup, type UndoStep } from '../operations.js';
import { LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { saveSnapshot, snapshotRecords, type SnapshotRecord } from '../store/compute.js';
import { checkLabels, checkName } from '../validate.js';
import { diskNamed, diskRecords } from './disks.js';
import { regionName, zoneNamed, zones, type Zone } from './geo.js';
import { diskName } from './instances.view.js';

/**
 * Snapshots are CloudStack volume snapshots (createSnapshot, listSnapshots, deleteSnapshot), named
 * by their CloudStack name made GCE-valid. Labels are the snapshot's resource tags; the
 * description and the disk it was taken of are the front's (SnapshotRecord), so a snapshot
 * outlives its disk with its `sourceDisk`. GCE snapshots are global; a CloudStack snapshot stays
 * in its zone (see GAPS.md).
 */
const GiB = 2 ** 30;
const FIELDS = fieldsOf('Snapshot');

/** CloudStack Snapshot.State → Snapshot.status. */
const STATUS: Record<string, string> = {
  Allocated: 'CREATING',
  Creating: 'CREATING',
  CreatedOnPrimary: 'CREATING',
  BackingUp: 'UPLOADING',
  Copying: 'UPLOADING',
  BackedUp: 'READY',
  Destroying: 'DELETING',
  Error: 'FAILED',
};
const shown = (s: WireSnapshot) => s.state !== 'Destroyed';

/** Every snapshot of the project (listSnapshots once per request). */
export const snapshotsOf = (ctx: GceContext): Promise<WireSnapshot[]> =>
  memo(ctx, 'snapshots', async () => (await csList(ctx, 'listSnapshots', 'snapshot', { ...ctx.scope })).filter(shown));

/** The disk a snapshot was taken of: the front's record, else its volume as it is now, else its CloudStack name. */
async function sourceOf(
  ctx: GceContext,
  s: WireSnapshot,
  rec: SnapshotRecord | undefined,
): Promise<{ sourceDisk?: string; sourceDiskId?: string }> {
  if (rec?.sourceDisk) return { sourceDisk: rec.sourceDisk, sourceDiskId: rec.sourceDiskId };
  const zone = (await zones(ctx)).find((z) => z.cs.id === s.zoneid)?.name;
  if (!zone || !s.volumeid) return {};
  const vol = (await memo(ctx, 'volumes:all', () => csList(ctx, 'listVolumes', 'volume', {}))).find(
    (v) => v.id === s.volumeid,
  );
  const recs = await diskRecords(ctx);
  const name = vol
    ? diskName(
        vol,
        vol.virtualmachineid ? { name: vol.vmname } : undefined,
        vol.virtualmachineid ? recs.instances.get(vol.virtualmachineid) : undefined,
      )
    : slug(String(s.volumename ?? s.volumeid));
  return { sourceDisk: ctx.links.zonal(zone, 'disks', name), sourceDiskId: numericId(s.volumeid) };
}

export async function snapshotView(
  ctx: GceContext,
  s: WireSnapshot,
  rec: SnapshotRecord | undefined,
): Promise<Record<string, unknown>> {
  const name = slug(s.name);
  const labels = labelsOf(s.tags);
  return {
    kind: 'compute#snapshot',
    id: numericId(s.id),
    creationTimestamp: rfc3339(csTime(s.created)),
    name,
    description: rec?.description ?? '',
    status: STATUS[s.state] ?? 'READY',
    ...(await sourceOf(ctx, s, rec)),
    diskSizeGb: String(Math.max(1, Math.ceil(Number(s.virtualsize ?? 0) / GiB))),
    storageBytes: String(Number(s.physicalsize ?? 0)),
    storageBytesStatus: 'UP_TO_DATE',
    licenses: [],
    labels,
    labelFingerprint: fingerprint(labels),
    storageLocations: [await regionName(ctx)],
    autoCreated: false,
    snapshotType: 'STANDARD',
    architecture: 'X86_64',
    selfLink: ctx.links.global('snapshots', name),
  };
}

async function snapshotsShown(ctx: GceContext): Promise<Record<string, unknown>[]> {
  const recs = await snapshotRecords(ctx.store, ctx.ownerId);
  return Promise.all((await snapshotsOf(ctx)).map((s) => snapshotView(ctx, s, recs.get(s.id))));
}

/** A snapshot by GCE name or numeric id: its CloudStack row and its rendering, or the 404. */
export async function snapshotNamed(
  ctx: GceContext,
  name: string,
): Promise<{ snap: WireSnapshot; view: Record<string, unknown> }> {
  const recs = await snapshotRecords(ctx.store, ctx.ownerId);
  for (const snap of await snapshotsOf(ctx)) {
    if (slug(snap.name) !== name && numericId(snap.id) !== name) continue;
    return { snap, view: await snapshotView(ctx, snap, recs.get(snap.id)) };
  }
  throw notFound(`projects/${ctx.project}/global/snapshots/${name}`);
}

/** A snapshot reference (`global/snapshots/x`, a URL, a bare name) of the caller's own project. */
export async function snapshotOf(
  ctx: GceContext,
  ref: string,
  field: string,
): Promise<{ snap: WireSnapshot; view: Record<string, unknown> }> {
  const r = parseRef(ref);
  if (r.collection && r.collection !== 'snapshots') throw invalidField(field, ref, 'Must be a snapshot URL.');
  if (r.project && r.project !== ctx.project) throw notFound(`projects/${r.project}/global/snapshots/${r.name}`);
  return snapshotNamed(ctx, r.name);
}

/**
 * createSnapshot of the disk's volume, labels as its tags. The Operation is zonal for
 * disks.createSnapshot (its target the disk, as Google's) and global for snapshots.insert.
 */
async function takeSnapshot(
  ctx: GceContext,
  z: Zone,
  diskRef: string,
  body: Snapshot,
  how: 'disk' | 'global',
  requestId?: string,
): Promise<unknown> {
  const name = checkName(body.name);
  const labels = checkLabels(body.labels);
  if (
    body.snapshotType === 'ARCHIVE' ||
    body.sourceInstantSnapshot ||
    body.snapshotEncryptionKey ||
    body.sourceDiskEncryptionKey
  ) {
    throw unsupported('Archive snapshots, snapshots of instant snapshots and customer-supplied encryption keys');
  }
  const { vol, view: disk } = await diskNamed(ctx, z, diskRef);
  const link = ctx.links.global('snapshots', name);
  if (await found(snapshotNamed(ctx, name))) throw alreadyExists(ctx.links.relative(link));
  // CloudStack writes a volume from a disk offering out to primary storage at its first attach; before that there is nothing to copy.
  if (vol.state === 'Allocated')
    throw unsupported(
      'A snapshot of a disk that has never been attached (CloudStack writes a new volume out at its first attach)',
    );
  const created = await csJob(ctx, 'createSnapshot', { volumeid: vol.id, name });
  const snapshotId = created.id!;
  const undoSteps: UndoStep[] = [{ command: 'deleteSnapshot', params: { id: snapshotId } }];
  const jobs = [created.jobid];
  try {
    jobs.push(...(await tagJobs(ctx, 'Snapshot', snapshotId, labels)));
  } catch (e) {
    await undo(ctx, undoSteps);
    throw e;
  }
  await saveSnapshot(ctx.store, {
    snapshotId,
    accountId: ctx.ownerId,
    description: typeof body.description === 'string' ? body.description : '',
    sourceDisk: String(disk['selfLink']),
    sourceDiskId: String(disk['id']),
  });
  const followup: Followup = { failure: undoSteps, records: [{ table: 'snapshots', id: snapshotId, on: 'failure' }] };
  return how === 'disk'
    ? startOperation(ctx, {
        type: 'createSnapshot',
        scope: 'zone',
        location: z.name,
        targetLink: String(disk['selfLink']),
        targetId: String(disk['id']),
        jobs,
        followup,
        requestId,
      })
    : startOperation(ctx, {
        type: 'insert',
        scope: 'global',
        location: 'global',
        targetLink: link,
        targetId: numericId(snapshotId),
        jobs,
        followup,
        requestId,
      });
}

async function insertSnapshot(ctx: GceContext, body: Snapshot, requestId?: string): Promise<unknown> {
  checkName(body.name);
  if (!body.sourceDisk) throw required('resource.sourceDisk');
  const r = parseRef(String(body.sourceDisk));
  if (!r.zone)
    throw invalidField('resource.sourceDisk', body.sourceDisk, 'The source disk must be given as a zonal disk URL.');
  if (r.project && r.project !== ctx.project) throw notFound(`projects/${r.project}/zones/${r.zone}/disks/${r.name}`);
  return takeSnapshot(ctx, await zoneNamed(ctx, r.zone), r.name, body, 'global', requestId);
}

const globalOp = (
  ctx: GceContext,
  view: Record<string, unknown>,
  type: string,
  jobs: string[],
  requestId?: string,
  followup?: Followup,
) =>
  startOperation(ctx, {
    type,
    scope: 'global',
    location: 'global',
    targetLink: String(view['selfLink']),
    targetId: String(view['id']),
    jobs,
    followup,
    requestId,
  });

const snapshotsPath = 'projects/{project}/global/snapshots';

/** Each write: a repeated requestId gets its first Operation back. */
const write =
  (run: Route['run']): Route['run'] =>
  async (ctx, req) =>
    (await replayed(ctx, req.query['requestId'])) ?? run(ctx, req);

export const snapshotRoutes: Route[] = [
  {
    id: 'snapshots.list',
    method: 'GET',
    path: snapshotsPath,
    query: LIST_QUERY,
    response: 'SnapshotList',
    description: 'Retrieves the list of Snapshot resources contained within the specified project.',
    run: async (ctx, req) =>
      list(
        'compute#snapshotList',
        ctx.links.global('snapshots'),
        `projects/${ctx.project}/global/snapshots`,
        await snapshotsShown(ctx),
        listQuery(req.query),
        FIELDS,
      ),
  },
  {
    id: 'snapshots.get',
    method: 'GET',
    path: `${snapshotsPath}/{snapshot}`,
    response: 'Snapshot',
    description: 'Returns the specified Snapshot resource.',
    run: async (ctx, req) => (await snapshotNamed(ctx, req.params['snapshot']!)).view,
  },
  {
    id: 'snapshots.insert',
    method: 'POST',
    path: snapshotsPath,
    query: ['requestId'],
    request: 'Snapshot',
    response: 'Operation',
    description: 'Creates a snapshot in the specified project using the data included in the request.',
    run: write((ctx, req) => insertSnapshot(ctx, req.body, req.query['requestId'])),
  },
  {
    id: 'snapshots.delete',
    method: 'DELETE',
    path: `${snapshotsPath}/{snapshot}`,
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified Snapshot resource.',
    run: write(async (ctx, req) => {
      const { snap, view } = await snapshotNamed(ctx, req.params['snapshot']!);
      const { jobid } = await csJob(ctx, 'deleteSnapshot', { id: snap.id });
      return globalOp(ctx, view, 'delete', [jobid], req.query['requestId'], {
        failure: [],
        records: [{ table: 'snapshots', id: snap.id, on: 'success' }],
      });
    }),
  },
  {
    id: 'snapshots.setLabels',
    method: 'POST',
    path: `${snapshotsPath}/{resource}/setLabels`,
    query: ['requestId'],
    request: 'GlobalSetLabelsRequest',
    response: 'Operation',
    description: 'Sets the labels on a snapshot.',
    run: write(async (ctx, req) => {
      const { snap, view } = await snapshotNamed(ctx, req.params['resource']!);
      return globalOp(
        ctx,
        view,
        'setLabels',
        await relabel(ctx, 'Snapshot', snap.id, snap.tags, req.body),
        req.query['requestId'],
      );
    }),
  },
  {
    id: 'disks.createSnapshot',
    method: 'POST',
    path: 'projects/{project}/zones/{zone}/disks/{disk}/createSnapshot',
    query: ['requestId', 'guestFlush'],
    request: 'Snapshot',
    response: 'Operation',
    description: 'Creates a snapshot of a specified persistent disk.',
    run: write(async (ctx, req) =>
      takeSnapshot(
        ctx,
        await zoneNamed(ctx, req.params['zone']!),
        req.params['disk']!,
        req.body,
        'disk',
        req.query['requestId'],
      ),
    ),
  },
];
