import { cs, csCall, csList, type Ec2Context } from '../context.js';
import { zones } from './geo.js';
import { launchGroups, mappedGroups, setMembership, syncNetworks } from './securitygroups.zones.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { instanceTypeOf } from '../states.js';
import { visibleCsId } from '../visible.js';
import { pairView, protocolToEc2, type GroupPair } from './securitygroups.rules.js';
import { actions } from './types.js';
import { vpcAttribute } from './dhcp.js';
import { setSourceDestCheck } from './instances.extras.js';

/** ModifyInstanceAttribute's Groups: in a zone without CloudStack groups, the membership tag and the network's firewall. */
async function changeGroups(ctx: Ec2Context, vmId: string, groups: string[]) {
  const [vm] = await csList(ctx, 'listVirtualMachines', 'virtualmachine', { id: vmId });
  const zone = (await zones(ctx)).find((z) => z.csZoneId === vm?.zoneid);
  // CloudStack changes a VM's groups only through updateVirtualMachine, which polystack's CloudStack does not take yet.
  if (!vm || !zone || zone.securityGroups)
    throw ec2Error(
      'UnsupportedOperation',
      'The security groups of an instance in a zone with CloudStack security groups cannot be changed after launch',
    );
  const ids = await launchGroups(ctx, { SecurityGroupIds: groups });
  await setMembership(ctx, vm.id, ids);
  await syncNetworks(
    ctx,
    (vm.nic ?? []).map((n) => n.networkid as string),
  );
}

const referenced = ({ GroupId, UserId }: GroupPair) => ({ GroupId, UserId });

/** The calls Terraform's AWS provider and the SDKs make around an instance besides the lifecycle. */
export const attributeActions = actions({
  async GetPasswordData(ctx, input) {
    const id = await visibleCsId(ctx, 'instance', input.InstanceId);
    // CloudStack hands out the password encrypted with the instance's SSH key, as EC2 does.
    const r = await csCall(ctx, 'getVMPassword', { id });
    return {
      InstanceId: input.InstanceId,
      Timestamp: ctx.clock.now(),
      PasswordData: r.body ? (r.body['password']?.encryptedpassword ?? '') : '',
    };
  },
  async ModifyInstanceAttribute(ctx, input) {
    const id = await visibleCsId(ctx, 'instance', input.InstanceId);
    const type = input.InstanceType?.Value ?? (input.Attribute === 'instanceType' ? input.Value : undefined);
    const userData = input.UserData?.Value ?? (input.Attribute === 'userData' ? input.Value : undefined);
    if (type) {
      const offering = (await csList(ctx, 'listServiceOfferings', 'serviceoffering')).find(
        (o) => instanceTypeOf(o.name) === type,
      );
      if (!offering) throw ec2Error('InvalidInstanceAttributeValue', `The instance type '${type}' is not valid`);
      const r = await csCall(ctx, 'changeServiceForVirtualMachine', { id, serviceofferingid: offering.id });
      if (r.status === 431 && /not Stopped/.test(String(r.error?.errortext)))
        throw ec2Error('IncorrectInstanceState', `The instance '${input.InstanceId}' is not in the 'stopped' state.`);
      if (r.error && !/already has/.test(String(r.error?.errortext)))
        throw ec2Error('InvalidParameterValue', String(r.error?.errortext));
    }
    if (userData !== undefined) await cs(ctx, 'updateVirtualMachine', { id, userdata: userData });
    if (input.Groups?.length) await changeGroups(ctx, id, input.Groups);
    const check =
      input.SourceDestCheck?.Value ?? (input.Attribute === 'sourceDestCheck' ? input.Value === 'true' : undefined);
    if (check !== undefined) await setSourceDestCheck(ctx, id, check);
    // Flags CloudStack has no notion of (DisableApiTermination, ...) are accepted and change nothing; SourceDestCheck is kept by the front.
    return {};
  },
  async DescribeSecurityGroupRules(ctx, input) {
    const rules = [];
    for (const g of await csList(ctx, 'listSecurityGroups', 'securitygroup')) {
      const groupId = await ctx.ids.of('securityGroup', g.id);
      for (const [egress, list] of [
        [false, g.ingressrule ?? []],
        [true, g.egressrule ?? []],
      ] as const) {
        for (const r of list) {
          rules.push({
            SecurityGroupRuleId: await ctx.ids.of('rule', r.ruleid),
            GroupId: groupId,
            IsEgress: egress,
            IpProtocol: protocolToEc2(r.protocol),
            FromPort: r.protocol === 'icmp' ? r.icmptype : (r.startport ?? -1),
            ToPort: r.protocol === 'icmp' ? r.icmpcode : (r.endport ?? -1),
            ...(r.cidr ? { [String(r.cidr).includes(':') ? 'CidrIpv6' : 'CidrIpv4']: r.cidr } : {}),
            ...(r.securitygroupname ? { ReferencedGroupInfo: referenced(await pairView(ctx, g, r)) } : {}),
            Tags: [],
          });
        }
      }
    }
    const wanted = input.SecurityGroupRuleIds as string[] | undefined;
    return {
      SecurityGroupRules: applyFilters(
        rules.filter((r) => !wanted || wanted.includes(r.SecurityGroupRuleId)),
        input.Filters,
        {
          'group-id': (r) => [r.GroupId],
          'security-group-rule-id': (r) => [r.SecurityGroupRuleId],
        },
      ),
    };
  },
  async DescribeInstanceCreditSpecifications(ctx, input) {
    const vms = await csList(ctx, 'listVirtualMachines', 'virtualmachine');
    const specs = await Promise.all(
      vms.map(async (vm) => ({ InstanceId: await ctx.ids.of('instance', vm.id), CpuCredits: 'standard' })),
    );
    return {
      InstanceCreditSpecifications: specs.filter((s) => !input.InstanceIds || input.InstanceIds.includes(s.InstanceId)),
    };
  },
  async DescribeVpcAttribute(ctx, input) {
    if (!input.Attribute) throw ec2Error('MissingParameter', 'The request must contain the parameter Attribute');
    if (!input.VpcId) throw ec2Error('MissingParameter', 'The request must contain the parameter VpcId');
    const vpcId = await ctx.ids.cs('vpc', input.VpcId);
    // A zone's default VPC is everyone's; any other must be one of the caller's.
    if (!vpcId.startsWith('zone:') && !(await csList(ctx, 'listVPCs', 'vpc', { id: vpcId })).length)
      throw ec2Error('InvalidVpcID.NotFound', `The vpc ID '${input.VpcId}' does not exist`);
    // ModifyVpcAttribute keeps them (vpcattributes.ts); AWS's defaults otherwise.
    const attr =
      input.Attribute === 'enableDnsSupport' || input.Attribute === 'enableDnsHostnames'
        ? input.Attribute
        : 'enableNetworkAddressUsageMetrics';
    const value = { Value: await vpcAttribute(ctx, input.VpcId, attr) };
    return {
      VpcId: input.VpcId,
      ...(attr === 'enableDnsSupport'
        ? { EnableDnsSupport: value }
        : attr === 'enableDnsHostnames'
          ? { EnableDnsHostnames: value }
          : { EnableNetworkAddressUsageMetrics: value }),
    };
  },
});
