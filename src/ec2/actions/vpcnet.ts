import type { WireNetwork } from '../../cloudstack/wire.js';
import { randomBytes } from 'node:crypto';
import { csList, memo, ownerId, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { checkWellFormed, notFound, PREFIX, type Kind } from '../ids.js';
import type { NetObjectRow } from '../store.js';

/**
 * The EC2 networking objects CloudStack has no form for (issue 17): route tables, internet
 * gateways, NAT gateways and DHCP option sets live in the front's store (`netObjects`), bound to
 * the EC2 VPC they belong to. What they may see follows CloudStack: an object of a CloudStack VPC
 * is visible to whoever CloudStack lets list that VPC; the rest (a zone's default VPC, which is
 * everyone's, and detached gateways) to the account that made it.
 */
export interface Tag {
  Key?: string;
  Value?: string;
}

/** A VPC as these actions need it: its EC2 id, CloudStack id (`zone:<id>` for a zone's default VPC), range and owner. */
export interface VpcRef {
  VpcId: string;
  csId: string;
  cidr: string;
  isDefault: boolean;
  zoneId: string;
  /** `domainid/account` of the CloudStack VPC; the caller's for a zone's default VPC. */
  owner: string;
  ownerId: string;
}

/** Who is calling, as CloudStack reports it: the owner key front objects are filed under. */
export interface Caller {
  owner: string;
  ownerId: string;
}

export function caller(ctx: Ec2Context): Promise<Caller> {
  return memo(ctx, 'vpcnet.caller', async () => {
    const users = await csList(ctx, 'listUsers', 'user');
    const me = users.find((u) => u.apikey === ctx.creds.apiKey);
    if (!me) throw ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
    return { owner: `${me.domainid}/${me.account}`, ownerId: ownerId(me.accountid ?? `${me.domainid}/${me.account}`) };
  });
}

/** Every VPC the caller sees: each zone's default VPC and the CloudStack VPCs. */
export function visibleVpcs(ctx: Ec2Context): Promise<VpcRef[]> {
  return memo(ctx, 'vpcnet.vpcs', async () => {
    const me = await caller(ctx);
    const zones = (await csList(ctx, 'listZones', 'zone')) as { id: string; guestcidraddress?: string }[];
    const out: VpcRef[] = [];
    for (const z of zones)
      out.push({
        VpcId: await ctx.ids.of('vpc', `zone:${z.id}`),
        csId: `zone:${z.id}`,
        cidr: z.guestcidraddress ?? '10.0.0.0/16',
        isDefault: true,
        zoneId: z.id,
        owner: me.owner,
        ownerId: me.ownerId,
      });
    for (const v of await csList(ctx, 'listVPCs', 'vpc')) {
      const owner = `${v.domainid}/${v.account}`;
      out.push({
        VpcId: await ctx.ids.of('vpc', v.id),
        csId: v.id,
        cidr: v.cidr,
        isDefault: false,
        zoneId: v.zoneid,
        owner,
        ownerId: ownerId(v.accountid ?? owner),
      });
    }
    return out;
  });
}

/** The VPC an EC2 id names, if the caller sees it: the kind's Malformed or NotFound error otherwise. */
export async function vpcOf(ctx: Ec2Context, vpcId: string | undefined): Promise<VpcRef> {
  if (!vpcId) throw ec2Error('MissingParameter', 'The request must contain the parameter vpcId');
  checkWellFormed('vpc', vpcId);
  const v = (await visibleVpcs(ctx)).find((x) => x.VpcId === vpcId);
  if (!v) throw notFound('vpc', vpcId);
  return v;
}

/** Per-caller key of a VPC: a zone's default VPC is everyone's, so each account has its own objects in it. */
export const vpcKey = (v: VpcRef): string => (v.isDefault ? `${v.owner}:${v.csId}` : v.csId);

export type CsNetwork = WireNetwork;

/** A subnet (CloudStack guest network or VPC tier) the caller sees, with the EC2 VPC it belongs to. */
export async function subnetOf(
  ctx: Ec2Context,
  subnetId: string | undefined,
): Promise<{ net: CsNetwork; vpc: VpcRef; SubnetId: string }> {
  if (!subnetId) throw ec2Error('MissingParameter', 'The request must contain the parameter subnetId');
  const id = await ctx.ids.cs('subnet', subnetId);
  const [net] = await csList(ctx, 'listNetworks', 'network', { id });
  if (!net) throw notFound('subnet', subnetId);
  const vpcId = await ctx.ids.of('vpc', net.vpcid ?? `zone:${net.zoneid}`);
  const vpc = (await visibleVpcs(ctx)).find((v) => v.VpcId === vpcId);
  if (!vpc) throw notFound('subnet', subnetId);
  return { net, vpc, SubnetId: subnetId };
}

/** A fresh EC2 id of a front-side kind: prefix and 17 hex digits, as AWS makes them. */
export const freshId = (kind: Kind): string => `${PREFIX[kind]}-${randomBytes(9).toString('hex').slice(0, 17)}`;

/** A stored object and its decoded body. */
export interface NetObject<B> {
  ec2Id: string;
  owner: string;
  vpc: string;
  body: B;
}

const decode = <B>(r: NetObjectRow): NetObject<B> => ({
  ec2Id: r.ec2Id,
  owner: r.owner,
  vpc: r.vpc,
  body: JSON.parse(r.body) as B,
});

/** The caller's objects of a kind (its own, and those of the CloudStack VPCs it sees). */
export async function listNet<B>(ctx: Ec2Context, kind: Kind): Promise<NetObject<B>[]> {
  const me = await caller(ctx);
  const vpcs = (await visibleVpcs(ctx)).filter((v) => !v.isDefault).map((v) => v.VpcId);
  return (await ctx.store.nets(kind, me.owner, vpcs)).map((r) => decode<B>(r));
}

/** One object the caller sees, by id: Malformed / NotFound as the kind has them. */
export async function getNet<B>(
  ctx: Ec2Context,
  kind: Kind,
  id: string | undefined,
  missing = `${kind}Id`,
): Promise<NetObject<B>> {
  if (!id) throw ec2Error('MissingParameter', `The request must contain the parameter ${missing}`);
  checkWellFormed(kind, id);
  const row = await ctx.store.net(id);
  if (!row || row.kind !== kind) throw notFound(kind, id);
  const me = await caller(ctx);
  const vpcs = await visibleVpcs(ctx);
  if (row.owner !== me.owner && !vpcs.some((v) => !v.isDefault && v.VpcId === row.vpc)) throw notFound(kind, id);
  return decode<B>(row);
}

export async function putNet<B>(ctx: Ec2Context, kind: Kind, o: NetObject<B>): Promise<void> {
  await ctx.store.putNet({ ec2Id: o.ec2Id, kind, owner: o.owner, vpc: o.vpc, body: JSON.stringify(o.body) });
}

/** The tags a create call's TagSpecifications give an object of the EC2 resource type. */
export function specTags(specs: { ResourceType?: string; Tags?: Tag[] }[] | undefined, type: string): Tag[] {
  return (specs ?? [])
    .filter((s) => s.ResourceType === type)
    .flatMap((s) => (s.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })));
}

/** `OwnerId` of an object: its VPC's owner, else the caller (who made it). */
export async function ownerIdOf(ctx: Ec2Context, vpc: string): Promise<string> {
  const v = (await visibleVpcs(ctx)).find((x) => x.VpcId === vpc);
  return v?.ownerId ?? (await caller(ctx)).ownerId;
}
