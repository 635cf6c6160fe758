import type { PortForwardingRule } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import { tagsView } from './tag.view.js';

/** Ports are strings in this response, as CloudStack's FirewallRuleResponse has them. */
export async function portForwardingView(lk: Lookup, r: PortForwardingRule): Promise<Record<string, unknown>> {
  const [ips, vms] = await Promise.all([lk.publicIps([r.publicIpId]), lk.vms([r.vmId])]);
  const vm = vms.get(r.vmId);
  return {
    id: r.id,
    privateport: String(r.privatePort),
    privateendport: String(r.privateEndPort),
    protocol: r.protocol,
    publicport: String(r.publicPort),
    publicendport: String(r.publicEndPort),
    virtualmachineid: r.vmId,
    virtualmachinename: vm?.name,
    virtualmachinedisplayname: vm?.displayName,
    ipaddressid: r.publicIpId,
    ipaddress: ips.get(r.publicIpId)?.address,
    vmguestip: r.vmGuestIp,
    state: r.state,
    cidrlist: r.cidrList,
    networkid: r.networkId,
    fordisplay: true,
    tags: await tagsView(lk, (await lk.tags([r.id])).get(r.id)),
  };
}
