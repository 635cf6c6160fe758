import type { Ec2Context } from '../context.js';
import type { Kind } from '../ids.js';
import { getNet, listNet, putNet, type Tag } from './vpcnet.js';

/** The front's own taggable objects by EC2 id prefix: their tags live in their bodies, not in CloudStack. */
const FRONT: Record<string, { kind: Kind; ec2: string }> = {
  rtb: { kind: 'routeTable', ec2: 'route-table' },
  igw: { kind: 'internetGateway', ec2: 'internet-gateway' },
  nat: { kind: 'natGateway', ec2: 'natgateway' },
  dopt: { kind: 'dhcpOptions', ec2: 'dhcp-options' },
};

export const isFrontResource = (id: string): boolean => Object.hasOwn(FRONT, id.split('-')[0] ?? '');

/** CreateTags (overwriting keys, as EC2 does) or DeleteTags (by key, or key and value; all without tags) on one front object. */
export async function tagFront(ctx: Ec2Context, id: string, tags: Tag[], remove: boolean): Promise<void> {
  const { kind } = FRONT[id.split('-')[0]!]!;
  const o = await getNet<{ tags: Tag[] }>(ctx, kind, id);
  const keys = new Set(tags.map((t) => t.Key));
  if (remove) {
    const hit = (t: Tag) => tags.some((x) => x.Key === t.Key && (x.Value === undefined || x.Value === t.Value));
    o.body.tags = tags.length ? o.body.tags.filter((t) => !hit(t)) : [];
  } else {
    o.body.tags = [
      ...o.body.tags.filter((t) => !keys.has(t.Key)),
      ...tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    ];
  }
  await putNet(ctx, kind, o);
}

/** DescribeTags rows of the caller's front objects. */
export async function frontTagRows(
  ctx: Ec2Context,
): Promise<{ ResourceId: string; ResourceType: string; Key: string; Value: string }[]> {
  const out = [];
  for (const { kind, ec2 } of Object.values(FRONT))
    for (const o of await listNet<{ tags?: Tag[] }>(ctx, kind))
      for (const t of o.body.tags ?? [])
        out.push({ ResourceId: o.ec2Id, ResourceType: ec2, Key: t.Key ?? '', Value: t.Value ?? '' });
  return out;
}
