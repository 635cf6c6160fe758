import type { NetworkInterface } from '../compute.types.js';
import type { GceContext } from '../context.js';
import { invalidField, notFound } from '../errors.js';
import { parseRef, type Ref } from '../ids.js';
import type { Zone } from './geo.js';
import { allSubnets } from './subnetworks.view.js';
import { findVpc, networkName } from './vpcnets.js';

/**
 * Where an instance's network interface goes: the `default` network is CloudStack's choice (no
 * networkids); a custom network's subnetwork is its VPC tier (deployVirtualMachine networkids,
 * and ipaddress for networkIP). A VPC lives in one CloudStack zone, so its subnetworks take
 * instances of that zone only. Reads show each NIC on the network and subnetwork of its tier.
 */
export interface Placement {
  networkids?: string;
  ipaddress?: string;
}

export async function nicPlacement(
  ctx: GceContext,
  zone: Zone,
  nic: NetworkInterface | undefined,
  i: number,
  net: Ref | undefined,
  sub: Ref | undefined,
): Promise<Placement> {
  const field = `resource.networkInterfaces[${i}]`;
  if ((!net || net.name === 'default') && (!sub || sub.name === 'default')) return {};
  const vpc = net && net.name !== 'default' ? await findVpc(ctx, net.name) : undefined;
  if (net && net.name !== 'default' && !vpc) throw notFound(`projects/${ctx.project}/global/networks/${net.name}`);
  const mine = (await allSubnets(ctx)).filter((s) => s.vpc && (!vpc || s.vpc.id === vpc.id));
  const s = sub ? mine.find((x) => x.name === sub.name) : undefined;
  if (sub && !s) throw notFound(`projects/${ctx.project}/regions/${sub.region ?? '-'}/subnetworks/${sub.name}`);
  // An auto mode network has one subnetwork per region, which Google picks; a custom one needs it named.
  const picked = s ?? (vpc && mine.length === 1 && mine[0]!.name === networkName(vpc) ? mine[0] : undefined);
  if (!picked?.tier || !picked.vpc)
    throw invalidField(field, net?.name ?? '', 'Subnetwork should be specified for custom subnetmode network');
  if (picked.vpc.zoneid !== zone.cs.id) {
    throw invalidField(
      `${field}.subnetwork`,
      String(picked.view['selfLink']),
      `The subnetwork's CloudStack VPC is in zone '${String(picked.vpc.zonename ?? '').toLowerCase()}'; polystack places its instances there only.`,
    );
  }
  const ip = nic?.networkIP;
  if (ip !== undefined && typeof ip !== 'string')
    throw invalidField(`${field}.networkIP`, ip, 'Must be an IP address.');
  return { networkids: picked.tier.id, ...(ip ? { ipaddress: ip } : {}) };
}

const NIC_NETS = 'nicnetworks:resolved';
// The views are rendered synchronously, so the answer is kept resolved beside the request's promises.
const cache = (ctx: GceContext) => ctx.memo as Map<string, unknown>;

/** Loads, once per request, which network and subnetwork each custom tier is (for nicNetwork). */
export async function loadNicNetworks(ctx: GceContext): Promise<void> {
  if (cache(ctx).has(NIC_NETS)) return;
  const byTier = new Map<string, { network: string; subnetwork: string }>();
  for (const s of await allSubnets(ctx))
    if (s.vpc && s.tier)
      byTier.set(s.tier.id, {
        network: ctx.links.global('networks', networkName(s.vpc)),
        subnetwork: String(s.view['selfLink']),
      });
  cache(ctx).set(NIC_NETS, byTier);
}

/** A NIC's network (and subnetwork, for a custom network's tier); `default` for anything else. */
export function nicNetwork(ctx: GceContext, nic: { networkid?: string }): { network: string; subnetwork?: string } {
  const byTier = cache(ctx).get(NIC_NETS) as Map<string, { network: string; subnetwork: string }> | undefined;
  return (nic.networkid && byTier?.get(nic.networkid)) || { network: ctx.links.global('networks', 'default') };
}
