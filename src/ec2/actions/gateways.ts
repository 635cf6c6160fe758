import type { DescribeEgressOnlyInternetGatewaysRequest, InternetGateway } from '@aws-sdk/client-ec2';
import { csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters, checkFilterNames } from '../filters.js';
import { notFound } from '../ids.js';
import { checkPage, page } from './paging.js';
import { actions } from './types.js';
import { ensureVpcDefaults, type GatewayBody } from './vpcnet.defaults.js';
import {
  caller,
  freshId,
  getNet,
  listNet,
  ownerIdOf,
  putNet,
  specTags,
  visibleVpcs,
  vpcOf,
  type NetObject,
} from './vpcnet.js';

/**
 * Internet gateways. A CloudStack VPC (and an isolated network) always reaches the internet
 * through its virtual router's source-NAT address, so an internet gateway has nothing of its own
 * to map onto: it is the front's object, and attaching one records that the VPC's way out (that
 * source-NAT address) is in use by EC2's routes. Detaching one does not cut CloudStack's egress.
 */
type Gateway = NetObject<GatewayBody>;

async function gateways(ctx: Ec2Context): Promise<Gateway[]> {
  await ensureVpcDefaults(ctx, await visibleVpcs(ctx));
  return listNet<GatewayBody>(ctx, 'internetGateway');
}

/** AWS shows an attached internet gateway's attachment as `available`, outside the model's AttachmentStatus enum. */
type GatewayView = Omit<InternetGateway, 'Attachments'> & {
  Attachments: { VpcId?: string; State: string }[];
  Tags: { Key?: string; Value?: string }[];
};

async function view(ctx: Ec2Context, g: Gateway): Promise<GatewayView> {
  const attached = g.vpc && (await visibleVpcs(ctx)).some((v) => v.VpcId === g.vpc);
  return {
    InternetGatewayId: g.ec2Id,
    OwnerId: g.vpc ? await ownerIdOf(ctx, g.vpc) : (await caller(ctx)).ownerId,
    Tags: g.body.tags,
    Attachments: attached ? [{ VpcId: g.vpc, State: 'available' }] : [],
  };
}

const gatewayOf = (ctx: Ec2Context, id: string | undefined) =>
  getNet<GatewayBody>(ctx, 'internetGateway', id, 'internetGatewayId');

export const internetGatewayActions = actions({
  async CreateInternetGateway(ctx, input) {
    const g: Gateway = {
      ec2Id: freshId('internetGateway'),
      owner: (await caller(ctx)).owner,
      vpc: '',
      body: { tags: specTags(input.TagSpecifications, 'internet-gateway') },
    };
    await putNet(ctx, 'internetGateway', g);
    return { InternetGateway: await view(ctx, g) };
  },
  async DeleteInternetGateway(ctx, input) {
    const g = await gatewayOf(ctx, input.InternetGatewayId);
    if (g.vpc && (await visibleVpcs(ctx)).some((v) => v.VpcId === g.vpc))
      throw ec2Error('DependencyViolation', `The internetGateway '${g.ec2Id}' has dependencies and cannot be deleted.`);
    await ctx.store.dropNet(g.ec2Id);
    return {};
  },
  async DescribeInternetGateways(ctx, input) {
    // Checked before anything is made on first sight (a refused request writes nothing).
    // An id never made is unknown before the defaults are; the defaults made now could not have been named.
    for (const id of input.InternetGatewayIds ?? [])
      if (!(await ctx.store.net(id))) throw notFound('internetGateway', id);
    checkFilterNames(input.Filters, ['internet-gateway-id', 'owner-id', 'attachment.vpc-id', 'attachment.state']);
    checkPage(input.MaxResults, input.NextToken, 5, 1000);
    const all = await Promise.all((await gateways(ctx)).map((g) => view(ctx, g)));
    for (const id of input.InternetGatewayIds ?? [])
      if (!all.some((g) => g.InternetGatewayId === id)) throw notFound('internetGateway', id);
    const wanted = input.InternetGatewayIds
      ? all.filter((g) => input.InternetGatewayIds!.includes(g.InternetGatewayId!))
      : all;
    const filtered = applyFilters(wanted, input.Filters, {
      'internet-gateway-id': (g) => [g.InternetGatewayId],
      'owner-id': (g) => [g.OwnerId],
      'attachment.vpc-id': (g) => g.Attachments.map((a) => a.VpcId),
      'attachment.state': (g) => g.Attachments.map((a) => a.State),
    });
    const { items, next } = page(filtered, input.MaxResults, input.NextToken, 5, 1000);
    return { InternetGateways: items, NextToken: next };
  },
  async AttachInternetGateway(ctx, input) {
    const g = await gatewayOf(ctx, input.InternetGatewayId);
    const vpc = await vpcOf(ctx, input.VpcId);
    const vpcs = await visibleVpcs(ctx);
    if (g.vpc && vpcs.some((v) => v.VpcId === g.vpc))
      throw ec2Error('Resource.AlreadyAssociated', `resource ${g.ec2Id} is already attached to network ${g.vpc}`);
    const other = (await gateways(ctx)).find((x) => x.vpc === vpc.VpcId);
    if (other)
      throw ec2Error('Resource.AlreadyAssociated', `network ${vpc.VpcId} already has an internet gateway attached`);
    await putNet(ctx, 'internetGateway', { ...g, vpc: vpc.VpcId });
    return {};
  },
  async DetachInternetGateway(ctx, input) {
    const g = await gatewayOf(ctx, input.InternetGatewayId);
    const vpc = await vpcOf(ctx, input.VpcId);
    if (g.vpc !== vpc.VpcId)
      throw ec2Error('Gateway.NotAttached', `resource ${g.ec2Id} is not attached to network ${vpc.VpcId}`);
    if (!vpc.isDefault) {
      // AWS keeps the gateway while instances of the VPC have public addresses: here, static NAT on the VPC's addresses.
      const mapped = (
        (await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { vpcid: vpc.csId })) as {
          isstaticnat?: boolean;
        }[]
      ).filter((ip) => ip.isstaticnat);
      if (mapped.length)
        throw ec2Error(
          'DependencyViolation',
          `Network ${vpc.VpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
        );
    }
    await putNet(ctx, 'internetGateway', { ...g, vpc: '', owner: (await caller(ctx)).owner });
    return {};
  },
  async DescribeEgressOnlyInternetGateways(_ctx, input: DescribeEgressOnlyInternetGatewaysRequest) {
    // IPv6-only egress has no CloudStack form: there are none, so any id named is unknown.
    for (const id of input.EgressOnlyInternetGatewayIds ?? [])
      throw ec2Error('InvalidGatewayID.NotFound', `The eigw ID '${id}' does not exist`);
    applyFilters([] as { Tags?: [] }[], input.Filters, { 'egress-only-internet-gateway-id': () => [] });
    page([], input.MaxResults, input.NextToken, 5, 255);
    return { EgressOnlyInternetGateways: [] };
  },
});
