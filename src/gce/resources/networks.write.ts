import type { Network } from '../compute.types.js';
import { cs, csJob, csList, type GceContext } from '../context.js';
import { alreadyExists, GceError, invalidField, unsupported } from '../errors.js';
import { numericId } from '../ids.js';
import { replayed, startOperation, type Followup } from '../operations.js';
import type { Route, RouteRequest } from '../route.js';
import { checkName } from '../validate.js';
import { regionName } from './geo.js';
import { customNetworkView, isDefaultNetwork } from './networks.js';
import { routesOfNetwork } from './routes-resource.js';
import { retag } from './tagsync.js';
import { aclFirewallsOf } from './firewalls.acl.js';
import {
  AUTO_RANGE,
  createTier,
  findVpc,
  jobDone,
  networkName,
  TAG,
  tagValue,
  tiersOf,
  VPC_CIDR,
  vpcNamed,
  vpcZone,
  type WireVpc,
} from './vpcnets.js';

/**
 * networks.insert, delete and patch → createVPC, deleteVPC and the VPC's resource tags. A custom
 * mode network (autoCreateSubnetworks=false) is a VPC without tiers; an auto mode one is a VPC
 * with one tier per region (this cloud has one), named after the network, on Google's first auto
 * range. Legacy networks (no autoCreateSubnetworks, or IPv4Range) have no CloudStack form.
 */
const ROUTING = ['REGIONAL', 'GLOBAL'];

function checkMtu(v: unknown): number {
  const mtu = v === undefined || v === null ? 1460 : Number(v);
  if (!Number.isInteger(mtu) || mtu < 1300 || mtu > 8896)
    throw invalidField('resource.mtu', v, 'Must be between 1300 and 8896.');
  return mtu;
}

function checkRouting(body: Network): string {
  const mode = body.routingConfig?.routingMode ?? 'REGIONAL';
  if (!ROUTING.includes(mode))
    throw invalidField('resource.routingConfig.routingMode', mode, 'Must be REGIONAL or GLOBAL.');
  return mode;
}

async function insert(ctx: GceContext, body: Network, requestId?: string): Promise<unknown> {
  const name = checkName(body.name);
  if (body.IPv4Range !== undefined || body.autoCreateSubnetworks === undefined)
    throw unsupported('A legacy network (no autoCreateSubnetworks, or IPv4Range)');
  const auto = body.autoCreateSubnetworks === true;
  const routing = checkRouting(body);
  const mtu = checkMtu(body.mtu);
  const description = typeof body.description === 'string' ? body.description : '';
  if (isDefaultNetwork(ctx, name) || (await findVpc(ctx, name)))
    throw alreadyExists(`projects/${ctx.project}/global/networks/${name}`);
  const zone = await vpcZone(ctx);
  const [offering] = await csList(ctx, 'listVPCOfferings', 'vpcoffering', { state: 'Enabled' });
  if (!offering) throw unsupported('A custom network in a cloud with no VPC offering');
  const created = await csJob(ctx, 'createVPC', {
    name,
    displaytext: description || name,
    cidr: VPC_CIDR,
    zoneid: zone.cs.id,
    vpcofferingid: offering.id,
    ...ctx.scope,
  });
  const vpcId = created.id!;
  const followup: Followup = { failure: [{ command: 'deleteVPC', params: { id: vpcId } }] };
  const jobs = [created.jobid];
  try {
    const tags = {
      [TAG.autoMode]: auto ? 'true' : undefined,
      [TAG.routingMode]: routing !== 'REGIONAL' ? routing : undefined,
      [TAG.mtu]: mtu !== 1460 ? String(mtu) : undefined,
    };
    jobs.push(...(await retag(ctx, 'Vpc', vpcId, [], tags)));
    if (auto) {
      const tier = await createTier(ctx, { id: vpcId, name, cidr: VPC_CIDR, zoneid: zone.cs.id }, name, AUTO_RANGE, '');
      followup.failure.unshift({ command: 'deleteNetwork', params: { id: tier.id } });
    }
  } catch (e) {
    await cs(ctx, 'deleteVPC', { id: vpcId }).catch(() => undefined);
    throw e;
  }
  return startOperation(ctx, {
    type: 'insert',
    scope: 'global',
    location: 'global',
    targetLink: ctx.links.global('networks', name),
    targetId: numericId(vpcId),
    jobs,
    followup,
    requestId,
  });
}

/** Google's refusal to delete a network something still uses. */
const usedBy = (ctx: GceContext, name: string, user: string) =>
  new GceError(
    400,
    'resourceInUseByAnotherResource',
    `The network resource 'projects/${ctx.project}/global/networks/${name}' is already being used by '${user}'`,
  );

async function remove(ctx: GceContext, name: string, requestId?: string): Promise<unknown> {
  if (isDefaultNetwork(ctx, name))
    throw unsupported('Deleting the default network (the one CloudStack chooses when none is named)');
  const vpc = await vpcNamed(ctx, name);
  const net = networkName(vpc);
  const region = await regionName(ctx);
  const auto = tagValue(vpc, TAG.autoMode) === 'true';
  // An auto mode network's own subnetworks go with it, as Google's do; any other subnetwork, firewall or route keeps it.
  const tiers = await tiersOf(ctx, vpc);
  const custom = tiers.filter((t) => !(auto && t.name.toLowerCase() === net));
  if (custom[0])
    throw usedBy(ctx, net, `projects/${ctx.project}/regions/${region}/subnetworks/${custom[0].name.toLowerCase()}`);
  const fw = (await aclFirewallsOf(ctx, vpc))[0];
  if (fw) throw usedBy(ctx, net, `projects/${ctx.project}/global/firewalls/${fw}`);
  const route = (await routesOfNetwork(ctx, vpc.id))[0];
  if (route) throw usedBy(ctx, net, `projects/${ctx.project}/global/routes/${route}`);
  for (const t of tiers) await jobDone(ctx, (await csJob(ctx, 'deleteNetwork', { id: t.id })).jobid);
  const job = await csJob(ctx, 'deleteVPC', { id: vpc.id });
  return startOperation(ctx, {
    type: 'delete',
    scope: 'global',
    location: 'global',
    targetLink: ctx.links.global('networks', net),
    targetId: numericId(vpc.id),
    jobs: [job.jobid],
    requestId,
  });
}

/** networks.patch: routing mode, MTU, and switching an auto mode network to custom mode (never back). */
async function patch(ctx: GceContext, name: string, body: Network, requestId?: string): Promise<unknown> {
  if (isDefaultNetwork(ctx, name)) throw unsupported('Changing the default network');
  const vpc: WireVpc = await vpcNamed(ctx, name);
  const net = networkName(vpc);
  if (body.name !== undefined && body.name !== net)
    throw invalidField('resource.name', body.name, 'The name of a network cannot be changed.');
  const auto = tagValue(vpc, TAG.autoMode) === 'true';
  if (body.autoCreateSubnetworks === true && !auto)
    throw invalidField(
      'resource.autoCreateSubnetworks',
      true,
      'A custom mode network cannot be switched to auto mode.',
    );
  const changes: Record<string, string | undefined> = {};
  if (body.autoCreateSubnetworks === false && auto) changes[TAG.autoMode] = undefined;
  if (body.routingConfig !== undefined) {
    const mode = checkRouting(body);
    changes[TAG.routingMode] = mode === 'REGIONAL' ? undefined : mode;
  }
  if (body.mtu !== undefined) {
    const mtu = checkMtu(body.mtu);
    changes[TAG.mtu] = mtu === 1460 ? undefined : String(mtu);
  }
  const jobs = await retag(ctx, 'Vpc', vpc.id, vpc.tags, changes);
  return startOperation(ctx, {
    type: 'patch',
    scope: 'global',
    location: 'global',
    targetLink: ctx.links.global('networks', net),
    targetId: numericId(vpc.id),
    jobs,
    requestId,
  });
}

const write =
  (run: (ctx: GceContext, req: RouteRequest) => Promise<unknown>): Route['run'] =>
  async (ctx, req) =>
    (await replayed(ctx, req.query['requestId'])) ?? run(ctx, req);

export const networkWriteRoutes: Route[] = [
  {
    id: 'networks.insert',
    method: 'POST',
    path: 'projects/{project}/global/networks',
    query: ['requestId'],
    request: 'Network',
    response: 'Operation',
    description: 'Creates a network in the specified project using the data included in the request.',
    run: write((ctx, req) => insert(ctx, req.body ?? {}, req.query['requestId'])),
  },
  {
    id: 'networks.delete',
    method: 'DELETE',
    path: 'projects/{project}/global/networks/{network}',
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified network.',
    run: write((ctx, req) => remove(ctx, req.params['network']!, req.query['requestId'])),
  },
  {
    id: 'networks.patch',
    method: 'PATCH',
    path: 'projects/{project}/global/networks/{network}',
    query: ['requestId'],
    request: 'Network',
    response: 'Operation',
    description:
      'Patches the specified network with the data included in the request. Only routingConfig can be modified.',
    run: write((ctx, req) => patch(ctx, req.params['network']!, req.body ?? {}, req.query['requestId'])),
  },
];
