import type { Disk, DisksResizeRequest, SetLabelsRequest } from '../compute.types.js';
import { cs, csJob, type GceContext } from '../context.js';
import { inUse, invalidField, required, unsupported } from '../errors.js';
import { numericId } from '../ids.js';
import { relabel } from '../labels.js';
import { replayed, startOperation, type Followup } from '../operations.js';
import type { Route } from '../route.js';
import { checkLabels, checkName } from '../validate.js';
import { diskNamed, sizeGbOf } from './disks.js';
import { diskTypes, offeringFor } from './disktypes.js';
import { zoneNamed, type Zone } from './geo.js';
import { insertFromSnapshot } from './disks.snapshot.js';
import { newVolume } from './disks.volume.js';

/**
 * disks.insert, delete, resize and setLabels → createVolume, deleteVolume, resizeVolume and
 * tags. Everything Compute Engine checks synchronously is checked before CloudStack is asked.
 */
const diskOp = (
  ctx: GceContext,
  z: Zone,
  view: Record<string, unknown>,
  type: string,
  jobs: string[],
  requestId?: string,
  followup?: Followup,
) =>
  startOperation(ctx, {
    type,
    scope: 'zone',
    location: z.name,
    targetLink: String(view['selfLink']),
    targetId: String(view['id']),
    jobs,
    followup,
    requestId,
  });

async function insertDisk(
  ctx: GceContext,
  z: Zone,
  body: Disk,
  query: Record<string, string | undefined>,
): Promise<unknown> {
  const name = checkName(body.name);
  if (query['sourceImage'] || body.sourceImage) throw unsupported('Creating a disk from an image (sourceImage)');
  if (body.sourceDisk || body.sourceInstantSnapshot)
    throw unsupported('Creating a disk from another disk or an instant snapshot');
  if (body.sourceSnapshot) return insertFromSnapshot(ctx, z, body, query['requestId']);
  const plan = await offeringFor(ctx, z, body.type, body.sizeGb, 'resource.sizeGb');
  const labels = checkLabels(body.labels);
  const { link, volumeId, jobs, undoSteps } = await newVolume(
    ctx,
    z,
    name,
    { diskofferingid: plan.diskofferingid, size: plan.size },
    labels,
  );
  const description = typeof body.description === 'string' ? body.description : '';
  await ctx.store.saveDisk({
    volumeId,
    accountId: ctx.ownerId,
    description,
    type: plan.type,
    deviceName: '',
    detached: 0,
  });
  const view = { selfLink: link, id: numericId(volumeId) };
  return diskOp(ctx, z, view, 'insert', jobs, query['requestId'], {
    failure: undoSteps,
    records: [{ table: 'disks', id: volumeId, on: 'failure' }],
  });
}

/** deleteVolume is synchronous: the Operation is DONE at once. A disk attached to an instance is refused, as Google does. */
async function deleteDisk(ctx: GceContext, z: Zone, name: string, requestId?: string): Promise<unknown> {
  const { vol, view } = await diskNamed(ctx, z, name);
  const users = (view['users'] ?? []) as string[];
  if (users.length) throw inUse(ctx.links.relative(String(view['selfLink'])), ctx.links.relative(users[0]!));
  await cs(ctx, 'deleteVolume', { id: vol.id });
  await ctx.store.dropRecord('disks', vol.id);
  return diskOp(ctx, z, view, 'delete', [], requestId);
}

/** A disk only grows. CloudStack resizes a data volume by size only when its offering is customizable. */
async function resizeDisk(
  ctx: GceContext,
  z: Zone,
  name: string,
  body: DisksResizeRequest,
  requestId?: string,
): Promise<unknown> {
  const { vol, view } = await diskNamed(ctx, z, name);
  if (body.sizeGb === undefined || body.sizeGb === null || body.sizeGb === '') throw required('sizeGb');
  const gb = Number(body.sizeGb);
  const current = sizeGbOf(vol);
  if (!Number.isInteger(gb) || gb <= current)
    throw invalidField(
      'sizeGb',
      body.sizeGb,
      `New disk size '${body.sizeGb}' GiB must be larger than existing size '${current}' GiB.`,
    );
  const offering = (await diskTypes(ctx)).find((t) => t.offering.id === vol.diskofferingid)?.offering;
  if (vol.type !== 'ROOT' && offering && !offering.iscustomized)
    throw unsupported(`Resizing a disk of the fixed-size disk offering '${offering.name}'`);
  const { jobid } = await csJob(ctx, 'resizeVolume', { id: vol.id, size: gb });
  return diskOp(ctx, z, view, 'resizeDisk', [jobid], requestId);
}

async function setDiskLabels(
  ctx: GceContext,
  z: Zone,
  name: string,
  body: SetLabelsRequest,
  requestId?: string,
): Promise<unknown> {
  const { vol, view } = await diskNamed(ctx, z, name);
  return diskOp(ctx, z, view, 'setLabels', await relabel(ctx, 'Volume', vol.id, vol.tags, body), requestId);
}

/** Each write: a repeated requestId gets its first Operation back; the zone is looked up first. */
const write =
  (run: (ctx: GceContext, z: Zone, req: Parameters<Route['run']>[1]) => Promise<unknown>): Route['run'] =>
  async (ctx, req) =>
    (await replayed(ctx, req.query['requestId'])) ?? run(ctx, await zoneNamed(ctx, req.params['zone']!), req);

const disk = 'projects/{project}/zones/{zone}/disks';

export const diskWriteRoutes: Route[] = [
  {
    id: 'disks.insert',
    method: 'POST',
    path: disk,
    query: ['requestId', 'sourceImage'],
    request: 'Disk',
    response: 'Operation',
    description: 'Creates a persistent disk in the specified project using the data in the request.',
    run: write((ctx, z, req) => insertDisk(ctx, z, req.body, req.query)),
  },
  {
    id: 'disks.delete',
    method: 'DELETE',
    path: `${disk}/{disk}`,
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified persistent disk.',
    run: write((ctx, z, req) => deleteDisk(ctx, z, req.params['disk']!, req.query['requestId'])),
  },
  {
    id: 'disks.resize',
    method: 'POST',
    path: `${disk}/{disk}/resize`,
    query: ['requestId'],
    request: 'DisksResizeRequest',
    response: 'Operation',
    description: 'Resizes the specified persistent disk. You can only increase the size of the disk.',
    run: write((ctx, z, req) => resizeDisk(ctx, z, req.params['disk']!, req.body, req.query['requestId'])),
  },
  {
    id: 'disks.setLabels',
    method: 'POST',
    path: `${disk}/{resource}/setLabels`,
    query: ['requestId'],
    request: 'ZoneSetLabelsRequest',
    response: 'Operation',
    description: 'Sets the labels on a disk.',
    run: write((ctx, z, req) => setDiskLabels(ctx, z, req.params['resource']!, req.body, req.query['requestId'])),
  },
];
