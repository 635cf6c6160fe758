import type { SetLabelsRequest } from './compute.types.js';
import type { WireTag } from '../cloudstack/wire.js';
import { jobErrorText } from '../bridge/wire-call.js';
import { cs, csJob, type GceContext } from './context.js';
import { conditionNotMet, fromCloudStack } from './errors.js';
import { fingerprint } from './ids.js';
import { checkLabels } from './validate.js';

/**
 * Labels are CloudStack resource tags, on VMs (instances), volumes (disks) and templates (images).
 * These turn label writes into createTags/deleteTags and answer with the jobs to follow.
 */
export type Taggable = 'UserVm' | 'Volume' | 'Template' | 'Snapshot';

/** Labels are the resource's CloudStack tags, ordered by key. */
export const labelsOf = (tags: WireTag[] | undefined): Record<string, string> =>
  Object.fromEntries(
    [...(tags ?? [])].sort((a, b) => String(a.key).localeCompare(String(b.key))).map((t) => [t.key, t.value ?? '']),
  );

/** The createTags job that gives a new resource its labels, if it has any. */
export async function tagJobs(
  ctx: GceContext,
  type: Taggable,
  id: string,
  labels: Record<string, string>,
): Promise<string[]> {
  const tags = Object.entries(labels).map(([key, value]) => ({ key, value }));
  return tags.length ? [(await csJob(ctx, 'createTags', { resourcetype: type, resourceids: [id], tags })).jobid] : [];
}

/** setLabels: the fingerprint checked, changed and removed keys deleted first, then the new values created. */
export async function relabel(
  ctx: GceContext,
  type: Taggable,
  id: string,
  tags: WireTag[] | undefined,
  body: SetLabelsRequest,
): Promise<string[]> {
  const current = labelsOf(tags);
  if (body.labelFingerprint !== fingerprint(current)) throw conditionNotMet('labels');
  const next = checkLabels(body.labels, 'labels');
  const stale = Object.keys(current).filter((k) => current[k] !== next[k]);
  const fresh = Object.fromEntries(Object.entries(next).filter(([k, v]) => current[k] !== v));
  if (stale.length)
    await finished(
      ctx,
      (
        await csJob(ctx, 'deleteTags', {
          resourcetype: type,
          resourceids: [id],
          tags: stale.map((key) => ({ key, value: current[key]! })),
        })
      ).jobid,
    );
  return tagJobs(ctx, type, id, fresh);
}

/** Waits for a short CloudStack job another one depends on (tags are gone before they are re-created). */
export async function finished(ctx: GceContext, jobid: string): Promise<void> {
  for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
    const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
    if (j['jobstatus'] === 1) return;
    if (j['jobstatus'] === 2)
      throw fromCloudStack(Number(j['jobresultcode']), jobErrorText(j) ?? 'CloudStack job failed');
    await new Promise((r) => setTimeout(r, delay));
  }
}
