import type { WireAclItem, WireAclList, WireNetwork, WireVpc } from '../../cloudstack/wire.js';
import { csJob, csList, ownerId, type Ec2Context } from '../context.js';

/** CloudStack's answers the network ACL mapping reads. */
export type CsAclList = WireAclList;
export type CsAclItem = WireAclItem;
export type CsNetwork = WireNetwork;
export type CsVpc = WireVpc;

/**
 * CloudStack numbers an ACL list's items once for both directions, EC2 numbers each direction on
 * its own (ingress 100 and egress 100 are two entries). Egress entries are stored past EC2's
 * largest rule number, which keeps their order among themselves.
 */
export const EGRESS_BASE = 32766;
export const csNumber = (rule: number, egress: boolean): number => (egress ? rule + EGRESS_BASE : rule);
export const ruleNumberOf = (i: CsAclItem): number =>
  i.traffictype === 'Egress' && i.number > EGRESS_BASE ? i.number - EGRESS_BASE : i.number;

/** The CloudStack list that holds a VPC's EC2 default ACL once one of its entries has been changed. */
export const DEFAULT_LIST_NAME = 'ec2-default';
const BUILT_IN = { allow: 'default_allow', deny: 'default_deny' };

/**
 * What an EC2 network ACL is in CloudStack: one of the VPC's lists; the VPC's default (its
 * `ec2-default` list, else CloudStack's built-in default_allow, which says the same as AWS's
 * default); CloudStack's default_deny as its tiers use it; or a zone's synthetic default VPC's ACL
 * (guest networks outside VPCs have no ACL in CloudStack: allow all, read-only).
 */
export type AclRef =
  | { kind: 'list'; vpc: string; listId: string }
  | { kind: 'default'; vpc: string; listId?: string }
  | { kind: 'deny'; vpc: string }
  | { kind: 'zone'; zone: string };

/** The front's id source for each kind: a list's uuid, or `default:`/`deny:` + VPC uuid, or `zone:` + zone uuid. */
export const refKey = (r: AclRef): string =>
  r.kind === 'list' ? r.listId : r.kind === 'zone' ? `zone:${r.zone}` : `${r.kind}:${r.vpc}`;

export interface AclWorld {
  vpcs: CsVpc[];
  lists: CsAclList[];
  items: CsAclItem[];
  networks: CsNetwork[];
  zones: { id: string; name: string }[];
  builtIn: { allow?: string; deny?: string };
}

export async function aclWorld(ctx: Ec2Context): Promise<AclWorld> {
  const [vpcs, lists, items, networks, zones] = await Promise.all([
    csList(ctx, 'listVPCs', 'vpc'),
    csList(ctx, 'listNetworkACLLists', 'networkacllist'),
    csList(ctx, 'listNetworkACLs', 'networkacl'),
    csList(ctx, 'listNetworks', 'network'),
    csList(ctx, 'listZones', 'zone') as Promise<{ id: string; name: string }[]>,
  ]);
  const builtIn = {
    allow: lists.find((l) => !l.vpcid && l.name === BUILT_IN.allow)?.id,
    deny: lists.find((l) => !l.vpcid && l.name === BUILT_IN.deny)?.id,
  };
  return { vpcs, lists, items, networks, zones, builtIn };
}

/** Every ACL EC2 shows: per VPC its default, its own lists, default_deny while a tier uses it; per zone its default VPC's. */
export function aclRefs(w: AclWorld): AclRef[] {
  const out: AclRef[] = [];
  for (const v of w.vpcs) {
    const own = w.lists.filter((l) => l.vpcid === v.id);
    const def = own.find((l) => l.name === DEFAULT_LIST_NAME);
    out.push({ kind: 'default', vpc: v.id, listId: def?.id });
    for (const l of own) if (l !== def) out.push({ kind: 'list', vpc: v.id, listId: l.id });
    if (w.builtIn.deny && w.networks.some((n) => n.vpcid === v.id && n.aclid === w.builtIn.deny))
      out.push({ kind: 'deny', vpc: v.id });
  }
  for (const z of w.zones) out.push({ kind: 'zone', zone: z.id });
  return out;
}

/** The ACL a subnet is associated with. */
export function refOfNetwork(w: AclWorld, n: CsNetwork): AclRef | undefined {
  if (!n.vpcid) return { kind: 'zone', zone: n.zoneid };
  const list = w.lists.find((l) => l.id === n.aclid);
  if (n.aclid && n.aclid === w.builtIn.deny) return { kind: 'deny', vpc: n.vpcid };
  if ((n.aclid && n.aclid === w.builtIn.allow) || list?.name === DEFAULT_LIST_NAME)
    return { kind: 'default', vpc: n.vpcid, listId: list?.id };
  return list?.vpcid ? { kind: 'list', vpc: n.vpcid, listId: list.id } : undefined;
}

export interface AclEntry {
  RuleNumber: number;
  Egress: boolean;
  Protocol: string;
  RuleAction: 'allow' | 'deny';
  CidrBlock: string;
  PortRange?: { From: number; To: number };
  IcmpTypeCode?: { Type: number; Code: number };
}

const PROTOCOL_NUMBERS: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1' };

/** One EC2 entry per CIDR of a CloudStack item (EC2 entries carry one CIDR each). */
export function entriesOf(i: CsAclItem): AclEntry[] {
  const protocol = PROTOCOL_NUMBERS[i.protocol] ?? i.protocol;
  const base = {
    RuleNumber: ruleNumberOf(i),
    Egress: i.traffictype === 'Egress',
    Protocol: protocol,
    RuleAction: i.action === 'Deny' ? ('deny' as const) : ('allow' as const),
  };
  // CloudStack's tcp/udp rule without ports covers every port.
  const ports =
    protocol === '6' || protocol === '17'
      ? {
          PortRange: i.startport
            ? { From: Number(i.startport), To: Number(i.endport ?? i.startport) }
            : { From: 0, To: 65535 },
        }
      : {};
  const icmp = protocol === '1' ? { IcmpTypeCode: { Type: i.icmptype ?? -1, Code: i.icmpcode ?? -1 } } : {};
  return (i.cidrlist || '0.0.0.0/0').split(',').map((c) => ({ ...base, ...ports, ...icmp, CidrBlock: c.trim() }));
}

/** The rule every ACL ends with, in both directions. */
const implicitDeny = (): AclEntry[] =>
  [true, false].map((Egress) => ({
    RuleNumber: 32767,
    Egress,
    Protocol: '-1',
    RuleAction: 'deny' as const,
    CidrBlock: '0.0.0.0/0',
  }));
/** AWS's default ACL: allow everything at rule 100, both ways. */
export const allowAll = (): AclEntry[] =>
  [true, false].map((Egress) => ({
    RuleNumber: 100,
    Egress,
    Protocol: '-1',
    RuleAction: 'allow' as const,
    CidrBlock: '0.0.0.0/0',
  }));

export function entriesOfRef(w: AclWorld, r: AclRef): AclEntry[] {
  const listId = r.kind === 'list' || r.kind === 'default' ? r.listId : undefined;
  const own = listId
    ? w.items.filter((i) => i.aclid === listId).flatMap(entriesOf)
    : r.kind === 'deny'
      ? []
      : allowAll();
  return [...own, ...implicitDeny()].sort((a, b) => Number(b.Egress) - Number(a.Egress) || a.RuleNumber - b.RuleNumber);
}

export interface NetworkAclView {
  NetworkAclId: string;
  VpcId: string;
  IsDefault: boolean;
  OwnerId: string;
  Entries: AclEntry[];
  Associations: { NetworkAclAssociationId: string; NetworkAclId: string; SubnetId: string }[];
  Tags: { Key: string; Value: string }[];
}

export async function aclView(ctx: Ec2Context, w: AclWorld, r: AclRef): Promise<NetworkAclView> {
  const key = refKey(r);
  const NetworkAclId = await ctx.ids.of('networkAcl', key);
  const members = w.networks.filter((n) => {
    const m = refOfNetwork(w, n);
    return m !== undefined && refKey(m) === key;
  });
  const vpc = r.kind === 'zone' ? undefined : w.vpcs.find((v) => v.id === r.vpc);
  return {
    NetworkAclId,
    VpcId: await ctx.ids.of('vpc', r.kind === 'zone' ? `zone:${r.zone}` : r.vpc),
    IsDefault: r.kind === 'default' || r.kind === 'zone',
    OwnerId: ownerId(vpc?.accountid ?? vpc?.account ?? members[0]?.accountid ?? ''),
    Entries: entriesOfRef(w, r),
    Tags: [],
    Associations: await Promise.all(
      members.map(async (n) => ({
        NetworkAclAssociationId: await ctx.ids.of('aclAssociation', `${n.id}:${key}`),
        NetworkAclId,
        SubnetId: await ctx.ids.of('subnet', n.id),
      })),
    ),
  };
}

/**
 * The list that holds a VPC's default ACL, made when first needed (an entry of the default ACL
 * changes): CloudStack's built-in lists cannot be edited. Its rules start as AWS's default, and
 * the tiers that used default_allow (the default until then) move to it.
 */
export async function materializeDefault(ctx: Ec2Context, w: AclWorld, vpc: string): Promise<string> {
  const existing = w.lists.find((l) => l.vpcid === vpc && l.name === DEFAULT_LIST_NAME);
  if (existing) return existing.id;
  const made = (
    await csJob(ctx, 'createNetworkACLList', {
      name: DEFAULT_LIST_NAME,
      description: 'EC2 default network ACL',
      vpcid: vpc,
    })
  )['networkacllist'];
  for (const egress of [false, true]) {
    const item = (
      await csJob(ctx, 'createNetworkACL', {
        aclid: made.id,
        protocol: 'all',
        cidrlist: '0.0.0.0/0',
        action: 'Allow',
        traffictype: egress ? 'Egress' : 'Ingress',
        number: csNumber(100, egress),
      })
    )['networkacl'];
    w.items.push(item);
  }
  for (const n of w.networks.filter((x) => x.vpcid === vpc && x.aclid && x.aclid === w.builtIn.allow)) {
    await csJob(ctx, 'replaceNetworkACLList', { aclid: made.id, networkid: n.id });
    n.aclid = made.id;
  }
  w.lists.push(made);
  return made.id;
}

/** The CloudStack list a tier of the VPC should use to be associated with the VPC's default ACL. */
export async function defaultListOf(ctx: Ec2Context, vpc: string): Promise<string | undefined> {
  const lists = await csList(ctx, 'listNetworkACLLists', 'networkacllist', { vpcid: vpc });
  return (
    lists.find((l) => l.vpcid === vpc && l.name === DEFAULT_LIST_NAME) ??
    lists.find((l) => !l.vpcid && l.name === BUILT_IN.allow)
  )?.id;
}
