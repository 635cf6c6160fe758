import { csJob, csList, type Ec2Context } from '../context.js';
import { ec2Error } from '../errors.js';
import { applyFilters } from '../filters.js';
import { notFound } from '../ids.js';
import type { EniRow } from '../store.js';
import { page } from './paging.js';
import { actions } from './types.js';
import {
  attachmentIdOf,
  eniRows,
  freeAddress,
  liveVms,
  locate,
  newEniId,
  nicView,
  rowView,
  settle,
  type CsNic,
  type CsVm,
  type EniView,
  type Group,
} from './interfaces.view.js';

const inUse = (id: string): Error =>
  ec2Error('InvalidNetworkInterface.InUse', `The network interface '${id}' is currently in use.`);

async function instanceGroups(
  ctx: Ec2Context,
  vm: CsVm & { securitygroup?: { id: string; name: string }[] },
): Promise<Group[]> {
  return Promise.all(
    (vm.securitygroup ?? []).map(async (g) => ({
      GroupName: g.name,
      GroupId: await ctx.ids.of('securityGroup', g.id),
    })),
  );
}

/** Every interface the caller has: each NIC of its instances, then the detached ones the front keeps. */
async function allViews(ctx: Ec2Context): Promise<EniView[]> {
  const vms = await liveVms(ctx);
  const rows = await settle(ctx, vms);
  const attached = await Promise.all(
    vms.flatMap((vm) => (vm.nic ?? []).map(async (nic) => nicView(ctx, vm, nic, await instanceGroups(ctx, vm)))),
  );
  const detached = await Promise.all(rows.filter((r) => !r.nicCsId).map((r) => rowView(ctx, r)));
  return [...attached, ...detached];
}

/** The row that describes an interface, made from its NIC the first time an attribute changes. */
async function rowFor(ctx: Ec2Context, id: string): Promise<{ row: EniRow; vm?: CsVm; nic?: CsNic }> {
  const { row, vm, nic } = await locate(ctx, id);
  if (row) return { row, vm, nic };
  const made: EniRow = {
    ec2Id: id,
    accountKey: ctx.creds.apiKey,
    subnetCsId: nic!.networkid,
    privateIp: nic!.ipaddress ?? '',
    secondaryIps: '[]',
    description: nic!.isdefault ? 'Primary network interface' : '',
    sourceDestCheck: 1,
    groups: '[]',
    deviceIndex: null,
    deleteOnTermination: 1,
    vmCsId: vm!.id,
    nicCsId: nic!.id,
    attachedAt: null,
    created: ctx.clock.now(),
  };
  return { row: made, vm, nic };
}

async function groupIds(ctx: Ec2Context, groups: string[] | undefined): Promise<string[]> {
  return Promise.all((groups ?? []).map((g) => ctx.ids.cs('securityGroup', g)));
}

async function secondaryAdd(ctx: Ec2Context, nic: CsNic, ips: (string | undefined)[]): Promise<string[]> {
  const out: string[] = [];
  for (const ip of ips)
    out.push(
      String(
        (await csJob(ctx, 'addIpToNic', { nicid: nic.id, ...(ip ? { ipaddress: ip } : {}) }))['nicsecondaryip']
          ?.ipaddress ?? ip,
      ),
    );
  return out;
}

export const interfaceActions = actions({
  async DescribeNetworkInterfaces(ctx, input) {
    if (input.MaxResults !== undefined && input.NetworkInterfaceIds?.length)
      throw ec2Error(
        'InvalidParameterCombination',
        'The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults',
      );
    const all = await allViews(ctx);
    for (const id of input.NetworkInterfaceIds ?? [])
      if (!all.some((v) => v.NetworkInterfaceId === id)) throw notFound('networkInterface', id);
    const listed = applyFilters(
      all.map((v) => ({ ...v, Tags: v.TagSet })),
      input.Filters,
      {
        'network-interface-id': (v) => [v.NetworkInterfaceId],
        'subnet-id': (v) => [v.SubnetId],
        'vpc-id': (v) => [v.VpcId],
        'availability-zone': (v) => [v.AvailabilityZone],
        'attachment.instance-id': (v) => [v.Attachment?.InstanceId],
        'attachment.attachment-id': (v) => [v.Attachment?.AttachmentId],
        'attachment.device-index': (v) => [v.Attachment?.DeviceIndex],
        'attachment.status': (v) => [v.Attachment?.Status],
        'attachment.instance-owner-id': (v) => [v.Attachment?.InstanceOwnerId],
        'private-ip-address': (v) => [v.PrivateIpAddress],
        'addresses.private-ip-address': (v) => v.PrivateIpAddresses.map((a) => a.PrivateIpAddress),
        'private-dns-name': (v) => [v.PrivateDnsName],
        status: (v) => [v.Status],
        description: (v) => [v.Description],
        'group-id': (v) => v.Groups.map((g) => g.GroupId),
        'group-name': (v) => v.Groups.map((g) => g.GroupName),
        'mac-address': (v) => [v.MacAddress],
        'owner-id': (v) => [v.OwnerId],
        'source-dest-check': (v) => [String(v.SourceDestCheck)],
        'interface-type': (v) => [v.InterfaceType],
        'requester-managed': (v) => [String(v.RequesterManaged)],
      },
    )
      .map(({ Tags: _t, ...v }) => v)
      .filter((v) => !input.NetworkInterfaceIds?.length || input.NetworkInterfaceIds.includes(v.NetworkInterfaceId));
    const { items, next } = page(listed, input.MaxResults, input.NextToken, 5, 1000);
    return { NetworkInterfaces: items, NextToken: next };
  },

  async CreateNetworkInterface(ctx, input) {
    const subnet = await ctx.ids.cs('subnet', String(input.SubnetId));
    const [net] = (await csList(ctx, 'listNetworks', 'network', { id: subnet })) as { id: string; cidr?: string }[];
    if (!net) throw notFound('subnet', String(input.SubnetId));
    if (input.Ipv6AddressCount || input.Ipv6Addresses?.length || input.Ipv4Prefixes?.length || input.Ipv4PrefixCount)
      throw ec2Error('UnsupportedOperation', 'IPv6 addresses and prefixes on interfaces are not supported');
    const asked = [input.PrivateIpAddress, ...(input.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress)].filter(
      (a): a is string => !!a,
    );
    for (const a of asked)
      if (!inCidr(a, net.cidr ?? ''))
        throw ec2Error('InvalidParameterValue', `Address ${a} does not fall within the subnet's address range`);
    const primary =
      input.PrivateIpAddress ??
      input.PrivateIpAddresses?.find((p) => p.Primary)?.PrivateIpAddress ??
      asked[0] ??
      (await freeAddress(ctx, subnet));
    const secondary = asked.filter((a) => a !== primary);
    for (let i = 0; i < (input.SecondaryPrivateIpAddressCount ?? 0); i++)
      secondary.push(await freeAddress(ctx, subnet, [primary, ...secondary]));
    const row: EniRow = {
      ec2Id: await newEniId(ctx),
      accountKey: ctx.creds.apiKey,
      subnetCsId: subnet,
      privateIp: primary,
      secondaryIps: JSON.stringify(secondary),
      description: input.Description ?? '',
      sourceDestCheck: 1,
      groups: JSON.stringify(await groupIds(ctx, input.Groups)),
      deviceIndex: null,
      deleteOnTermination: 0,
      vmCsId: null,
      nicCsId: null,
      attachedAt: null,
      created: ctx.clock.now(),
    };
    await ctx.store.putEni(row);
    return { NetworkInterface: await rowView(ctx, row) };
  },

  async DeleteNetworkInterface(ctx, input) {
    const id = String(input.NetworkInterfaceId);
    const { row, nic } = await locate(ctx, id);
    if (nic || !row) throw inUse(id);
    await ctx.store.deleteEni(id);
    return {};
  },

  async AttachNetworkInterface(ctx, input) {
    const id = String(input.NetworkInterfaceId);
    const { row, nic: current } = await locate(ctx, id);
    if (current || !row) throw inUse(id);
    const vmId = await ctx.ids.cs('instance', String(input.InstanceId));
    const [vm] = await liveVms(ctx, { id: vmId });
    if (!vm) throw notFound('instance', String(input.InstanceId));
    const index = Number(input.DeviceIndex);
    const rows = await eniRows(ctx);
    const indexes = (vm.nic ?? []).map(
      (n) => rows.find((r) => r.nicCsId === n.id)?.deviceIndex ?? Number(n.deviceid ?? 0),
    );
    if (indexes.includes(index))
      throw ec2Error(
        'InvalidParameterValue',
        `Instance '${input.InstanceId}' already has an interface attached at device index '${index}'.`,
      );
    const done = (
      await csJob(ctx, 'addNicToVirtualMachine', {
        virtualmachineid: vm.id,
        networkid: row.subnetCsId,
        ...(row.privateIp ? { ipaddress: row.privateIp } : {}),
      })
    )['virtualmachine'];
    const nic = (done.nic ?? []).find(
      (n) => n.networkid === row.subnetCsId && !(vm.nic ?? []).some((o) => o.id === n.id),
    );
    if (!nic) throw ec2Error('InternalError', 'An internal error has occurred');
    Object.assign(row, {
      vmCsId: vm.id,
      nicCsId: nic.id,
      deviceIndex: index,
      attachedAt: ctx.clock.now(),
      privateIp: nic.ipaddress ?? row.privateIp,
    });
    await ctx.store.putEni(row);
    // Secondary addresses asked for while detached come with it.
    await secondaryAdd(ctx, nic, JSON.parse(row.secondaryIps) as string[]);
    await ctx.store.putEni({ ...row, secondaryIps: '[]' });
    return { AttachmentId: await attachmentIdOf(ctx, vm, nic), NetworkCardIndex: 0 };
  },

  async DetachNetworkInterface(ctx, input) {
    const key = await ctx.ids.cs('attachment', String(input.AttachmentId));
    const [vmId, nicId] = key.split(':');
    const [vm] = await liveVms(ctx, { id: String(vmId) });
    const nic = vm?.nic?.find((n) => n.id === nicId);
    if (!vm || !nic) throw notFound('attachment', String(input.AttachmentId));
    if (nic.isdefault)
      throw ec2Error('OperationNotPermitted', 'The network interface at device index 0 cannot be detached.');
    const eniId =
      (await eniRows(ctx)).find((r) => r.nicCsId === nic.id)?.ec2Id ??
      (await ctx.ids.of('networkInterface', `nic:${vm.id}:${nic.id}`));
    const { row } = await rowFor(ctx, eniId);
    await csJob(ctx, 'removeNicFromVirtualMachine', { virtualmachineid: vm.id, nicid: nic.id });
    // The interface outlives its attachment, with its addresses (AWS keeps them reserved).
    await ctx.store.putEni({
      ...row,
      vmCsId: null,
      nicCsId: null,
      deviceIndex: null,
      attachedAt: null,
      deleteOnTermination: 0,
      privateIp: nic.ipaddress ?? row.privateIp,
      secondaryIps: JSON.stringify((nic.secondaryip ?? []).map((s) => s.ipaddress)),
    });
    return {};
  },

  async AssignPrivateIpAddresses(ctx, input) {
    const id = String(input.NetworkInterfaceId);
    if (!input.PrivateIpAddresses?.length && !input.SecondaryPrivateIpAddressCount)
      throw ec2Error(
        'MissingParameter',
        'The request must contain the parameter PrivateIpAddresses or SecondaryPrivateIpAddressCount',
      );
    const { row, nic } = await locate(ctx, id);
    const asked: (string | undefined)[] = [
      ...(input.PrivateIpAddresses ?? []),
      ...Array<undefined>(input.SecondaryPrivateIpAddressCount ?? 0).fill(undefined),
    ];
    let assigned: string[];
    if (nic) assigned = await secondaryAdd(ctx, nic, asked);
    else {
      const held = JSON.parse(row!.secondaryIps) as string[];
      assigned = [];
      for (const a of asked)
        assigned.push(a ?? (await freeAddress(ctx, row!.subnetCsId, [row!.privateIp, ...held, ...assigned])));
      await ctx.store.putEni({ ...row!, secondaryIps: JSON.stringify([...held, ...assigned]) });
    }
    return {
      NetworkInterfaceId: id,
      AssignedPrivateIpAddresses: assigned.map((PrivateIpAddress) => ({ PrivateIpAddress })),
    };
  },

  async UnassignPrivateIpAddresses(ctx, input) {
    const id = String(input.NetworkInterfaceId);
    const { row, nic } = await locate(ctx, id);
    const ips = input.PrivateIpAddresses ?? [];
    const held = nic ? (nic.secondaryip ?? []).map((s) => s.ipaddress) : (JSON.parse(row!.secondaryIps) as string[]);
    if (!ips.length || ips.some((a) => !held.includes(a)))
      throw ec2Error('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${id}`);
    if (nic)
      for (const a of ips)
        await csJob(ctx, 'removeIpFromNic', { id: nic.secondaryip!.find((s) => s.ipaddress === a)!.id });
    else await ctx.store.putEni({ ...row!, secondaryIps: JSON.stringify(held.filter((a) => !ips.includes(a))) });
    return {};
  },

  async DescribeNetworkInterfaceAttribute(ctx, input) {
    const id = String(input.NetworkInterfaceId);
    const view = (await allViews(ctx)).find((v) => v.NetworkInterfaceId === id);
    if (!view) {
      await locate(ctx, id);
      throw notFound('networkInterface', id);
    }
    const base = { NetworkInterfaceId: id };
    switch (input.Attribute) {
      case 'description':
        return { ...base, Description: { Value: view.Description } };
      case 'sourceDestCheck':
        return { ...base, SourceDestCheck: { Value: view.SourceDestCheck } };
      case 'groupSet':
        return { ...base, Groups: view.Groups };
      case 'attachment':
        return { ...base, Attachment: view.Attachment };
      case undefined:
        throw ec2Error('MissingParameter', 'The request must contain the parameter Attribute');
      default:
        throw ec2Error(
          'InvalidParameterValue',
          `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`,
        );
    }
  },

  async ModifyNetworkInterfaceAttribute(ctx, input) {
    const id = String(input.NetworkInterfaceId);
    const given = [
      input.Description,
      input.SourceDestCheck,
      input.Groups?.length ? input.Groups : undefined,
      input.Attachment,
    ].filter((x) => x !== undefined).length;
    if (given === 0)
      throw ec2Error(
        'MissingParameter',
        'The request must contain a parameter to modify: Description, SourceDestCheck, Groups or Attachment',
      );
    if (given > 1)
      throw ec2Error(
        'InvalidParameterCombination',
        'Fields for multiple attribute types specified: only one attribute can be modified at a time',
      );
    const { row, vm, nic } = await rowFor(ctx, id);
    if (input.Description) row.description = input.Description.Value ?? '';
    if (input.SourceDestCheck) row.sourceDestCheck = input.SourceDestCheck.Value === false ? 0 : 1;
    if (input.Groups?.length) row.groups = JSON.stringify(await groupIds(ctx, input.Groups));
    if (input.Attachment) {
      if (!vm || !nic || (await attachmentIdOf(ctx, vm, nic)) !== input.Attachment.AttachmentId)
        throw notFound('attachment', String(input.Attachment.AttachmentId));
      row.deleteOnTermination = input.Attachment.DeleteOnTermination ? 1 : 0;
    }
    await ctx.store.putEni(row);
    return {};
  },
});

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  if (!base || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}
