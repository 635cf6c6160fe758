import type { Wire, WireDiskOffering, WireNetworkOffering, WireServiceOffering } from '../wire.js';
import { idList, parseJson, RATE_KEYS, type Rates } from '../../domain/offerings.js';
import type { DiskOffering, NetworkOffering, ServiceOffering } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { csDate } from '../encode.js';

const DISK_RATE_FIELD = (k: string) => `disk${k[0]!.toUpperCase()}${k.slice(1)}`;

/** The disk half both responses share: rates, IOPS, cache mode (ServiceOfferingJoinDaoImpl / DiskOfferingJoinDaoImpl). */
function diskFields(d: DiskOffering | undefined): Record<string, unknown> {
  if (!d) return { provisioningtype: 'thin' };
  const rates = parseJson<Rates>(d.rates, {});
  const v: Record<string, unknown> = { provisioningtype: d.provisioningType ?? 'thin' };
  for (const k of RATE_KEYS) if (rates[k] !== undefined) v[DISK_RATE_FIELD(k)] = rates[k];
  if (d.customizedIops !== null && d.customizedIops !== undefined) v['iscustomizediops'] = !!d.customizedIops;
  if (d.minIops !== null && d.minIops !== undefined) v['miniops'] = d.minIops;
  if (d.maxIops !== null && d.maxIops !== undefined) v['maxiops'] = d.maxIops;
  if (d.hypervisorSnapshotReserve !== null && d.hypervisorSnapshotReserve !== undefined)
    v['hypervisorsnapshotreserve'] = d.hypervisorSnapshotReserve;
  if (d.cacheMode) v['cacheMode'] = d.cacheMode;
  return v;
}

/** domainid/domain and zoneid/zone: comma-separated uuids and names, absent for a public offering. */
async function scopeFields(
  lk: Lookup,
  o: { domainIds?: string | null; zoneIds?: string | null },
): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {};
  const ds = idList(o.domainIds);
  const zs = idList(o.zoneIds);
  if (ds.length) {
    const domains = await lk.table('domains');
    v['domainid'] = ds.join(',');
    v['domain'] = ds.map((id) => domains.get(id)?.name ?? id).join(',');
  }
  if (zs.length) {
    const zones = await lk.table('zones');
    v['zoneid'] = zs.join(',');
    v['zone'] = zs.map((id) => zones.get(id)?.name ?? id).join(',');
  }
  return v;
}

export async function serviceOfferingView(lk: Lookup, o: ServiceOffering): Promise<Wire<WireServiceOffering>> {
  const disk = o.diskOfferingId ? (await lk.table('diskOfferings')).get(o.diskOfferingId) : undefined;
  const details = parseJson<Record<string, string>>(o.details, {});
  const v: Wire<WireServiceOffering> = {
    id: o.id,
    name: o.name,
    displaytext: o.displayText,
    ...diskFields(disk),
    // A customized offering has no fixed count, speed or memory: CloudStack leaves them out.
    ...(o.cpuNumber ? { cpunumber: o.cpuNumber } : {}),
    ...(o.cpuSpeed ? { cpuspeed: o.cpuSpeed } : {}),
    ...(o.memory ? { memory: o.memory } : {}),
    created: csDate(o.created),
    storagetype: o.storageType,
    offerha: !!o.offerHa,
    limitcpuuse: !!o.limitCpuUse,
    isvolatile: !!o.isVolatile,
    issystem: !!o.isSystem,
    defaultuse: !!o.defaultUse,
    iscustomized: !!o.isCustomized,
    dynamicscalingenabled: o.dynamicScaling !== 0,
    diskofferingstrictness: !!o.diskOfferingStrictness,
    encryptroot: !!disk?.encrypt,
    hasannotations: false,
    ...(await scopeFields(lk, o)),
  };
  if (disk?.tags) v['storagetags'] = disk.tags;
  if (o.hostTags) v['hosttags'] = o.hostTags;
  if (o.systemVmType) v['systemvmtype'] = o.systemVmType;
  if (o.networkRate !== null && o.networkRate !== undefined) v['networkrate'] = o.networkRate;
  if (o.deploymentPlanner) v['deploymentplanner'] = o.deploymentPlanner;
  if (o.rootDiskSize) v['rootdisksize'] = o.rootDiskSize;
  if (Object.keys(details).length) v['serviceofferingdetails'] = details;
  // Only an offering tied to a disk offering of its own choosing names it; the compute-only half stays hidden.
  if (disk && !disk.computeOnly)
    Object.assign(v, {
      diskofferingid: disk.id,
      diskofferingname: disk.name,
      diskofferingdisplaytext: disk.displayText,
    });
  return v;
}

export async function diskOfferingView(lk: Lookup, o: DiskOffering): Promise<Wire<WireDiskOffering>> {
  const v: Wire<WireDiskOffering> = {
    id: o.id,
    name: o.name,
    displaytext: o.displayText,
    disksize: o.diskSize,
    created: csDate(o.created),
    iscustomized: !!o.isCustomized,
    ...diskFields(o),
    storagetype: o.storageType,
    displayoffering: o.displayOffering !== 0,
    encrypt: !!o.encrypt,
    disksizestrictness: !!o.diskSizeStrictness,
    hasannotations: false,
    ...(await scopeFields(lk, o)),
  };
  if (o.tags) v['tags'] = o.tags;
  const details = parseJson<Record<string, string>>(o.details, {});
  if (Object.keys(details).length) v['details'] = details;
  return v;
}

/** NetworkOfferingResponse: services with their providers and the capabilities set on them. */
export async function networkOfferingView(lk: Lookup, o: NetworkOffering): Promise<Wire<WireNetworkOffering>> {
  const services = JSON.parse(o.services) as Record<string, string[]>;
  const caps = parseJson<Record<string, Record<string, string>>>(o.capabilities, {});
  const v: Wire<WireNetworkOffering> = {
    id: o.id,
    name: o.name,
    displaytext: o.displayText,
    traffictype: o.trafficType,
    isdefault: !!o.isDefault,
    specifyvlan: !!o.specifyVlan,
    conservemode: !!o.conserveMode,
    specifyipranges: !!o.specifyIpRanges,
    availability: o.availability,
    networkrate: o.networkRate ?? 200,
    state: o.state,
    guestiptype: o.guestIpType,
    ispersistent: !!o.isPersistent,
    egressdefaultpolicy: !!o.egressDefaultPolicy,
    forvpc: !!o.forVpc,
    forNsx: false,
    fortungsten: false,
    supportsstrechedl2subnet: caps['Connectivity']?.['StretchedL2Subnet']?.toLowerCase() === 'true',
    supportspublicaccess: caps['Connectivity']?.['PublicAccess']?.toLowerCase() === 'true',
    internetprotocol: o.internetProtocol ?? 'IPv4',
    created: csDate(o.created),
    service: Object.entries(services).map(([name, providers]) => ({
      name,
      provider: providers.map((p) => ({ name: p })),
      capability: Object.entries(caps[name] ?? {}).map(([cap, value]) => ({
        name: cap,
        value,
        canchooseservicecapability: false,
      })),
    })),
    hasannotations: false,
    ...(await scopeFields(lk, o)),
  };
  if (o.tags) v['tags'] = o.tags;
  if (o.serviceOfferingId) v['serviceofferingid'] = o.serviceOfferingId;
  if (o.maxConnections !== null && o.maxConnections !== undefined) v['maxconnections'] = o.maxConnections;
  const details = parseJson<Record<string, string>>(o.details, {});
  if (Object.keys(details).length) v['details'] = details;
  return v;
}
