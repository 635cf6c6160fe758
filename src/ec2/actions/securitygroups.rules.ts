import type { Input } from './types.js';
import type { WireOwned, WireSecurityGroup, WireSecurityRule } from '../../cloudstack/wire.js';
import { isIpv4Cidr, isIpv6Cidr } from '../../domain/cidr.js';
import { intToIp, parseCidr } from '../../domain/net.js';
import { csList, memo, ownerId, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';

/**
 * EC2 permissions and CloudStack security group rules, both ways. An EC2 permission is a protocol
 * and port range with sources (IPv4/IPv6 ranges, groups, prefix lists); a CloudStack rule is a
 * protocol and ports with one source, a CIDR or an account's group (`usersecuritygrouplist`).
 * Whatever has no CloudStack form is refused: a dropped source would leave CloudStack a rule
 * over no source, which is no rule, or (before issue 13) 0.0.0.0/0.
 */
export interface GroupPair {
  GroupId?: string;
  GroupName?: string;
  UserId?: string;
  VpcId?: string;
  VpcPeeringConnectionId?: string;
  Description?: string;
}

export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: { CidrIp?: string; Description?: string }[];
  Ipv6Ranges?: { CidrIpv6?: string; Description?: string }[];
  PrefixListIds?: { PrefixListId?: string; Description?: string }[];
  UserIdGroupPairs?: GroupPair[];
}

/** A protocol and its ports as CloudStack's authorize commands take them. */
export interface CsPorts {
  protocol: string;
  startport?: number;
  endport?: number;
  icmptype?: number;
  icmpcode?: number;
}

/** One source of a rule: a CIDR, or a group named by its account and name. */
export type CsSource = { cidr: string } | { account: string; group: string };

export interface CsRule extends CsPorts {
  sources: CsSource[];
}

const NAMES: Record<string, string> = { '-1': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const invalid = (text: string) => ec2Error('InvalidParameterValue', text);
const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);

/** The protocol and ports of a permission, refused where CloudStack would read them wider. */
export function portsOf(p: IpPermission): CsPorts {
  const raw = String(p.IpProtocol ?? '')
    .trim()
    .toLowerCase();
  if (!raw) throw ec2Error('MissingParameter', 'The request must contain the parameter ipProtocol');
  const name = NAMES[raw] ?? raw;
  if (name === 'all') return { protocol: 'all' };
  if (name === 'tcp' || name === 'udp') {
    const [from, to] = [p.FromPort, p.ToPort];
    if (!isInt(from) || !isInt(to) || from < 0 || to > 65535 || from > to)
      throw invalid(`Invalid port range ${from ?? 'null'}-${to ?? 'null'} for protocol ${name}`);
    // CloudStack reads the range 0-0 as all ports (SecurityGroupManagerImpl), wider than port 0.
    if (from === 0 && to === 0)
      throw invalid(`The port range 0-0 for protocol ${name} cannot be mapped: CloudStack reads it as all ports`);
    return { protocol: name, startport: from, endport: to };
  }
  if (name === 'icmp') {
    const [type, code] = [p.FromPort ?? -1, p.ToPort ?? -1];
    if (!isInt(type) || !isInt(code) || type < -1 || type > 255 || code < -1 || code > 255)
      throw invalid(`Invalid ICMP type ${type} or code ${code}`);
    if (type === -1 && code !== -1) throw invalid('If you specify all ICMP types, you must specify all codes');
    return { protocol: 'icmp', icmptype: type, icmpcode: code };
  }
  if (name === 'icmpv6') {
    // CloudStack matches other protocols by number alone: one ICMPv6 type would become all of them.
    if ((p.FromPort ?? -1) !== -1 || (p.ToPort ?? -1) !== -1)
      throw invalid('ICMPv6 types and codes cannot be mapped to CloudStack; only all of ICMPv6 (-1, -1) can');
    return { protocol: '58' };
  }
  // Other protocols by number match all ports, in EC2 as in CloudStack.
  if (/^\d{1,3}$/.test(name) && Number(name) <= 255) return { protocol: String(Number(name)) };
  throw invalid(`Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
}

/** AWS canonicalises IPv4 ranges (10.1.2.3/8 is 10.0.0.0/8). */
function canonical(cidr: string): string {
  const c = parseCidr(cidr);
  return `${intToIp(c.network)}/${c.prefix}`;
}

/** The groups the caller can see, once per request. */
export const visibleGroups = (ctx: Ec2Context): Promise<WireSecurityGroup[]> =>
  memo(ctx, 'sg:visible', () => csList(ctx, 'listSecurityGroups', 'securitygroup', { listall: true }));

/** The CloudStack group a pair names, in the domain of the group the rule is for; InvalidGroup.NotFound otherwise. */
async function pairGroup(ctx: Ec2Context, target: WireSecurityGroup, pair: GroupPair): Promise<WireSecurityGroup> {
  if (pair.VpcPeeringConnectionId)
    throw ec2Error(
      'InvalidVpcPeeringConnectionID.NotFound',
      `The vpcPeeringConnection ID '${pair.VpcPeeringConnectionId}' does not exist`,
    );
  const groups = await visibleGroups(ctx);
  let found: WireSecurityGroup | undefined;
  if (pair.GroupId) {
    const id = await ctx.ids.cs('securityGroup', pair.GroupId);
    found = groups.find((g) => g.id === id);
  } else if (pair.GroupName) {
    const owner = (g: WireSecurityGroup) =>
      pair.UserId ? ownerId(g.accountid ?? '') === pair.UserId : g.accountid === target.accountid;
    found = groups.find((g) => g.name === pair.GroupName && owner(g));
  } else {
    throw ec2Error(
      'MissingParameter',
      'The request must contain the parameter groupId or groupName of each UserIdGroupPair',
    );
  }
  const named = pair.GroupId ?? pair.GroupName;
  const sameOwner = !pair.UserId || ownerId(found?.accountid ?? '') === pair.UserId;
  // CloudStack's usersecuritygrouplist names groups of accounts in the rule's own domain only.
  if (!found || !sameOwner || found.domainid !== target.domainid)
    throw ec2Error('InvalidGroup.NotFound', `The security group '${named}' does not exist`);
  return found;
}

/** The sources of a permission; none, or one CloudStack cannot hold, is refused. */
async function sourcesOf(ctx: Ec2Context, target: WireSecurityGroup, p: IpPermission): Promise<CsSource[]> {
  const out: CsSource[] = [];
  for (const r of p.IpRanges ?? []) {
    if (!r.CidrIp || !isIpv4Cidr(r.CidrIp)) throw invalid(`CIDR block ${r.CidrIp ?? ''} is malformed`);
    out.push({ cidr: canonical(r.CidrIp) });
  }
  for (const r of p.Ipv6Ranges ?? []) {
    if (!r.CidrIpv6 || !isIpv6Cidr(r.CidrIpv6)) throw invalid(`CIDR block ${r.CidrIpv6 ?? ''} is malformed`);
    out.push({ cidr: r.CidrIpv6.toLowerCase() });
  }
  // polystack has no prefix lists, so every one named does not exist.
  for (const pl of p.PrefixListIds ?? [])
    throw ec2Error('InvalidPrefixListId.NotFound', `The prefix list ID '${pl.PrefixListId ?? ''}' does not exist`);
  for (const pair of p.UserIdGroupPairs ?? []) {
    const g = await pairGroup(ctx, target, pair);
    out.push({ account: g.account ?? '', group: g.name });
  }
  if (!out.length)
    throw ec2Error(
      'MissingParameter',
      'Each IP permission must name a source: IpRanges, Ipv6Ranges or UserIdGroupPairs',
    );
  return out;
}

/** The CloudStack rules a request's permissions ask for, all checked before any is made. */
export async function rulesOf(ctx: Ec2Context, target: WireSecurityGroup, perms: IpPermission[]): Promise<CsRule[]> {
  const out: CsRule[] = [];
  for (const p of perms) out.push({ ...portsOf(p), sources: await sourcesOf(ctx, target, p) });
  return out;
}

/** The permissions of the legacy top-level form (IpProtocol, FromPort, ToPort, CidrIp, SourceSecurityGroupName). */
/** What the four rule actions (authorize and revoke, ingress and egress) are asked. */
export type RuleRequest =
  | Input<'AuthorizeSecurityGroupIngress'>
  | Input<'AuthorizeSecurityGroupEgress'>
  | Input<'RevokeSecurityGroupIngress'>
  | Input<'RevokeSecurityGroupEgress'>;

export function permissionsOf(input: RuleRequest): IpPermission[] {
  if (input.IpPermissions) return input.IpPermissions;
  const pair = input.SourceSecurityGroupName
    ? [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }]
    : [];
  const ranges = input.CidrIp ? [{ CidrIp: input.CidrIp }] : [];
  // A source group alone is full TCP, UDP and ICMP access (the API reference's words).
  if (pair.length && input.IpProtocol === undefined)
    return [
      { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535 },
      { IpProtocol: 'udp', FromPort: 0, ToPort: 65535 },
      { IpProtocol: 'icmp', FromPort: -1, ToPort: -1 },
    ].map((p) => ({ ...p, UserIdGroupPairs: pair, IpRanges: ranges }));
  return [
    {
      IpProtocol: input.IpProtocol,
      FromPort: input.FromPort,
      ToPort: input.ToPort,
      IpRanges: ranges,
      UserIdGroupPairs: pair,
    },
  ];
}

/** Whether a CloudStack rule (from listSecurityGroups) is exactly this protocol, these ports and this source. */
export function matches(r: WireSecurityRule, want: CsPorts, source: CsSource): boolean {
  const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);
  if (String(r.protocol) !== want.protocol) return false;
  if (want.protocol === 'tcp' || want.protocol === 'udp')
    if (!same(r.startport, want.startport) || !same(r.endport, want.endport)) return false;
  if (want.protocol === 'icmp' && (!same(r.icmptype, want.icmptype) || !same(r.icmpcode, want.icmpcode))) return false;
  if ('cidr' in source) return r.cidr === source.cidr;
  return !r.cidr && r.securitygroupname === source.group && r.account === source.account;
}

export const protocolToEc2 = (p: string) => (p === 'all' ? '-1' : p === '58' ? 'icmpv6' : p);

/** An EC2 IpPermission as permissionsView builds it. */
interface PermissionView {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges: { CidrIp: string }[];
  Ipv6Ranges: { CidrIpv6: string }[];
  PrefixListIds: never[];
  UserIdGroupPairs: GroupPair[];
}

/** CloudStack rules as EC2 permissions: one per protocol and port range, with all its sources. */
export async function permissionsView(
  ctx: Ec2Context,
  container: WireOwned,
  rules: readonly WireSecurityRule[],
): Promise<PermissionView[]> {
  const byPorts = new Map<string, PermissionView>();
  for (const r of rules) {
    const icmp = r.protocol === 'icmp';
    const ports =
      r.protocol === 'tcp' || r.protocol === 'udp'
        ? [r.startport, r.endport]
        : icmp
          ? [r.icmptype, r.icmpcode]
          : r.protocol === '58'
            ? [-1, -1]
            : [];
    const key = `${r.protocol}:${ports.join('-')}`;
    let p = byPorts.get(key);
    if (!p) {
      p = {
        IpProtocol: protocolToEc2(r.protocol),
        ...(ports.length ? { FromPort: ports[0], ToPort: ports[1] } : {}),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byPorts.set(key, p);
    }
    if (r.cidr)
      String(r.cidr).includes(':') ? p.Ipv6Ranges.push({ CidrIpv6: r.cidr }) : p.IpRanges.push({ CidrIp: r.cidr });
    else if (r.securitygroupname) p.UserIdGroupPairs.push(await pairView(ctx, container, r));
  }
  return [...byPorts.values()];
}

/** The group a rule names, as EC2 shows it; a group the caller cannot see shows its name only. */
export async function pairView(ctx: Ec2Context, container: WireOwned, r: WireSecurityRule): Promise<GroupPair> {
  const g = (await visibleGroups(ctx)).find(
    (x) => x.name === r.securitygroupname && x.account === r.account && x.domainid === container.domainid,
  );
  if (!g) return { GroupName: r.securitygroupname };
  return { GroupId: await ctx.ids.of('securityGroup', g.id), GroupName: g.name, UserId: ownerId(g.accountid ?? '') };
}
