import { cidrWithin, isIpv4Cidr } from '../../domain/cidr.js';
import { intToIp, parseCidr } from '../../domain/net.js';
import type { CsParams } from '../../bridge/port.js';
import type { WireJob, WireNetwork as CsTier, WireVpc } from '../../cloudstack/wire.js';
import { jobErrorText } from '../../bridge/wire-call.js';
import { cs, csList, memo, type GceContext } from '../context.js';
import { fromCloudStack, invalidField, notFound, unsupported } from '../errors.js';
import { numericId, slug } from '../ids.js';
import { zones, type Zone } from './geo.js';

/**
 * Custom networks and their subnetworks, as CloudStack holds them: a network is a CloudStack VPC
 * (its name the network's), a subnetwork is a tier of it (createNetwork with vpcid), so an EC2
 * subnet, a GCE subnetwork and a CloudStack VPC tier are one object. What a VPC or tier cannot
 * say (auto mode, routing mode, MTU, private Google access) is kept in its CloudStack resource
 * tags, as firewalls keep theirs, so every front and gateway sees the same network.
 */
/** A VPC and a tier (a network of a VPC) as CloudStack renders them. */
export type { WireVpc, WireNetwork as CsTier } from '../../cloudstack/wire.js';

export const TAG = {
  autoMode: 'gce.autoMode',
  routingMode: 'gce.routingMode',
  mtu: 'gce.mtu',
  privateAccess: 'gce.privateIpGoogleAccess',
} as const;

/** CloudStack VPCs need one super CIDR for their tiers and refuse anything but RFC 1918 space: a custom network's is all of 10/8. */
export const VPC_CIDR = '10.0.0.0/8';
/** Google's auto-mode range for the first region (us-central1), used for this one region. */
export const AUTO_RANGE = '10.128.0.0/20';

export const tagValue = (o: { tags?: { key: string; value: string }[] }, key: string): string | undefined =>
  o.tags?.find((t) => t.key === key)?.value;

export const vpcList = (ctx: GceContext): Promise<WireVpc[]> =>
  memo(ctx, 'vpcs', () => csList(ctx, 'listVPCs', 'vpc', { ...ctx.scope }));

/** Every guest network the project sees: default networks and VPC tiers. */
export const guestNetworks = (ctx: GceContext): Promise<CsTier[]> =>
  memo(ctx, 'guestnetworks', () => csList(ctx, 'listNetworks', 'network', {}));

export const tiersOf = async (ctx: GceContext, vpc: WireVpc): Promise<CsTier[]> =>
  (await guestNetworks(ctx)).filter((n) => n.vpcid === vpc.id);

export const networkName = (vpc: WireVpc): string => slug(vpc.name);

/** A custom network by name or numeric id, or undefined. */
export async function findVpc(ctx: GceContext, name: string): Promise<WireVpc | undefined> {
  return (await vpcList(ctx)).find((v) => networkName(v) === name || numericId(v.id) === name);
}

export async function vpcNamed(ctx: GceContext, name: string): Promise<WireVpc> {
  const v = await findVpc(ctx, name);
  if (!v) throw notFound(`projects/${ctx.project}/global/networks/${name}`);
  return v;
}

/** The zone that holds the project's VPCs: CloudStack's first advanced zone. */
export async function vpcZone(ctx: GceContext): Promise<Zone> {
  const z = (await zones(ctx)).find((x) => x.cs.networktype === 'Advanced');
  if (!z) throw unsupported('A custom network in a cloud without an advanced zone');
  return z;
}

/** `10.0.0.0/24` → gateway `10.0.0.1`, netmask `255.255.255.0`, as createNetwork takes them. */
export function gatewayOf(range: string): { gateway: string; netmask: string } {
  const c = parseCidr(range);
  return {
    gateway: intToIp((c.network + 1) >>> 0),
    netmask: intToIp(c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0),
  };
}

/** Google's rule for a subnetwork's primary range, and polystack's: inside the VPC's super CIDR. */
export function checkRange(value: unknown, field = 'resource.ipCidrRange'): string {
  if (typeof value !== 'string' || !isIpv4Cidr(value))
    throw invalidField(field, value ?? '', 'Must be a valid IPv4 CIDR range.');
  const c = parseCidr(value);
  if (c.prefix < 8 || c.prefix > 29)
    throw invalidField(field, value, 'The prefix length of a subnetwork range must be between 8 and 29.');
  if (intToIp(c.network) !== value.split('/')[0])
    throw invalidField(
      field,
      value,
      `Invalid IPCidrRange: ${value} is not a network address; did you mean ${intToIp(c.network)}/${c.prefix}?`,
    );
  if (!cidrWithin(value, VPC_CIDR))
    throw invalidField(
      field,
      value,
      `polystack's custom networks hold subnetworks in ${VPC_CIDR} only (the CloudStack VPC's super CIDR; see GAPS.md).`,
    );
  return value;
}

/** The VPC-tier offering CloudStack offers (forvpc). */
export async function tierOffering(ctx: GceContext): Promise<string> {
  const offs = await csList(ctx, 'listNetworkOfferings', 'networkoffering', { forvpc: true, state: 'Enabled' });
  const o = offs.find((x) => x.guestiptype === 'Isolated') ?? offs[0];
  if (!o) throw unsupported('A subnetwork in a cloud with no VPC network offering');
  return String(o.id);
}

/** createNetwork in a VPC: the tier a subnetwork is. */
export async function createTier(
  ctx: GceContext,
  vpc: Pick<WireVpc, 'id' | 'name' | 'cidr' | 'zoneid'>,
  name: string,
  range: string,
  description: string,
): Promise<CsTier> {
  const body = await cs(ctx, 'createNetwork', {
    name,
    displaytext: description || name,
    zoneid: vpc.zoneid,
    vpcid: vpc.id,
    networkofferingid: await tierOffering(ctx),
    ...gatewayOf(range),
    ...ctx.scope,
  } as CsParams);
  return body.network;
}

/** Waits for a short CloudStack job a next step depends on; its failure is the caller's error. */
export async function jobDone(ctx: GceContext, jobid: string): Promise<WireJob> {
  for (let delay = 2; ; delay = Math.min(delay * 2, 100)) {
    const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
    if (j['jobstatus'] === 1) return j;
    if (j['jobstatus'] === 2)
      throw fromCloudStack(Number(j['jobresultcode']), jobErrorText(j) ?? 'CloudStack job failed');
    await new Promise((r) => setTimeout(r, delay));
  }
}
