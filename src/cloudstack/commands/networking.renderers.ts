import type { Services } from '../../services/services.js';
import { firewallRuleView, ipForwardingRuleView } from '../views/firewall.view.js';
import { guestIpv6PrefixView } from '../views/ipv6.view.js';
import type { ResultRenderer } from '../views/job.view.js';
import { loadBalancerView } from '../views/loadbalancer.view.js';
import { networkView, nicSecondaryIpView } from '../views/network.view.js';
import { aclItemView, aclListView, vpcOfferingView } from '../views/vpc.view.js';
import { remoteAccessVpnView, vpnUserView } from '../views/vpn.view.js';
import { networkNames } from './networking.common.js';
import { routerViews } from './router.commands.js';
import { systemVmViews } from './systemvm.commands.js';
import { vpcViews } from './vpc.commands.js';

/** How the networking jobs' result objects are shown, keyed by the result's instance type. */
export function networkingRenderers(s: Services): Record<string, ResultRenderer> {
  return {
    NetFirewallRule: async (lk, id) => {
      const r = await s.firewall.find(id);
      if (!r) return undefined;
      return r.purpose === 'StaticNat'
        ? ['ipforwardingrule', await ipForwardingRuleView(lk, r)]
        : ['firewallrule', await firewallRuleView(lk, r)];
    },
    RemoteAccessVpn: async (lk, id) => {
      const v = await s.vpns.find(id);
      return v ? ['remoteaccessvpn', await remoteAccessVpnView(lk, v)] : undefined;
    },
    // Only addVpnUser's job answers a VPN user, with the fields AddVpnUserCmd sets (no state).
    VpnUser: async (lk, id) => {
      const u = await s.vpnUsers.find(id);
      return u ? ['vpnuser', await vpnUserView(lk, u, false)] : undefined;
    },
    GuestIpv6Prefix: async (_lk, id) => {
      const p = await s.ipv6Prefixes.find(id);
      return p ? ['guestnetworkipv6prefix', guestIpv6PrefixView(p, await s.ipv6Prefixes.usage(p))] : undefined;
    },
    NicSecondaryIp: async (_lk, id) => {
      const ip = await s.nicIps.find(id);
      return ip ? ['nicsecondaryip', nicSecondaryIpView(ip)] : undefined;
    },
    LoadBalancerRule: async (lk, id) => {
      const r = await s.loadBalancers.find(id);
      return r ? ['loadbalancer', await loadBalancerView(lk, r)] : undefined;
    },
    Network: async (lk, id) => {
      const n = (await lk.networks([id])).get(id);
      return n ? ['network', await networkView(lk, n, await networkNames(s, [n]))] : undefined;
    },
    VpcOffering: async (lk, id) => {
      const [o] = await s.vpcs.offerings(await s.system(), { id, withRemoved: true });
      return o ? ['vpcoffering', await vpcOfferingView(lk, o)] : undefined;
    },
    Vpc: async (_lk, id) => {
      const v = await s.vpcs.find(id);
      return v ? ['vpc', (await vpcViews(s, [v]))[0]!] : undefined;
    },
    DomainRouter: async (_lk, id) => {
      const r = await s.routers.find(id);
      return r ? ['router', (await routerViews(s, [r]))[0]!] : undefined;
    },
    SystemVm: async (_lk, id) => {
      const v = await s.systemVms.find(id);
      return v ? ['systemvm', (await systemVmViews(s, [v]))[0]!] : undefined;
    },
    NetworkAclList: async (_lk, id) => {
      const a = (await s.acls.byIds([id])).get(id);
      return a ? ['networkacllist', aclListView(a)] : undefined;
    },
    NetworkAclItem: async (lk, id) => {
      const i = await s.acls.findItem(id);
      return i
        ? ['networkacl', await aclItemView(lk, i, (await s.acls.byIds([i.aclId])).get(i.aclId)?.name)]
        : undefined;
    },
  };
}
