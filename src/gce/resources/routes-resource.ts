import { createHash } from 'node:crypto';
import { ipInCidr, isIpv4Cidr } from '../../domain/cidr.js';
import { isIpv4 } from '../../domain/net.js';
import type { Route as RouteBody } from '../compute.types.js';
import type { GceContext } from '../context.js';
import { alreadyExists, GceError, invalidField, notFound, required, unsupported } from '../errors.js';
import { csTime, numericId, parseRef, rfc3339 } from '../ids.js';
import { list, listQuery } from '../lists.js';
import { replayed, startOperation } from '../operations.js';
import { LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { NetRecords, type RouteRow } from '../store/networking.js';
import { checkName } from '../validate.js';
import { allSubnets } from './subnetworks.view.js';
import { findVpc, networkName, vpcList } from './vpcnets.js';

/**
 * Routes. Each network's own routes are computed, as Google generates them: one to the internet
 * (CloudStack's source NAT does that) and one local route per subnetwork. Routes inserted through
 * the front are kept by the front (gce.db): CloudStack 4.18's VPC static routes lead only to a
 * private gateway, which no GCE next hop is, so they are recorded and shown but steer nothing.
 */
const records = (ctx: GceContext) => new NetRecords(ctx.store);

const hex16 = (seed: string) => createHash('sha256').update(seed).digest('hex').slice(0, 16);
const gateway = (ctx: GceContext) => ctx.links.global('gateways', 'default-internet-gateway');

interface NetRef {
  name: string;
  /** VPC id, or `default`. */
  key: string;
  created: number;
}

async function networksOf(ctx: GceContext): Promise<NetRef[]> {
  return [
    { name: 'default', key: 'default', created: 0 },
    ...(await vpcList(ctx)).map((v) => ({ name: networkName(v), key: v.id, created: csTime(v.created) })),
  ];
}

async function computed(ctx: GceContext): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const subnets = await allSubnets(ctx);
  for (const n of await networksOf(ctx)) {
    const network = ctx.links.global('networks', n.name);
    const seed = `route:${ctx.ownerId}:${n.key}:internet`;
    const name = `default-route-${hex16(seed)}`;
    out.push({
      kind: 'compute#route',
      id: numericId(seed),
      creationTimestamp: rfc3339(n.created),
      name,
      description: 'Default route to the Internet.',
      network,
      destRange: '0.0.0.0/0',
      priority: 1000,
      nextHopGateway: gateway(ctx),
      routeType: 'STATIC',
      routeStatus: 'ACTIVE',
      selfLink: ctx.links.global('routes', name),
    });
    for (const s of subnets.filter((x) => x.view['network'] === network)) {
      const range = String(s.view['ipCidrRange']);
      const sseed = `route:${ctx.ownerId}:${n.key}:subnet:${s.name}:${range}`;
      const sname = `default-route-${hex16(sseed)}`;
      out.push({
        kind: 'compute#route',
        id: numericId(sseed),
        creationTimestamp: String(s.view['creationTimestamp']),
        name: sname,
        description: `Default local route to the subnetwork ${range}.`,
        network,
        destRange: range,
        priority: 0,
        nextHopNetwork: network,
        routeType: 'SUBNET',
        routeStatus: 'ACTIVE',
        selfLink: ctx.links.global('routes', sname),
      });
    }
  }
  return out;
}

function storedView(ctx: GceContext, r: RouteRow, networks: NetRef[]): Record<string, unknown> | undefined {
  const n = networks.find((x) => x.key === r.network);
  if (!n) return undefined;
  const b = JSON.parse(r.body) as Record<string, unknown>;
  return {
    kind: 'compute#route',
    id: r.id,
    creationTimestamp: rfc3339(r.created),
    name: r.name,
    ...b,
    network: ctx.links.global('networks', n.name),
    routeType: 'STATIC',
    routeStatus: 'ACTIVE',
    selfLink: ctx.links.global('routes', r.name),
  };
}

async function allRoutes(ctx: GceContext): Promise<Record<string, unknown>[]> {
  const networks = await networksOf(ctx);
  const stored = (await records(ctx).routes(ctx.ownerId))
    .map((r) => storedView(ctx, r, networks))
    .filter((v): v is Record<string, unknown> => !!v);
  return [...(await computed(ctx)), ...stored];
}

/** Names of the inserted routes on a network (networks.delete refuses while there are any). */
export async function routesOfNetwork(ctx: GceContext, key: string): Promise<string[]> {
  return (await records(ctx).routes(ctx.ownerId)).filter((r) => r.network === key).map((r) => r.name);
}

async function routeNamed(ctx: GceContext, name: string): Promise<Record<string, unknown>> {
  const r = (await allRoutes(ctx)).find((x) => x['name'] === name || x['id'] === name);
  if (!r) throw notFound(`projects/${ctx.project}/global/routes/${name}`);
  return r;
}

const HOPS = [
  'nextHopGateway',
  'nextHopIp',
  'nextHopInstance',
  'nextHopIlb',
  'nextHopNetwork',
  'nextHopVpnTunnel',
] as const;

/** The route's fields as given, checked as Google checks them. */
async function checkRoute(ctx: GceContext, body: RouteBody, key: string): Promise<Record<string, unknown>> {
  if (body.destRange === undefined) throw required('resource.destRange');
  const dest = String(body.destRange);
  if (!isIpv4Cidr(dest)) throw invalidField('resource.destRange', dest, 'Must be a valid IPv4 CIDR range.');
  const priority = body.priority === undefined ? 1000 : Number(body.priority);
  if (!Number.isInteger(priority) || priority < 0 || priority > 65535)
    throw invalidField('resource.priority', body.priority, 'Must be between 0 and 65535.');
  const hops = HOPS.filter((h) => body[h] !== undefined && body[h] !== '');
  if (hops.length !== 1)
    throw invalidField('resource', hops.join(', ') || 'none', 'A route must have exactly one next hop.');
  const hop = hops[0]!;
  const out: Record<string, unknown> = {
    description: typeof body.description === 'string' ? body.description : '',
    destRange: dest,
    priority,
  };
  if (Array.isArray(body.tags) && body.tags.length)
    out['tags'] = body.tags.map((t: unknown, i: number) => checkName(t, `resource.tags[${i}]`));
  if (hop === 'nextHopGateway') {
    if (parseRef(String(body.nextHopGateway)).name !== 'default-internet-gateway')
      throw invalidField(
        'resource.nextHopGateway',
        body.nextHopGateway,
        "The only gateway is 'default-internet-gateway'.",
      );
    out['nextHopGateway'] = gateway(ctx);
  } else if (hop === 'nextHopIp') {
    const ip = String(body.nextHopIp);
    const network = key === 'default' ? ctx.links.global('networks', 'default') : undefined;
    const ranges = (await allSubnets(ctx))
      .filter((s) => (network ? s.view['network'] === network : s.vpc?.id === key))
      .map((s) => String(s.view['ipCidrRange']));
    if (!isIpv4(ip) || !ranges.some((r) => ipInCidr(ip, r)))
      throw invalidField(
        'resource.nextHopIp',
        ip,
        "The next hop must be an address in one of the network's subnetworks.",
      );
    out['nextHopIp'] = ip;
  } else if (hop === 'nextHopInstance') {
    const ref = parseRef(String(body.nextHopInstance));
    if (!ref.zone)
      throw invalidField(
        'resource.nextHopInstance',
        body.nextHopInstance,
        'Must name an instance with its zone (zones/ZONE/instances/NAME).',
      );
    out['nextHopInstance'] = ctx.links.zonal(ref.zone, 'instances', ref.name);
  } else throw unsupported(`A route whose next hop is ${hop}`);
  return out;
}

export const routeRoutes: Route[] = [
  {
    id: 'routes.list',
    method: 'GET',
    path: 'projects/{project}/global/routes',
    query: LIST_QUERY,
    response: 'RouteList',
    description: 'Retrieves the list of Route resources available to the specified project.',
    async run(ctx, req) {
      return list(
        'compute#routeList',
        ctx.links.global('routes'),
        `projects/${ctx.project}/global/routes`,
        await allRoutes(ctx),
        listQuery(req.query),
        fieldsOf('Route'),
      );
    },
  },
  {
    id: 'routes.get',
    method: 'GET',
    path: 'projects/{project}/global/routes/{route}',
    response: 'Route',
    description: 'Returns the specified Route resource.',
    run: (ctx, req) => routeNamed(ctx, req.params['route']!),
  },
  {
    id: 'routes.insert',
    method: 'POST',
    path: 'projects/{project}/global/routes',
    query: ['requestId'],
    request: 'Route',
    response: 'Operation',
    description: 'Creates a Route resource in the specified project using the data included in the request.',
    async run(ctx, req) {
      const again = await replayed(ctx, req.query['requestId']);
      if (again) return again;
      const body = req.body ?? {};
      const name = checkName(body.name);
      if (!body.network) throw required('resource.network');
      const ref = parseRef(String(body.network));
      if (ref.project && ref.project !== ctx.project)
        throw invalidField(
          'resource.network',
          body.network,
          'Cross project referencing is not allowed for this resource.',
        );
      const vpc = ref.name === 'default' ? undefined : await findVpc(ctx, ref.name);
      if (ref.name !== 'default' && !vpc) throw notFound(`projects/${ctx.project}/global/networks/${ref.name}`);
      const key = vpc?.id ?? 'default';
      const fields = await checkRoute(ctx, body, key);
      if ((await allRoutes(ctx)).some((r) => r['name'] === name))
        throw alreadyExists(`projects/${ctx.project}/global/routes/${name}`);
      const id = numericId(`route:${ctx.ownerId}:${name}:${ctx.clock.now()}`);
      await records(ctx).saveRoute({
        accountId: ctx.ownerId,
        name,
        id,
        network: key,
        body: JSON.stringify(fields),
        created: ctx.clock.now(),
      });
      return startOperation(ctx, {
        type: 'insert',
        scope: 'global',
        location: 'global',
        targetLink: ctx.links.global('routes', name),
        targetId: id,
        jobs: [],
        requestId: req.query['requestId'],
      });
    },
  },
  {
    id: 'routes.delete',
    method: 'DELETE',
    path: 'projects/{project}/global/routes/{route}',
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified Route resource.',
    async run(ctx, req) {
      const again = await replayed(ctx, req.query['requestId']);
      if (again) return again;
      const r = await routeNamed(ctx, req.params['route']!);
      const stored = (await records(ctx).routes(ctx.ownerId)).some((x) => x.name === r['name']);
      if (!stored && r['routeType'] === 'SUBNET')
        throw new GceError(400, 'invalid', 'The local route cannot be deleted.');
      if (!stored) throw unsupported("Deleting a network's route to the internet (CloudStack's source NAT)");
      await records(ctx).dropRoute(ctx.ownerId, String(r['name']));
      return startOperation(ctx, {
        type: 'delete',
        scope: 'global',
        location: 'global',
        targetLink: String(r['selfLink']),
        targetId: String(r['id']),
        jobs: [],
        requestId: req.query['requestId'],
      });
    },
  },
];
