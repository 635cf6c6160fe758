import type { GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { numericId, rfc3339 } from '../ids.js';
import { list, listQuery } from '../lists.js';
import { LIST_QUERY, type Route } from '../route.js';
import { regionName } from './geo.js';

/**
 * One network, `default`, which every project has (libcloud and gcloud assume it): the network
 * CloudStack puts a VM on when none is named — the basic zone's shared network with its security
 * groups, or the account's isolated network in an advanced zone. Other networks are not
 * translated yet (GAPS.md).
 */
async function defaultNetwork(ctx: GceContext): Promise<Record<string, unknown>> {
  const region = await regionName(ctx);
  return {
    kind: 'compute#network', id: numericId(`network:default:${ctx.ownerId}`), creationTimestamp: rfc3339(0), name: 'default',
    description: 'Default network for the project', autoCreateSubnetworks: true, subnetworks: [ctx.links.regional(region, 'subnetworks', 'default')],
    routingConfig: { routingMode: 'REGIONAL' }, mtu: 1460, selfLink: ctx.links.global('networks', 'default'),
    selfLinkWithId: ctx.links.global('networks', numericId(`network:default:${ctx.ownerId}`)),
  };
}

export const networkRoutes: Route[] = [
  {
    id: 'networks.list', method: 'GET', path: 'projects/{project}/global/networks', query: LIST_QUERY, response: 'NetworkList',
    description: 'Retrieves the list of networks available to the specified project.',
    async run(ctx, req) {
      return list('compute#networkList', ctx.links.global('networks'), `projects/${ctx.project}/global/networks`, [await defaultNetwork(ctx)], listQuery(req.query));
    },
  },
  {
    id: 'networks.get', method: 'GET', path: 'projects/{project}/global/networks/{network}', response: 'Network', description: 'Returns the specified network.',
    async run(ctx, req) {
      const n = await defaultNetwork(ctx);
      if (req.params['network'] !== 'default' && req.params['network'] !== n['id']) throw notFound(`projects/${ctx.project}/global/networks/${req.params['network']}`);
      return n;
    },
  },
];
