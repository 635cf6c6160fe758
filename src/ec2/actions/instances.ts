import { createHash } from 'node:crypto';
import type { WireError, WireVm } from '../../cloudstack/wire.js';
import { cs, csCall, csJob, csList, csTime, fromCloudStack, type Ec2Context } from '../context.js';
import { consoleLog } from '../../simulator/console.js';
import { ec2Error } from '../errors.js';
import { instanceTypeOf, stateOf, TERMINATED } from '../states.js';
import { checkMappedSnapshots, visibleCsId } from '../visible.js';
import { zones } from './geo.js';
import { launchGroups, mappable, mappedGroups, setMembership, settle, syncNetworks } from './securitygroups.zones.js';
import { instanceView } from './instances.view.js';
import { filterInstances, goneOnes, render, reservations, terminatedOf } from './instances.list.js';
import { describePage } from './instances.page.js';
import type { Tag } from '@aws-sdk/client-ec2';
import { actions, csTags, specTagsOf, type Decoded, type Input, type TagSpecs } from './types.js';
import { withLaunchTemplate } from './launchtemplates.data.js';
import { placementGroupOf } from './placement.js';
import { checkLaunchNotes, launchNotes } from './instances.extras.js';

async function vmsOf(ctx: Ec2Context, instanceIds?: readonly (string | undefined)[]): Promise<WireVm[]> {
  if (!instanceIds?.length) return csList(ctx, 'listVirtualMachines', 'virtualmachine');
  const out = [];
  for (const iid of instanceIds) {
    const id = await ctx.ids.cs('instance', iid);
    const r = await csCall(ctx, 'listVirtualMachines', { id });
    const vm = r.body ? r.body['virtualmachine']?.[0] : undefined;
    if (vm) out.push(vm);
    else if (!(await terminatedOne(ctx, iid)))
      throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${iid}' does not exist`);
  }
  return out;
}

async function terminatedOne(ctx: Ec2Context, iid: string | undefined) {
  return (await terminatedOf(ctx)).find((t) => t.ec2Id === iid);
}

async function describe(ctx: Ec2Context, input: Input<'DescribeInstances'>) {
  if (input.MaxResults !== undefined && input.InstanceIds?.length)
    throw ec2Error(
      'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults',
    );
  const terminated = await terminatedOf(ctx);
  const live = await render(ctx, await vmsOf(ctx, input.InstanceIds), terminated, !input.InstanceIds?.length);
  const gone = goneOnes(terminated, live, input.InstanceIds);
  return filterInstances([...live, ...gone], input.Filters);
}

/** Start/Stop/Terminate answers: previous and current state of each instance. */
async function changeStates(
  ctx: Ec2Context,
  ids: string[] | undefined,
  command: 'startVirtualMachine' | 'stopVirtualMachine' | 'destroyVirtualMachine',
  extra: Record<string, unknown>,
  opts: { skipIf?: string[]; terminate?: boolean; transitional?: { Code: number; Name: string } } = {},
) {
  if (!ids?.length) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
  // Every id is checked before anything changes: one bad id refuses the whole request, as EC2 does.
  const targets: { iid: string; vm?: WireVm }[] = [];
  for (const iid of ids) {
    const gone = await terminatedOne(ctx, iid);
    const [vm] = gone && opts.terminate ? [undefined] : await vmsOf(ctx, [iid]);
    if (!vm && !opts.terminate)
      throw ec2Error('IncorrectInstanceState', `The instance '${iid}' is not in a state from which it can be started.`);
    if (vm && stateOf(vm.state).Name === 'terminated' && !opts.terminate)
      throw ec2Error(
        'IncorrectInstanceState',
        `The instance '${iid}' is not in a state from which it can be ${command.startsWith('start') ? 'started' : 'stopped'}.`,
      );
    targets.push({ iid, vm });
  }
  const changes = [];
  for (const { iid, vm } of targets) {
    if (!vm) {
      changes.push({ InstanceId: iid, PreviousState: TERMINATED, CurrentState: TERMINATED });
      continue;
    }
    const previous = stateOf(vm.state);
    if (!opts.skipIf?.includes(vm.state)) {
      let r = await csCall(ctx, command, { id: vm.id, ...extra });
      // A terminated instance is gone on EC2; CloudStack lets only admins (or a setting) expunge at once.
      if (opts.terminate && r.status === 431 && extra['expunge']) r = await csCall(ctx, command, { id: vm.id });
      if (r.error) throw fromCloudStack(r.status, String(r.error?.errortext));
    }
    if (opts.terminate) await ctx.store.terminate(iid, ctx.creds.apiKey, await instanceView(ctx, vm), ctx.clock.now());
    // The firewall of a network in a zone without groups no longer carries what only this instance's groups asked for.
    if (opts.terminate && mappedGroups(vm).length)
      await syncNetworks(
        ctx,
        (vm.nic ?? []).map((n) => n.networkid as string),
        [vm.id],
      );
    // The change has been asked for, not finished: EC2 answers with the transitional state.
    const current = opts.skipIf?.includes(vm.state) ? previous : (opts.transitional ?? previous);
    changes.push({ InstanceId: iid, PreviousState: previous, CurrentState: current });
  }
  return changes;
}

export const instanceActions = actions({
  async DescribeInstances(ctx, input) {
    if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000))
      throw ec2Error('InvalidParameterValue', 'Value for parameter MaxResults must be between 5 and 1000');
    // Named instances come whole: AWS refuses MaxResults with them (describe says so) and has nothing to page.
    if ((input.MaxResults === undefined && input.NextToken === undefined) || input.InstanceIds?.length)
      return { Reservations: reservations(await describe(ctx, input)) };
    const { instances, next } = await describePage(ctx, input);
    return { Reservations: reservations(instances), NextToken: next };
  },
  async DescribeInstanceStatus(ctx, input) {
    const all = (await describe(ctx, { InstanceIds: input.InstanceIds, Filters: input.Filters })).filter(
      (i) => input.IncludeAllInstances || i.State.Name === 'running',
    );
    return {
      InstanceStatuses: all.map((i) => ({
        InstanceId: i.InstanceId,
        AvailabilityZone: i.Placement?.AvailabilityZone,
        InstanceState: i.State,
        Events: [],
        InstanceStatus: {
          Status: i.State.Name === 'running' ? 'ok' : 'not-applicable',
          Details: [{ Name: 'reachability', Status: 'passed' }],
        },
        SystemStatus: {
          Status: i.State.Name === 'running' ? 'ok' : 'not-applicable',
          Details: [{ Name: 'reachability', Status: 'passed' }],
        },
      })),
    };
  },
  async RunInstances(ctx, input) {
    return runInstances(ctx, input);
  },
  async StartInstances(ctx, input) {
    return {
      StartingInstances: await changeStates(
        ctx,
        input.InstanceIds,
        'startVirtualMachine',
        {},
        { skipIf: ['Running', 'Starting'], transitional: { Code: 0, Name: 'pending' } },
      ),
    };
  },
  async StopInstances(ctx, input) {
    return {
      StoppingInstances: await changeStates(
        ctx,
        input.InstanceIds,
        'stopVirtualMachine',
        { forced: input.Force ?? false },
        { skipIf: ['Stopped', 'Stopping'], transitional: { Code: 64, Name: 'stopping' } },
      ),
    };
  },
  async TerminateInstances(ctx, input) {
    return {
      TerminatingInstances: await changeStates(
        ctx,
        input.InstanceIds,
        'destroyVirtualMachine',
        { expunge: true },
        { skipIf: ['Destroyed', 'Expunging'], terminate: true, transitional: { Code: 32, Name: 'shutting-down' } },
      ),
    };
  },
  async RebootInstances(ctx, input) {
    for (const vm of await vmsOf(ctx, input.InstanceIds))
      if (vm.state === 'Running') await cs(ctx, 'rebootVirtualMachine', { id: vm.id });
    return { Return: true };
  },
  async GetConsoleOutput(ctx, input) {
    const [vm] = await vmsOf(ctx, [input.InstanceId]);
    // A stopped or never-started instance has printed nothing yet.
    if (!vm || vm.state === 'Starting' || (vm.state === 'Stopped' && !vm.hostid))
      return { InstanceId: input.InstanceId, Timestamp: ctx.clock.now() };
    const ud = (await cs(ctx, 'getVirtualMachineUserData', { virtualmachineid: vm.id }))['virtualmachineuserdata']
      ?.userdata as string | undefined;
    const log = consoleLog({
      name: vm.name,
      instanceId: String(input.InstanceId),
      template: vm.templatename,
      privateIp: vm.ipaddress,
      started: csTime(vm.lastupdated ?? vm.created),
      userData: ud ? Buffer.from(ud, 'base64').toString('utf8') : undefined,
    });
    return { InstanceId: input.InstanceId, Timestamp: ctx.clock.now(), Output: Buffer.from(log).toString('base64') };
  },
  async DescribeInstanceAttribute(ctx, input) {
    const [vm] = await vmsOf(ctx, [input.InstanceId]);
    const attr = input.Attribute as string;
    const out: Record<string, unknown> = { InstanceId: input.InstanceId };
    const value = (v: unknown) => ({ Value: v });
    switch (attr) {
      case 'instanceType':
        out['InstanceType'] = value(instanceTypeOf(vm.serviceofferingname ?? ''));
        break;
      case 'userData': {
        const ud = await cs(ctx, 'getVirtualMachineUserData', { virtualmachineid: vm.id });
        out['UserData'] = value(ud['virtualmachineuserdata']?.userdata);
        break;
      }
      case 'disableApiTermination':
        out['DisableApiTermination'] = value(false);
        break;
      case 'disableApiStop':
        out['DisableApiStop'] = value(false);
        break;
      case 'instanceInitiatedShutdownBehavior':
        out['InstanceInitiatedShutdownBehavior'] = value('stop');
        break;
      case 'rootDeviceName':
        out['RootDeviceName'] = value('/dev/xvda');
        break;
      case 'blockDeviceMapping':
        out['BlockDeviceMappings'] = [];
        break;
      case 'groupSet':
        out['Groups'] = (await instanceView(ctx, vm))['SecurityGroups'];
        break;
      case 'sourceDestCheck':
        out['SourceDestCheck'] = value((await instanceView(ctx, vm))['SourceDestCheck']);
        break;
      case 'ebsOptimized':
        out['EbsOptimized'] = value(false);
        break;
      case 'enaSupport':
        out['EnaSupport'] = value(true);
        break;
      default:
        throw ec2Error(
          'InvalidParameterValue',
          `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`,
        );
    }
    return out;
  },
});

/** Groups made for another VPC cannot go on an instance of this one, as on AWS. */
async function checkGroupsVpc(ctx: Ec2Context, groups: string[], vpcId: string, subnetId: string): Promise<void> {
  const of = await ctx.store.attrs(groups, 'vpc');
  for (const g of groups) {
    const v = of.get(g);
    if (v && v !== vpcId)
      throw ec2Error(
        'InvalidParameter',
        `Security group ${await ctx.ids.of('securityGroup', g)} and subnet ${subnetId} belong to different networks.`,
      );
  }
}

/** The subnet (CloudStack network) to launch into: SubnetId, or that of the primary network interface. */
async function launchSubnet(ctx: Ec2Context, input: Input<'RunInstances'>) {
  const primary = (input.NetworkInterfaces ?? []).find((n) => (n.DeviceIndex ?? 0) === 0);
  const subnetId: string | undefined = input.SubnetId ?? primary?.SubnetId;
  if (!subnetId) return undefined;
  const id = await ctx.ids.cs('subnet', subnetId);
  const net = (await cs(ctx, 'listNetworks', { id, listall: true }))['network']?.[0];
  if (!net) throw ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  const privateIp: string | undefined = input.PrivateIpAddress ?? primary?.PrivateIpAddress;
  return { id, subnetId, zoneid: net.zoneid as string, zonename: net.zonename as string, privateIp };
}

const expungeAll = async (ctx: Ec2Context, vms: { id: string }[]) => {
  for (const d of vms) await csCall(ctx, 'destroyVirtualMachine', { id: d.id, expunge: true });
};

/** How long RunInstances watches fresh deploy jobs for a placement failure, in real time. */
const PLACEMENT_WATCH_MS = 200;
/** How often the watch looks again without a wake-up: always against a remote cloud; in process, for jobs another node runs. */
const PLACEMENT_POLL_MS = 10;
const PLACEMENT_POLL_LOCAL_MS = 50;

/**
 * CloudStack places a VM inside its deploy job and reports no capacity as a failed job (533), while
 * EC2 refuses RunInstances at once. Placement is the job's first step, so the jobs are watched
 * briefly: those that fail for capacity by then did not launch; the rest are pending (or done).
 */
async function placementFailures(ctx: Ec2Context, deployed: { id: string; jobid: string }[]) {
  const failed: { id: string; d: { id: string; jobid: string }; status: number; text: string }[] = [];
  const open = new Set(deployed.map((d) => d.jobid));
  const until = Date.now() + PLACEMENT_WATCH_MS;
  while (open.size && Date.now() < until) {
    // Listening starts before the look, so a job that moves during it still wakes the wait below.
    const moved = ctx.port.jobsMoved?.([...open], Math.min(PLACEMENT_POLL_LOCAL_MS, until - Date.now()));
    // An admin sees the host a VM was placed on: such a VM is past the step that can fail for capacity.
    const placed = new Set(
      (
        await csList(ctx, 'listVirtualMachines', 'virtualmachine', {
          ids: [...deployed.filter((x) => open.has(x.jobid)).map((x) => x.id)],
        })
      )
        .filter((vm) => vm.hostid)
        .map((vm) => vm.id as string),
    );
    for (const d of deployed.filter((x) => open.has(x.jobid))) {
      if (placed.has(d.id)) {
        open.delete(d.jobid);
        continue;
      }
      const job = await cs(ctx, 'queryAsyncJobResult', { jobid: d.jobid });
      if (job['jobstatus'] === 0) continue;
      open.delete(d.jobid);
      const error = job.jobstatus === 2 ? (job.jobresult as Partial<WireError> | undefined) : undefined;
      const code = Number(job['jobresultcode'] ?? error?.errorcode);
      if (job['jobstatus'] === 2 && (code === 533 || code === 534))
        failed.push({ id: d.id, d, status: code, text: String(error?.errortext ?? '') });
    }
    if (open.size) await (moved ?? new Promise((r) => setTimeout(r, PLACEMENT_POLL_MS)));
  }
  return failed;
}

const specTags = (input: { TagSpecifications?: TagSpecs }, type: string) => specTagsOf(input.TagSpecifications, type);

/** AWS tags every volume a launch creates with the `volume` TagSpecifications: here the instance's root disk. */
async function tagLaunchVolumes(ctx: Ec2Context, vmId: string, tags: Decoded<Tag>[]) {
  if (!tags.length) return;
  const volumes = await csList(ctx, 'listVolumes', 'volume', { virtualmachineid: vmId });
  if (volumes.length)
    await csJob(ctx, 'createTags', {
      resourcetype: 'Volume',
      resourceids: volumes.map((v) => v.id),
      tags: csTags(tags),
    });
}

/** RunInstances: MaxCount VMs if they fit, at least MinCount or none (what was placed is rolled back). */
async function runInstances(ctx: Ec2Context, request: Input<'RunInstances'>): Promise<Record<string, unknown>> {
  const min = request.MinCount ?? 1;
  const max = request.MaxCount ?? min;
  if (!request.ImageId && !request.LaunchTemplate)
    throw ec2Error('MissingParameter', 'The request must contain the parameter ImageId');
  if (!(min >= 1 && max >= min))
    throw ec2Error('InvalidParameterValue', 'MinCount must be at least 1 and no more than MaxCount');
  const hash = createHash('sha256')
    .update(JSON.stringify({ ...request, ClientToken: undefined }))
    .digest('hex');
  if (request.ClientToken) {
    const seen = await ctx.store.clientToken(ctx.creds.apiKey, request.ClientToken);
    if (seen && seen.paramsHash !== hash)
      throw ec2Error(
        'IdempotentParameterMismatch',
        'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).',
      );
    // What was saved is this function's own answer to the first request.
    if (seen) return seen.reservation as Record<string, unknown>;
  }
  // A launch template's data under the call's own parameters (launchtemplates.data.ts).
  const input = await withLaunchTemplate(ctx, request);
  if (!input.ImageId) throw ec2Error('MissingParameter', 'The request must contain the parameter ImageId');
  checkLaunchNotes(input);
  const placementGroup = await placementGroupOf(ctx, input.Placement);
  const templateid = await visibleCsId(ctx, 'image', input.ImageId);
  await checkMappedSnapshots(ctx, input.BlockDeviceMappings);
  const offerings = await csList(ctx, 'listServiceOfferings', 'serviceoffering');
  const type = input.InstanceType ?? 'm1.small';
  const offering =
    offerings.find((o) => instanceTypeOf(o.name) === type) ?? (type === 'm1.small' ? offerings[0] : undefined);
  if (!offering) throw ec2Error('InvalidParameterValue', `Invalid value '${type}' for InstanceType.`);
  const allZones = await zones(ctx);
  const subnet = await launchSubnet(ctx, input);
  const wanted = input.Placement?.AvailabilityZone;
  if (subnet && wanted && wanted !== subnet.zonename)
    throw ec2Error('InvalidParameterValue', `Subnet ${subnet.subnetId} is in ${subnet.zonename}, not in ${wanted}`);
  const named = !!(input.SecurityGroupIds?.length || input.SecurityGroups?.length);
  // Without a placement, a launch naming security groups goes to the first zone that has them: CloudStack
  // refuses groups in an advanced zone without them, where EC2 accepts groups everywhere.
  const zone = subnet
    ? allZones.find((z) => z.csZoneId === subnet.zoneid)
    : wanted
      ? allZones.find((z) => z.ZoneName === wanted)
      : (allZones.find((z) => z.State === 'available' && (z.securityGroups || !named)) ??
        allZones.find((z) => z.State === 'available'));
  if (!zone) throw ec2Error('InvalidParameterValue', `Invalid availability zone: [${wanted}]`);
  // In a zone without CloudStack security groups the groups become the network's firewall (securitygroups.zones.ts).
  const mapped = named && !zone.securityGroups ? await launchGroups(ctx, input) : undefined;
  if (mapped && subnet) {
    const [net] = await csList(ctx, 'listNetworks', 'network', { id: subnet.id, listall: true });
    // A VPC tier is guarded by its network ACL: the groups are recorded on the VM, their rules not enforced there (GAPS.md).
    if (net?.vpcid) await checkGroupsVpc(ctx, mapped, await ctx.ids.of('vpc', net.vpcid), subnet.subnetId);
    else if (!mappable(net))
      throw ec2Error(
        'InvalidParameterValue',
        `Security groups cannot be applied in subnet ${subnet.subnetId}: only isolated networks outside a VPC carry a firewall in zone ${zone.ZoneName}`,
      );
  }
  const groupIds = mapped
    ? []
    : await Promise.all((input.SecurityGroupIds ?? []).map((g: string) => ctx.ids.cs('securityGroup', g)));
  const nameTag = (input.TagSpecifications ?? [])
    .flatMap((s) => (s.ResourceType === 'instance' ? (s.Tags ?? []) : []))
    .find((t) => t.Key === 'Name')?.Value;
  const deployed: { id: string; jobid: string }[] = [];
  try {
    for (let i = 0; i < max; i++) {
      const r = await csCall(ctx, 'deployVirtualMachine', {
        zoneid: zone.csZoneId,
        templateid,
        serviceofferingid: offering.id,
        keypair: input.KeyName,
        userdata: input.UserData,
        securitygroupids: groupIds.length ? groupIds : undefined,
        securitygroupnames: mapped ? undefined : input.SecurityGroups,
        displayname: nameTag,
        networkids: subnet ? [subnet.id] : undefined,
        ipaddress: subnet && max === 1 ? subnet.privateIp : undefined,
        affinitygroupids: placementGroup ? [placementGroup.id] : undefined,
      });
      if (r.error) throw fromCloudStack(r.status, String(r.error?.errortext));
      deployed.push({ id: r.body['id'], jobid: r.body['jobid'] });
      if (mapped) await setMembership(ctx, r.body['id'], mapped);
    }
  } catch (e) {
    // EC2's MinCount rule: fewer than MinCount launched means none are.
    if (deployed.length < min) {
      await expungeAll(ctx, deployed);
      throw e;
    }
  }
  const unplaced = await placementFailures(ctx, deployed);
  if (unplaced.length) {
    const placed = deployed.filter((d) => !unplaced.some((u) => u.id === d.id));
    await expungeAll(ctx, placed.length < min ? deployed : unplaced.map((u) => u.d));
    if (placed.length < min) throw fromCloudStack(unplaced[0]!.status, unplaced[0]!.text);
    deployed.splice(0, deployed.length, ...placed);
  }
  if (mapped) {
    // The firewall goes on the network's addresses, which CloudStack claims as the deploy job implements the network.
    await settle(
      ctx,
      deployed.map((d) => d.jobid),
    );
    const vms = await csList(ctx, 'listVirtualMachines', 'virtualmachine', { ids: deployed.map((d) => d.id) });
    await syncNetworks(
      ctx,
      vms.flatMap((vm) => (vm.nic ?? []).map((n) => n.networkid as string)),
    );
  }
  await launchNotes(
    ctx,
    deployed.map((d) => d.id),
    input,
  );
  const instances = [];
  for (const [i, d] of deployed.entries()) {
    const vm = ((await cs(ctx, 'listVirtualMachines', { id: d.id }))['virtualmachine'] ?? [])[0]!;
    const tags = specTags(input, 'instance');
    if (tags.length)
      await csJob(ctx, 'createTags', { resourcetype: 'UserVm', resourceids: [vm.id], tags: csTags(tags) });
    await tagLaunchVolumes(ctx, vm.id, specTags(input, 'volume'));
    const { ownerId: _o, ...view } = await instanceView(
      ctx,
      { ...vm, tags: [...(vm.tags ?? []), ...tags.map((t) => ({ key: t.Key, value: t.Value }))] },
      i,
    );
    // AWS answers RunInstances with every instance pending, however quickly it then starts.
    instances.push({ ...view, State: { Code: 0, Name: 'pending' }, ClientToken: input.ClientToken ?? '' });
  }
  const first = await instanceView(
    ctx,
    ((await cs(ctx, 'listVirtualMachines', { id: deployed[0]!.id }))['virtualmachine'] ?? [])[0]!,
  );
  const out = {
    ReservationId: `r-${createHash('sha256')
      .update(deployed.map((d) => d.id).join())
      .digest('hex')
      .slice(0, 17)}`,
    OwnerId: first['ownerId'],
    Groups: [],
    Instances: instances,
  };
  if (input.ClientToken)
    await ctx.store.saveClientToken(ctx.creds.apiKey, input.ClientToken, hash, out, ctx.clock.now());
  return out;
}
