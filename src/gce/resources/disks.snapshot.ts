import type { Disk } from '../compute.types.js';
import type { GceContext } from '../context.js';
import { invalidField, notReady, unsupported } from '../errors.js';
import { numericId } from '../ids.js';
import { startOperation } from '../operations.js';
import { checkLabels, checkName } from '../validate.js';
import { newVolume } from './disks.volume.js';
import { offeringFor } from './disktypes.js';
import type { Zone } from './geo.js';
import { snapshotOf } from './snapshots.js';

/**
 * disks.insert with `sourceSnapshot` → createVolume with `snapshotid`. CloudStack sizes such a
 * volume as the snapshot; a larger disk is possible from a boot-disk snapshot only (createVolume
 * takes a disk offering and size then), and the snapshot must be in the disk's zone.
 */
export async function insertFromSnapshot(ctx: GceContext, z: Zone, body: Disk, requestId?: string): Promise<unknown> {
  const name = checkName(body.name);
  const labels = checkLabels(body.labels);
  const { snap, view } = await snapshotOf(ctx, String(body.sourceSnapshot), 'resource.sourceSnapshot');
  if (view['status'] !== 'READY') throw notReady(ctx.links.relative(String(view['selfLink'])));
  const snapGb = Number(view['diskSizeGb']);
  const gb = body.sizeGb === undefined || body.sizeGb === null ? snapGb : Number(body.sizeGb);
  if (!Number.isInteger(gb) || gb < snapGb)
    throw invalidField(
      'resource.sizeGb',
      body.sizeGb,
      `Requested disk size cannot be smaller than the snapshot size (${snapGb} GB).`,
    );
  const plan = await offeringFor(ctx, z, body.type, gb, 'resource.sizeGb');
  if (snap.zoneid !== z.cs.id)
    throw unsupported('A disk from a snapshot taken in another zone (a CloudStack snapshot stays in its zone)');
  const grow = gb > snapGb;
  if (grow && snap.volumetype !== 'ROOT')
    throw unsupported(
      'A disk larger than its data-disk snapshot (CloudStack sizes it as the snapshot; resize the disk afterwards)',
    );
  const { link, volumeId, jobs, undoSteps } = await newVolume(
    ctx,
    z,
    name,
    { snapshotid: snap.id, ...(grow ? { diskofferingid: plan.diskofferingid, size: gb } : {}) },
    labels,
  );
  await ctx.store.saveDisk({
    volumeId,
    accountId: ctx.ownerId,
    description: typeof body.description === 'string' ? body.description : '',
    type: body.type ? plan.type : '',
    deviceName: '',
    detached: 0,
  });
  return startOperation(ctx, {
    type: 'insert',
    scope: 'zone',
    location: z.name,
    targetLink: link,
    targetId: numericId(volumeId),
    jobs,
    requestId,
    followup: { failure: undoSteps, records: [{ table: 'disks', id: volumeId, on: 'failure' }] },
  });
}
