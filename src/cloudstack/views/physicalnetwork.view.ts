import { cidrOf } from '../../domain/cidr.js';
import type { NetworkServiceProvider, ProviderElement, TrafficType } from '../../domain/infra.js';
import type { GuestVlanDedication } from '../../domain/networking.js';
import { hasIpv4, type PhysicalNetwork, type VlanRange } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ownerFields } from './owner.view.js';

export async function physicalNetworkView(lk: Lookup, p: PhysicalNetwork): Promise<Record<string, unknown>> {
  const zones = await lk.table('zones');
  const v: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    zoneid: p.zoneId,
    zonename: zones.get(p.zoneId)?.name,
    state: p.state,
    broadcastdomainrange: p.broadcastDomainRange,
    isolationmethods: p.isolationMethods,
  };
  if (p.vlan) v['vlan'] = p.vlan;
  if (p.networkSpeed) v['networkspeed'] = p.networkSpeed;
  if (p.tags) v['tags'] = p.tags;
  if (p.domainId) v['domainid'] = p.domainId;
  return v;
}

export function trafficTypeView(t: TrafficType): Record<string, unknown> {
  const v: Record<string, unknown> = { id: t.id, traffictype: t.trafficType, physicalnetworkid: t.physicalNetworkId };
  const labels: [string, string | null][] = [
    ['kvmnetworklabel', t.kvmLabel],
    ['xennetworklabel', t.xenLabel],
    ['vmwarenetworklabel', t.vmwareLabel],
    ['hypervnetworklabel', t.hypervLabel],
    ['ovm3networklabel', t.ovm3Label],
  ];
  for (const [k, l] of labels) if (l) v[k] = l;
  return v;
}

/** Router-like providers may run a subset of their services; the others come whole. */
const INDIVIDUAL = new Set(['VirtualRouter', 'VpcVirtualRouter']);

export function providerView(p: NetworkServiceProvider): Record<string, unknown> {
  return {
    name: p.name,
    physicalnetworkid: p.physicalNetworkId,
    destinationphysicalnetworkid: p.destinationPhysicalNetworkId ?? '0',
    state: p.state,
    id: p.id,
    servicelist: p.services ? p.services.split(',') : [],
    canenableindividualservice: INDIVIDUAL.has(p.name),
  };
}

export function elementView(e: ProviderElement): Record<string, unknown> {
  return { id: e.id, nspid: e.nspId, enabled: !!e.enabled };
}

export async function vlanRangeView(lk: Lookup, r: VlanRange): Promise<Record<string, unknown>> {
  const pods = await lk.table('pods');
  const v: Record<string, unknown> = {
    id: r.id,
    forvirtualnetwork: !!r.forVirtualNetwork,
    zoneid: r.zoneId,
    vlan: r.vlan,
    forsystemvms: !!r.forSystemVms,
  };
  // An IPv6-only public range has no IPv4 side: CloudStack leaves those keys out (null).
  if (hasIpv4(r))
    Object.assign(v, {
      gateway: r.gateway,
      netmask: r.netmask,
      cidr: cidrOf(r.gateway, r.netmask),
      startip: r.startIp,
      endip: r.endIp,
    });
  if (r.ip6Cidr) Object.assign(v, { ip6gateway: r.ip6Gateway ?? undefined, ip6cidr: r.ip6Cidr });
  if (r.ip6Range) {
    const [start, end] = r.ip6Range.split('-');
    Object.assign(v, { startipv6: start, endipv6: end });
  }
  if (r.podId) Object.assign(v, { podid: r.podId, podname: pods.get(r.podId)?.name });
  if (r.networkId) v['networkid'] = r.networkId;
  if (r.physicalNetworkId) v['physicalnetworkid'] = r.physicalNetworkId;
  if (r.ownerAccountId || r.ownerDomainId)
    Object.assign(v, await ownerFields(lk, r.ownerAccountId ?? null, r.ownerDomainId ?? null));
  return v;
}

/**
 * createDedicatedGuestVlanRangeResponse: the owner (a project's as projectid/project), the range as
 * start-end, and the physical network with its zone (CloudStack shows their internal ids; polystack has uuids only).
 */
export async function dedicatedGuestVlanRangeView(
  lk: Lookup,
  d: GuestVlanDedication,
  zoneId: string | undefined,
): Promise<Record<string, unknown>> {
  const accounts = await lk.table('accounts');
  // GuestVlanRangeResponse has no accountid or domainpath.
  const {
    accountid: _a,
    domainpath: _d,
    ...owner
  } = await ownerFields(lk, d.accountId, accounts.get(d.accountId)?.domainId ?? null);
  return {
    id: d.id,
    ...owner,
    guestvlanrange: `${d.startVlan}-${d.endVlan}`,
    physicalnetworkid: d.physicalNetworkId,
    zoneid: zoneId,
  };
}
