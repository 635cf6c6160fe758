import { cs, csJob, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { actions } from './types.js';
import { subnetAttributes } from './vpcattributes.js';
import { dhcpOptionsOf, forgetVpc, vpcDependents } from './vpcnet.defaults.js';
import { visibleVpcs, vpcOf } from './vpcnet.js';
import { defaultListOf } from './networkacls.view.js';

/**
 * VPCs: one synthetic default VPC per zone (over its guest networks, so tools that assume a
 * default VPC find one) plus the caller's CloudStack VPCs; subnets are guest networks and VPC tiers.
 */
async function vpcViews(ctx: Ec2Context) {
  const zones = await csList(ctx, 'listZones', 'zone');
  const defaults = await Promise.all(
    zones.map(async (z) => ({
      VpcId: await ctx.ids.of('vpc', `zone:${z.id}`),
      CidrBlock: z.guestcidraddress ?? '10.0.0.0/16',
      State: 'available',
      DhcpOptionsId: 'default',
      InstanceTenancy: 'default',
      IsDefault: true,
      CidrBlockAssociationSet: [],
      Tags: [{ Key: 'polystack:zone', Value: z.name as string }],
      csId: undefined as string | undefined,
    })),
  );
  const real = await Promise.all(
    (await csList(ctx, 'listVPCs', 'vpc')).map(async (v) => ({
      VpcId: await ctx.ids.of('vpc', v.id),
      CidrBlock: v.cidr as string,
      State: v.state === 'Enabled' ? 'available' : 'pending',
      DhcpOptionsId: 'default',
      InstanceTenancy: 'default',
      IsDefault: false,
      CidrBlockAssociationSet: [],
      Tags: (v.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })),
      csId: v.id as string,
    })),
  );
  return [...defaults, ...real];
}

const prefixNetmask = (prefix: number) =>
  [24, 16, 8, 0].map((s) => ((0xffffffff << (32 - prefix)) >>> s) & 255).join('.');

export const vpcActions = actions({
  async DescribeVpcs(ctx, input) {
    const all = await vpcViews(ctx);
    for (const id of input.VpcIds ?? [])
      if (!all.some((v) => v.VpcId === id))
        throw ec2Error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
    const shown = applyFilters(all, input.Filters, {
      'vpc-id': (v) => [v.VpcId],
      'is-default': (v) => [String(v.IsDefault)],
      state: (v) => [v.State],
      'cidr-block': (v) => [v.CidrBlock],
    }).filter((v) => !input.VpcIds || input.VpcIds.includes(v.VpcId));
    // The default DHCP option sets are made on first sight: only once the request is known to be good (a refusal writes nothing).
    const dhcp = await dhcpOptionsOf(ctx, await visibleVpcs(ctx));
    return { Vpcs: shown.map(({ csId: _c, ...v }) => ({ ...v, DhcpOptionsId: dhcp.get(v.VpcId) ?? v.DhcpOptionsId })) };
  },
  async CreateVpc(ctx, input) {
    if (!input.CidrBlock) throw ec2Error('MissingParameter', 'The request must contain the parameter CidrBlock');
    const zone = (await csList(ctx, 'listZones', 'zone')).find((z) => z.networktype === 'Advanced');
    const [offering] = await csList(ctx, 'listVPCOfferings', 'vpcoffering');
    if (!zone || !offering) throw ec2Error('UnsupportedOperation', 'No zone here can hold a VPC');
    const name = `vpc-${Date.now().toString(36)}`;
    const r = await csJob(ctx, 'createVPC', {
      name,
      displaytext: name,
      cidr: input.CidrBlock,
      zoneid: zone.id,
      vpcofferingid: offering.id,
    });
    const v = r['vpc'];
    const vpcId = await ctx.ids.of('vpc', v.id);
    const dhcp = (await dhcpOptionsOf(ctx, await visibleVpcs(ctx))).get(vpcId) ?? 'default';
    return {
      Vpc: {
        VpcId: vpcId,
        CidrBlock: v.cidr,
        State: 'available',
        DhcpOptionsId: dhcp,
        InstanceTenancy: 'default',
        IsDefault: false,
        CidrBlockAssociationSet: [],
        Tags: [],
      },
    };
  },
  async DeleteVpc(ctx, input) {
    const id = await ctx.ids.cs('vpc', input.VpcId);
    if (id.startsWith('zone:')) throw ec2Error('OperationNotPermitted', 'The default VPC cannot be deleted here');
    // Route tables, attached internet gateways and NAT gateways (the front's) hold a VPC as AWS's do.
    const ref = await vpcOf(ctx, input.VpcId);
    if ((await vpcDependents(ctx, ref)).length)
      throw ec2Error('DependencyViolation', `The vpc '${input.VpcId}' has dependencies and cannot be deleted.`);
    try {
      await csJob(ctx, 'deleteVPC', { id });
    } catch {
      throw ec2Error('DependencyViolation', `The vpc '${input.VpcId}' has dependencies and cannot be deleted.`);
    }
    await forgetVpc(ctx, ref);
    return { Return: true };
  },
  async CreateSubnet(ctx, input) {
    if (!input.VpcId || !input.CidrBlock)
      throw ec2Error('MissingParameter', 'The request must contain the parameters VpcId and CidrBlock');
    const vpcId = await ctx.ids.cs('vpc', input.VpcId);
    if (vpcId.startsWith('zone:'))
      throw ec2Error('UnsupportedOperation', 'Subnets of the default VPC are its guest networks');
    const [vpc] = await csList(ctx, 'listVPCs', 'vpc', { id: vpcId });
    if (!vpc) throw ec2Error('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
    const [offering] = await csList(ctx, 'listNetworkOfferings', 'networkoffering', { forvpc: true });
    const [ip, prefix] = String(input.CidrBlock).split('/');
    const parts = ip!.split('.').map(Number);
    const gateway = [parts[0], parts[1], parts[2], parts[3]! + 1].join('.');
    const name = `subnet-${Date.now().toString(36)}`;
    // A new subnet is associated with its VPC's default network ACL, as on AWS (CloudStack would give it default_deny).
    const aclid = await defaultListOf(ctx, vpcId);
    const n = await cs(ctx, 'createNetwork', {
      name,
      displaytext: name,
      zoneid: vpc.zoneid,
      vpcid: vpcId,
      networkofferingid: offering.id,
      gateway,
      netmask: prefixNetmask(Number(prefix)),
      ...(aclid ? { aclid } : {}),
    });
    const net = n['network'];
    return {
      Subnet: {
        SubnetId: await ctx.ids.of('subnet', net.id),
        VpcId: input.VpcId,
        CidrBlock: net.cidr,
        AvailabilityZone: net.zonename,
        State: 'available',
        AvailableIpAddressCount: 250,
        DefaultForAz: false,
        MapPublicIpOnLaunch: false,
        Tags: [],
      },
    };
  },
  async DeleteSubnet(ctx, input) {
    const id = await ctx.ids.cs('subnet', input.SubnetId);
    await csJob(ctx, 'deleteNetwork', { id });
    return { Return: true };
  },
  async DescribeSubnets(ctx, input) {
    const nets = await csList(ctx, 'listNetworks', 'network');
    const mapPublic = await subnetAttributes(
      ctx,
      nets.map((n) => n.id as string),
    );
    const all = await Promise.all(
      nets.map(async (n) => ({
        SubnetId: await ctx.ids.of('subnet', n.id),
        VpcId: await ctx.ids.of('vpc', n.vpcid ?? `zone:${n.zoneid}`),
        CidrBlock: n.cidr ?? '',
        AvailabilityZone: n.zonename as string,
        State: 'available',
        AvailableIpAddressCount: 250,
        DefaultForAz: !n.vpcid && (n.type !== 'Isolated' || !!n.isdefault),
        MapPublicIpOnLaunch: mapPublic.get(n.id) ?? false,
        Tags: (n.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })),
      })),
    );
    return {
      Subnets: applyFilters(all, input.Filters, {
        'subnet-id': (s) => [s.SubnetId],
        'vpc-id': (s) => [s.VpcId],
        'availability-zone': (s) => [s.AvailabilityZone],
        'default-for-az': (s) => [String(s.DefaultForAz)],
      }).filter((s) => !input.SubnetIds || input.SubnetIds.includes(s.SubnetId)),
    };
  },
});
