import type { CreateNetworkAclEntryRequest, DescribeNetworkAclsRequest } from '@aws-sdk/client-ec2';
import { csJob, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { notFound } from '../ids.js';
import { page } from './paging.js';
import { actions } from './types.js';
import {
  aclRefs,
  aclView,
  aclWorld,
  csNumber,
  defaultListOf,
  materializeDefault,
  refKey,
  refOfNetwork,
  ruleNumberOf,
  type AclRef,
  type AclWorld,
  type CsAclItem,
  type NetworkAclView,
} from './networkacls.view.js';

/** The ACL behind an EC2 id, among those the caller can see. */
async function resolve(ctx: Ec2Context, w: AclWorld, aclId: string | undefined): Promise<AclRef> {
  const key = await ctx.ids.cs('networkAcl', String(aclId));
  const ref = aclRefs(w).find((r) => refKey(r) === key);
  if (!ref) throw notFound('networkAcl', String(aclId));
  return ref;
}

const unsupported = (r: AclRef): Error =>
  ec2Error(
    'UnsupportedOperation',
    r.kind === 'zone'
      ? 'The network ACL of a default VPC stands for guest networks outside VPCs, which have no network ACL in CloudStack'
      : "This network ACL is CloudStack's built-in default_deny list, which cannot be changed",
  );

/** The CloudStack list whose items are the ACL's entries, made for a VPC's default ACL when needed. */
async function editableList(ctx: Ec2Context, w: AclWorld, r: AclRef): Promise<string> {
  if (r.kind === 'list') return r.listId;
  if (r.kind === 'default') return materializeDefault(ctx, w, r.vpc);
  throw unsupported(r);
}

const PROTOCOLS: Record<string, string> = {
  '-1': 'all',
  all: 'all',
  '6': 'tcp',
  tcp: 'tcp',
  '17': 'udp',
  udp: 'udp',
  '1': 'icmp',
  icmp: 'icmp',
};

/** An EC2 entry as createNetworkACL / updateNetworkACLItem parameters. */
function itemParams(input: CreateNetworkAclEntryRequest): Record<string, string | number> {
  const n = input.RuleNumber;
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 32766)
    throw ec2Error(
      'InvalidParameterValue',
      `Invalid value '${n}' for ruleNumber. It must be an integer between 1 and 32766.`,
    );
  if (input.Ipv6CidrBlock)
    throw ec2Error(
      'UnsupportedOperation',
      'IPv6 network ACL entries are not supported: CloudStack ACL rules take IPv4 CIDRs',
    );
  if (!input.CidrBlock)
    throw ec2Error('MissingParameter', 'The request must contain the parameter cidrBlock or ipv6CidrBlock');
  const raw = String(input.Protocol ?? '').toLowerCase();
  const protocol = PROTOCOLS[raw] ?? (/^\d+$/.test(raw) && Number(raw) <= 255 ? raw : undefined);
  if (!protocol)
    throw ec2Error(
      'InvalidParameterValue',
      `Invalid value '${input.Protocol}' for protocol. Must be a protocol number between -1 and 255 or one of tcp, udp, icmp.`,
    );
  const action = String(input.RuleAction ?? '').toLowerCase();
  if (action !== 'allow' && action !== 'deny')
    throw ec2Error(
      'InvalidParameterValue',
      `Invalid value '${input.RuleAction}' for ruleAction. Must be allow or deny.`,
    );
  const p: Record<string, string | number> = {
    protocol,
    cidrlist: input.CidrBlock,
    action: action === 'deny' ? 'Deny' : 'Allow',
    traffictype: input.Egress ? 'Egress' : 'Ingress',
    number: csNumber(n, !!input.Egress),
  };
  if (protocol === 'tcp' || protocol === 'udp') {
    const { From, To } = input.PortRange ?? {};
    if (From === undefined || To === undefined)
      throw ec2Error(
        'InvalidParameterValue',
        'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.',
      );
    if (From < 0 || To > 65535 || From > To)
      throw ec2Error('InvalidParameterValue', `Invalid value for portRange: ${From}-${To}`);
    // 0-65535 is every port: CloudStack's rule without ports (it refuses port 0).
    if (!(From === 0 && To === 65535)) Object.assign(p, { startport: Math.max(From, 1), endport: To });
  }
  if (protocol === 'icmp') {
    const { Type, Code } = input.IcmpTypeCode ?? {};
    if (Type === undefined || Code === undefined)
      throw ec2Error(
        'InvalidParameterValue',
        'Invalid value for icmpTypeCode. Must specify both type and code with ICMP.',
      );
    Object.assign(p, { icmptype: Type, icmpcode: Code });
  }
  return p;
}

const itemAt = (
  w: AclWorld,
  listId: string,
  rule: number | undefined,
  egress: boolean | undefined,
): CsAclItem | undefined =>
  w.items.find((i) => i.aclid === listId && ruleNumberOf(i) === rule && (i.traffictype === 'Egress') === !!egress);

const entryNotFound = (rule: number | undefined, egress: boolean | undefined): Error =>
  ec2Error('InvalidNetworkAclEntry.NotFound', `no ${egress ? 'egress' : 'ingress'} entry with number ${rule}`);

async function describe(ctx: Ec2Context, input: DescribeNetworkAclsRequest) {
  const w = await aclWorld(ctx);
  const all = await Promise.all(aclRefs(w).map((r) => aclView(ctx, w, r)));
  for (const id of input.NetworkAclIds ?? [])
    if (!all.some((a) => a.NetworkAclId === id)) throw notFound('networkAcl', id);
  const listed = applyFilters(all, input.Filters, {
    'network-acl-id': (a) => [a.NetworkAclId],
    'vpc-id': (a) => [a.VpcId],
    default: (a) => [String(a.IsDefault)],
    'owner-id': (a) => [a.OwnerId],
    'association.subnet-id': (a) => a.Associations.map((x) => x.SubnetId),
    'association.association-id': (a) => a.Associations.map((x) => x.NetworkAclAssociationId),
    'association.network-acl-id': (a) => a.Associations.map((x) => x.NetworkAclId),
    'entry.rule-number': (a) => a.Entries.map((e) => e.RuleNumber),
    'entry.egress': (a) => a.Entries.map((e) => String(e.Egress)),
    'entry.protocol': (a) => a.Entries.map((e) => e.Protocol),
    'entry.rule-action': (a) => a.Entries.map((e) => e.RuleAction),
    'entry.cidr': (a) => a.Entries.map((e) => e.CidrBlock),
  }).filter((a: NetworkAclView) => !input.NetworkAclIds?.length || input.NetworkAclIds.includes(a.NetworkAclId));
  const { items, next } = page(listed, input.MaxResults, input.NextToken, 5, 1000);
  return { NetworkAcls: items, NextToken: next };
}

export const networkAclActions = actions({
  DescribeNetworkAcls: (ctx, input) => describe(ctx, input),

  async CreateNetworkAcl(ctx, input) {
    const vpc = await ctx.ids.cs('vpc', String(input.VpcId));
    if (vpc.startsWith('zone:'))
      throw ec2Error(
        'UnsupportedOperation',
        'A default VPC stands for guest networks outside VPCs, which have no network ACLs in CloudStack',
      );
    const w = await aclWorld(ctx);
    if (!w.vpcs.some((v) => v.id === vpc))
      throw ec2Error('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
    const made = (
      await csJob(ctx, 'createNetworkACLList', {
        name: `acl-${ctx.clock.now().toString(36)}`,
        description: 'EC2 network ACL',
        vpcid: vpc,
      })
    )['networkacllist'];
    w.lists.push(made);
    return { NetworkAcl: await aclView(ctx, w, { kind: 'list', vpc, listId: made.id }) };
  },

  async DeleteNetworkAcl(ctx, input) {
    const w = await aclWorld(ctx);
    const r = await resolve(ctx, w, input.NetworkAclId);
    if (r.kind !== 'list')
      throw ec2Error('InvalidParameterValue', `cannot delete default network ACL ${input.NetworkAclId}`);
    if (w.networks.some((n) => n.aclid === r.listId))
      throw ec2Error(
        'DependencyViolation',
        `The networkAcl '${input.NetworkAclId}' has dependencies and cannot be deleted.`,
      );
    await csJob(ctx, 'deleteNetworkACLList', { id: r.listId });
    return {};
  },

  async CreateNetworkAclEntry(ctx, input) {
    const w = await aclWorld(ctx);
    const r = await resolve(ctx, w, input.NetworkAclId);
    const params = itemParams(input);
    if (r.kind === 'zone' || r.kind === 'deny') throw unsupported(r);
    const listId = r.listId;
    // The default ACL before its first change holds AWS's default: rule 100 both ways.
    const taken = listId ? itemAt(w, listId, input.RuleNumber, input.Egress) : input.RuleNumber === 100;
    if (taken)
      throw ec2Error(
        'NetworkAclEntryAlreadyExists',
        `The network acl entry identified by ${input.RuleNumber} already exists.`,
      );
    await csJob(ctx, 'createNetworkACL', { ...params, aclid: await editableList(ctx, w, r) });
    return {};
  },

  async ReplaceNetworkAclEntry(ctx, input) {
    const w = await aclWorld(ctx);
    const r = await resolve(ctx, w, input.NetworkAclId);
    const params = itemParams(input);
    // Nothing is made for an entry the default ACL does not have.
    if (r.kind === 'default' && !r.listId && input.RuleNumber !== 100)
      throw entryNotFound(input.RuleNumber, input.Egress);
    const item = itemAt(w, await editableList(ctx, w, r), input.RuleNumber, input.Egress);
    if (!item) throw entryNotFound(input.RuleNumber, input.Egress);
    // A full update: what the entry does not say (ports of another protocol, ICMP type) is cleared.
    const { number: _n, ...rest } = params;
    await csJob(ctx, 'updateNetworkACLItem', { id: item.id, partialupgrade: false, ...rest });
    return {};
  },

  async DeleteNetworkAclEntry(ctx, input) {
    const w = await aclWorld(ctx);
    const r = await resolve(ctx, w, input.NetworkAclId);
    if (r.kind === 'zone' || r.kind === 'deny') throw unsupported(r);
    if (r.kind === 'default' && !r.listId && input.RuleNumber !== 100)
      throw entryNotFound(input.RuleNumber, input.Egress);
    const item = itemAt(w, await editableList(ctx, w, r), input.RuleNumber, input.Egress);
    if (!item) throw entryNotFound(input.RuleNumber, input.Egress);
    await csJob(ctx, 'deleteNetworkACL', { id: item.id });
    return {};
  },

  async ReplaceNetworkAclAssociation(ctx, input) {
    const w = await aclWorld(ctx);
    const assoc = await ctx.ids.cs('aclAssociation', String(input.AssociationId));
    const net = w.networks.find((n) => n.id === assoc.slice(0, assoc.indexOf(':')));
    const current = net && refOfNetwork(w, net);
    if (!net || !current || `${net.id}:${refKey(current)}` !== assoc)
      throw notFound('aclAssociation', String(input.AssociationId));
    const target = await resolve(ctx, w, input.NetworkAclId);
    if (target.kind === 'zone' || current.kind === 'zone') throw unsupported({ kind: 'zone', zone: net.zoneid });
    if (target.vpc !== net.vpcid)
      throw ec2Error(
        'InvalidParameterValue',
        `Network ACL ${input.NetworkAclId} and subnet ${await ctx.ids.of('subnet', net.id)} belong to different networks`,
      );
    const aclid =
      target.kind === 'list'
        ? target.listId
        : target.kind === 'deny'
          ? w.builtIn.deny
          : (target.listId ?? (await defaultListOf(ctx, target.vpc)));
    await csJob(ctx, 'replaceNetworkACLList', { aclid: String(aclid), networkid: net.id });
    return { NewAssociationId: await ctx.ids.of('aclAssociation', `${net.id}:${refKey(target)}`) };
  },
});
