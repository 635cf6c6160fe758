import { csJob, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import type { Kind } from '../ids.js';
import { MEMBERSHIP_TAG } from './securitygroups.zones.js';
import { actions } from './types.js';
import { frontTagRows, isFrontResource, tagFront } from './fronttags.js';

/** EC2 id prefix → front kind, CloudStack resource type and EC2 resource type. */
const BY_PREFIX: Record<string, { kind: Kind; cs: string; ec2: string }> = {
  i: { kind: 'instance', cs: 'UserVm', ec2: 'instance' },
  sg: { kind: 'securityGroup', cs: 'SecurityGroup', ec2: 'security-group' },
  ami: { kind: 'image', cs: 'Template', ec2: 'image' },
  vol: { kind: 'volume', cs: 'Volume', ec2: 'volume' },
  snap: { kind: 'snapshot', cs: 'Snapshot', ec2: 'snapshot' },
  eipalloc: { kind: 'address', cs: 'PublicIpAddress', ec2: 'elastic-ip' },
};
const BY_CS = Object.fromEntries(Object.values(BY_PREFIX).map((v) => [v.cs, v]));

async function resolve(ctx: Ec2Context, id: string) {
  const t = BY_PREFIX[id.split('-')[0] ?? ''];
  if (!t) throw ec2Error('InvalidID', `The ID '${id}' is not valid`);
  return { ...t, csId: await ctx.ids.cs(t.kind, id) };
}

async function tagJob(
  ctx: Ec2Context,
  command: 'createTags' | 'deleteTags',
  resources: string[] | undefined,
  tags: { Key?: string; Value?: string }[] | undefined,
  needValues: boolean,
) {
  if (!resources?.length) throw ec2Error('MissingParameter', 'The request must contain the parameter ResourceId');
  // Route tables, gateways and DHCP option sets are the front's own objects (vpcnet.ts).
  for (const id of resources.filter(isFrontResource)) await tagFront(ctx, id, tags ?? [], command === 'deleteTags');
  const byType = new Map<string, string[]>();
  for (const id of resources.filter((r) => !isFrontResource(r))) {
    const r = await resolve(ctx, id);
    byType.set(r.cs, [...(byType.get(r.cs) ?? []), r.csId]);
  }
  for (const [type, ids] of byType) {
    const list = (tags ?? []).map((t) => ({
      key: t.Key ?? '',
      ...(needValues || t.Value !== undefined ? { value: t.Value ?? '' } : {}),
    }));
    await csJob(ctx, command, { resourcetype: type, resourceids: ids, tags: list.length ? list : undefined });
  }
  return { Return: true };
}

export const tagActions = actions({
  async CreateTags(ctx, input) {
    if (!input.Tags?.length) throw ec2Error('MissingParameter', 'The request must contain the parameter Tag');
    // CloudStack refuses a key already on the resource; EC2 overwrites it.
    await tagJob(
      ctx,
      'deleteTags',
      input.Resources,
      input.Tags.map((t) => ({ Key: t.Key })),
      false,
    ).catch(() => undefined);
    return tagJob(ctx, 'createTags', input.Resources, input.Tags, true);
  },
  DeleteTags: (ctx, input) => tagJob(ctx, 'deleteTags', input.Resources, input.Tags, false),
  async DescribeTags(ctx, input) {
    const listed = await csList(ctx, 'listTags', 'tag');
    const all = [];
    for (const t of listed) {
      const map = BY_CS[t.resourcetype];
      // The membership of an instance in groups of a zone without them is the front's bookkeeping, not a user's tag.
      if (!map || t.key === MEMBERSHIP_TAG) continue;
      all.push({
        ResourceId: await ctx.ids.of(map.kind, t.resourceid),
        ResourceType: map.ec2,
        Key: t.key as string,
        Value: t.value as string,
      });
    }
    all.push(...(await frontTagRows(ctx)));
    return {
      Tags: applyFilters(all, input.Filters, {
        'resource-id': (t) => [t.ResourceId],
        'resource-type': (t) => [t.ResourceType],
        key: (t) => [t.Key],
        value: (t) => [t.Value],
      }),
    };
  },
});
