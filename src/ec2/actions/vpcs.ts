import { csList } from '../context.js';
import { applyFilters } from '../filters.js';
import type { Action } from './types.js';

/**
 * polystack shows one default VPC per zone and one default subnet per guest network, so tools
 * that assume a default VPC (most do) find one. Real CloudStack VPCs are later work.
 */
export const vpcActions: Record<string, Action> = {
  async DescribeVpcs(ctx, input) {
    const zones = await csList(ctx, 'listZones', 'zone');
    const all = await Promise.all(
      zones.map(async (z) => ({
        VpcId: await ctx.ids.of('vpc', `zone:${z.id}`), CidrBlock: z.guestcidraddress ?? '10.0.0.0/16', State: 'available', DhcpOptionsId: 'default',
        InstanceTenancy: 'default', IsDefault: true, CidrBlockAssociationSet: [], Tags: [{ Key: 'polystack:zone', Value: z.name as string }],
      })),
    );
    return { Vpcs: applyFilters(all as any[], input.Filters, { 'vpc-id': (v) => [v.VpcId], 'is-default': (v) => [String(v.IsDefault)], state: (v) => [v.State], 'cidr-block': (v) => [v.CidrBlock] }).filter((v) => !input.VpcIds || input.VpcIds.includes(v.VpcId)) };
  },
  async DescribeSubnets(ctx, input) {
    const nets = await csList(ctx, 'listNetworks', 'network');
    const all = await Promise.all(
      nets.map(async (n) => ({
        SubnetId: await ctx.ids.of('subnet', n.id), VpcId: await ctx.ids.of('vpc', `zone:${n.zoneid}`), CidrBlock: n.cidr ?? '', AvailabilityZone: n.zonename as string,
        State: 'available', AvailableIpAddressCount: 250, DefaultForAz: n.type !== 'Isolated' || !!n.isdefault, MapPublicIpOnLaunch: false,
        Tags: (n.tags ?? []).map((t: any) => ({ Key: t.key, Value: t.value })),
      })),
    );
    return {
      Subnets: applyFilters(all as any[], input.Filters, { 'subnet-id': (s) => [s.SubnetId], 'vpc-id': (s) => [s.VpcId], 'availability-zone': (s) => [s.AvailabilityZone], 'default-for-az': (s) => [String(s.DefaultForAz)] })
        .filter((s) => !input.SubnetIds || input.SubnetIds.includes(s.SubnetId)),
    };
  },
};
