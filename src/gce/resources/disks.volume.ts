import type { CsParams } from '../../bridge/port.js';
import { csJob, type GceContext } from '../context.js';
import { alreadyExists, found } from '../errors.js';
import { tagJobs } from '../labels.js';
import { undo, type UndoStep } from '../operations.js';
import { diskNamed } from './disks.js';
import type { Zone } from './geo.js';

/**
 * A new disk's CloudStack volume (createVolume with `params`), labelled; deleted again if its labels
 * cannot be set. The name must be free in the zone. Used by disks.insert, from nothing or from a snapshot.
 */
export async function newVolume(
  ctx: GceContext,
  z: Zone,
  name: string,
  params: CsParams,
  labels: Record<string, string>,
) {
  const link = ctx.links.zonal(z.name, 'disks', name);
  if (await found(diskNamed(ctx, z, name))) throw alreadyExists(ctx.links.relative(link));
  const created = await csJob(ctx, 'createVolume', { zoneid: z.cs.id, name, ...params });
  const volumeId = created.id!;
  const undoSteps: UndoStep[] = [{ command: 'deleteVolume', params: { id: volumeId } }];
  const jobs = [created.jobid];
  try {
    jobs.push(...(await tagJobs(ctx, 'Volume', volumeId, labels)));
  } catch (e) {
    await undo(ctx, undoSteps);
    throw e;
  }
  return { link, volumeId, jobs, undoSteps };
}
