import type { WirePublicIp } from '../../cloudstack/wire.js';
import type { CreateNatGatewayRequest, NatGateway } from '@aws-sdk/client-ec2';
import { csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters, checkFilterNames } from '../filters.js';
import { notFound } from '../ids.js';
import { checkPage, page } from './paging.js';
import { actions } from './types.js';
import { ensureVpcDefaults, type GatewayBody, type NatBody } from './vpcnet.defaults.js';
import { freshId, getNet, listNet, putNet, specTags, subnetOf, visibleVpcs, type NetObject } from './vpcnet.js';

/**
 * NAT gateways. A CloudStack VPC's tiers already leave through the virtual router's source NAT,
 * so the NAT device exists; what a NAT gateway adds is an elastic IP that must be one of the VPC's
 * CloudStack public addresses (acquired for the VPC or one of its tiers; for a zone's default VPC,
 * for the subnet's network). The gateway itself is the front's object that holds that address.
 * AWS accepts the request and fails the gateway afterwards when its address or VPC is unfit; so
 * does this, with AWS's failure codes.
 */
type Nat = NetObject<NatBody>;

/** Deleted gateways stay listed this long, as AWS shows them for about an hour. */
const DELETED_SHOWN_MS = 60 * 60 * 1000;

type CsIp = WirePublicIp;

function view(n: Nat): NatGateway & { Tags: { Key?: string; Value?: string }[] } {
  return {
    NatGatewayId: n.ec2Id,
    VpcId: n.vpc,
    SubnetId: n.body.subnet,
    State: n.body.state,
    ConnectivityType: n.body.connectivity as NatGateway['ConnectivityType'],
    CreateTime: new Date(n.body.created),
    DeleteTime: n.body.deleted ? new Date(n.body.deleted) : undefined,
    Tags: n.body.tags,
    FailureCode: n.body.failure?.code,
    FailureMessage: n.body.failure?.message,
    NatGatewayAddresses:
      n.body.state === 'failed'
        ? []
        : [{ AllocationId: n.body.allocation, PublicIp: n.body.publicIp, PrivateIp: n.body.privateIp }],
  };
}

async function gateways(ctx: Ec2Context): Promise<Nat[]> {
  const since = ctx.clock.now() - DELETED_SHOWN_MS;
  const vpcs = new Set((await visibleVpcs(ctx)).map((v) => v.VpcId));
  return (await listNet<NatBody>(ctx, 'natGateway')).filter(
    (n) => vpcs.has(n.vpc) && (n.body.deleted ?? Infinity) >= since,
  );
}

/** Why a NAT gateway over this address and subnet cannot work, as the FailureCode AWS would set. */
async function failure(
  ctx: Ec2Context,
  ip: CsIp,
  input: CreateNatGatewayRequest,
  vpc: { VpcId: string; csId: string; isDefault: boolean },
  netId: string,
) {
  const mine = vpc.isDefault ? ip.associatednetworkid === netId : ip.vpcid === vpc.csId;
  if (!mine)
    return {
      code: 'InvalidAllocationID.NotFound',
      message: `Elastic IP address ${input.AllocationId} could not be associated with this NAT gateway`,
    };
  const holders = (await listNet<NatBody>(ctx, 'natGateway')).filter(
    (n) => n.body.state === 'available' && n.body.allocation === input.AllocationId,
  );
  if (ip.issourcenat || ip.virtualmachineid || holders.length)
    return {
      code: 'Resource.AlreadyAssociated',
      message: `Elastic IP address ${input.AllocationId} is already associated`,
    };
  await ensureVpcDefaults(ctx, await visibleVpcs(ctx));
  if (!(await listNet<GatewayBody>(ctx, 'internetGateway')).some((g) => g.vpc === vpc.VpcId))
    return { code: 'Gateway.NotAttached', message: `Network ${vpc.VpcId} has no Internet gateway attached` };
  return undefined;
}

export const natGatewayActions = actions({
  async CreateNatGateway(ctx, input) {
    const { net, vpc, SubnetId } = await subnetOf(ctx, input.SubnetId);
    const connectivity = input.ConnectivityType ?? 'public';
    if (connectivity !== 'public' && connectivity !== 'private')
      throw ec2Error('InvalidParameterValue', `Value (${connectivity}) for parameter connectivityType is invalid.`);
    if (connectivity === 'public' && !input.AllocationId)
      throw ec2Error('MissingParameter', 'The request must contain the parameter AllocationId');
    if (connectivity === 'private' && input.AllocationId)
      throw ec2Error('InvalidParameterCombination', 'AllocationId cannot be specified for a private NAT gateway');
    let ip: CsIp | undefined;
    if (input.AllocationId) {
      const csId = await ctx.ids.cs('address', input.AllocationId);
      [ip] = await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { id: csId });
      if (!ip) throw notFound('address', input.AllocationId);
    }
    const n: Nat = {
      ec2Id: freshId('natGateway'),
      owner: vpc.owner,
      vpc: vpc.VpcId,
      body: {
        subnet: SubnetId,
        allocation: input.AllocationId,
        publicIp: ip?.ipaddress,
        privateIp: input.PrivateIpAddress,
        connectivity,
        state: 'available',
        created: ctx.clock.now(),
        tags: specTags(input.TagSpecifications, 'natgateway'),
      },
    };
    const failed = ip ? await failure(ctx, ip, input, vpc, net.id) : undefined;
    if (failed) Object.assign(n.body, { state: 'failed', failure: failed, deleted: ctx.clock.now() });
    await putNet(ctx, 'natGateway', n);
    // AWS answers with the gateway pending, however quickly it becomes available (or fails).
    return {
      ClientToken: input.ClientToken,
      NatGateway: {
        ...view(n),
        State: 'pending',
        FailureCode: undefined,
        FailureMessage: undefined,
        DeleteTime: undefined,
      },
    };
  },
  async DescribeNatGateways(ctx, input) {
    // Checked before anything is made on first sight (a refused request writes nothing).
    // An id never made is unknown before the defaults are; the defaults made now could not have been named.
    for (const id of input.NatGatewayIds ?? []) if (!(await ctx.store.net(id))) throw notFound('natGateway', id);
    checkFilterNames(input.Filter, ['nat-gateway-id', 'state', 'subnet-id', 'vpc-id']);
    checkPage(input.MaxResults, input.NextToken, 5, 1000);
    const all = (await gateways(ctx)).map(view);
    for (const id of input.NatGatewayIds ?? [])
      if (!all.some((n) => n.NatGatewayId === id)) throw notFound('natGateway', id);
    const wanted = input.NatGatewayIds ? all.filter((n) => input.NatGatewayIds!.includes(n.NatGatewayId!)) : all;
    const filtered = applyFilters(wanted, input.Filter, {
      'nat-gateway-id': (n) => [n.NatGatewayId],
      state: (n) => [n.State],
      'subnet-id': (n) => [n.SubnetId],
      'vpc-id': (n) => [n.VpcId],
    });
    const { items, next } = page(filtered, input.MaxResults, input.NextToken, 5, 1000);
    return { NatGateways: items, NextToken: next };
  },
  async DeleteNatGateway(ctx, input) {
    const n = await getNet<NatBody>(ctx, 'natGateway', input.NatGatewayId, 'natGatewayId');
    if (n.body.state !== 'deleted') {
      n.body.state = 'deleted';
      n.body.deleted = ctx.clock.now();
      await putNet(ctx, 'natGateway', n);
    }
    return { NatGatewayId: n.ec2Id };
  },
});
