import { csJob, type GceContext } from '../context.js';
import { jobDone } from './vpcnets.js';

/**
 * The CloudStack resource tags that hold what a VPC, tier or address cannot: a change becomes
 * deleteTags (waited for, since createTags refuses a key that is still there) then createTags,
 * whose job the Operation follows.
 */
export type TagType = 'Vpc' | 'Network' | 'PublicIpAddress' | 'SecurityGroup';

export async function retag(
  ctx: GceContext,
  type: TagType,
  id: string,
  current: { key: string; value: string }[] | undefined,
  changes: Record<string, string | undefined>,
): Promise<string[]> {
  const now = new Map((current ?? []).map((t) => [t.key, t.value]));
  const stale = Object.keys(changes).filter((k) => now.has(k) && now.get(k) !== changes[k]);
  const fresh = Object.entries(changes).filter(
    (e): e is [string, string] => e[1] !== undefined && now.get(e[0]) !== e[1],
  );
  if (stale.length)
    await jobDone(
      ctx,
      (
        await csJob(ctx, 'deleteTags', {
          resourcetype: type,
          resourceids: [id],
          tags: stale.map((key) => ({ key, value: now.get(key)! })),
        })
      ).jobid,
    );
  if (!fresh.length) return [];
  return [
    (
      await csJob(ctx, 'createTags', {
        resourcetype: type,
        resourceids: [id],
        tags: fresh.map(([key, value]) => ({ key, value })),
      })
    ).jobid,
  ];
}
