import type { LoadBalancerRule } from '../../domain/networking.js';
import type { Lookup } from '../../services/lookup.service.js';
import { ownerFields } from './owner.view.js';
import { tagsView } from './tag.view.js';

/** LoadBalancerResponse; the ports are strings, as CloudStack sends them. */
export async function loadBalancerView(lk: Lookup, r: LoadBalancerRule): Promise<Record<string, unknown>> {
  const [ips, zones] = await Promise.all([lk.publicIps([r.publicIpId]), lk.table('zones')]);
  const ip = ips.get(r.publicIpId);
  const v: Record<string, unknown> = {
    id: r.id,
    name: r.name,
    publicipid: r.publicIpId,
    publicip: ip?.address,
    publicport: String(r.publicPort),
    privateport: String(r.privatePort),
    algorithm: r.algorithm,
    protocol: r.protocol,
    networkid: r.networkId,
    state: r.state,
    zoneid: ip?.zoneId,
    zonename: ip ? zones.get(ip.zoneId)?.name : undefined,
    ...(await ownerFields(lk, r.accountId, r.domainId)),
    fordisplay: true,
    tags: await tagsView(lk, (await lk.tags([r.id])).get(r.id)),
  };
  if (r.description !== null) v['description'] = r.description;
  if (r.cidrList !== null) v['cidrlist'] = r.cidrList;
  return v;
}
