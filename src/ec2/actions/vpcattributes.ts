import type { AttributeBooleanValue } from '@aws-sdk/client-ec2';
import type { Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { vpcAttribute } from './dhcp.js';
import { actions } from './types.js';
import { subnetOf, vpcKey, vpcOf } from './vpcnet.js';

/**
 * VPC and subnet attributes CloudStack has no setting for (its virtual router always serves DNS
 * and names guests; a guest gets a public address only through static NAT or a port forward):
 * kept by the front and shown by DescribeVpcAttribute and DescribeSubnets.
 */
const VPC_ATTRIBUTES = ['EnableDnsSupport', 'EnableDnsHostnames', 'EnableNetworkAddressUsageMetrics'] as const;

/** Subnet attributes as stored (`mapPublicIpOnLaunch`, ...) per CloudStack network id. */
export async function subnetAttributes(ctx: Ec2Context, csIds: string[]): Promise<Map<string, boolean>> {
  const m = await ctx.store.attrs(csIds, 'mapPublicIpOnLaunch');
  return new Map([...m].map(([k, v]) => [k, v === 'true']));
}

const flag = (v: AttributeBooleanValue | undefined): boolean | undefined => v?.Value;

export const vpcAttributeActions = actions({
  async ModifyVpcAttribute(ctx, input) {
    const given = VPC_ATTRIBUTES.filter((a) => input[a] !== undefined);
    if (!given.length)
      throw ec2Error(
        'MissingParameter',
        'The request must contain the parameter EnableDnsSupport or EnableDnsHostnames',
      );
    // AWS takes one attribute per call.
    if (given.length > 1)
      throw ec2Error(
        'InvalidParameterCombination',
        'Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames',
      );
    const vpc = await vpcOf(ctx, input.VpcId);
    const attr = given[0]!;
    const value = flag(input[attr]);
    if (value === undefined) throw ec2Error('MissingParameter', `The request must contain the parameter ${attr}.Value`);
    const name = `${attr[0]!.toLowerCase()}${attr.slice(1)}` as
      'enableDnsSupport' | 'enableDnsHostnames' | 'enableNetworkAddressUsageMetrics';
    if (name === 'enableDnsHostnames' && value && !(await vpcAttribute(ctx, vpc.VpcId, 'enableDnsSupport')))
      throw ec2Error('InvalidParameterValue', 'Cannot enable DNS hostnames when DNS support is disabled for the VPC');
    if (name === 'enableDnsSupport' && !value && (await vpcAttribute(ctx, vpc.VpcId, 'enableDnsHostnames')))
      throw ec2Error('InvalidParameterValue', 'Cannot disable DNS support while DNS hostnames are enabled for the VPC');
    await ctx.store.setAttr(vpcKey(vpc), name, String(value));
    return {};
  },
  async ModifySubnetAttribute(ctx, input) {
    const { net } = await subnetOf(ctx, input.SubnetId);
    // No IPv6 ranges, customer-owned pools or DNS64 here: asking for one is refused, turning it off is a no-op.
    if (flag(input.AssignIpv6AddressOnCreation))
      throw ec2Error('InvalidParameterValue', `Subnet ${input.SubnetId} has no IPv6 CIDR block`);
    if (flag(input.MapCustomerOwnedIpOnLaunch))
      throw ec2Error('InvalidParameterValue', 'Customer-owned IP pools are not available');
    if (flag(input.EnableDns64))
      throw ec2Error('InvalidParameterValue', `Subnet ${input.SubnetId} has no IPv6 CIDR block`);
    const map = flag(input.MapPublicIpOnLaunch);
    if (map !== undefined) await ctx.store.setAttr(net.id, 'mapPublicIpOnLaunch', String(map));
    return {};
  },
});
