import type { Wire, WireAclItem, WireAclList, WireVpc, WireVpcOffering } from '../wire.js';
import { idList } from '../../domain/offerings.js';
import type { NetworkAcl, NetworkAclItem, Vpc, VpcOffering } from '../../domain/networking.js';
import type { Network } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { isDualStack } from '../../domain/ipv6.js';
import { csDate } from '../encode.js';
import { networkView, type NetworkNames } from './network.view.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

const serviceList = (json: string) =>
  Object.entries(JSON.parse(json) as Record<string, string[]>).map(([name, providers]) => ({
    name,
    provider: providers.map((p) => ({ name: p })),
    capability: [],
  }));

export async function vpcOfferingView(lk: Lookup, o: VpcOffering): Promise<Wire<WireVpcOffering>> {
  const v: Wire<WireVpcOffering> = {
    id: o.id,
    name: o.name,
    displaytext: o.displayText,
    isdefault: !!o.isDefault,
    state: o.state,
    created: csDate(o.created),
    service: serviceList(o.services),
    distributedvpcrouter: false,
    supportsregionLevelvpc: false,
    fordisplay: true,
    internetprotocol: o.internetProtocol ?? 'IPv4',
  };
  const domains = idList(o.domainIds);
  const zones = idList(o.zoneIds);
  if (domains.length) {
    const t = await lk.table('domains');
    Object.assign(v, { domainid: domains.join(','), domain: domains.map((d) => t.get(d)?.name ?? d).join(',') });
  }
  if (zones.length) {
    const t = await lk.table('zones');
    Object.assign(v, { zoneid: zones.join(','), zone: zones.map((z) => t.get(z)?.name ?? z).join(',') });
  }
  return v;
}

/** VpcResponse, with its tiers as full network objects. */
export async function vpcView(
  lk: Lookup,
  v: Vpc,
  o: VpcOffering | undefined,
  tiers: Network[],
  names: NetworkNames,
): Promise<Wire<WireVpc>> {
  const [zones, offerings] = await Promise.all([lk.table('zones'), lk.table('networkOfferings')]);
  // Ipv6Service.updateIpv6RoutesForVpcResponse: a route per dual-stack tier, set only when there is one.
  const routes = tiers.flatMap((t) => {
    const via = names.routerIp6?.get(t.id);
    return isDualStack(offerings.get(t.networkOfferingId)) && t.ip6Cidr && via
      ? [{ subnet: t.ip6Cidr, gateway: via }]
      : [];
  });
  return {
    ...(routes.length ? { ip6routes: routes } : {}),
    id: v.id,
    name: v.name,
    displaytext: v.displayText,
    state: v.state,
    zoneid: v.zoneId,
    zonename: zones.get(v.zoneId)?.name,
    cidr: v.cidr,
    vpcofferingid: v.vpcOfferingId,
    vpcofferingname: o?.name,
    ...(await ownerFields(lk, v.accountId, v.domainId)),
    networkdomain: v.networkDomain,
    restartrequired: !!v.restartRequired,
    created: csDate(v.created),
    regionlevelvpc: false,
    distributedvpcrouter: false,
    redundantvpcrouter: false,
    fordisplay: true,
    service: o ? serviceList(o.services) : [],
    network: await Promise.all(tiers.map((t) => networkView(lk, t, names))),
    tags: await tagsView(lk, (await lk.tags([v.id])).get(v.id)),
    hasannotations: false,
  };
}

export function aclListView(a: NetworkAcl): Wire<WireAclList> {
  const v: Wire<WireAclList> = { id: a.id, name: a.name, fordisplay: true };
  if (a.description !== null) v['description'] = a.description;
  if (a.vpcId) v['vpcid'] = a.vpcId;
  return v;
}

/** NetworkACLItemResponse: ports are strings there. */
export async function aclItemView(
  lk: Lookup,
  i: NetworkAclItem,
  aclName: string | undefined,
): Promise<Wire<WireAclItem>> {
  const v: Wire<WireAclItem> = {
    id: i.id,
    number: i.number,
    protocol: i.protocol,
    traffictype: i.trafficType,
    action: i.action,
    state: i.state,
    cidrlist: i.cidrList,
    aclid: i.aclId,
    aclname: aclName,
    fordisplay: true,
    tags: await tagsView(lk, (await lk.tags([i.id])).get(i.id)),
  };
  if (i.startPort !== null) v['startport'] = String(i.startPort);
  if (i.endPort !== null) v['endport'] = String(i.endPort);
  if (i.icmpType !== null) v['icmptype'] = i.icmpType;
  if (i.icmpCode !== null) v['icmpcode'] = i.icmpCode;
  if (i.reason !== null) v['reason'] = i.reason;
  return v;
}
