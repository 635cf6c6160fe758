import type { GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { csTime, numericId, rfc3339 } from '../ids.js';
import { list, listQuery } from '../lists.js';
import { LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { regionName } from './geo.js';
import { findVpc, networkName, tagValue, TAG, tiersOf, vpcList, type WireVpc } from './vpcnets.js';

/**
 * `default`, which every project has (libcloud and gcloud assume it): the network CloudStack puts
 * a VM on when none is named — the basic zone's shared network with its security groups, or the
 * account's isolated network in an advanced zone. Every other network is one of the project's
 * CloudStack VPCs (vpcnets.ts); networks.write.ts creates and changes them.
 */
async function defaultNetwork(ctx: GceContext): Promise<Record<string, unknown>> {
  const region = await regionName(ctx);
  return {
    kind: 'compute#network',
    id: numericId(`network:default:${ctx.ownerId}`),
    creationTimestamp: rfc3339(0),
    name: 'default',
    description: 'Default network for the project',
    autoCreateSubnetworks: true,
    subnetworks: [ctx.links.regional(region, 'subnetworks', 'default')],
    routingConfig: { routingMode: 'REGIONAL' },
    mtu: 1460,
    selfLink: ctx.links.global('networks', 'default'),
    selfLinkWithId: ctx.links.global('networks', numericId(`network:default:${ctx.ownerId}`)),
    networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
  };
}

/** A CloudStack VPC as a custom (or auto) mode network. The description is the VPC's display text unless that is its name. */
export async function customNetworkView(ctx: GceContext, vpc: WireVpc): Promise<Record<string, unknown>> {
  const region = await regionName(ctx);
  const name = networkName(vpc);
  const tiers = await tiersOf(ctx, vpc);
  return {
    kind: 'compute#network',
    id: numericId(vpc.id),
    creationTimestamp: rfc3339(csTime(vpc.created)),
    name,
    description: vpc.displaytext && vpc.displaytext !== vpc.name ? vpc.displaytext : '',
    autoCreateSubnetworks: tagValue(vpc, TAG.autoMode) === 'true',
    subnetworks: tiers.map((t) => ctx.links.regional(region, 'subnetworks', t.name.toLowerCase())).sort(),
    routingConfig: { routingMode: tagValue(vpc, TAG.routingMode) ?? 'REGIONAL' },
    mtu: Number(tagValue(vpc, TAG.mtu) ?? 1460),
    selfLink: ctx.links.global('networks', name),
    selfLinkWithId: ctx.links.global('networks', numericId(vpc.id)),
    networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL',
  };
}

export const isDefaultNetwork = (ctx: GceContext, name: string): boolean =>
  name === 'default' || name === numericId(`network:default:${ctx.ownerId}`);

/** A network by name or numeric id, or Google's 404. */
export async function networkNamed(ctx: GceContext, name: string): Promise<Record<string, unknown>> {
  if (isDefaultNetwork(ctx, name)) return defaultNetwork(ctx);
  const vpc = await findVpc(ctx, name);
  if (!vpc) throw notFound(`projects/${ctx.project}/global/networks/${name}`);
  return customNetworkView(ctx, vpc);
}

export const networkRoutes: Route[] = [
  {
    id: 'networks.list',
    method: 'GET',
    path: 'projects/{project}/global/networks',
    query: LIST_QUERY,
    response: 'NetworkList',
    description: 'Retrieves the list of networks available to the specified project.',
    async run(ctx, req) {
      const items = [
        await defaultNetwork(ctx),
        ...(await Promise.all((await vpcList(ctx)).map((v) => customNetworkView(ctx, v)))),
      ];
      return list(
        'compute#networkList',
        ctx.links.global('networks'),
        `projects/${ctx.project}/global/networks`,
        items,
        listQuery(req.query),
        fieldsOf('Network'),
      );
    },
  },
  {
    id: 'networks.get',
    method: 'GET',
    path: 'projects/{project}/global/networks/{network}',
    response: 'Network',
    description: 'Returns the specified network.',
    run: (ctx, req) => networkNamed(ctx, req.params['network']!),
  },
];
