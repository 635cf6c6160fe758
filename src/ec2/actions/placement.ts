import { csCall, csJob, csJobBrief, csList, memo, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { visibleCsId } from '../visible.js';
import { callerOwnerId } from './owner.js';
import { actions } from './types.js';

/**
 * Placement groups are CloudStack affinity groups: spread is host anti-affinity (each instance on
 * its own host), cluster is host affinity (all on one host). Partition groups have no CloudStack form.
 */
const TYPE_OF: Record<string, string> = { spread: 'host anti-affinity', cluster: 'host affinity' };
const STRATEGY_OF: Record<string, string> = { 'host anti-affinity': 'spread', 'host affinity': 'cluster' };

interface AffinityGroup {
  id: string;
  name: string;
  type: string;
  accountid?: string;
  virtualmachineIds?: string[];
}

const unknown = (name: string) =>
  ec2Error('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`);

/** The caller's affinity groups of the two kinds EC2 can show. */
export function placementGroups(ctx: Ec2Context): Promise<AffinityGroup[]> {
  return memo(ctx, 'placementGroups', async () =>
    (await csList(ctx, 'listAffinityGroups', 'affinitygroup')).filter((g: AffinityGroup) => STRATEGY_OF[g.type]),
  );
}

async function view(ctx: Ec2Context, g: AffinityGroup) {
  const tags = await ctx.store.attrs([g.id], 'placementGroupTags');
  return {
    GroupName: g.name,
    GroupId: await ctx.ids.of('placementGroup', g.id),
    State: 'available',
    Strategy: STRATEGY_OF[g.type],
    SpreadLevel: g.type === 'host anti-affinity' ? 'host' : undefined,
    GroupArn: `arn:aws:ec2:${ctx.region}:${await callerOwnerId(ctx)}:placement-group/${g.name}`,
    Tags: JSON.parse(tags.get(g.id) ?? '[]') as { Key: string; Value: string }[],
  };
}

/** The affinity group behind a Placement's GroupName or GroupId (RunInstances, ModifyInstancePlacement). */
export async function placementGroupOf(
  ctx: Ec2Context,
  p: { GroupName?: string; GroupId?: string } | undefined,
): Promise<AffinityGroup | undefined> {
  if (!p?.GroupName && !p?.GroupId) return undefined;
  const all = await placementGroups(ctx);
  if (p.GroupId) {
    const csId = (await ctx.store.csIdOf(p.GroupId))?.csId;
    const g = all.find((x) => x.id === csId);
    if (!g) throw unknown(p.GroupId);
    return g;
  }
  const g = all.find((x) => x.name === p.GroupName);
  if (!g) throw unknown(p.GroupName!);
  return g;
}

export const placementActions = actions({
  async CreatePlacementGroup(ctx, input) {
    if (!input.GroupName) throw ec2Error('MissingParameter', 'The request must contain the parameter groupName');
    if (!input.Strategy) throw ec2Error('MissingParameter', 'The request must contain the parameter strategy');
    const type = TYPE_OF[input.Strategy];
    if (!type)
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.Strategy}) for parameter strategy is invalid. polystack supports the cluster and spread strategies (CloudStack host affinity and anti-affinity).`,
      );
    if (input.SpreadLevel && input.SpreadLevel !== 'host')
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${input.SpreadLevel}) for parameter spreadLevel is invalid. Spread placement groups here spread across hosts.`,
      );
    if (
      (await csList(ctx, 'listAffinityGroups', 'affinitygroup', { name: input.GroupName })).some(
        (g) => g.name === input.GroupName,
      )
    )
      throw ec2Error('InvalidPlacementGroup.Duplicate', `The Placement Group '${input.GroupName}' already exists.`);
    const r = await csJob(ctx, 'createAffinityGroup', {
      name: input.GroupName,
      type,
      description: `EC2 placement group (${input.Strategy})`,
    });
    const g = r['affinitygroup'] as AffinityGroup;
    const tags = (input.TagSpecifications ?? [])
      .filter((s) => s.ResourceType === 'placement-group')
      .flatMap((s) => s.Tags ?? []);
    // CloudStack cannot tag affinity groups: the front keeps their tags.
    if (tags.length)
      await ctx.store.setAttr(
        g.id,
        'placementGroupTags',
        JSON.stringify(tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }))),
      );
    return { PlacementGroup: await view(ctx, g) };
  },
  async DeletePlacementGroup(ctx, input) {
    if (!input.GroupName) throw ec2Error('MissingParameter', 'The request must contain the parameter groupName');
    const g = await placementGroupOf(ctx, { GroupName: input.GroupName });
    // CloudStack lets members go; AWS refuses while instances are in the group.
    if (g!.virtualmachineIds?.length)
      throw ec2Error(
        'InvalidPlacementGroup.InUse',
        `The placement group '${input.GroupName}' is in use and may not be deleted.`,
      );
    await csJob(ctx, 'deleteAffinityGroup', { id: g!.id });
    return {};
  },
  async DescribePlacementGroups(ctx, input) {
    const all = await placementGroups(ctx);
    for (const n of input.GroupNames ?? []) if (!all.some((g) => g.name === n)) throw unknown(n);
    let views = await Promise.all(all.map((g) => view(ctx, g)));
    for (const id of input.GroupIds ?? []) if (!views.some((g) => g.GroupId === id)) throw unknown(id);
    if (input.GroupNames?.length) views = views.filter((g) => input.GroupNames!.includes(g.GroupName));
    if (input.GroupIds?.length) views = views.filter((g) => input.GroupIds!.includes(g.GroupId));
    return {
      PlacementGroups: applyFilters(views, input.Filters, {
        'group-name': (g) => [g.GroupName],
        'group-arn': (g) => [g.GroupArn],
        state: (g) => [g.State],
        strategy: (g) => [g.Strategy],
        'spread-level': (g) => [g.SpreadLevel],
      }),
    };
  },
  /** ModifyInstancePlacement: a stopped instance moves into (or, with GroupName "", out of) a placement group. */
  async ModifyInstancePlacement(ctx, input) {
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter instanceId');
    if (
      input.HostId ||
      input.Affinity ||
      input.Tenancy ||
      input.HostResourceGroupArn ||
      input.PartitionNumber !== undefined
    )
      throw ec2Error(
        'InvalidParameterCombination',
        'Only the placement group of an instance can be changed here: polystack has no dedicated hosts or partitions',
      );
    const vmId = await visibleCsId(ctx, 'instance', input.InstanceId);
    const leaving = input.GroupName === '' && !input.GroupId;
    const target = leaving ? undefined : await placementGroupOf(ctx, input);
    if (!leaving && !target)
      throw ec2Error('MissingParameter', 'The request must contain the parameter groupName or groupId');
    const [vm] = await csList(ctx, 'listVirtualMachines', 'virtualmachine', { id: vmId });
    if (vm?.state !== 'Stopped')
      throw ec2Error('IncorrectInstanceState', `The instance '${input.InstanceId}' is not in the 'stopped' state.`);
    // Affinity groups that are not placement groups (made through CloudStack) stay.
    const others = ((vm.affinitygroup ?? []) as AffinityGroup[]).filter((g) => !STRATEGY_OF[g.type]).map((g) => g.id);
    const r = await csCall(ctx, 'updateVMAffinityGroup', {
      id: vmId,
      affinitygroupids: [...others, ...(target ? [target.id] : [])],
    });
    if (r.error) throw ec2Error('InvalidParameterValue', String(r.error?.errortext));
    await csJobBrief(ctx, r.body['jobid'], (_s, text) => ec2Error('IncorrectInstanceState', text), 2000);
    return { Return: true };
  },
});

/** The placement group name an instance shows: its affinity group of a placement kind. */
export function placementNameOf(vm: { affinitygroup?: AffinityGroup[] }): string {
  return (vm.affinitygroup ?? []).find((g) => STRATEGY_OF[g.type])?.name ?? '';
}
