import type { DiskOffering, NetworkOffering, OsType, ServiceOffering, Template, Zone } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

export function zoneView(z: Zone, admin: boolean): Record<string, unknown> {
  const v: Record<string, unknown> = {
    id: z.id, name: z.name, dns1: z.dns1 ?? undefined, dns2: z.dns2 ?? undefined, networktype: z.networkType,
    securitygroupsenabled: !!z.securityGroupsEnabled, allocationstate: z.allocationState, zonetoken: undefined,
    dhcpprovider: 'VirtualRouter', localstorageenabled: !!z.localStorageEnabled, type: 'Core', tags: [], hasannotations: false,
  };
  if (z.description) v['description'] = z.description;
  if (admin) {
    if (z.internalDns1) v['internaldns1'] = z.internalDns1;
    if (z.internalDns2) v['internaldns2'] = z.internalDns2;
    if (z.guestCidr) v['guestcidraddress'] = z.guestCidr;
    if (z.guestVlanStart !== null) v['vlan'] = `${z.guestVlanStart}-${z.guestVlanEnd}`;
  } else if (z.guestCidr) v['guestcidraddress'] = z.guestCidr;
  if (z.networkDomain) v['domain'] = z.networkDomain;
  return v;
}

export function serviceOfferingView(o: ServiceOffering): Record<string, unknown> {
  return {
    id: o.id, name: o.name, displaytext: o.displayText, cpunumber: o.cpuNumber, cpuspeed: o.cpuSpeed, memory: o.memory,
    created: csDate(o.created), storagetype: o.storageType, provisioningtype: 'thin', offerha: !!o.offerHa, limitcpuuse: !!o.limitCpuUse,
    isvolatile: false, issystem: !!o.isSystem, defaultuse: false, iscustomized: !!o.isCustomized, dynamicscalingenabled: true,
    diskofferingstrictness: false, state: o.state, hasannotations: false,
    ...(o.rootDiskSize ? { rootdisksize: o.rootDiskSize } : {}),
  };
}

export function diskOfferingView(o: DiskOffering): Record<string, unknown> {
  return {
    id: o.id, name: o.name, displaytext: o.displayText, disksize: o.diskSize, created: csDate(o.created), iscustomized: !!o.isCustomized,
    iscustomizediops: false, storagetype: o.storageType, provisioningtype: 'thin', displayoffering: true, encrypt: false,
    disksizestrictness: false, state: o.state, hasannotations: false,
  };
}

export function networkOfferingView(o: NetworkOffering): Record<string, unknown> {
  const services = JSON.parse(o.services) as Record<string, string[]>;
  return {
    id: o.id, name: o.name, displaytext: o.displayText, traffictype: o.trafficType, isdefault: !!o.isDefault, specifyvlan: !!o.specifyVlan,
    conservemode: !!o.conserveMode, specifyipranges: !!o.specifyIpRanges, availability: o.availability, networkrate: 200,
    state: o.state, guestiptype: o.guestIpType, ispersistent: false, egressdefaultpolicy: !!o.egressDefaultPolicy, forvpc: !!o.forVpc,
    forNsx: false, fortungsten: false, supportsstrechedl2subnet: false, supportspublicaccess: false, internetprotocol: 'IPv4', created: csDate(o.created),
    service: Object.entries(services).map(([name, providers]) => ({ name, provider: providers.map((p) => ({ name: p })), capability: [] })),
    hasannotations: false,
  };
}

export function osTypeView(o: OsType): Record<string, unknown> {
  return { id: o.id, name: o.description, description: o.description, oscategoryid: o.categoryId, oscategoryname: o.categoryName, isuserdefined: false, fordisplay: true };
}

export async function templateView(lk: Lookup, t: Template, tags?: import('../../domain/types.js').Tag[]): Promise<Record<string, unknown>> {
  const [osTypes, zones] = await Promise.all([lk.table('osTypes'), lk.table('zones')]);
  const os = osTypes.get(t.osTypeId);
  const base: Record<string, unknown> = {
    id: t.id, name: t.name, displaytext: t.displayText, ispublic: !!t.isPublic, created: csDate(t.created), isready: !!t.isReady,
    passwordenabled: !!t.passwordEnabled, format: t.format, isfeatured: !!t.isFeatured, crossZones: !!t.crossZones, ostypeid: t.osTypeId,
    ostypename: os?.description, ...(await ownerFields(lk, t.accountId, t.domainId)), status: 'Download Complete', size: t.size,
    templatetype: t.templateType, hypervisor: t.hypervisor, sshkeyenabled: !!t.sshKeyEnabled, isdynamicallyscalable: false, bootable: !!t.bootable,
    isextractable: false, directdownload: false, deployasis: false, requireshvm: true, arch: 'x86_64', details: {},
    tags: await tagsView(lk, tags), downloaddetails: [], hasannotations: false,
  };
  // Cross-zone templates are listed once per zone, as CloudStack lists one row per template_zone_ref.
  if (t.zoneId) {
    base['zoneid'] = t.zoneId;
    base['zonename'] = zones.get(t.zoneId)?.name;
  }
  if (t.isIso) {
    delete base['passwordenabled'];
    delete base['format'];
    delete base['templatetype'];
    delete base['hypervisor'];
  }
  return base;
}

/** One row per zone for cross-zone templates, as listTemplates does. */
export async function templateRows(lk: Lookup, t: Template, zoneFilter?: string, tags?: import('../../domain/types.js').Tag[]): Promise<Record<string, unknown>[]> {
  const v = await templateView(lk, t, tags);
  if (t.zoneId) return [v];
  const zones = [...(await lk.table('zones')).values()].filter((z) => !zoneFilter || z.id === zoneFilter);
  return zones.map((z) => ({ ...v, zoneid: z.id, zonename: z.name }));
}
