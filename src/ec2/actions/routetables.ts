import type { Route, RouteTable } from '@aws-sdk/client-ec2';
import type { Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters, checkFilterNames } from '../filters.js';
import { notFound } from '../ids.js';
import { checkPage, page } from './paging.js';
import { checkGatewayId, routeTarget } from './routetargets.js';
import { actions } from './types.js';
import {
  ensureVpcDefaults,
  type GatewayBody,
  type NatBody,
  type RouteBody,
  type RouteTableBody,
} from './vpcnet.defaults.js';
import {
  freshId,
  getNet,
  listNet,
  ownerIdOf,
  putNet,
  specTags,
  subnetOf,
  visibleVpcs,
  vpcOf,
  type NetObject,
} from './vpcnet.js';

type Table = NetObject<RouteTableBody>;

/** The caller's route tables, the main one of every VPC it sees included. */
async function tables(ctx: Ec2Context): Promise<Table[]> {
  const vpcs = await visibleVpcs(ctx);
  await ensureVpcDefaults(ctx, vpcs);
  const seen = new Set(vpcs.map((v) => v.VpcId));
  return (await listNet<RouteTableBody>(ctx, 'routeTable')).filter((t) => seen.has(t.vpc));
}

/** A route as EC2 shows it: `blackhole` once its target is gone (a detached gateway, a deleted NAT gateway). */
function routeView(r: RouteBody, vpc: string, igws: Map<string, string>, nats: Map<string, string>): Route {
  const alive = r.gateway ? igws.get(r.gateway) === vpc : r.nat ? nats.get(r.nat) === 'available' : true;
  return {
    DestinationCidrBlock: r.dest,
    GatewayId: r.gateway,
    NatGatewayId: r.nat,
    InstanceId: r.instance,
    Origin: r.origin,
    State: alive ? 'active' : 'blackhole',
  };
}

async function views(
  ctx: Ec2Context,
  list: Table[],
): Promise<(RouteTable & { Tags: { Key?: string; Value?: string }[] })[]> {
  const vpcs = await visibleVpcs(ctx);
  const igws = new Map((await listNet<GatewayBody>(ctx, 'internetGateway')).map((g) => [g.ec2Id, g.vpc]));
  const nats = new Map((await listNet<NatBody>(ctx, 'natGateway')).map((n) => [n.ec2Id, n.body.state]));
  return Promise.all(
    list.map(async (t) => {
      const cidr = vpcs.find((v) => v.VpcId === t.vpc)?.cidr;
      const local: Route = {
        DestinationCidrBlock: cidr,
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      };
      const associated = { State: 'associated' as const };
      return {
        RouteTableId: t.ec2Id,
        VpcId: t.vpc,
        OwnerId: await ownerIdOf(ctx, t.vpc),
        PropagatingVgws: [],
        Tags: t.body.tags,
        Routes: [local, ...t.body.routes.map((r) => routeView(r, t.vpc, igws, nats))],
        Associations: [
          ...(t.body.main
            ? [
                {
                  Main: true,
                  RouteTableAssociationId: t.body.mainAssoc,
                  RouteTableId: t.ec2Id,
                  AssociationState: associated,
                },
              ]
            : []),
          ...t.body.associations.map((a) => ({
            Main: false,
            RouteTableAssociationId: a.id,
            RouteTableId: t.ec2Id,
            SubnetId: a.subnet,
            AssociationState: associated,
          })),
        ],
      };
    }),
  );
}

const tableOf = (ctx: Ec2Context, id: string | undefined) =>
  getNet<RouteTableBody>(ctx, 'routeTable', id, 'routeTableId');

/** The table holding an association (main or subnet), InvalidAssociationID.NotFound when none of the caller's does. */
async function byAssociation(
  ctx: Ec2Context,
  id: string | undefined,
): Promise<{ table: Table; main: boolean; subnet?: string }> {
  if (!id) throw ec2Error('MissingParameter', 'The request must contain the parameter associationId');
  for (const t of await tables(ctx)) {
    if (t.body.main && t.body.mainAssoc === id) return { table: t, main: true };
    const a = t.body.associations.find((x) => x.id === id);
    if (a) return { table: t, main: false, subnet: a.subnet };
  }
  throw notFound('routeTableAssociation', id);
}

const CIDR4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CIDR6 = /^[0-9a-fA-F:]+\/\d{1,3}$/;

/** The destination of a route request: a valid CIDR block (prefix lists: there are none). */
function destination(input: {
  DestinationCidrBlock?: string;
  DestinationIpv6CidrBlock?: string;
  DestinationPrefixListId?: string;
}): string {
  if (input.DestinationPrefixListId) throw notFound('prefixList', input.DestinationPrefixListId);
  const v4 = input.DestinationCidrBlock;
  const v6 = input.DestinationIpv6CidrBlock;
  if (!v4 && !v6)
    throw ec2Error(
      'MissingParameter',
      'The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock',
    );
  if (v4) {
    const m = CIDR4.exec(v4);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32)
      throw ec2Error(
        'InvalidParameterValue',
        `Value (${v4}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`,
      );
    return v4;
  }
  if (!CIDR6.test(v6!))
    throw ec2Error(
      'InvalidParameterValue',
      `Value (${v6}) for parameter destinationIpv6CidrBlock is invalid. This is not a valid CIDR block.`,
    );
  return v6!.toLowerCase();
}

async function localRange(ctx: Ec2Context, t: Table): Promise<string | undefined> {
  return (await visibleVpcs(ctx)).find((v) => v.VpcId === t.vpc)?.cidr;
}

export const routeTableActions = actions({
  async CreateRouteTable(ctx, input) {
    const vpc = await vpcOf(ctx, input.VpcId);
    await ensureVpcDefaults(ctx, [vpc]);
    const t: Table = {
      ec2Id: freshId('routeTable'),
      owner: vpc.owner,
      vpc: vpc.VpcId,
      body: { main: false, routes: [], associations: [], tags: specTags(input.TagSpecifications, 'route-table') },
    };
    await putNet(ctx, 'routeTable', t);
    return { RouteTable: (await views(ctx, [t]))[0] };
  },
  async DeleteRouteTable(ctx, input) {
    const t = await tableOf(ctx, input.RouteTableId);
    if (t.body.main || t.body.associations.length)
      throw ec2Error('DependencyViolation', `The routeTable '${t.ec2Id}' has dependencies and cannot be deleted.`);
    await ctx.store.dropNet(t.ec2Id);
    return {};
  },
  async DescribeRouteTables(ctx, input) {
    // Checked before anything is made on first sight (a refused request writes nothing).
    // An id never made is unknown before the defaults are; the defaults made now could not have been named.
    for (const id of input.RouteTableIds ?? []) if (!(await ctx.store.net(id))) throw notFound('routeTable', id);
    checkFilterNames(input.Filters, [
      'route-table-id',
      'vpc-id',
      'owner-id',
      'association.subnet-id',
      'association.main',
      'association.route-table-association-id',
      'association.route-table-id',
      'association.association-state',
      'route.destination-cidr-block',
      'route.gateway-id',
      'route.nat-gateway-id',
      'route.instance-id',
      'route.origin',
      'route.state',
    ]);
    checkPage(input.MaxResults, input.NextToken, 5, 100);
    const all = await views(ctx, await tables(ctx));
    for (const id of input.RouteTableIds ?? [])
      if (!all.some((t) => t.RouteTableId === id)) throw notFound('routeTable', id);
    const wanted = input.RouteTableIds ? all.filter((t) => input.RouteTableIds!.includes(t.RouteTableId!)) : all;
    const assocs = (t: RouteTable) => t.Associations ?? [];
    const routes = (t: RouteTable) => t.Routes ?? [];
    const filtered = applyFilters(wanted, input.Filters, {
      'route-table-id': (t) => [t.RouteTableId],
      'vpc-id': (t) => [t.VpcId],
      'owner-id': (t) => [t.OwnerId],
      'association.subnet-id': (t) => assocs(t).map((a) => a.SubnetId),
      'association.main': (t) => assocs(t).map((a) => String(a.Main)),
      'association.route-table-association-id': (t) => assocs(t).map((a) => a.RouteTableAssociationId),
      'association.route-table-id': (t) => assocs(t).map((a) => a.RouteTableId),
      'association.association-state': (t) => assocs(t).map((a) => a.AssociationState?.State),
      'route.destination-cidr-block': (t) => routes(t).map((r) => r.DestinationCidrBlock),
      'route.gateway-id': (t) => routes(t).map((r) => r.GatewayId),
      'route.nat-gateway-id': (t) => routes(t).map((r) => r.NatGatewayId),
      'route.instance-id': (t) => routes(t).map((r) => r.InstanceId),
      'route.origin': (t) => routes(t).map((r) => r.Origin),
      'route.state': (t) => routes(t).map((r) => r.State),
    });
    const { items, next } = page(filtered, input.MaxResults, input.NextToken, 5, 100);
    return { RouteTables: items, NextToken: next };
  },
  async AssociateRouteTable(ctx, input) {
    checkGatewayId(input.GatewayId);
    const t = await tableOf(ctx, input.RouteTableId);
    // Edge associations (a gateway's inbound traffic through a route table) have no CloudStack form.
    if (input.GatewayId)
      throw ec2Error(
        'InvalidParameterValue',
        `Gateway association of route table ${t.ec2Id} with ${input.GatewayId} is not supported`,
      );
    const s = await subnetOf(ctx, input.SubnetId);
    if (s.vpc.VpcId !== t.vpc)
      throw ec2Error(
        'InvalidParameterValue',
        `route table ${t.ec2Id} and subnet ${s.SubnetId} belong to different networks`,
      );
    const holder = (await tables(ctx)).find((x) => x.body.associations.some((a) => a.subnet === s.SubnetId));
    if (holder)
      throw ec2Error(
        'Resource.AlreadyAssociated',
        `the specified association for route table ${t.ec2Id} conflicts with an existing association`,
      );
    const id = freshId('routeTableAssociation');
    t.body.associations.push({ id, subnet: s.SubnetId });
    await putNet(ctx, 'routeTable', t);
    return { AssociationId: id, AssociationState: { State: 'associated' } };
  },
  async DisassociateRouteTable(ctx, input) {
    const { table, main } = await byAssociation(ctx, input.AssociationId);
    if (main)
      throw ec2Error(
        'InvalidParameterValue',
        `cannot disassociate the main route table association ${input.AssociationId}`,
      );
    table.body.associations = table.body.associations.filter((a) => a.id !== input.AssociationId);
    await putNet(ctx, 'routeTable', table);
    return {};
  },
  async ReplaceRouteTableAssociation(ctx, input) {
    const { table, main, subnet } = await byAssociation(ctx, input.AssociationId);
    const target = await tableOf(ctx, input.RouteTableId);
    if (target.vpc !== table.vpc)
      throw ec2Error(
        'InvalidParameterValue',
        `route table ${target.ec2Id} and association ${input.AssociationId} belong to different networks`,
      );
    const id = freshId('routeTableAssociation');
    if (main) {
      // The VPC's main table changes: the old one keeps its routes and becomes an ordinary table.
      table.body.main = false;
      delete table.body.mainAssoc;
      await putNet(ctx, 'routeTable', table);
      const fresh = target.ec2Id === table.ec2Id ? table : target;
      fresh.body.main = true;
      fresh.body.mainAssoc = id;
      await putNet(ctx, 'routeTable', fresh);
    } else {
      table.body.associations = table.body.associations.filter((a) => a.id !== input.AssociationId);
      await putNet(ctx, 'routeTable', table);
      const fresh = target.ec2Id === table.ec2Id ? table : target;
      fresh.body.associations.push({ id, subnet: subnet! });
      await putNet(ctx, 'routeTable', fresh);
    }
    return { NewAssociationId: id, AssociationState: { State: 'associated' } };
  },
  async CreateRoute(ctx, input) {
    checkGatewayId(input.GatewayId);
    const t = await tableOf(ctx, input.RouteTableId);
    const dest = destination(input);
    if (dest === (await localRange(ctx, t)) || t.body.routes.some((r) => r.dest === dest))
      throw ec2Error('RouteAlreadyExists', `The route identified by ${dest} already exists.`);
    t.body.routes.push({ dest, ...(await routeTarget(ctx, t, input)), origin: 'CreateRoute' });
    await putNet(ctx, 'routeTable', t);
    return { Return: true };
  },
  async ReplaceRoute(ctx, input) {
    checkGatewayId(input.GatewayId);
    const t = await tableOf(ctx, input.RouteTableId);
    const dest = destination(input);
    const i = t.body.routes.findIndex((r) => r.dest === dest);
    if (dest === (await localRange(ctx, t)) && input.LocalTarget) return {};
    if (i < 0)
      throw ec2Error(
        'InvalidParameterValue',
        `There is no route defined for '${dest}' in the route table. Use CreateRoute instead.`,
      );
    t.body.routes[i] = { dest, ...(await routeTarget(ctx, t, input)), origin: 'CreateRoute' };
    await putNet(ctx, 'routeTable', t);
    return {};
  },
  async DeleteRoute(ctx, input) {
    const t = await tableOf(ctx, input.RouteTableId);
    const dest = destination(input);
    if (dest === (await localRange(ctx, t)))
      throw ec2Error('InvalidParameterValue', `cannot remove local route ${dest} in route table ${t.ec2Id}`);
    if (!t.body.routes.some((r) => r.dest === dest))
      throw ec2Error('InvalidRoute.NotFound', `no route with destination-cidr-block ${dest} in route table ${t.ec2Id}`);
    t.body.routes = t.body.routes.filter((r) => r.dest !== dest);
    await putNet(ctx, 'routeTable', t);
    return {};
  },
});
