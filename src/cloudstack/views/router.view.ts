import { controlState } from '../../domain/infra.js';
import type { Router, Vpc } from '../../domain/networking.js';
import { hasIpv4, type Ipv4Range, type Network, type VlanRange } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ipToInt } from '../../domain/net.js';
import { publicNicMac, rangeOfIp6 } from '../../domain/ipv6.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';

/**
 * DomainRouterResponse, as listRouters shows it to an admin. `guests` are the networks it has a
 * guest NIC on: an isolated network's router its network, a VPC's router each implemented tier.
 */
export async function routerView(
  lk: Lookup,
  r: Router,
  guests: readonly Network[],
  vpc: Vpc | undefined,
  ranges: readonly VlanRange[] = [],
): Promise<Record<string, unknown>> {
  const [zones, hosts, pods] = await Promise.all([
    lk.table('zones'),
    lk.hosts(r.hostId ? [r.hostId] : []),
    lk.table('pods'),
  ]);
  const zone = zones.get(r.zoneId);
  const v: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    state: r.state,
    zoneid: r.zoneId,
    zonename: zone?.name,
    dns1: zone?.dns1 ?? undefined,
    dns2: zone?.dns2 ?? undefined,
    ...(await ownerFields(lk, r.accountId, r.domainId)),
    created: csDate(r.created),
    role: 'VIRTUAL_ROUTER',
    isredundantrouter: false,
    redundantstate: 'UNKNOWN',
    version: '4.18.0',
    requiresupgrade: false,
    hypervisor: 'Simulator',
    linklocalip: r.linkLocalIp,
    linklocalnetmask: '255.255.0.0',
    healthchecksfailed: false,
  };
  const nics: Record<string, unknown>[] = [];
  if (r.hostId)
    Object.assign(v, {
      hostid: r.hostId,
      hostname: hosts.get(r.hostId)?.name,
      hostcontrolstate: controlState(hosts.get(r.hostId)),
      podid: r.podId,
      podname: r.podId ? pods.get(r.podId)?.name : undefined,
    });
  const net = r.networkId ? guests.find((n) => n.id === r.networkId) : undefined;
  // A basic zone's router holds an address of its pod's range, with that range's gateway and netmask.
  const podRange = net && r.guestIp && net.type === 'Shared' ? rangeOf(ranges, net.id, r.guestIp) : undefined;
  const guestNet = (g: Network): Network =>
    g === net && podRange ? { ...g, gateway: podRange.gateway, netmask: podRange.netmask } : g;
  if (net)
    Object.assign(v, {
      guestnetworkid: net.id,
      guestnetworkname: net.name,
      guestipaddress: r.guestIp ?? undefined,
      guestnetmask: guestNet(net).netmask ?? undefined,
      networkdomain: net.networkDomain ?? undefined,
    });
  for (const g of guests) nics.push(guestNic(guestNet(g), g === net ? r.guestIp : g.gateway));
  if (r.publicIp) {
    const pub = publicNic(ranges, r);
    Object.assign(v, { publicip: r.publicIp, gateway: pub['gateway'], publicnetmask: pub['netmask'] });
    nics.push(pub);
  }
  if (vpc) Object.assign(v, { vpcid: vpc.id, vpcname: vpc.name, networkdomain: vpc.networkDomain });
  v['nic'] = nics;
  return v;
}

function rangeOf(ranges: readonly VlanRange[], networkId: string, ip: string): Ipv4Range | undefined {
  const n = ipToInt(ip);
  return ranges
    .filter(hasIpv4)
    .find((x) => x.networkId === networkId && ipToInt(x.startIp) <= n && n <= ipToInt(x.endIp));
}

/** A guest NIC: the router holds the network's gateway, IPv6 one included. */
function guestNic(n: Network, ip: string | null): Record<string, unknown> {
  const nic: Record<string, unknown> = {
    networkid: n.id,
    networkname: n.name,
    ipaddress: ip ?? undefined,
    netmask: n.netmask ?? undefined,
    gateway: n.gateway ?? undefined,
    traffictype: 'Guest',
    isdefault: false,
    type: n.type,
  };
  if (n.ip6Cidr)
    Object.assign(nic, {
      ip6address: n.ip6Gateway ?? undefined,
      ip6cidr: n.ip6Cidr,
      ip6gateway: n.ip6Gateway ?? undefined,
    });
  return nic;
}

/** The public NIC: gateway and netmask of the public range its source-NAT address is from, and its IPv6 side when it has one. */
function publicNic(ranges: readonly VlanRange[], r: Router): Record<string, unknown> {
  const n = ipToInt(r.publicIp!);
  const range = ranges
    .filter(hasIpv4)
    .find(
      (x) => x.zoneId === r.zoneId && x.forVirtualNetwork === 1 && ipToInt(x.startIp) <= n && n <= ipToInt(x.endIp),
    );
  const nic: Record<string, unknown> = {
    ipaddress: r.publicIp,
    traffictype: 'Public',
    isdefault: true,
    macaddress: publicNicMac(r.publicIp!),
    broadcasturi: range?.vlan,
    isolationuri: range?.vlan,
  };
  if (range) Object.assign(nic, { gateway: range.gateway, netmask: range.netmask });
  if (r.publicIp6) {
    const r6 = rangeOfIp6(
      ranges.filter((x) => x.zoneId === r.zoneId),
      r.publicIp6,
    );
    Object.assign(nic, {
      ip6address: r.publicIp6,
      ip6cidr: r6?.ip6Cidr ?? undefined,
      ip6gateway: r6?.ip6Gateway ?? undefined,
    });
  }
  return nic;
}
