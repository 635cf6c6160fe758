import type { WireSecurityGroup, WireSecurityRule } from '../../cloudstack/wire.js';
import { csCall, csJob, csList, ownerId, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import {
  matches,
  permissionsOf,
  permissionsView,
  rulesOf,
  type CsPorts,
  type CsRule,
  type CsSource,
  type RuleRequest,
} from './securitygroups.rules.js';
import { membersOf, networksOf, syncNetworks } from './securitygroups.zones.js';
import { actions, type Input } from './types.js';
import { vpcOf } from './vpcnet.js';

/** What EC2 shows for a group without egress rules, which CloudStack lets send anywhere. */
const ALLOW_ALL_EGRESS = {
  IpProtocol: '-1',
  IpRanges: [{ CidrIp: '0.0.0.0/0' }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
};

async function groupView(ctx: Ec2Context, g: WireSecurityGroup) {
  return {
    OwnerId: ownerId(g.accountid ?? g.account ?? ''),
    GroupId: await ctx.ids.of('securityGroup', g.id),
    GroupName: g.name as string,
    Description: (g.description ?? g.name) as string,
    IpPermissions: await permissionsView(ctx, g, g.ingressrule ?? []),
    // CloudStack allows all egress while a group has no egress rule; EC2 shows that as one allow-all rule.
    IpPermissionsEgress: (g.egressrule ?? []).length ? await permissionsView(ctx, g, g.egressrule) : [ALLOW_ALL_EGRESS],
    Tags: (g.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })),
    csId: g.id as string,
    rules: [...(g.ingressrule ?? []), ...(g.egressrule ?? [])],
  };
}

/** The CloudStack group an EC2 request names, by GroupId or GroupName. */
async function resolveGroup(
  ctx: Ec2Context,
  input: { GroupId?: string; GroupName?: string },
): Promise<WireSecurityGroup> {
  if (input.GroupId) {
    const id = await ctx.ids.cs('securityGroup', input.GroupId);
    const [g] = await csList(ctx, 'listSecurityGroups', 'securitygroup', { id });
    if (!g) throw ec2Error('InvalidGroup.NotFound', `The security group '${input.GroupId}' does not exist`);
    return g;
  }
  if (!input.GroupName)
    throw ec2Error('MissingParameter', 'The request must contain the parameter GroupName or GroupId');
  const [g] = await csList(ctx, 'listSecurityGroups', 'securitygroup', { securitygroupname: input.GroupName });
  if (!g)
    throw ec2Error('InvalidGroup.NotFound', `The security group '${input.GroupName}' does not exist in default VPC`);
  return g;
}

const isAllowAll = (r: CsRule) =>
  r.protocol === 'all' && r.sources.length === 1 && 'cidr' in r.sources[0]! && r.sources[0].cidr === '0.0.0.0/0';
const sourceText = (s: CsSource) => ('cidr' in s ? s.cidr : `${s.account}/${s.group}`);

function direction(egress: boolean) {
  const rulesOfGroup = (g: WireSecurityGroup): WireSecurityRule[] => (egress ? g.egressrule : g.ingressrule) ?? [];
  return {
    async authorize(ctx: Ec2Context, input: RuleRequest) {
      const g = await resolveGroup(ctx, input);
      const wanted = await rulesOf(ctx, g, permissionsOf(input));
      const existing = rulesOfGroup(g);
      const seen = new Set<string>();
      for (const w of wanted)
        for (const s of w.sources) {
          const key = `${portsKey(w)}|${sourceText(s)}`;
          if (seen.has(key) || existing.some((r) => matches(r, w, s)))
            throw ec2Error(
              'InvalidPermission.Duplicate',
              `the specified rule "peer: ${sourceText(s)}, ${w.protocol.toUpperCase()}, ALLOW" already exists`,
            );
          seen.add(key);
        }
      const before = new Set(existing.map((r) => r.ruleid));
      try {
        for (const w of wanted)
          await csJob(
            ctx,
            egress ? 'authorizeSecurityGroupEgress' : 'authorizeSecurityGroupIngress',
            authorizeParams(g, w),
          );
      } catch (e) {
        // All of a request's permissions or none: the rules made before the failure are revoked.
        const [now] = await csList(ctx, 'listSecurityGroups', 'securitygroup', { id: g.id });
        for (const r of rulesOfGroup(now ?? {}))
          if (!before.has(r.ruleid))
            await csJob(ctx, egress ? 'revokeSecurityGroupEgress' : 'revokeSecurityGroupIngress', { id: r.ruleid });
        throw e;
      }
      await syncNetworks(ctx, await networksOf(ctx, g.id));
      return { Return: true };
    },
    async revoke(ctx: Ec2Context, input: Input<'RevokeSecurityGroupIngress'> | Input<'RevokeSecurityGroupEgress'>) {
      const g = await resolveGroup(ctx, input);
      const rules = rulesOfGroup(g);
      const doomed = new Set<string>();
      for (const id of input.SecurityGroupRuleIds ?? []) {
        const csId = await ctx.ids.cs('rule', id).catch(() => undefined);
        if (!csId || !rules.some((r) => r.ruleid === csId))
          throw ec2Error('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`);
        doomed.add(csId);
      }
      for (const w of await rulesOf(ctx, g, input.IpPermissions ?? [])) {
        // EC2 shows an allow-all egress rule while CloudStack has none: it cannot be taken away (below).
        if (egress && rules.length === 0 && isAllowAll(w)) throw lastEgress(g);
        for (const s of w.sources) {
          const r = rules.find((x) => matches(x, w, s));
          if (!r)
            throw ec2Error('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
          doomed.add(r.ruleid);
        }
      }
      // A CloudStack group without egress rules sends anywhere: revoking the last one would open egress, not close it.
      if (egress && doomed.size && rules.every((r) => doomed.has(r.ruleid))) throw lastEgress(g);
      for (const id of doomed)
        await csJob(ctx, egress ? 'revokeSecurityGroupEgress' : 'revokeSecurityGroupIngress', { id });
      await syncNetworks(ctx, await networksOf(ctx, g.id));
      return { Return: true };
    },
  };
}

const portsKey = (p: CsPorts) => [p.protocol, p.startport, p.endport, p.icmptype, p.icmpcode].join(':');

function authorizeParams(g: WireSecurityGroup, w: CsRule) {
  const cidrs = w.sources.flatMap((s) => ('cidr' in s ? [s.cidr] : []));
  const groups = w.sources.flatMap((s) => ('cidr' in s ? [] : [{ account: s.account, group: s.group }]));
  const { sources: _s, ...ports } = w;
  return {
    securitygroupid: g.id,
    ...ports,
    ...(cidrs.length ? { cidrlist: cidrs } : {}),
    ...(groups.length ? { usersecuritygrouplist: groups } : {}),
  };
}

const lastEgress = (g: WireSecurityGroup) =>
  ec2Error(
    'UnsupportedOperation',
    `Security group ${g.name} would be left without egress rules, which in CloudStack allows all egress; authorize the egress you want to keep first`,
  );

export const securityGroupActions = actions({
  async CreateSecurityGroup(ctx, input) {
    if (!input.GroupName) throw ec2Error('MissingParameter', 'The request must contain the parameter GroupName');
    if (!input.Description)
      throw ec2Error('MissingParameter', 'The request must contain the parameter GroupDescription');
    // A group of a VPC is a CloudStack group like any other (groups belong to the account); the front remembers its VPC.
    const vpc = input.VpcId ? await vpcOf(ctx, input.VpcId) : undefined;
    const r = await csCall(ctx, 'createSecurityGroup', { name: input.GroupName, description: input.Description });
    if (r.status === 431 && /already exists|reserved/.test(String(r.error?.errortext)))
      throw ec2Error('InvalidGroup.Duplicate', `The security group '${input.GroupName}' already exists`);
    if (r.error) throw ec2Error('InvalidParameterValue', String(r.error?.errortext));
    if (vpc) await ctx.store.setAttr(r.body['securitygroup'].id, 'vpc', vpc.VpcId);
    return { GroupId: await ctx.ids.of('securityGroup', r.body['securitygroup'].id), Tags: [] };
  },
  async DeleteSecurityGroup(ctx, input) {
    const g = await resolveGroup(ctx, input);
    const dependent = () =>
      ec2Error('DependencyViolation', `resource ${input.GroupId ?? input.GroupName} has a dependent object`);
    if (Number(g.virtualmachinecount ?? 0) > 0 || (await membersOf(ctx, g.id)).length) throw dependent();
    // CloudStack keeps a group while any rule names it, its own too; AWS deletes a group that names itself.
    const own = (dir: 'ingress' | 'egress') =>
      (g[`${dir}rule`] ?? [])
        .filter((x) => !x.cidr && x.securitygroupname === g.name && x.account === g.account)
        .map((x) => ({ dir, x }));
    const selfRules = [...own('ingress'), ...own('egress')];
    const verb = <V extends 'revoke' | 'authorize'>(dir: 'ingress' | 'egress', v: V) =>
      `${v}SecurityGroup${dir === 'ingress' ? 'Ingress' : 'Egress'}` as const;
    for (const { dir, x } of selfRules) await csJob(ctx, verb(dir, 'revoke'), { id: x.ruleid });
    const r = await csCall(ctx, 'deleteSecurityGroup', { id: g.id });
    if (r.error)
      for (const { dir, x } of selfRules) {
        const { ruleid: _r, cidr: _c, securitygroupname: group, account, tags: _t, ...ports } = x;
        await csJob(ctx, verb(dir, 'authorize'), {
          securitygroupid: g.id,
          ...ports,
          usersecuritygrouplist: [{ account: account ?? '', group: group ?? '' }],
        });
      }
    if (r.status === 537 || r.status === 536) throw dependent();
    if (r.error)
      throw ec2Error(
        /default/.test(String(r.error?.errortext)) ? 'CannotDelete' : 'InvalidParameterValue',
        String(r.error?.errortext),
      );
    return { Return: true };
  },
  async DescribeSecurityGroups(ctx, input) {
    const groups = await csList(ctx, 'listSecurityGroups', 'securitygroup');
    const vpcs = await ctx.store.attrs(
      groups.map((g) => g.id as string),
      'vpc',
    );
    let all = await Promise.all(groups.map(async (g) => ({ ...(await groupView(ctx, g)), VpcId: vpcs.get(g.id) })));
    for (const id of input.GroupIds ?? [])
      if (!all.some((g) => g.GroupId === id))
        throw ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    for (const n of input.GroupNames ?? [])
      if (!all.some((g) => g.GroupName === n))
        throw ec2Error('InvalidGroup.NotFound', `The security group '${n}' does not exist in default VPC`);
    const groupIds = input.GroupIds;
    if (groupIds) all = all.filter((g) => groupIds.includes(g.GroupId));
    const groupNames = input.GroupNames;
    if (groupNames) all = all.filter((g) => groupNames.includes(g.GroupName));
    all = applyFilters(all, input.Filters, {
      'group-name': (g) => [g.GroupName],
      'group-id': (g) => [g.GroupId],
      description: (g) => [g.Description],
      'owner-id': (g) => [g.OwnerId],
      'vpc-id': (g) => [g.VpcId],
    });
    return { SecurityGroups: all.map(({ csId: _c, rules: _r, ...g }) => g) };
  },
  AuthorizeSecurityGroupIngress: (ctx, input) => direction(false).authorize(ctx, input),
  AuthorizeSecurityGroupEgress: (ctx, input) => direction(true).authorize(ctx, input),
  RevokeSecurityGroupIngress: (ctx, input) => direction(false).revoke(ctx, input),
  RevokeSecurityGroupEgress: (ctx, input) => direction(true).revoke(ctx, input),
});
