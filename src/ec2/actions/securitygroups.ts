import { csJob, csList, ownerId, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import type { Action } from './types.js';

interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string; Description?: string }[];
  UserIdGroupPairs?: { GroupId?: string; GroupName?: string; UserId?: string }[];
}

/** EC2's protocol names and numbers as CloudStack's: -1 is all, 6/17/1 are tcp/udp/icmp. */
const protocolToCs = (p = '-1') => ({ '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp' })[p] ?? p.toLowerCase();
const protocolToEc2 = (p: string) => (p === 'all' ? '-1' : p);

function permissions(rules: any[]): IpPermission[] {
  return rules.map((r) => {
    const icmp = r.protocol === 'icmp';
    return {
      IpProtocol: protocolToEc2(r.protocol), FromPort: icmp ? r.icmptype : r.startport, ToPort: icmp ? r.icmpcode : r.endport,
      IpRanges: r.cidr ? [{ CidrIp: r.cidr }] : [], Ipv6Ranges: [], PrefixListIds: [],
      UserIdGroupPairs: r.securitygroupname ? [{ GroupName: r.securitygroupname }] : [],
    } as IpPermission;
  });
}

async function groupView(ctx: Ec2Context, g: any) {
  return {
    OwnerId: ownerId(g.accountid ?? g.account ?? ''), GroupId: await ctx.ids.of('securityGroup', g.id), GroupName: g.name as string,
    Description: (g.description ?? g.name) as string, IpPermissions: permissions(g.ingressrule ?? []),
    // CloudStack allows all egress while a group has no egress rule; EC2 shows that as one allow-all rule.
    IpPermissionsEgress: (g.egressrule ?? []).length ? permissions(g.egressrule) : [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    Tags: (g.tags ?? []).map((t: any) => ({ Key: t.key, Value: t.value })), csId: g.id as string, rules: [...(g.ingressrule ?? []), ...(g.egressrule ?? [])],
  };
}

/** The CloudStack group an EC2 request names, by GroupId or GroupName. */
async function resolveGroup(ctx: Ec2Context, input: { GroupId?: string; GroupName?: string }): Promise<any> {
  if (input.GroupId) {
    const id = await ctx.ids.cs('securityGroup', input.GroupId);
    const [g] = await csList(ctx, 'listSecurityGroups', 'securitygroup', { id });
    if (!g) throw ec2Error('InvalidGroup.NotFound', `The security group '${input.GroupId}' does not exist`);
    return g;
  }
  if (!input.GroupName) throw ec2Error('MissingParameter', 'The request must contain the parameter GroupName or GroupId');
  const [g] = await csList(ctx, 'listSecurityGroups', 'securitygroup', { securitygroupname: input.GroupName });
  if (!g) throw ec2Error('InvalidGroup.NotFound', `The security group '${input.GroupName}' does not exist in default VPC`);
  return g;
}

function ruleParams(p: IpPermission) {
  const protocol = protocolToCs(p.IpProtocol);
  const ports = protocol === 'icmp' ? { icmptype: p.FromPort ?? -1, icmpcode: p.ToPort ?? -1 } : protocol === 'all' ? {} : { startport: p.FromPort, endport: p.ToPort };
  return { protocol, ...ports, cidrlist: (p.IpRanges ?? []).map((r) => r.CidrIp!).filter(Boolean) };
}

function direction(egress: boolean) {
  return {
    async authorize(ctx: Ec2Context, input: any) {
      const g = await resolveGroup(ctx, input);
      const perms: IpPermission[] = input.IpPermissions ?? [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [] }];
      for (const p of perms) {
        // A rule that exists already comes back as CloudStack's 537, which is EC2's InvalidPermission.Duplicate.
        await csJob(ctx, egress ? 'authorizeSecurityGroupEgress' : 'authorizeSecurityGroupIngress', { securitygroupid: g.id, ...ruleParams(p) });
      }
      return { Return: true };
    },
    async revoke(ctx: Ec2Context, input: any) {
      const g = await resolveGroup(ctx, input);
      const rules = (egress ? g.egressrule : g.ingressrule) ?? [];
      const perms: IpPermission[] = input.IpPermissions ?? [];
      for (const p of perms) {
        const want = ruleParams(p);
        const matching = rules.filter(
          (r: any) => r.protocol === want.protocol && (want.cidrlist.length === 0 || want.cidrlist.includes(r.cidr)) &&
            (want.protocol !== 'tcp' && want.protocol !== 'udp' ? true : r.startport === want.startport && r.endport === want.endport),
        );
        if (!matching.length) {
          // EC2 shows an allow-all egress rule while CloudStack has none; revoking it is a no-op that succeeds.
          if (egress && want.protocol === 'all' && rules.length === 0) continue;
          throw ec2Error('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
        }
        for (const r of matching) await csJob(ctx, egress ? 'revokeSecurityGroupEgress' : 'revokeSecurityGroupIngress', { id: r.ruleid });
      }
      return { Return: true };
    },
  };
}

export const securityGroupActions: Record<string, Action> = {
  async CreateSecurityGroup(ctx, input) {
    if (!input.GroupName) throw ec2Error('MissingParameter', 'The request must contain the parameter GroupName');
    if (!input.Description) throw ec2Error('MissingParameter', 'The request must contain the parameter GroupDescription');
    const r = await ctx.port.call(ctx.creds, 'createSecurityGroup', { name: input.GroupName, description: input.Description });
    if (r.status === 431 && /already exists|reserved/.test(String(r.body['errortext']))) throw ec2Error('InvalidGroup.Duplicate', `The security group '${input.GroupName}' already exists`);
    if (r.status !== 200) throw ec2Error('InvalidParameterValue', String(r.body['errortext']));
    return { GroupId: await ctx.ids.of('securityGroup', r.body['securitygroup'].id), Tags: [] };
  },
  async DeleteSecurityGroup(ctx, input) {
    const g = await resolveGroup(ctx, input);
    const r = await ctx.port.call(ctx.creds, 'deleteSecurityGroup', { id: g.id });
    if (r.status === 537 || r.status === 536) throw ec2Error('DependencyViolation', `resource ${input.GroupId ?? input.GroupName} has a dependent object`);
    if (r.status !== 200) throw ec2Error(/default/.test(String(r.body['errortext'])) ? 'CannotDelete' : 'InvalidParameterValue', String(r.body['errortext']));
    return { Return: true };
  },
  async DescribeSecurityGroups(ctx, input) {
    let all = await Promise.all((await csList(ctx, 'listSecurityGroups', 'securitygroup')).map((g) => groupView(ctx, g)));
    for (const id of input.GroupIds ?? []) if (!all.some((g) => g.GroupId === id)) throw ec2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    for (const n of input.GroupNames ?? []) if (!all.some((g) => g.GroupName === n)) throw ec2Error('InvalidGroup.NotFound', `The security group '${n}' does not exist in default VPC`);
    if (input.GroupIds) all = all.filter((g) => input.GroupIds.includes(g.GroupId));
    if (input.GroupNames) all = all.filter((g) => input.GroupNames.includes(g.GroupName));
    all = applyFilters(all, input.Filters, { 'group-name': (g) => [g.GroupName], 'group-id': (g) => [g.GroupId], description: (g) => [g.Description], 'owner-id': (g) => [g.OwnerId], 'vpc-id': () => [] });
    return { SecurityGroups: all.map(({ csId: _c, rules: _r, ...g }) => g) };
  },
  AuthorizeSecurityGroupIngress: (ctx, input) => direction(false).authorize(ctx, input),
  AuthorizeSecurityGroupEgress: (ctx, input) => direction(true).authorize(ctx, input),
  RevokeSecurityGroupIngress: (ctx, input) => direction(false).revoke(ctx, input),
  RevokeSecurityGroupEgress: (ctx, input) => direction(true).revoke(ctx, input),
};
