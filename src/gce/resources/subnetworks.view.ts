import type { GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { csTime, fingerprint, numericId, rfc3339 } from '../ids.js';
import { regionName, zones } from './geo.js';
import { guestNetworks, networkName, TAG, tagValue, vpcList, type CsTier, type WireVpc } from './vpcnets.js';

/**
 * Subnetworks as Compute Engine shows them: each tier of a custom network's VPC, plus `default`,
 * the default network's one subnetwork: the guest network CloudStack picks when none is named in
 * the first zone that has one (a basic zone's shared network, an advanced zone's isolated one).
 */
export interface Subnet {
  name: string;
  /** The tier; undefined for `default` when no zone has a default guest network yet. */
  tier?: CsTier;
  /** The VPC; undefined for `default`. */
  vpc?: WireVpc;
  view: Record<string, unknown>;
}

/** A subnetwork's id survives its tier being re-created by expandIpCidrRange: it is derived from the VPC and the name. */
export const subnetId = (vpc: WireVpc, name: string): string => numericId(`subnetwork:${vpc.id}:${name}`);

export const subnetName = (t: CsTier): string => t.name.toLowerCase();

export function tierView(ctx: GceContext, vpc: WireVpc, t: CsTier, region: string): Record<string, unknown> {
  const name = subnetName(t);
  const description = t.displaytext && t.displaytext !== t.name ? t.displaytext : '';
  const access = tagValue(t, TAG.privateAccess) === 'true';
  return {
    kind: 'compute#subnetwork',
    id: subnetId(vpc, name),
    creationTimestamp: rfc3339(csTime(t.created)),
    name,
    description,
    network: ctx.links.global('networks', networkName(vpc)),
    ipCidrRange: t.cidr ?? '',
    gatewayAddress: t.gateway ?? '',
    region: ctx.links.region(region),
    privateIpGoogleAccess: access,
    privateIpv6GoogleAccess: 'DISABLE_GOOGLE_ACCESS',
    stackType: 'IPV4_ONLY',
    purpose: 'PRIVATE',
    enableFlowLogs: false,
    fingerprint: fingerprint([t.id, t.cidr, description, access]),
    selfLink: ctx.links.regional(region, 'subnetworks', name),
  };
}

/** The guest network `default` stands for. */
export async function defaultTier(ctx: GceContext): Promise<CsTier | undefined> {
  const nets = (await guestNetworks(ctx)).filter((n) => !n.vpcid);
  for (const z of await zones(ctx)) {
    const mine = nets.filter((n) => n.zoneid === z.cs.id);
    const pick = mine.find((n) => n.isdefault) ?? mine.find((n) => n.type === 'Shared') ?? mine[0];
    if (pick) return pick;
  }
  return undefined;
}

export async function defaultSubnetView(ctx: GceContext, region: string): Promise<Record<string, unknown>> {
  const t = await defaultTier(ctx);
  const range = t?.cidr ?? '10.128.0.0/20';
  return {
    kind: 'compute#subnetwork',
    id: numericId(`subnetwork:default:${ctx.ownerId}`),
    creationTimestamp: rfc3339(csTime(t?.created)),
    name: 'default',
    description: '',
    network: ctx.links.global('networks', 'default'),
    ipCidrRange: range,
    gatewayAddress: t?.gateway ?? '10.128.0.1',
    region: ctx.links.region(region),
    privateIpGoogleAccess: false,
    privateIpv6GoogleAccess: 'DISABLE_GOOGLE_ACCESS',
    stackType: 'IPV4_ONLY',
    purpose: 'PRIVATE',
    enableFlowLogs: false,
    fingerprint: fingerprint([t?.id, range]),
    selfLink: ctx.links.regional(region, 'subnetworks', 'default'),
  };
}

/** Every subnetwork of the project (one region here). */
export async function allSubnets(ctx: GceContext): Promise<Subnet[]> {
  const region = await regionName(ctx);
  const vpcs = new Map((await vpcList(ctx)).map((v) => [v.id, v]));
  const out: Subnet[] = [{ name: 'default', tier: await defaultTier(ctx), view: await defaultSubnetView(ctx, region) }];
  for (const t of await guestNetworks(ctx)) {
    const vpc = t.vpcid ? vpcs.get(t.vpcid) : undefined;
    if (vpc) out.push({ name: subnetName(t), tier: t, vpc, view: tierView(ctx, vpc, t, region) });
  }
  return out;
}

/** A subnetwork by name or numeric id in a region, or Google's 404. */
export async function subnetNamed(ctx: GceContext, region: string, name: string): Promise<Subnet> {
  const s = (await allSubnets(ctx)).find((x) => x.name === name || x.view['id'] === name);
  if (!s) throw notFound(`projects/${ctx.project}/regions/${region}/subnetworks/${name}`);
  return s;
}
