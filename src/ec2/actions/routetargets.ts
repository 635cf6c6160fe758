import type { CreateRouteRequest } from '@aws-sdk/client-ec2';
import { csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { notFound } from '../ids.js';
import { visibleCsId } from '../visible.js';
import type { GatewayBody, NatBody, RouteBody, RouteTableBody } from './vpcnet.defaults.js';
import { getNet, type NetObject } from './vpcnet.js';

const IGW = /^igw-[0-9a-f]{8}([0-9a-f]{9})?$/;

/**
 * A route's or association's GatewayId: an internet gateway (virtual private gateways, `vgw-`, are
 * not modelled). Anything else names no gateway, which AWS answers with InvalidGatewayID.NotFound.
 */
export function checkGatewayId(id: string | undefined): void {
  if (id !== undefined && !IGW.test(id))
    throw ec2Error('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`);
}

type Target = Pick<RouteBody, 'gateway' | 'nat' | 'instance'>;
type TargetInput = Omit<CreateRouteRequest, 'RouteTableId'>;

/** Route targets polystack never has: each is its kind's NotFound. */
const ABSENT = [
  ['EgressOnlyInternetGatewayId', 'egressOnlyInternetGateway'],
  ['VpcEndpointId', 'vpcEndpoint'],
  ['TransitGatewayId', 'transitGateway'],
  ['LocalGatewayId', 'localGateway'],
  ['CarrierGatewayId', 'carrierGateway'],
  ['VpcPeeringConnectionId', 'vpcPeeringConnection'],
  ['NetworkInterfaceId', 'networkInterface'],
] as const;

/**
 * The one target a CreateRoute/ReplaceRoute names, checked as AWS does: it must exist and be in
 * the route table's VPC. Routes stay the front's (CloudStack 4.18's static routes lead only to a
 * private gateway, never to the internet or a NAT device), so this is where they are judged.
 */
export async function routeTarget(ctx: Ec2Context, t: NetObject<RouteTableBody>, input: TargetInput): Promise<Target> {
  const named = [input.GatewayId, input.NatGatewayId, input.InstanceId, ...ABSENT.map(([m]) => input[m])].filter(
    (x) => x !== undefined,
  );
  if (named.length === 0)
    throw ec2Error(
      'MissingParameter',
      'The request must contain exactly one of gatewayId, natGatewayId, instanceId, networkInterfaceId, vpcPeeringConnectionId, transitGatewayId',
    );
  if (named.length > 1)
    throw ec2Error(
      'InvalidParameterCombination',
      'More than one target specified for the route. Only one target is allowed.',
    );
  const differ = (what: string) =>
    ec2Error(
      'InvalidParameterValue',
      `route table ${t.ec2Id} and network gateway ${what} belong to different networks`,
    );
  if (input.GatewayId) {
    const g = await getNet<GatewayBody>(ctx, 'internetGateway', input.GatewayId).catch(() => {
      throw ec2Error('InvalidGatewayID.NotFound', `The gateway ID '${input.GatewayId}' does not exist`);
    });
    if (g.vpc !== t.vpc) throw differ(g.ec2Id);
    return { gateway: g.ec2Id };
  }
  if (input.NatGatewayId) {
    const n = await getNet<NatBody>(ctx, 'natGateway', input.NatGatewayId);
    if (n.body.state === 'deleted') throw notFound('natGateway', n.ec2Id);
    if (n.vpc !== t.vpc) throw differ(n.ec2Id);
    return { nat: n.ec2Id };
  }
  if (input.InstanceId) {
    const id = await visibleCsId(ctx, 'instance', input.InstanceId);
    const [vm] = (await csList(ctx, 'listVirtualMachines', 'virtualmachine', { id })) as {
      nic?: { networkid: string }[];
      zoneid: string;
    }[];
    const nets = (await csList(ctx, 'listNetworks', 'network')) as { id: string; vpcid?: string; zoneid: string }[];
    const vpcs = await Promise.all(
      (vm?.nic ?? []).map(async (nic) => {
        const n = nets.find((x) => x.id === nic.networkid);
        return ctx.ids.of('vpc', n?.vpcid ?? `zone:${vm!.zoneid}`);
      }),
    );
    if (!vpcs.includes(t.vpc))
      throw ec2Error(
        'InvalidParameterValue',
        `The instance ${input.InstanceId} is not in the VPC of route table ${t.ec2Id}`,
      );
    return { instance: input.InstanceId };
  }
  const [member, kind] = ABSENT.find(([m]) => input[m] !== undefined)!;
  throw notFound(kind, String(input[member]));
}
