import type { Subnetwork } from '../compute.types.js';
import { cidrsOverlap, cidrWithin } from '../../domain/cidr.js';
import { cs, csJob, csList, type GceContext } from '../context.js';
import { alreadyExists, conditionNotMet, GceError, invalidField, required, unsupported } from '../errors.js';
import { parseRef } from '../ids.js';
import { aggregated, list, listQuery } from '../lists.js';
import { replayed, startOperation, type UndoStep } from '../operations.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route, type RouteRequest } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { checkName } from '../validate.js';
import { regionName, regionNamed } from './geo.js';
import { allSubnets, subnetId, subnetNamed, type Subnet } from './subnetworks.view.js';
import { retag } from './tagsync.js';
import {
  checkRange,
  createTier,
  jobDone,
  networkName,
  TAG,
  tagValue,
  tiersOf,
  vpcNamed,
  type CsTier,
  type WireVpc,
} from './vpcnets.js';

/**
 * subnetworks.* → CloudStack VPC tiers: insert is createNetwork with vpcid (the range as gateway
 * and netmask), delete is deleteNetwork, description is the tier's display text and private
 * Google access a resource tag. expandIpCidrRange re-creates a tier that has no NICs yet with the
 * wider range (CloudStack never renumbers a tier); the subnetwork keeps its name and id.
 */
type Run = (ctx: GceContext, region: string, req: RouteRequest) => Promise<unknown>;

const write =
  (run: Run): Route['run'] =>
  async (ctx, req) =>
    (await replayed(ctx, req.query['requestId'])) ?? run(ctx, await regionNamed(ctx, req.params['region']!), req);

const op = (
  ctx: GceContext,
  region: string,
  type: string,
  s: { name: string; id: string },
  jobs: string[],
  requestId?: string,
  failure: UndoStep[] = [],
) =>
  startOperation(ctx, {
    type,
    scope: 'region',
    location: region,
    targetLink: ctx.links.regional(region, 'subnetworks', s.name),
    targetId: s.id,
    jobs,
    followup: { failure },
    requestId,
  });

const conflict = (range: string, other: string, region: string) =>
  new GceError(
    400,
    'invalid',
    `Invalid IPCidrRange: ${range} conflicts with existing subnetwork '${other}' in region '${region}'.`,
  );

/** The custom subnetwork, or Google's refusal for `default` (which stands for CloudStack's default guest network). */
async function custom(
  ctx: GceContext,
  region: string,
  name: string,
  what: string,
): Promise<Subnet & { tier: CsTier; vpc: WireVpc }> {
  const s = await subnetNamed(ctx, region, name);
  if (!s.vpc || !s.tier) throw unsupported(`${what} of the default network's subnetwork`);
  return s as Subnet & { tier: CsTier; vpc: WireVpc };
}

async function insert(ctx: GceContext, region: string, req: RouteRequest): Promise<unknown> {
  const body: Subnetwork = req.body ?? {};
  const name = checkName(body.name);
  if (!body.network) throw required('resource.network');
  const ref = parseRef(String(body.network));
  if (ref.project && ref.project !== ctx.project)
    throw invalidField('resource.network', body.network, 'Cross project referencing is not allowed for this resource.');
  if (ref.name === 'default') throw unsupported('A subnetwork of the default network');
  if (body.ipCidrRange === undefined) throw required('resource.ipCidrRange');
  const range = checkRange(body.ipCidrRange);
  if (body.secondaryIpRanges?.length) throw unsupported('Secondary ranges (resource.secondaryIpRanges)');
  if (body.purpose !== undefined && body.purpose !== 'PRIVATE') throw unsupported(`A subnetwork for ${body.purpose}`);
  const vpc = await vpcNamed(ctx, ref.name);
  if ((await allSubnets(ctx)).some((s) => s.name === name))
    throw alreadyExists(`projects/${ctx.project}/regions/${region}/subnetworks/${name}`);
  for (const t of await tiersOf(ctx, vpc))
    if (t.cidr && cidrsOverlap(range, t.cidr)) throw conflict(range, t.name.toLowerCase(), region);
  const description = typeof body.description === 'string' ? body.description : '';
  const tier = await createTier(ctx, vpc, name, range, description);
  const undoTier: UndoStep[] = [{ command: 'deleteNetwork', params: { id: tier.id } }];
  let jobs: string[];
  try {
    jobs =
      body.privateIpGoogleAccess === true
        ? await retag(ctx, 'Network', tier.id, [], { [TAG.privateAccess]: 'true' })
        : [];
  } catch (e) {
    await csJob(ctx, 'deleteNetwork', { id: tier.id }).catch(() => undefined);
    throw e;
  }
  return op(ctx, region, 'insert', { name, id: subnetId(vpc, name) }, jobs, req.query['requestId'], undoTier);
}

async function remove(ctx: GceContext, region: string, req: RouteRequest): Promise<unknown> {
  const s = await custom(ctx, region, req.params['subnetwork']!, 'Deleting');
  if (tagValue(s.vpc, TAG.autoMode) === 'true' && s.name === networkName(s.vpc)) {
    throw new GceError(400, 'invalid', 'Cannot delete auto subnetwork from an auto subnet mode network.');
  }
  const vm = (await csList(ctx, 'listVirtualMachines', 'virtualmachine', { networkid: s.tier.id }))[0];
  if (vm) {
    throw new GceError(
      400,
      'resourceInUseByAnotherResource',
      `The subnetwork resource 'projects/${ctx.project}/regions/${region}/subnetworks/${s.name}' is already being used by 'projects/${ctx.project}/zones/${String(vm.zonename).toLowerCase()}/instances/${String(vm.name).toLowerCase()}'`,
    );
  }
  const job = await csJob(ctx, 'deleteNetwork', { id: s.tier.id });
  return op(ctx, region, 'delete', { name: s.name, id: String(s.view['id']) }, [job.jobid], req.query['requestId']);
}

/** subnetworks.patch: description and private Google access, guarded by the fingerprint as Google's is. */
async function patch(ctx: GceContext, region: string, req: RouteRequest): Promise<unknown> {
  const body: Subnetwork = req.body ?? {};
  const s = await custom(ctx, region, req.params['subnetwork']!, 'Changing');
  if (body.fingerprint !== s.view['fingerprint']) throw conditionNotMet('subnetwork');
  if (body.ipCidrRange !== undefined && body.ipCidrRange !== s.view['ipCidrRange'])
    throw invalidField(
      'resource.ipCidrRange',
      body.ipCidrRange,
      'The range of a subnetwork changes through expandIpCidrRange only.',
    );
  if (body.secondaryIpRanges?.length) throw unsupported('Secondary ranges (resource.secondaryIpRanges)');
  const jobs: string[] = [];
  if (typeof body.description === 'string' && body.description !== s.view['description']) {
    jobs.push(
      (await csJob(ctx, 'updateNetwork', { id: s.tier.id, displaytext: body.description || s.tier.name })).jobid,
    );
  }
  if (typeof body.privateIpGoogleAccess === 'boolean')
    jobs.push(
      ...(await retag(ctx, 'Network', s.tier.id, s.tier.tags, {
        [TAG.privateAccess]: body.privateIpGoogleAccess ? 'true' : undefined,
      })),
    );
  return op(ctx, region, 'patch', { name: s.name, id: String(s.view['id']) }, jobs, req.query['requestId']);
}

async function expand(ctx: GceContext, region: string, req: RouteRequest): Promise<unknown> {
  const s = await custom(ctx, region, req.params['subnetwork']!, 'Expanding the range');
  const current = String(s.view['ipCidrRange']);
  const range = checkRange(req.body?.ipCidrRange, 'ipCidrRange');
  if (!cidrWithin(current, range) || range === current) {
    throw invalidField(
      'ipCidrRange',
      range,
      `The new range must contain the current range ${current} and be larger than it.`,
    );
  }
  for (const t of await tiersOf(ctx, s.vpc))
    if (t.id !== s.tier.id && t.cidr && cidrsOverlap(range, t.cidr))
      throw conflict(range, t.name.toLowerCase(), region);
  if ((await csList(ctx, 'listVirtualMachines', 'virtualmachine', { networkid: s.tier.id })).length) {
    throw unsupported(
      'Expanding the range of a subnetwork that has instances (CloudStack never renumbers a tier with NICs)',
    );
  }
  await jobDone(ctx, (await csJob(ctx, 'deleteNetwork', { id: s.tier.id })).jobid);
  const tier = await createTier(ctx, s.vpc, s.tier.name, range, String(s.view['description']));
  const keep = tagValue(s.tier, TAG.privateAccess) === 'true' ? { [TAG.privateAccess]: 'true' } : {};
  const jobs = await retag(ctx, 'Network', tier.id, [], keep);
  return op(ctx, region, 'expandIpCidrRange', { name: s.name, id: String(s.view['id']) }, jobs, req.query['requestId']);
}

async function setAccess(ctx: GceContext, region: string, req: RouteRequest): Promise<unknown> {
  const s = await custom(ctx, region, req.params['subnetwork']!, 'Changing private Google access');
  const on = req.body?.privateIpGoogleAccess;
  if (typeof on !== 'boolean') throw required('privateIpGoogleAccess');
  const jobs = await retag(ctx, 'Network', s.tier.id, s.tier.tags, { [TAG.privateAccess]: on ? 'true' : undefined });
  return op(
    ctx,
    region,
    'setPrivateIpGoogleAccess',
    { name: s.name, id: String(s.view['id']) },
    jobs,
    req.query['requestId'],
  );
}

const base = 'projects/{project}/regions/{region}/subnetworks';
const one = `${base}/{subnetwork}`;

export const subnetworkRoutes: Route[] = [
  {
    id: 'subnetworks.list',
    method: 'GET',
    path: base,
    query: LIST_QUERY,
    response: 'SubnetworkList',
    description: 'Retrieves a list of subnetworks available to the specified project.',
    async run(ctx, req) {
      const region = await regionNamed(ctx, req.params['region']!);
      const items = (await allSubnets(ctx)).map((s) => s.view);
      return list(
        'compute#subnetworkList',
        ctx.links.regional(region, 'subnetworks'),
        `projects/${ctx.project}/regions/${region}/subnetworks`,
        items,
        listQuery(req.query),
        fieldsOf('Subnetwork'),
      );
    },
  },
  {
    id: 'subnetworks.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/subnetworks',
    query: AGGREGATED_QUERY,
    response: 'SubnetworkAggregatedList',
    description: 'Retrieves an aggregated list of subnetworks.',
    async run(ctx, req) {
      const region = await regionName(ctx);
      const scopes = [{ key: `regions/${region}`, items: (await allSubnets(ctx)).map((s) => s.view) }];
      return aggregated(
        'compute#subnetworkAggregatedList',
        'subnetworks',
        `${ctx.links.projectLink()}/aggregated/subnetworks`,
        `projects/${ctx.project}/aggregated/subnetworks`,
        scopes,
        listQuery(req.query),
        fieldsOf('Subnetwork'),
      );
    },
  },
  {
    id: 'subnetworks.listUsable',
    method: 'GET',
    path: 'projects/{project}/aggregated/subnetworks/listUsable',
    query: LIST_QUERY,
    response: 'UsableSubnetworksAggregatedList',
    description: 'Retrieves an aggregated list of all usable subnetworks in the project.',
    async run(ctx, req) {
      const items = (await allSubnets(ctx)).map((s) => ({
        subnetwork: s.view['selfLink'],
        network: s.view['network'],
        ipCidrRange: s.view['ipCidrRange'],
        stackType: 'IPV4_ONLY',
        purpose: 'PRIVATE',
        name: s.name,
      }));
      const out = list(
        'compute#usableSubnetworksAggregatedList',
        `${ctx.links.projectLink()}/aggregated/subnetworks/listUsable`,
        `projects/${ctx.project}/aggregated/subnetworks/listUsable`,
        items,
        listQuery(req.query),
        fieldsOf('UsableSubnetwork'),
      );
      // The listing is ordered by name like the others; the entries themselves have no name field.
      for (const it of (out['items'] ?? []) as Record<string, unknown>[]) delete it['name'];
      return out;
    },
  },
  {
    id: 'subnetworks.get',
    method: 'GET',
    path: one,
    response: 'Subnetwork',
    description: 'Returns the specified subnetwork.',
    async run(ctx, req) {
      return (await subnetNamed(ctx, await regionNamed(ctx, req.params['region']!), req.params['subnetwork']!)).view;
    },
  },
  {
    id: 'subnetworks.insert',
    method: 'POST',
    path: base,
    query: ['requestId'],
    request: 'Subnetwork',
    response: 'Operation',
    description: 'Creates a subnetwork in the specified project using the data included in the request.',
    run: write(insert),
  },
  {
    id: 'subnetworks.delete',
    method: 'DELETE',
    path: one,
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified subnetwork.',
    run: write(remove),
  },
  {
    id: 'subnetworks.patch',
    method: 'PATCH',
    path: one,
    query: ['requestId', 'drainTimeoutSeconds'],
    request: 'Subnetwork',
    response: 'Operation',
    description: 'Patches the specified subnetwork with the data included in the request.',
    run: write(patch),
  },
  {
    id: 'subnetworks.expandIpCidrRange',
    method: 'POST',
    path: `${one}/expandIpCidrRange`,
    query: ['requestId'],
    request: 'SubnetworksExpandIpCidrRangeRequest',
    response: 'Operation',
    description: 'Expands the IP CIDR range of the subnetwork to a specified value.',
    run: write(expand),
  },
  {
    id: 'subnetworks.setPrivateIpGoogleAccess',
    method: 'POST',
    path: `${one}/setPrivateIpGoogleAccess`,
    query: ['requestId'],
    request: 'SubnetworksSetPrivateIpGoogleAccessRequest',
    response: 'Operation',
    description:
      'Set whether VMs in this subnet can access Google services without assigning external IP addresses through Private Google Access.',
    run: write(setAccess),
  },
];
