import type { Wire, WireNetwork, WirePublicIp } from '../wire.js';
import { pvlanUri, type NetworkAcl, type NicSecondaryIp, type PvlanType, type Vpc } from '../../domain/networking.js';
import type { Network, PublicIp } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { isDualStack } from '../../domain/ipv6.js';
import { csDate } from '../encode.js';
import { supportsVmAutoScaling } from '../../domain/netoffering.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

/** VPCs and ACL lists that networks name, for vpcname and aclname. */
export interface NetworkNames {
  vpcs: Map<string, Vpc>;
  acls: Map<string, NetworkAcl>;
  /** The public IPv6 address of the router serving a dual-stack network (the gateway of its ip6routes). */
  routerIp6?: Map<string, string>;
}

export async function networkView(lk: Lookup, n: Network, names?: NetworkNames): Promise<Wire<WireNetwork>> {
  const [zones, offerings] = await Promise.all([lk.table('zones'), lk.table('networkOfferings')]);
  const o = offerings.get(n.networkOfferingId);
  const services = o ? (JSON.parse(o.services) as Record<string, string[]>) : {};
  const v: Wire<WireNetwork> = {
    id: n.id,
    name: n.name,
    displaytext: n.displayText,
    broadcastdomaintype: n.type === 'Shared' ? 'Vlan' : 'Vlan',
    traffictype: 'Guest',
    zoneid: n.zoneId,
    zonename: zones.get(n.zoneId)?.name,
    networkofferingid: n.networkOfferingId,
    networkofferingname: o?.name,
    networkofferingdisplaytext: o?.displayText,
    networkofferingconservemode: !!o?.conserveMode,
    networkofferingavailability: o?.availability,
    issystem: false,
    state: n.state,
    related: n.id,
    dns1: zones.get(n.zoneId)?.dns1 ?? undefined,
    type: n.type,
    acltype: n.aclType,
    ...(await ownerFields(lk, n.accountId, n.domainId)),
    subdomainaccess: n.aclType === 'Domain' ? true : undefined,
    isdefault: !!n.isDefault,
    ispersistent: !!o?.isPersistent,
    canusefordeploy: true,
    restartrequired: false,
    specifyipranges: !!o?.specifyIpRanges,
    redundantrouter: false,
    egressdefaultpolicy: false,
    displaynetwork: true,
    created: csDate(n.created),
    strechedl2subnet: false,
    supportsvmautoscaling: o ? supportsVmAutoScaling(o) : false,
    service: Object.entries(services).map(([name, providers]) => ({
      name,
      provider: providers.map((p) => ({ name: p })),
      capability: [],
    })),
    tags: await tagsView(lk, (await lk.tags([n.id])).get(n.id)),
    hasannotations: false,
  };
  if (n.cidr) v['cidr'] = n.cidr;
  if (n.gateway) v['gateway'] = n.gateway;
  if (n.netmask) v['netmask'] = n.netmask;
  if (n.vlan && n.isolatedPvlan && n.isolatedPvlanType) {
    // ApiResponseHelper names a VLAN only for a vlan:// or vxlan:// broadcast URI.
    Object.assign(v, {
      broadcastdomaintype: 'Pvlan',
      broadcasturi: pvlanUri(n.vlan, { secondary: n.isolatedPvlan, type: n.isolatedPvlanType as PvlanType }),
      vlan: 'N/A',
    });
  } else if (n.vlan) {
    v['vlan'] = n.vlan;
    v['broadcasturi'] = `vlan://${n.vlan}`;
  }
  if (n.networkDomain) v['networkdomain'] = n.networkDomain;
  if (n.vpcId) {
    v['vpcid'] = n.vpcId;
    v['vpcname'] = names?.vpcs.get(n.vpcId)?.name;
  }
  if (n.aclId) {
    v['aclid'] = n.aclId;
    v['aclname'] = names?.acls.get(n.aclId)?.name;
  }
  if (n.ip6Cidr) Object.assign(v, { ip6gateway: n.ip6Gateway ?? undefined, ip6cidr: n.ip6Cidr });
  if (isDualStack(o)) {
    // ip6routes is there (maybe empty) for every dual-stack network; its routes go via the router's public IPv6 address.
    const via = names?.routerIp6?.get(n.id);
    Object.assign(v, {
      internetprotocol: o!.internetProtocol,
      ip6routing: 'Static',
      ip6routes: via && n.ip6Cidr ? [{ subnet: n.ip6Cidr, gateway: via }] : [],
    });
  }
  return v;
}

export async function publicIpView(lk: Lookup, ip: PublicIp): Promise<Wire<WirePublicIp>> {
  const zones = await lk.table('zones');
  const nets = ip.networkId ? await lk.networks([ip.networkId]) : new Map();
  const vms = ip.vmId ? await lk.vms([ip.vmId]) : new Map();
  const v: Wire<WirePublicIp> = {
    id: ip.id,
    ipaddress: ip.address,
    allocated: csDate(ip.allocated),
    zoneid: ip.zoneId,
    zonename: zones.get(ip.zoneId)?.name,
    issourcenat: !!ip.isSourceNat,
    ...(await ownerFields(lk, ip.accountId, ip.domainId)),
    forvirtualnetwork: true,
    isstaticnat: !!ip.vmId,
    issystem: false,
    vlanid: ip.vlanRangeId,
    state: ip.state,
    isportable: !!ip.isPortable,
    fordisplay: true,
    hasrules: false,
    tags: await tagsView(lk, (await lk.tags([ip.id])).get(ip.id)),
    hasannotations: false,
  };
  if (ip.networkId) {
    v['associatednetworkid'] = ip.networkId;
    v['associatednetworkname'] = nets.get(ip.networkId)?.name;
    v['networkid'] = ip.networkId;
  }
  if (ip.vmId) {
    const vm = vms.get(ip.vmId);
    v['virtualmachineid'] = ip.vmId;
    v['virtualmachinename'] = vm?.name;
    v['virtualmachinedisplayname'] = vm?.displayName;
    v['virtualmachinetype'] = 'User';
    // IPAddressVO.vmIp: the guest address the public one is NATed to (enableStaticNat takes only the NIC's own).
    const nic = (await lk.nicsOf([ip.vmId])).find((n) => n.networkId === ip.networkId);
    if (nic?.ipAddress) v['vmipaddress'] = nic.ipAddress;
  }
  if (ip.vpcId) v['vpcid'] = ip.vpcId;
  if (ip.isSourceNat) v['purpose'] = 'SourceNat';
  if (ip.vmId) v['purpose'] = 'StaticNat';
  return v;
}

/** NicSecondaryIpResponse: addIpToNic's result. */
export function nicSecondaryIpView(ip: NicSecondaryIp): Record<string, unknown> {
  return { id: ip.id, ipaddress: ip.ipAddress, nicid: ip.nicId, networkid: ip.networkId, virtualmachineid: ip.vmId };
}
