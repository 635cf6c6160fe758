import type { DescribePrefixListsRequest, DescribeVpcEndpointsRequest, DhcpOptions } from '@aws-sdk/client-ec2';
import type { Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters, checkFilterNames } from '../filters.js';
import { checkWellFormed, notFound } from '../ids.js';
import { checkPage, page } from './paging.js';
import { actions } from './types.js';
import { dhcpOptionsOf, ensureDefaultDhcp, type DhcpBody } from './vpcnet.defaults.js';
import {
  caller,
  freshId,
  getNet,
  listNet,
  putNet,
  specTags,
  visibleVpcs,
  vpcKey,
  vpcOf,
  type NetObject,
} from './vpcnet.js';

/**
 * DHCP option sets. CloudStack's virtual router serves DHCP with the network's own domain and
 * itself as DNS server, and no API changes that per network: option sets are the front's, shown
 * and associated as AWS does, with the default set (AmazonProvidedDNS) standing for what the
 * router really hands out.
 */
type Options = NetObject<DhcpBody>;

const KEYS = [
  'domain-name',
  'domain-name-servers',
  'ntp-servers',
  'netbios-name-servers',
  'netbios-node-type',
  'ipv6-address-preferred-lease-time',
];

function view(o: Options, ownerId: string): DhcpOptions & { Tags: { Key?: string; Value?: string }[] } {
  return {
    DhcpOptionsId: o.ec2Id,
    OwnerId: ownerId,
    Tags: o.body.tags,
    DhcpConfigurations: o.body.configs.map((c) => ({ Key: c.Key, Values: c.Values.map((Value) => ({ Value })) })),
  };
}

export const dhcpActions = actions({
  async DescribeDhcpOptions(ctx, input) {
    // Checked before anything is made on first sight (a refused request writes nothing).
    // An id never made is unknown before the defaults are; the defaults made now could not have been named.
    for (const id of input.DhcpOptionsIds ?? []) if (!(await ctx.store.net(id))) throw notFound('dhcpOptions', id);
    checkPage(input.MaxResults, input.NextToken, 5, 1000);
    checkFilterNames(input.Filters, ['dhcp-options-id', 'owner-id', 'key', 'value']);
    await ensureDefaultDhcp(ctx);
    const me = await caller(ctx);
    const all = (await listNet<DhcpBody>(ctx, 'dhcpOptions')).map((o) => view(o, me.ownerId));
    for (const id of input.DhcpOptionsIds ?? [])
      if (!all.some((o) => o.DhcpOptionsId === id)) throw notFound('dhcpOptions', id);
    const wanted = input.DhcpOptionsIds ? all.filter((o) => input.DhcpOptionsIds!.includes(o.DhcpOptionsId!)) : all;
    const configs = (o: DhcpOptions) => o.DhcpConfigurations ?? [];
    const filtered = applyFilters(wanted, input.Filters, {
      'dhcp-options-id': (o) => [o.DhcpOptionsId],
      'owner-id': (o) => [o.OwnerId],
      key: (o) => configs(o).map((c) => c.Key),
      value: (o) => configs(o).flatMap((c) => (c.Values ?? []).map((v) => v.Value)),
    });
    const { items, next } = page(filtered, input.MaxResults, input.NextToken, 5, 1000);
    return { DhcpOptions: items, NextToken: next };
  },
  async CreateDhcpOptions(ctx, input) {
    if (!input.DhcpConfigurations?.length)
      throw ec2Error('MissingParameter', 'The request must contain the parameter dhcpConfiguration');
    const configs: DhcpBody['configs'] = [];
    for (const c of input.DhcpConfigurations) {
      if (!c.Key || !KEYS.includes(c.Key))
        throw ec2Error('InvalidParameterValue', `Value (${c.Key}) for parameter name is invalid. Unknown DHCP option`);
      if (!c.Values?.length)
        throw ec2Error(
          'InvalidParameterValue',
          `Value for parameter ${c.Key} is invalid. Parameter may not be null or empty.`,
        );
      configs.push({ Key: c.Key, Values: c.Values });
    }
    const me = await caller(ctx);
    const o: Options = {
      ec2Id: freshId('dhcpOptions'),
      owner: me.owner,
      vpc: '',
      body: { configs, tags: specTags(input.TagSpecifications, 'dhcp-options') },
    };
    await putNet(ctx, 'dhcpOptions', o);
    return { DhcpOptions: view(o, me.ownerId) };
  },
  async AssociateDhcpOptions(ctx, input) {
    if (!input.DhcpOptionsId)
      throw ec2Error('MissingParameter', 'The request must contain the parameter dhcpOptionsId');
    if (input.DhcpOptionsId !== 'default') checkWellFormed('dhcpOptions', input.DhcpOptionsId);
    const vpc = await vpcOf(ctx, input.VpcId);
    if (input.DhcpOptionsId !== 'default') await getNet<DhcpBody>(ctx, 'dhcpOptions', input.DhcpOptionsId);
    await ctx.store.setAttr(vpcKey(vpc), 'dhcpOptions', input.DhcpOptionsId);
    return {};
  },
  async DeleteDhcpOptions(ctx, input) {
    const o = await getNet<DhcpBody>(ctx, 'dhcpOptions', input.DhcpOptionsId, 'dhcpOptionsId');
    const used = await dhcpOptionsOf(ctx, await visibleVpcs(ctx));
    if ([...used.values()].includes(o.ec2Id))
      throw ec2Error('DependencyViolation', `The dhcpOptions '${o.ec2Id}' has dependencies and cannot be deleted.`);
    await ctx.store.dropNet(o.ec2Id);
    return {};
  },
  async DescribeVpcEndpoints(_ctx, input: DescribeVpcEndpointsRequest) {
    // Gateway and interface endpoints reach AWS services; a CloudStack cloud has none to reach.
    for (const id of input.VpcEndpointIds ?? [])
      throw ec2Error('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`);
    applyFilters([] as { Tags?: [] }[], input.Filters, {
      'service-name': () => [],
      'vpc-id': () => [],
      'vpc-endpoint-id': () => [],
      'vpc-endpoint-state': () => [],
      'vpc-endpoint-type': () => [],
    });
    return { VpcEndpoints: [] };
  },
  async DescribePrefixLists(_ctx, input: DescribePrefixListsRequest) {
    // AWS-managed prefix lists name AWS services' ranges (S3, DynamoDB): none exist here.
    for (const id of input.PrefixListIds ?? []) throw notFound('prefixList', id);
    applyFilters([] as { Tags?: [] }[], input.Filters, { 'prefix-list-id': () => [], 'prefix-list-name': () => [] });
    return { PrefixLists: [] };
  },
});

/** A VPC attribute as stored by ModifyVpcAttribute, else AWS's default (DNS hostnames only in default VPCs). */
export async function vpcAttribute(
  ctx: Ec2Context,
  vpcId: string,
  name: 'enableDnsSupport' | 'enableDnsHostnames' | 'enableNetworkAddressUsageMetrics',
): Promise<boolean> {
  const vpc = await vpcOf(ctx, vpcId);
  const set = (await ctx.store.attrs([vpcKey(vpc)], name)).get(vpcKey(vpc));
  if (set !== undefined) return set === 'true';
  return name === 'enableDnsSupport' || (name === 'enableDnsHostnames' && vpc.isDefault);
}
