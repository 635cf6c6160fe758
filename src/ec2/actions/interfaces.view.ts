import type { WireNetwork, WireNic, WireVm } from '../../cloudstack/wire.js';
import { randomUUID } from 'node:crypto';
import { csList, csTime, memo, ownerId, type Ec2Context } from '../context.js';
import { notFound } from '../ids.js';
import type { EniRow } from '../store.js';

/** A CloudStack VM and its NICs as far as interfaces read them. */
export type CsNic = WireNic;
export type CsVm = Omit<WireVm, 'tags'>;

export interface Group {
  GroupName: string;
  GroupId: string;
}
export interface Attachment {
  AttachmentId: string;
  AttachTime: number;
  DeleteOnTermination: boolean;
  DeviceIndex: number;
  NetworkCardIndex: number;
  InstanceId: string;
  InstanceOwnerId: string;
  Status: 'attached';
}
export interface EniView {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string | undefined;
  Description: string;
  OwnerId: string;
  RequesterManaged: boolean;
  Status: 'in-use' | 'available';
  MacAddress: string;
  PrivateIpAddress: string;
  PrivateDnsName: string;
  SourceDestCheck: boolean;
  Groups: Group[];
  Attachment?: Attachment;
  PrivateIpAddresses: { Primary: boolean; PrivateIpAddress: string; PrivateDnsName: string }[];
  InterfaceType: 'interface';
  TagSet: { Key: string; Value: string }[];
  Ipv6Addresses: never[];
}

const dns = (ip: string) => `ip-${ip.replace(/\./g, '-')}.ec2.internal`;
const gone = (vm: CsVm) => vm.state === 'Destroyed' || vm.state === 'Expunging' || vm.state === 'Error';

/** The front's rows of the caller, once per request. */
export const eniRows = (ctx: Ec2Context): Promise<EniRow[]> =>
  memo(ctx, 'eni:rows', () => ctx.store.enisOf(ctx.creds.apiKey));
const networks = (ctx: Ec2Context): Promise<Map<string, WireNetwork>> =>
  memo(ctx, 'eni:networks', async () => new Map((await csList(ctx, 'listNetworks', 'network')).map((n) => [n.id, n])));

/** An ENI id for a NIC: the one it was created as, else derived from the VM and NIC. */
export async function eniIdOf(ctx: Ec2Context, vm: CsVm, nic: CsNic): Promise<string> {
  return (
    (await eniRows(ctx)).find((r) => r.nicCsId === nic.id)?.ec2Id ??
    ctx.ids.of('networkInterface', `nic:${vm.id}:${nic.id}`)
  );
}
export const attachmentIdOf = (ctx: Ec2Context, vm: CsVm, nic: CsNic): Promise<string> =>
  ctx.ids.of('attachment', `${vm.id}:${nic.id}`);
export const newEniId = (ctx: Ec2Context): Promise<string> => ctx.ids.of('networkInterface', `eni:${randomUUID()}`);

/** EC2's device index: the one asked for at attach time, else CloudStack's device id. */
const deviceIndex = (nic: CsNic, row: EniRow | undefined) => row?.deviceIndex ?? Number(nic.deviceid ?? 0);

async function groupsOf(ctx: Ec2Context, row: EniRow | undefined, fallback: Group[]): Promise<Group[]> {
  if (!row) return fallback;
  const ids = JSON.parse(row.groups) as string[];
  if (!ids.length) return fallback;
  const all = (await memo(ctx, 'sg:own', () =>
    csList(ctx, 'listSecurityGroups', 'securitygroup', { listall: true }),
  )) as { id: string; name: string }[];
  return Promise.all(
    all
      .filter((g) => ids.includes(g.id))
      .map(async (g) => ({ GroupName: g.name, GroupId: await ctx.ids.of('securityGroup', g.id) })),
  );
}

async function vpcIdOf(ctx: Ec2Context, networkId: string, zoneId: string): Promise<string> {
  return ctx.ids.of('vpc', (await networks(ctx)).get(networkId)?.vpcid ?? `zone:${zoneId}`);
}

/** A NIC of a VM as an EC2 NetworkInterface. `groups`: the instance's, which its primary interface shows. */
export async function nicView(ctx: Ec2Context, vm: CsVm, nic: CsNic, groups: Group[]): Promise<EniView> {
  const row = (await eniRows(ctx)).find((r) => r.nicCsId === nic.id);
  const ip = nic.ipaddress ?? '';
  const primary = !!nic.isdefault;
  return {
    NetworkInterfaceId: await eniIdOf(ctx, vm, nic),
    SubnetId: await ctx.ids.of('subnet', nic.networkid),
    VpcId: await vpcIdOf(ctx, nic.networkid, vm.zoneid),
    AvailabilityZone: vm.zonename,
    Description: row?.description ?? (primary ? 'Primary network interface' : ''),
    OwnerId: ownerId(vm.accountid ?? vm.account ?? ''),
    RequesterManaged: false,
    Status: 'in-use',
    MacAddress: nic.macaddress ?? '',
    PrivateIpAddress: ip,
    PrivateDnsName: ip ? dns(ip) : '',
    SourceDestCheck: row ? !!row.sourceDestCheck : true,
    Groups: await groupsOf(ctx, row, primary ? groups : []),
    Attachment: {
      AttachmentId: await attachmentIdOf(ctx, vm, nic),
      AttachTime: row?.attachedAt ? Number(row.attachedAt) : csTime(vm.created),
      DeleteOnTermination: row ? !!row.deleteOnTermination : true,
      DeviceIndex: deviceIndex(nic, row),
      NetworkCardIndex: 0,
      InstanceId: await ctx.ids.of('instance', vm.id),
      InstanceOwnerId: ownerId(vm.accountid ?? vm.account ?? ''),
      Status: 'attached',
    },
    PrivateIpAddresses: [ip, ...(nic.secondaryip ?? []).map((s) => s.ipaddress)]
      .filter(Boolean)
      .map((a, i) => ({ Primary: i === 0, PrivateIpAddress: a, PrivateDnsName: dns(a) })),
    InterfaceType: 'interface',
    TagSet: [],
    Ipv6Addresses: [],
  };
}

/** An interface that exists only in the front (created, or detached from its instance). */
export async function rowView(ctx: Ec2Context, row: EniRow): Promise<EniView> {
  const net = (await networks(ctx)).get(row.subnetCsId);
  const ips = [row.privateIp, ...(JSON.parse(row.secondaryIps) as string[])];
  return {
    NetworkInterfaceId: row.ec2Id,
    SubnetId: await ctx.ids.of('subnet', row.subnetCsId),
    VpcId: await vpcIdOf(ctx, row.subnetCsId, net?.zoneid ?? ''),
    AvailabilityZone: net?.zonename ?? '',
    Description: row.description,
    OwnerId: ownerId(net?.account ?? ''),
    RequesterManaged: false,
    Status: 'available',
    MacAddress: '',
    PrivateIpAddress: row.privateIp,
    PrivateDnsName: dns(row.privateIp),
    SourceDestCheck: !!row.sourceDestCheck,
    Groups: await groupsOf(ctx, row, []),
    PrivateIpAddresses: ips.map((a, i) => ({ Primary: i === 0, PrivateIpAddress: a, PrivateDnsName: dns(a) })),
    InterfaceType: 'interface',
    TagSet: [],
    Ipv6Addresses: [],
  };
}

/** The caller's VMs that hold NICs (not destroyed). */
export async function liveVms(ctx: Ec2Context, params: Record<string, string> = {}): Promise<CsVm[]> {
  return (await csList(ctx, 'listVirtualMachines', 'virtualmachine', params)).filter((v) => !gone(v));
}

/**
 * Rows whose NIC is gone (its VM was terminated, or the NIC removed through CloudStack) are
 * detached again, or deleted when they were to go with their instance.
 */
export async function settle(ctx: Ec2Context, vms: CsVm[]): Promise<EniRow[]> {
  const live = new Set(vms.flatMap((v) => (v.nic ?? []).map((n) => n.id)));
  const out: EniRow[] = [];
  for (const r of await eniRows(ctx)) {
    if (r.nicCsId && !live.has(r.nicCsId)) {
      if (r.deleteOnTermination) {
        await ctx.store.deleteEni(r.ec2Id);
        continue;
      }
      Object.assign(r, { nicCsId: null, vmCsId: null, deviceIndex: null, attachedAt: null });
      await ctx.store.putEni(r);
    }
    out.push(r);
  }
  return out;
}

/** Where an ENI id leads: its row (if the front keeps one), and the VM and NIC that back it now. */
export async function locate(ctx: Ec2Context, eniId: string): Promise<{ row?: EniRow; vm?: CsVm; nic?: CsNic }> {
  const csId = await ctx.ids.cs('networkInterface', eniId);
  let row = await ctx.store.eni(eniId);
  if (row && row.accountKey !== ctx.creds.apiKey) row = undefined;
  const [, vmFromId, nicFromId] = csId.startsWith('nic:') ? csId.split(':') : [];
  const vmId = row ? row.vmCsId : vmFromId;
  const nicId = row ? row.nicCsId : nicFromId;
  if (!row && !vmId) throw notFound('networkInterface', eniId);
  if (!vmId) return { row };
  const [vm] = await liveVms(ctx, { id: vmId });
  const nic = vm?.nic?.find((n) => n.id === nicId);
  if (vm && nic) return { row, vm, nic };
  if (!row) throw notFound('networkInterface', eniId);
  await settle(ctx, vm ? [vm] : []);
  const fresh = await ctx.store.eni(eniId);
  if (!fresh) throw notFound('networkInterface', eniId);
  return { row: fresh };
}

/** The interfaces of one instance in DescribeInstances' shape (InstanceNetworkInterface). */
export async function instanceInterfaces(
  ctx: Ec2Context,
  vm: CsVm,
  groups: Group[],
): Promise<Record<string, unknown>[]> {
  const nics = [...(vm.nic ?? [])].sort((a, b) => Number(a.deviceid ?? 0) - Number(b.deviceid ?? 0));
  return Promise.all(
    nics.map(async (nic) => {
      const {
        Attachment: a,
        AvailabilityZone: _z,
        RequesterManaged: _r,
        TagSet: _t,
        ...v
      } = await nicView(ctx, vm, nic, groups);
      return {
        ...v,
        Attachment: a && {
          AttachTime: a.AttachTime,
          AttachmentId: a.AttachmentId,
          DeleteOnTermination: a.DeleteOnTermination,
          DeviceIndex: a.DeviceIndex,
          Status: a.Status,
          NetworkCardIndex: 0,
        },
      };
    }),
  );
}

/** A free address of the subnet for an interface that has none yet: from the top of the range down, skipping what NICs and other interfaces hold. */
export async function freeAddress(ctx: Ec2Context, networkId: string, taken: string[] = []): Promise<string> {
  const net = (await networks(ctx)).get(networkId);
  const [base, bits] = (net?.cidr ?? '').split('/');
  const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
  const used = new Set([...taken, net?.gateway ?? '']);
  for (const vm of await liveVms(ctx, { networkid: networkId }))
    for (const n of vm.nic ?? [])
      for (const a of [n.ipaddress, ...(n.secondaryip ?? []).map((s) => s.ipaddress)]) if (a) used.add(a);
  for (const r of await eniRows(ctx))
    if (r.subnetCsId === networkId)
      [r.privateIp, ...(JSON.parse(r.secondaryIps) as string[])].forEach((a) => used.add(a));
  const start = toInt(base ?? '0.0.0.0');
  const size = 2 ** (32 - Number(bits ?? 32));
  for (let n = start + size - 2; n > start + 1; n--) if (!used.has(toIp(n))) return toIp(n);
  return '';
}
