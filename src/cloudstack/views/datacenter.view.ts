import { CAPACITY_NAMES } from '../../domain/infra.js';
import { oobmView } from './oobm.view.js';
import type { Cluster, Host, Pod } from '../../domain/types.js';
import type { Capacity } from '../../services/infrastructure/capacity.service.js';
import type { Lookup } from '../../services/lookup.service.js';
import { CLOUDSTACK_VERSION, csDate } from '../encode.js';

/** DecimalFormat("#.##") + "%", as HostResponse and CapacityResponse print shares. */
export const percent = (part: number, whole: number) => `${whole ? Number(((part / whole) * 100).toFixed(2)) : 0}%`;

export async function podView(lk: Lookup, p: Pod): Promise<Record<string, unknown>> {
  const zones = await lk.table('zones');
  return {
    id: p.id,
    name: p.name,
    zoneid: p.zoneId,
    zonename: zones.get(p.zoneId)?.name,
    gateway: p.gateway,
    netmask: p.netmask,
    startip: [p.startIp],
    endip: [p.endIp],
    forsystemvms: ['0'],
    ipranges: [{ startip: p.startIp, endip: p.endIp, forsystemvms: '0' }],
    allocationstate: p.allocationState,
    hasannotations: false,
  };
}

export async function clusterView(lk: Lookup, c: Cluster): Promise<Record<string, unknown>> {
  const [zones, pods] = await Promise.all([lk.table('zones'), lk.table('pods')]);
  return {
    id: c.id,
    name: c.name,
    podid: c.podId,
    podname: pods.get(c.podId)?.name,
    zoneid: c.zoneId,
    zonename: zones.get(c.zoneId)?.name,
    hypervisortype: c.hypervisor,
    clustertype: c.clusterType,
    allocationstate: c.allocationState,
    managedstate: 'Managed',
    cpuovercommitratio: '1.0',
    memoryovercommitratio: '1.0',
    resourcedetails: { cpuOvercommitRatio: '1.0', memoryOvercommitRatio: '1.0' },
    hasannotations: false,
  };
}

/** HostResponse of a simulated routing host. */
export async function hostView(lk: Lookup, h: Host): Promise<Record<string, unknown>> {
  const [zones, pods, clusters, oobm] = await Promise.all([
    lk.table('zones'),
    lk.table('pods'),
    lk.table('clusters'),
    lk.oobm(),
  ]);
  const cpuTotal = h.cpuNumber * h.cpuSpeed;
  const cpuShare = percent(h.cpuUsed, cpuTotal);
  const memShare = percent(h.memoryUsed, h.memory);
  const cluster = clusters.get(h.clusterId);
  const v: Record<string, unknown> = {
    id: h.id,
    name: h.name,
    state: h.state,
    type: h.type,
    ipaddress: h.ipAddress,
    zoneid: h.zoneId,
    zonename: zones.get(h.zoneId)?.name,
    podid: h.podId,
    podname: pods.get(h.podId)?.name,
    version: CLOUDSTACK_VERSION,
    hypervisor: 'Simulator',
    cpusockets: 1,
    cpunumber: h.cpuNumber,
    cpuspeed: h.cpuSpeed,
    cpuallocated: cpuShare,
    cpuallocatedvalue: h.cpuUsed,
    cpuallocatedpercentage: cpuShare,
    cpuallocatedwithoverprovisioning: cpuShare,
    cpuused: '0%',
    cpuwithoverprovisioning: String(cpuTotal),
    cpuloadaverage: 0,
    networkkbsread: 0,
    networkkbswrite: 0,
    memorytotal: h.memory,
    memorywithoverprovisioning: String(h.memory),
    memoryallocated: h.memoryUsed,
    memoryallocatedpercentage: memShare,
    memoryallocatedbytes: h.memoryUsed,
    memoryused: 0,
    capabilities: 'hvm',
    lastpinged: csDate(h.lastPinged),
    clusterid: h.clusterId,
    clustername: cluster?.name,
    clustertype: cluster?.clusterType,
    islocalstorageactive: false,
    created: csDate(h.created),
    events:
      'AgentConnected; PingTimeout; ManagementServerDown; AgentDisconnected; HostDown; ShutdownRequested; Remove; Ping; StartAgentRebalance',
    hostha: { haenable: false, hastate: 'Disabled' },
    outofbandmanagement: oobmView(oobm.get(h.id)),
    resourcestate: h.resourceState,
    hypervisorversion: CLOUDSTACK_VERSION,
    hahost: false,
    ueficapability: false,
    encryptionsupported: false,
    hasannotations: false,
  };
  if (h.hostTags) v['hosttags'] = h.hostTags;
  // A system VM's agent is a host of its own, in a pod but no cluster, with no hypervisor capacity.
  if (!h.clusterId)
    for (const k of ['clusterid', 'clustername', 'clustertype', 'hypervisor', 'hypervisorversion', 'cpusockets'])
      delete v[k];
  return v;
}

export async function capacityView(lk: Lookup, c: Capacity): Promise<Record<string, unknown>> {
  const [zones, pods, clusters] = await Promise.all([lk.table('zones'), lk.table('pods'), lk.table('clusters')]);
  const v: Record<string, unknown> = {
    type: c.type,
    name: CAPACITY_NAMES[c.type],
    zoneid: c.zoneId,
    zonename: zones.get(c.zoneId)?.name,
  };
  if (c.podId) Object.assign(v, { podid: c.podId, podname: pods.get(c.podId)?.name });
  if (c.clusterId) Object.assign(v, { clusterid: c.clusterId, clustername: clusters.get(c.clusterId)?.name });
  return {
    ...v,
    capacitytotal: c.total,
    capacityused: c.used,
    capacityallocated: c.used,
    percentused: percent(c.used, c.total).slice(0, -1),
  };
}
