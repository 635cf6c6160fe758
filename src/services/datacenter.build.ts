import { newId } from '../domain/ids.js';
import { intToIp, ipToInt, netmaskToPrefix, parseCidr } from '../domain/net.js';
import type { Host, Network, Zone } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { insertRow } from '../store/repo.js';
import { networkStore } from '../store/network.store.js';
import type { MarvinCluster, MarvinIpRange, MarvinPod, MarvinZone } from './marvin.js';

const GiB = 1024 ** 3;
const TiB = 1024 * GiB;

/** The simulator's host defaults (MockAgentManager): 4 cores of 8000 MHz, 8 GiB. */
export const SIM_HOST = { cpuNumber: 4, cpuSpeed: 8000, memory: 8 * GiB };

/** `http://sim/c0/h0/cpuspeed=4000&cpucore=8&memory=16384` carries per-host overrides (SimulatorDiscoverer). */
export function simHostSize(url: string): { cpuNumber: number; cpuSpeed: number; memory: number } {
  const last = url.split('/').pop() ?? '';
  const q = new URLSearchParams(last.includes('=') ? last : '');
  const n = (k: string, d: number) => (q.has(k) && Number.isFinite(Number(q.get(k))) ? Number(q.get(k)) : d);
  return {
    cpuNumber: n('cpucore', SIM_HOST.cpuNumber),
    cpuSpeed: n('cpuspeed', SIM_HOST.cpuSpeed),
    // memory override is in MB
    memory: q.has('memory') ? n('memory', 0) * 1024 * 1024 : SIM_HOST.memory,
  };
}

export interface BuildRefs {
  now: number;
  rootDomainId: string;
  sharedSgOfferingId: string;
}

/** Writes one zone of a Marvin config as deployDataCenter.py would leave it, enabled. */
export async function buildZone(db: Db, z: MarvinZone, refs: BuildRefs): Promise<Zone> {
  const { now } = refs;
  const sg = String(z.securitygroupenabled ?? 'false').toLowerCase() === 'true';
  const pnets = z.physical_networks ?? [];
  const vlan = pnets.map((p) => p.vlan).find((v) => v);
  const [vs, ve] = vlan ? vlan.split('-').map(Number) : [undefined, undefined];
  const zone: Zone = {
    id: newId(), name: z.name, description: null, networkType: z.networktype, securityGroupsEnabled: sg ? 1 : 0,
    localStorageEnabled: z.localstorageenabled ? 1 : 0, dns1: z.dns1 ?? null, dns2: z.dns2 ?? null,
    internalDns1: z.internaldns1 ?? null, internalDns2: z.internaldns2 ?? null,
    guestCidr: z.networktype === 'Advanced' ? z.guestcidraddress ?? '10.1.1.0/24' : null,
    networkDomain: z.domain ?? null, allocationState: 'Enabled', guestVlanStart: vs ?? null, guestVlanEnd: ve ?? vs ?? null, created: now,
  };
  await insertRow(db, 'zones', zone);
  for (const p of pnets) {
    await insertRow(db, 'physicalNetworks', {
      id: newId(), zoneId: zone.id, name: p.name, vlan: p.vlan ?? null, isolationMethods: (p.isolationmethods ?? ['VLAN']).join(','),
      broadcastDomainRange: p.broadcastdomainrange ?? 'ZONE', state: 'Enabled', trafficTypes: (p.traffictypes ?? []).map((t) => t.typ).join(','), created: now,
    });
  }
  let basicNetwork: Network | undefined;
  if (z.networktype === 'Basic') {
    basicNetwork = await basicGuestNetwork(db, zone, z.pods?.[0]?.guestIpRanges?.[0], refs);
  }
  for (const r of z.ipranges ?? []) await publicRange(db, zone, r, now);
  for (const p of z.pods ?? []) await buildPod(db, zone, p, basicNetwork, now);
  for (const s of z.secondaryStorages ?? []) {
    await insertRow(db, 'imageStores', { id: newId(), zoneId: zone.id, name: s.url, url: s.url, provider: s.provider ?? 'NFS', created: now });
  }
  return zone;
}

async function basicGuestNetwork(db: Db, zone: Zone, range: MarvinIpRange | undefined, refs: BuildRefs): Promise<Network> {
  const cidr = range ? `${intToIp((ipToInt(range.gateway) & ipToInt(range.netmask)) >>> 0)}/${netmaskToPrefix(range.netmask)}` : null;
  const net: Network = {
    id: newId(), zoneId: zone.id, name: 'guestNetworkForBasicZone', displayText: 'guestNetworkForBasicZone', type: 'Shared', state: 'Setup',
    cidr, gateway: range?.gateway ?? null, netmask: range?.netmask ?? null, vlan: null, networkOfferingId: refs.sharedSgOfferingId,
    physicalNetworkId: null, accountId: null, domainId: refs.rootDomainId, aclType: 'Domain', isDefault: 1, networkDomain: null, created: refs.now, removed: null,
  };
  await insertRow(db, 'networks', net);
  return net;
}

async function publicRange(db: Db, zone: Zone, r: MarvinIpRange, now: number): Promise<void> {
  const id = newId();
  await insertRow(db, 'vlanRanges', {
    id, zoneId: zone.id, podId: null, networkId: null, vlan: r.vlan ? `vlan://${r.vlan}` : 'vlan://untagged', gateway: r.gateway, netmask: r.netmask,
    startIp: r.startip, endIp: r.endip, forVirtualNetwork: 1, created: now,
  });
  const rows = [];
  for (let n = ipToInt(r.startip); n <= ipToInt(r.endip); n++) {
    rows.push({
      id: newId(), zoneId: zone.id, vlanRangeId: id, address: intToIp(n), addressNum: n, state: 'Free', accountId: null, domainId: null,
      networkId: null, isSourceNat: 0 as const, vmId: null, allocated: null,
    });
  }
  await networkStore.insertPublicIps(db, rows);
}

async function buildPod(db: Db, zone: Zone, p: MarvinPod, basicNetwork: Network | undefined, now: number): Promise<void> {
  const pod = { id: newId(), zoneId: zone.id, name: p.name, gateway: p.gateway, netmask: p.netmask, startIp: p.startip, endIp: p.endip, allocationState: 'Enabled', created: now };
  await insertRow(db, 'pods', pod);
  for (const r of p.guestIpRanges ?? []) {
    await insertRow(db, 'vlanRanges', {
      id: newId(), zoneId: zone.id, podId: pod.id, networkId: basicNetwork?.id ?? null, vlan: 'vlan://untagged', gateway: r.gateway,
      netmask: r.netmask, startIp: r.startip, endIp: r.endip, forVirtualNetwork: 0, created: now,
    });
  }
  let nextHostIp = ipToInt(p.startip);
  for (const c of p.clusters ?? []) nextHostIp = await buildCluster(db, zone, pod.id, c, nextHostIp, now);
}

async function buildCluster(db: Db, zone: Zone, podId: string, c: MarvinCluster, nextIp: number, now: number): Promise<number> {
  const cluster = {
    id: newId(), zoneId: zone.id, podId, name: c.clustername, hypervisor: 'Simulator', clusterType: c.clustertype ?? 'CloudManaged', allocationState: 'Enabled', created: now,
  };
  await insertRow(db, 'clusters', cluster);
  for (const h of c.hosts ?? []) {
    const id = newId();
    const host: Host = {
      id, zoneId: zone.id, podId, clusterId: cluster.id, name: `SimulatedAgent.${id}`, url: h.url, ipAddress: intToIp(nextIp++), type: 'Routing',
      ...simHostSize(h.url), cpuUsed: 0, memoryUsed: 0, state: 'Up', resourceState: 'Enabled', created: now, lastPinged: now,
    };
    await insertRow(db, 'hosts', host);
  }
  for (const s of c.primaryStorages ?? []) {
    await insertRow(db, 'storagePools', {
      id: newId(), zoneId: zone.id, podId, clusterId: cluster.id, name: s.name, url: s.url, scope: 'CLUSTER', capacityBytes: 1 * TiB, usedBytes: 0, state: 'Up', created: now,
    });
  }
  return nextIp;
}

/** First and last usable guest address of a CIDR, and its gateway. */
export function guestRange(cidr: string) {
  const c = parseCidr(cidr);
  const size = 2 ** (32 - c.prefix);
  return { gateway: intToIp(c.network + 1), netmask: intToIp(c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0), first: c.network + 2, last: c.network + size - 2 };
}
