import { controlState } from '../../domain/infra.js';
import type { Router, Vpc } from '../../domain/networking.js';
import type { Network, VlanRange } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ipToInt } from '../../domain/net.js';
import { csDate } from '../encode.js';
import { ownerFields } from './owner.view.js';

/** DomainRouterResponse, as listRouters shows it to an admin. */
export async function routerView(lk: Lookup, r: Router, net: Network | undefined, vpc: Vpc | undefined, ranges: readonly VlanRange[] = []): Promise<Record<string, unknown>> {
  const [zones, hosts, pods] = await Promise.all([lk.table('zones'), lk.hosts(r.hostId ? [r.hostId] : []), lk.table('pods')]);
  const zone = zones.get(r.zoneId);
  const v: Record<string, unknown> = {
    id: r.id, name: r.name, state: r.state, zoneid: r.zoneId, zonename: zone?.name, dns1: zone?.dns1 ?? undefined, dns2: zone?.dns2 ?? undefined,
    ...(await ownerFields(lk, r.accountId, r.domainId)), created: csDate(r.created), role: 'VIRTUAL_ROUTER', isredundantrouter: false, redundantstate: 'UNKNOWN',
    version: '4.18.0', requiresupgrade: false, hypervisor: 'Simulator', linklocalip: r.linkLocalIp, linklocalnetmask: '255.255.0.0', healthchecksfailed: false,
    nic: [] as Record<string, unknown>[],
  };
  if (r.hostId) Object.assign(v, { hostid: r.hostId, hostname: hosts.get(r.hostId)?.name, hostcontrolstate: controlState(hosts.get(r.hostId)), podid: r.podId, podname: r.podId ? pods.get(r.podId)?.name : undefined });
  if (r.publicIp) Object.assign(v, { publicip: r.publicIp, ...publicNic(ranges, r.zoneId, r.publicIp) });
  if (net) {
    Object.assign(v, { guestnetworkid: net.id, guestnetworkname: net.name, guestipaddress: r.guestIp ?? undefined, guestnetmask: net.netmask ?? undefined, networkdomain: net.networkDomain ?? undefined });
    (v['nic'] as Record<string, unknown>[]).push({ networkid: net.id, networkname: net.name, ipaddress: r.guestIp, netmask: net.netmask, gateway: net.gateway, traffictype: 'Guest', isdefault: false, type: net.type });
  }
  if (vpc) Object.assign(v, { vpcid: vpc.id, vpcname: vpc.name, networkdomain: vpc.networkDomain });
  return v;
}

/** The public NIC's fields: gateway and netmask of the public range the router's source-NAT address is from. */
function publicNic(ranges: readonly VlanRange[], zoneId: string, address: string): Record<string, unknown> {
  const n = ipToInt(address);
  const range = ranges.find((x) => x.zoneId === zoneId && x.forVirtualNetwork === 1 && ipToInt(x.startIp) <= n && n <= ipToInt(x.endIp));
  return range ? { gateway: range.gateway, publicnetmask: range.netmask } : {};
}
