import { createHash } from 'node:crypto';
import type { WireVm } from '../../cloudstack/wire.js';
import type { Ec2Context } from '../context.js';
import { applyFilters, type Filter } from '../filters.js';
import { TERMINATED } from '../states.js';
import { disksOf, instanceView, type InstanceView } from './instances.view.js';
import { primeInstanceNotes } from './instances.extras.js';

/** AWS keeps terminated instances listed for about an hour. */
const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

export type Terminated = { ec2Id: string; instance: unknown };

/** The caller's instances terminated within the hour, as the front recorded them. */
export const terminatedOf = (ctx: Ec2Context): Promise<Terminated[]> =>
  ctx.store.terminatedSince(ctx.creds.apiKey, ctx.clock.now() - TERMINATED_VISIBLE_MS);

/**
 * Instances as EC2 shows them; one EC2 terminated that CloudStack is still stopping is shutting-down,
 * never stopping or running again. `whole`: the VMs are all the caller's, not a page (disksOf).
 */
export async function render(ctx: Ec2Context, vms: WireVm[], terminated: readonly { ec2Id: string }[], whole = false) {
  const ending = new Set(terminated.map((t) => t.ec2Id));
  primeInstanceNotes(
    ctx,
    vms.map((vm) => vm.id as string),
  );
  const disks = await disksOf(ctx, vms, whole);
  return (await Promise.all(vms.map((vm) => instanceView(ctx, vm, 0, disks)))).map((i) =>
    ending.has(i['InstanceId']) && i['State'].Name !== 'terminated'
      ? { ...i, State: { Code: 32, Name: 'shutting-down' } }
      : i,
  );
}

/** Instances terminated within the hour that CloudStack no longer lists, as EC2 still shows them. */
export function goneOnes(terminated: Terminated[], live: { InstanceId?: string }[], ids?: string[]) {
  const listed = new Set(live.map((i) => i.InstanceId));
  return terminated
    .filter((t) => !listed.has(t.ec2Id) && (!ids || ids.includes(t.ec2Id)))
    .map((t) => ({
      ...(t.instance as InstanceView),
      State: TERMINATED,
      PrivateIpAddress: undefined,
      PublicIpAddress: undefined,
    }));
}

export function filterInstances(instances: InstanceView[], filters: Filter[] | undefined) {
  return applyFilters(instances, filters, {
    'instance-id': (i) => [i.InstanceId],
    'instance-state-name': (i) => [i.State.Name],
    'instance-state-code': (i) => [i.State.Code],
    'instance-type': (i) => [i.InstanceType],
    'image-id': (i) => [i.ImageId],
    'key-name': (i) => [i.KeyName],
    'availability-zone': (i) => [i.Placement?.AvailabilityZone],
    'private-ip-address': (i) => [i.PrivateIpAddress],
    'ip-address': (i) => [i.PublicIpAddress],
    'vpc-id': (i) => [i.VpcId],
    'subnet-id': (i) => [i.SubnetId],
    'instance.group-id': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupId),
    'instance.group-name': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupName),
    'group-id': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupId),
    'group-name': (i) => (i.SecurityGroups ?? []).map((g) => g.GroupName),
    'reservation-id': (i) => [reservationOf(i.InstanceId)],
    'owner-id': (i) => [i.ownerId],
    'root-device-type': (i) => [i.RootDeviceType],
    architecture: (i) => [i.Architecture],
    'launch-index': (i) => [i.AmiLaunchIndex],
    'placement-group-name': (i) => [i.Placement?.GroupName],
    'monitoring-state': (i) => [i.Monitoring?.State],
    'metadata-options.http-tokens': (i) => [i.MetadataOptions?.HttpTokens],
  });
}

/** One reservation per instance unless launched together (then the RunInstances answer says so). */
const reservationOf = (instanceId: string) => `r-${createHash('sha256').update(instanceId).digest('hex').slice(0, 17)}`;

export function reservations(instances: InstanceView[]) {
  return instances.map(({ ownerId, ...i }) => ({
    ReservationId: reservationOf(i.InstanceId),
    OwnerId: ownerId,
    Groups: [],
    Instances: [i],
  }));
}
