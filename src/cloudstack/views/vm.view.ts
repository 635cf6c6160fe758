import type { Wire, WireNic, WireVm } from '../wire.js';
import { controlState } from '../../domain/infra.js';
import { eui64, formatIp6, parseIp6Net } from '../../domain/ipv6.js';
import type { NicSecondaryIp } from '../../domain/networking.js';
import { VM_HYPERVISOR, type Network, type Nic, type Vm } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';
import { securityGroupView } from './securitygroup.view.js';
import { tagsView } from './tag.view.js';
import { affinityGroupView } from './affinity.view.js';

type Details = Awaited<ReturnType<Lookup['vmDetails']>>;

/** A NIC as NicResponse shows it; `secondary` are its addIpToNic addresses (secondaryip). */
export function nicView(
  n: Nic,
  net: Network | undefined,
  vm: Vm,
  secondary: readonly NicSecondaryIp[] = [],
): Wire<WireNic> {
  const v: Wire<WireNic> = {
    // An L2 NIC has no address, netmask or gateway: CloudStack leaves the keys out.
    id: n.id,
    networkid: n.networkId,
    networkname: net?.name,
    netmask: n.netmask ?? undefined,
    gateway: n.gateway ?? undefined,
    ipaddress: n.ipAddress ?? undefined,
    isolationuri: n.broadcastUri ?? undefined,
    broadcasturi: n.broadcastUri ?? undefined,
    traffictype: 'Guest',
    type: net?.type ?? 'Isolated',
    isdefault: !!n.isDefault,
    macaddress: n.macAddress,
    deviceid: String(n.deviceId),
    virtualmachineid: vm.id,
    secondaryip: secondary.map((s) => ({ id: s.id, ipaddress: s.ipAddress })),
    extradhcpoption: [],
  };
  // A dual-stack network's NIC has its SLAAC address: the EUI-64 of its MAC in the network's /64.
  const ip6 = net?.ip6Cidr ? parseIp6Net(net.ip6Cidr) : undefined;
  if (ip6)
    Object.assign(v, {
      ip6address: formatIp6(eui64(ip6, n.macAddress)),
      ip6cidr: net!.ip6Cidr,
      ip6gateway: net!.ip6Gateway ?? undefined,
    });
  if (n.broadcastUri?.startsWith('vlan://')) {
    const vlan = Number(n.broadcastUri.slice(7));
    if (Number.isInteger(vlan)) v['vlanid'] = vlan;
  }
  return v;
}

export interface VmViewOptions {
  admin: boolean;
  withUserData?: boolean;
  withPassword?: boolean;
  /** listVirtualMachines' `details` (ApiConstants.VMDetails); absent is `all`. */
  details?: ReadonlySet<string>;
}

/** Whether a view asked for with `details` shows a group of fields. */
const shows = (o: VmViewOptions, part: string) => !o.details || o.details.has('all') || o.details.has(part);

/** UserVmResponse: what listVirtualMachines and VM job results show. */
export async function vmView(lk: Lookup, vm: Vm, d: Details, o: VmViewOptions): Promise<Wire<WireVm>> {
  const [zones, templates, offerings, hosts, osTypes] = await Promise.all([
    lk.table('zones'),
    lk.table('templates'),
    lk.table('serviceOfferings'),
    lk.hosts(vm.hostId ? [vm.hostId] : []),
    lk.table('osTypes'),
  ]);
  const t = templates.get(vm.templateId);
  const so = offerings.get(vm.serviceOfferingId);
  const nics = d.nicsByVm.get(vm.id) ?? [];
  const def = nics.find((n) => n.isDefault) ?? nics[0];
  const groupIds = d.groupsByVm.get(vm.id) ?? [];
  const v: Wire<WireVm> = {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayName,
    ...(await ownerFields(lk, vm.accountId, vm.domainId)),
    created: csDate(vm.created),
    lastupdated: csDate(vm.updated),
    state: vm.state,
    haenable: !!vm.haEnable,
    zoneid: vm.zoneId,
    zonename: zones.get(vm.zoneId)?.name,
    templateid: vm.templateId,
    templatename: t?.name,
    templatedisplaytext: t?.displayText,
    templatetype: t?.templateType,
    templateformat: t?.format,
    passwordenabled: !!t?.passwordEnabled,
    serviceofferingid: vm.serviceOfferingId,
    serviceofferingname: so?.name,
    cpunumber: vm.cpuNumber,
    cpuspeed: vm.cpuSpeed,
    memory: vm.memory,
    guestosid: t?.osTypeId,
    ostypeid: t?.osTypeId,
    osdisplayname: t ? osTypes.get(t.osTypeId)?.description : undefined,
    rootdeviceid: 0,
    rootdevicetype: 'ROOT', // the ROOT disk is always device 0 here
    hypervisor: VM_HYPERVISOR,
    isdynamicallyscalable: !!vm.dynamicallyScalable,
    displayvm: true,
    userid: vm.userId,
    arch: 'x86_64',
    deleteprotection: false,
    nic: nics.map((n) => nicView(n, d.networks.get(n.networkId), vm, d.secondaryByNic.get(n.id))),
    securitygroup: await Promise.all(
      groupIds
        .filter((g) => d.groups.groups.has(g))
        .map((g) => securityGroupView(lk, d.groups.groups.get(g)!, d.groups, { withMembers: false })),
    ),
    affinitygroup: await Promise.all(
      (d.affinityByVm.get(vm.id) ?? [])
        .filter((g) => d.affinity.groups.has(g))
        .map((g) => affinityGroupView(lk, d.affinity.groups.get(g)!, d.affinity.members.get(g) ?? [])),
    ),
    tags: await tagsView(lk, d.tags.get(vm.id)),
    details: {},
    hasannotations: false,
  };
  if (def?.ipAddress) v['ipaddress'] = def.ipAddress;
  if (o.details) omitUnasked(v, o);
  const nat = d.natByVm.get(vm.id);
  if (nat) {
    v['publicip'] = nat.address;
    v['publicipid'] = nat.id;
  }
  if (vm.isoId && shows(o, 'iso')) {
    const iso = templates.get(vm.isoId);
    v['isoid'] = vm.isoId;
    v['isoname'] = iso?.name;
    v['isodisplaytext'] = iso?.displayText;
  }
  if (vm.backupOfferingId) {
    v['backupofferingid'] = vm.backupOfferingId;
    v['backupofferingname'] = (await lk.table('backupOfferings')).get(vm.backupOfferingId)?.name;
  }
  if (vm.keyPairs) v['keypairs'] = vm.keyPairs;
  const asGroup = d.asGroupByVm.get(vm.id);
  if (asGroup) {
    v['autoscalevmgroupid'] = asGroup.id;
    v['autoscalevmgroupname'] = asGroup.name;
  }
  if (vm.groupName) v['group'] = vm.groupName;
  if (o.admin) {
    v['instancename'] = vm.instanceName;
    if (vm.hostId) {
      v['hostid'] = vm.hostId;
      v['hostname'] = hosts.get(vm.hostId)?.name;
      v['hostcontrolstate'] = controlState(hosts.get(vm.hostId));
    }
  }
  if (o.withUserData && vm.userData) v['userdata'] = vm.userData;
  if (o.withPassword && vm.password) v['password'] = vm.password;
  const job = d.jobs.get(vm.id);
  if (job) {
    v['jobid'] = job;
    v['jobstatus'] = 0;
  }
  return v;
}

/** UserVmJoinDaoImpl.newUserVmResponse: each `details` value adds its fields; the rest are always shown. */
const PARTS: [string, string[]][] = [
  ['tmpl', ['templateid', 'templatename', 'templatedisplaytext', 'templatetype', 'templateformat', 'passwordenabled']],
  ['servoff', ['serviceofferingid', 'serviceofferingname']],
  ['volume', ['rootdeviceid', 'rootdevicetype']],
  ['nics', ['nic', 'ipaddress']],
  ['secgrp', ['securitygroup']],
  ['affgrp', ['affinitygroup']],
];

function omitUnasked(v: Record<string, unknown>, o: VmViewOptions): void {
  for (const [part, keys] of PARTS) if (!shows(o, part)) for (const k of keys) delete v[k];
  // CPU and memory come with the offering or with the statistics.
  if (!shows(o, 'servoff') && !shows(o, 'stats')) for (const k of ['cpunumber', 'cpuspeed', 'memory']) delete v[k];
}

export async function vmViews(lk: Lookup, vms: Vm[], o: VmViewOptions): Promise<Record<string, unknown>[]> {
  const d = await lk.vmDetails(
    vms.map((v) => v.id),
    { nics: shows(o, 'nics'), secgrp: shows(o, 'secgrp'), affgrp: shows(o, 'affgrp') },
  );
  if (o.admin) await lk.hosts(vms.map((v) => v.hostId).filter((h): h is string => !!h));
  return Promise.all(vms.map((vm) => vmView(lk, vm, d, o)));
}
