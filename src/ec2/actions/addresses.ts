import type { WireNetwork, WirePublicIp } from '../../cloudstack/wire.js';
import { cs, csJob, csList, type Ec2Context } from '../context.js';
import { Ec2Error, ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { actions } from './types.js';

async function addressView(ctx: Ec2Context, ip: WirePublicIp) {
  return {
    PublicIp: ip.ipaddress as string,
    AllocationId: await ctx.ids.of('address', ip.id),
    Domain: 'vpc',
    NetworkBorderGroup: ctx.region,
    PublicIpv4Pool: 'amazon',
    InstanceId: ip.virtualmachineid ? await ctx.ids.of('instance', ip.virtualmachineid) : undefined,
    AssociationId: ip.virtualmachineid ? await ctx.ids.of('association', ip.id) : undefined,
    PrivateIpAddress: ip.vmipaddress,
    Tags: (ip.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })),
    csId: ip.id as string,
    sourceNat: !!ip.issourcenat,
  };
}

/** The network an EIP is allocated on: the caller's first (oldest) isolated network in an advanced zone. */
async function allocationTarget(ctx: Ec2Context): Promise<{ networkid?: string; zoneid?: string }> {
  // The oldest isolated network outside any VPC (the account's default guest network), else the oldest VPC tier.
  // Ordered here by creation time: listNetworks answers newest first, and networks made in the same
  // millisecond (a frozen clock) have no order of their own.
  const nets = (await csList(ctx, 'listNetworks', 'network')).filter((n) => n.type === 'Isolated');
  const rank = (n: WireNetwork) => [n.vpcid ? 1 : 0, Date.parse(n.created ?? '') || 0] as const;
  nets.sort((a, b) => rank(a)[0] - rank(b)[0] || rank(a)[1] - rank(b)[1]);
  const isolated = nets[0];
  if (isolated) return { networkid: isolated.id };
  const zones = await csList(ctx, 'listZones', 'zone');
  const adv = zones.find((z) => z.networktype === 'Advanced');
  if (!adv) throw ec2Error('UnsupportedOperation', 'No zone here has elastic IP addresses');
  return { zoneid: adv.id };
}

export const addressActions = actions({
  async AllocateAddress(ctx) {
    const r = await csJob(ctx, 'associateIpAddress', await allocationTarget(ctx)).catch((e: unknown) => {
      // CloudStack's pool of public addresses is empty: EC2's code for that, not the instance one.
      if (e instanceof Ec2Error && e.code === 'InsufficientInstanceCapacity')
        throw ec2Error(
          'InsufficientAddressCapacity',
          'Not enough available addresses to satisfy your minimum request. Reduce the number of addresses you are requesting or wait for additional capacity to become available.',
        );
      throw e;
    });
    const v = await addressView(ctx, r['ipaddress']);
    return {
      PublicIp: v.PublicIp,
      AllocationId: v.AllocationId,
      Domain: 'vpc',
      NetworkBorderGroup: ctx.region,
      PublicIpv4Pool: 'amazon',
    };
  },
  async DescribeAddresses(ctx, input) {
    // Source-NAT addresses belong to networks, not to the user's elastic IPs.
    let all = (
      await Promise.all(
        (await csList(ctx, 'listPublicIpAddresses', 'publicipaddress')).map((ip) => addressView(ctx, ip)),
      )
    ).filter((a) => !a.sourceNat);
    for (const id of input.AllocationIds ?? [])
      if (!all.some((a) => a.AllocationId === id))
        throw ec2Error('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
    for (const ip of input.PublicIps ?? [])
      if (!all.some((a) => a.PublicIp === ip)) throw ec2Error('InvalidAddress.NotFound', `Address '${ip}' not found.`);
    const allocationIds = input.AllocationIds;
    if (allocationIds) all = all.filter((a) => allocationIds.includes(a.AllocationId));
    const publicIps = input.PublicIps;
    if (publicIps) all = all.filter((a) => publicIps.includes(a.PublicIp));
    all = applyFilters(all, input.Filters, {
      'public-ip': (a) => [a.PublicIp],
      'allocation-id': (a) => [a.AllocationId],
      'instance-id': (a) => [a.InstanceId],
      'association-id': (a) => [a.AssociationId],
      domain: (a) => [a.Domain],
    });
    return { Addresses: all.map(({ csId: _c, sourceNat: _s, ...a }) => a) };
  },
  async ReleaseAddress(ctx, input) {
    if (!input.AllocationId && !input.PublicIp)
      throw ec2Error('MissingParameter', 'The request must contain the parameter AllocationId');
    const id = input.AllocationId
      ? await ctx.ids.cs('address', input.AllocationId)
      : (await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { ipaddress: input.PublicIp }))[0]?.id;
    if (!id) throw ec2Error('InvalidAddress.NotFound', `Address '${input.PublicIp}' not found.`);
    await csJob(ctx, 'disassociateIpAddress', { id });
    return { Return: true };
  },
});

export const associationActions = actions({
  async AssociateAddress(ctx, input) {
    if (!input.InstanceId) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
    // Without either, the listing below would name no address and the first one would be taken.
    if (!input.AllocationId && !input.PublicIp)
      throw ec2Error('MissingParameter', 'The request must contain the parameter AllocationId');
    const vmId = await ctx.ids.cs('instance', input.InstanceId);
    const ipId = input.AllocationId
      ? await ctx.ids.cs('address', input.AllocationId)
      : (await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { ipaddress: input.PublicIp }))[0]?.id;
    if (!ipId) throw ec2Error('InvalidAddress.NotFound', `Address '${input.PublicIp}' not found.`);
    // EC2 moves an address already associated elsewhere when allowed; CloudStack needs it freed first.
    const [ip] = await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { id: ipId });
    if (ip?.virtualmachineid && ip.virtualmachineid !== vmId) {
      if (input.AllowReassociation === false)
        throw ec2Error(
          'Resource.AlreadyAssociated',
          `resource ${input.AllocationId ?? input.PublicIp} is already associated with associate-id ${await ctx.ids.of('association', ipId)}`,
        );
      await csJob(ctx, 'disableStaticNat', { ipaddressid: ipId });
    }
    if (ip?.virtualmachineid !== vmId) await cs(ctx, 'enableStaticNat', { ipaddressid: ipId, virtualmachineid: vmId });
    return { AssociationId: await ctx.ids.of('association', ipId) };
  },
  async DisassociateAddress(ctx, input) {
    if (!input.AssociationId && !input.PublicIp)
      throw ec2Error('MissingParameter', 'The request must contain the parameter AssociationId');
    const ipId = input.AssociationId
      ? await ctx.ids.cs('association', input.AssociationId)
      : (await csList(ctx, 'listPublicIpAddresses', 'publicipaddress', { ipaddress: input.PublicIp }))[0]?.id;
    if (!ipId)
      throw ec2Error(
        'InvalidAssociationID.NotFound',
        `The association ID '${input.AssociationId ?? input.PublicIp}' does not exist`,
      );
    await csJob(ctx, 'disableStaticNat', { ipaddressid: ipId });
    return {};
  },
});
