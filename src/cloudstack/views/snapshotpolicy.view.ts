import type { SnapshotPolicy } from '../../domain/storage.js';
import type { Lookup } from '../../services/lookup.service.js';
import { tagsView } from './tag.view.js';

/** SnapshotPolicyResponse (ApiResponseHelper.createSnapshotPolicyResponse): intervaltype is the IntervalType ordinal. */
export async function snapshotPolicyViews(lk: Lookup, list: SnapshotPolicy[]): Promise<Record<string, unknown>[]> {
  const tags = await lk.tags(list.map((p) => p.id));
  return Promise.all(
    list.map(async (p) => ({
      id: p.id,
      volumeid: p.volumeId,
      schedule: p.schedule,
      intervaltype: p.interval,
      maxsnaps: p.maxSnaps,
      timezone: p.timezone,
      fordisplay: p.display === 1,
      tags: await tagsView(lk, tags.get(p.id)),
    })),
  );
}
