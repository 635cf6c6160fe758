import type { Wire, WireAffinityGroup, WireNic, WireSecurityGroup, WireVm } from '../wire.js';
import { controlState } from '../../domain/infra.js';
import { eui64, formatIp6, parseIp6Net } from '../../domain/ipv6.js';
import type { NicSecondaryIp } from '../../domain/networking.js';
import {
  VM_HYPERVISOR,
  type Host,
  type Network,
  type Nic,
  type ServiceOffering,
  type Template,
  type Vm,
  type Zone,
} from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFieldsOf, ownerTablesOf, type OwnerTables } from './owner.view.js';
import { securityGroupView } from './securitygroup.view.js';
import { tagViewOf } from './tag.view.js';
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

/** What a page of VM views reads besides the VMs' own neighbours (vmDetails): each table once for the page. */
interface PageTables extends OwnerTables {
  zones: Map<string, Zone>;
  templates: Map<string, Template>;
  offerings: Map<string, ServiceOffering>;
  hosts: Map<string, Host>;
  osTypes: Map<string, { description: string }>;
  backupOfferings: Map<string, { name: string }>;
  securityGroups: Map<string, Wire<WireSecurityGroup>>;
  affinityGroups: Map<string, Wire<WireAffinityGroup>>;
  /** ownerFieldsOf per account and domain: a page's VMs have few owners. */
  owners: Map<string, Record<string, string>>;
}

function ownerOf(t: PageTables, vm: Vm): Record<string, string> {
  const key = `${vm.accountId}/${vm.domainId}`;
  let o = t.owners.get(key);
  if (!o) t.owners.set(key, (o = ownerFieldsOf(t, vm.accountId, vm.domainId)));
  return o;
}

async function pageTables(lk: Lookup, vms: Vm[], d: Details, o: VmViewOptions): Promise<PageTables> {
  // Each zone, template, offering, account and domain the page names, read once (not their whole tables).
  const tags = [...d.tags.values()].flat();
  const [zones, templates, offerings, hosts, owners, backupOfferings] = await Promise.all([
    lk.rows(
      'zones',
      vms.map((vm) => vm.zoneId),
    ),
    lk.rows(
      'templates',
      vms.flatMap((vm) => (vm.isoId ? [vm.templateId, vm.isoId] : [vm.templateId])),
    ),
    lk.rows(
      'serviceOfferings',
      vms.map((vm) => vm.serviceOfferingId),
    ),
    // Only an admin sees hosts.
    o.admin ? lk.hosts(vms.flatMap((vm) => (vm.hostId ? [vm.hostId] : []))) : new Map<string, Host>(),
    ownerTablesOf(
      lk,
      [...vms.map((vm) => vm.accountId), ...tags.map((t) => t.accountId)],
      [...vms.map((vm) => vm.domainId), ...tags.map((t) => t.domainId)],
    ),
    vms.some((vm) => vm.backupOfferingId) ? lk.table('backupOfferings') : new Map<string, { name: string }>(),
  ]);
  const osTypes = await lk.rows(
    'osTypes',
    [...templates.values()].map((t) => t.osTypeId),
  );
  // A group is shown the same in every VM of the page that is in it: built once.
  const [securityGroups, affinityGroups] = await Promise.all([
    Promise.all(
      [...new Set([...d.groupsByVm.values()].flat())]
        .filter((g) => d.groups.groups.has(g))
        .map(
          async (g) =>
            [g, await securityGroupView(lk, d.groups.groups.get(g)!, d.groups, { withMembers: false })] as const,
        ),
    ),
    Promise.all(
      [...new Set([...d.affinityByVm.values()].flat())]
        .filter((g) => d.affinity.groups.has(g))
        .map(
          async (g) =>
            [g, await affinityGroupView(lk, d.affinity.groups.get(g)!, d.affinity.members.get(g) ?? [])] as const,
        ),
    ),
  ]);
  return {
    ...owners,
    zones,
    templates,
    offerings,
    hosts,
    osTypes,
    backupOfferings,
    securityGroups: new Map(securityGroups),
    affinityGroups: new Map(affinityGroups),
    owners: new Map(),
  };
}

/** UserVmResponse: what listVirtualMachines and VM job results show; `t` and `d` were read for the whole page. */
function vmView(t: PageTables, vm: Vm, d: Details, o: VmViewOptions): Wire<WireVm> {
  const tmpl = t.templates.get(vm.templateId);
  const so = t.offerings.get(vm.serviceOfferingId);
  const nics = d.nicsByVm.get(vm.id) ?? [];
  const def = nics.find((n) => n.isDefault) ?? nics[0];
  const groupIds = d.groupsByVm.get(vm.id) ?? [];
  const v: Wire<WireVm> = {
    id: vm.id,
    name: vm.name,
    displayname: vm.displayName,
    ...ownerOf(t, vm),
    created: csDate(vm.created),
    lastupdated: csDate(vm.updated),
    state: vm.state,
    haenable: !!vm.haEnable,
    zoneid: vm.zoneId,
    zonename: t.zones.get(vm.zoneId)?.name,
    templateid: vm.templateId,
    templatename: tmpl?.name,
    templatedisplaytext: tmpl?.displayText,
    templatetype: tmpl?.templateType,
    templateformat: tmpl?.format,
    passwordenabled: !!tmpl?.passwordEnabled,
    serviceofferingid: vm.serviceOfferingId,
    serviceofferingname: so?.name,
    cpunumber: vm.cpuNumber,
    cpuspeed: vm.cpuSpeed,
    memory: vm.memory,
    guestosid: tmpl?.osTypeId,
    ostypeid: tmpl?.osTypeId,
    osdisplayname: tmpl ? t.osTypes.get(tmpl.osTypeId)?.description : undefined,
    rootdeviceid: 0,
    rootdevicetype: 'ROOT', // the ROOT disk is always device 0 here
    hypervisor: VM_HYPERVISOR,
    isdynamicallyscalable: !!vm.dynamicallyScalable,
    displayvm: true,
    userid: vm.userId,
    arch: 'x86_64',
    deleteprotection: false,
    nic: nics.map((n) => nicView(n, d.networks.get(n.networkId), vm, d.secondaryByNic.get(n.id))),
    securitygroup: groupIds.flatMap((g) => t.securityGroups.get(g) ?? []),
    affinitygroup: (d.affinityByVm.get(vm.id) ?? []).flatMap((g) => t.affinityGroups.get(g) ?? []),
    tags: (d.tags.get(vm.id) ?? []).map((tag) => tagViewOf(t, tag)),
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
    const iso = t.templates.get(vm.isoId);
    v['isoid'] = vm.isoId;
    v['isoname'] = iso?.name;
    v['isodisplaytext'] = iso?.displayText;
  }
  if (vm.backupOfferingId) {
    v['backupofferingid'] = vm.backupOfferingId;
    v['backupofferingname'] = t.backupOfferings.get(vm.backupOfferingId)?.name;
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
      v['hostname'] = t.hosts.get(vm.hostId)?.name;
      v['hostcontrolstate'] = controlState(t.hosts.get(vm.hostId));
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
  const t = await pageTables(lk, vms, d, o);
  return vms.map((vm) => vmView(t, vm, d, o));
}
