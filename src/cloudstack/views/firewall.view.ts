import type { Wire, WireFirewallRule } from '../wire.js';
import type { FirewallRule } from '../../domain/networking.js';
import type { Lookup } from '../../services/lookup.service.js';
import { tagsView } from './tag.view.js';

/** FirewallResponse: ingress rules (listFirewallRules) and egress rules (listEgressFirewallRules). */
export async function firewallRuleView(lk: Lookup, r: FirewallRule): Promise<Wire<WireFirewallRule>> {
  const ips = r.publicIpId ? await lk.publicIps([r.publicIpId]) : new Map();
  const v: Wire<WireFirewallRule> = {
    id: r.id,
    protocol: r.protocol,
    networkid: r.networkId,
    state: r.state,
    cidrlist: r.cidrList,
    traffictype: r.trafficType,
    fordisplay: r.forDisplay !== 0,
    tags: await tagsView(lk, (await lk.tags([r.id])).get(r.id)),
  };
  if (r.startPort !== null) v['startport'] = r.startPort;
  if (r.endPort !== null) v['endport'] = r.endPort;
  if (r.icmpType !== null) v['icmptype'] = r.icmpType;
  if (r.icmpCode !== null) v['icmpcode'] = r.icmpCode;
  if (r.destCidrList) v['destcidrlist'] = r.destCidrList;
  if (r.publicIpId) {
    v['ipaddressid'] = r.publicIpId;
    v['ipaddress'] = ips.get(r.publicIpId)?.address;
  }
  return v;
}

/** IpForwardingRuleResponse: a static NAT rule, naming the VM the address is bound to. */
export async function ipForwardingRuleView(lk: Lookup, r: FirewallRule): Promise<Record<string, unknown>> {
  const ip = (await lk.publicIps([r.publicIpId!])).get(r.publicIpId!);
  const vm = ip?.vmId ? (await lk.vms([ip.vmId])).get(ip.vmId) : undefined;
  const nic = vm
    ? (await lk.vmDetails([vm.id])).nicsByVm.get(vm.id)?.find((n) => n.networkId === r.networkId)
    : undefined;
  const v: Record<string, unknown> = {
    id: r.id,
    ipaddressid: r.publicIpId,
    ipaddress: ip?.address,
    protocol: r.protocol,
    startport: r.startPort,
    endport: r.endPort,
    state: r.state,
    cidrlist: r.cidrList,
    networkid: r.networkId,
    fordisplay: true,
    tags: await tagsView(lk, (await lk.tags([r.id])).get(r.id)),
  };
  if (vm)
    Object.assign(v, {
      virtualmachineid: vm.id,
      virtualmachinename: vm.name,
      virtualmachinedisplayname: vm.displayName,
      vmguestip: nic?.ipAddress ?? undefined,
    });
  return v;
}
