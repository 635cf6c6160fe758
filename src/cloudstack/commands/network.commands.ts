import type { Network, PublicIp } from '../../domain/types.js';
import { JOB_KINDS } from '../../services/operations/jobs.js';
import { NETWORK_JOBS } from '../../services/network/network.lifecycle.js';
import { job, list, object, type CommandDef } from '../command.js';
import type { Params } from '../params.js';
import { networkView, publicIpView } from '../views/network.view.js';
import { portForwardingView } from '../views/portforwarding.view.js';
import { filterByTagsAndIds, listScope, paging, slice, taggedIds } from './common.js';
import { cmdOf, networkNames } from './networking.common.js';

export { staticNatCommands } from './nat.commands.js';

/**
 * searchForIPAddresses' narrowing beyond the store's: vpcid, state, vlanid, isstaticnat (an address
 * with a VM), and forvirtualnetwork / fordisplay, which every polystack address is (VirtualNetwork
 * ranges only, always displayed), so their false lists none.
 */
function publicIpFilter(p: Params): (ip: PublicIp) => boolean {
  const vpcId = p.uuid('vpcid');
  const state = p.str('state')?.toLowerCase();
  const vlanId = p.uuid('vlanid');
  const staticNat = p.bool('isstaticnat');
  const shown = p.bool('forvirtualnetwork', true) && p.bool('fordisplay', true);
  return (ip) =>
    shown &&
    (!vpcId || ip.vpcId === vpcId) &&
    (!state || ip.state.toLowerCase() === state) &&
    (!vlanId || ip.vlanRangeId === vlanId) &&
    (staticNat === undefined || !!ip.vmId === staticNat);
}

/**
 * searchForNetworks' column filters the service does not apply: networkofferingid, acltype, vlan
 * (the broadcast URI, given with or without `vlan://`) and forvpc (a VPC tier or not). Not
 * physicalnetworkid: a network created without one keeps none here, where CloudStack records the
 * zone's guest physical network, so the filter would drop networks CloudStack lists.
 */
function networkFilter(p: Params): (n: Network) => boolean {
  const offeringId = p.uuid('networkofferingid');
  const aclType = p.str('acltype')?.toLowerCase();
  const vlan = p.str('vlan')?.replace(/^vlan:\/\//i, '');
  const forVpc = p.bool('forvpc');
  return (n) =>
    (!offeringId || n.networkOfferingId === offeringId) &&
    (!aclType || n.aclType.toLowerCase() === aclType) &&
    (!vlan || n.vlan === vlan) &&
    (forVpc === undefined || !!n.vpcId === forVpc);
}

export const networkCommands: CommandDef[] = [
  {
    name: 'listNetworks',
    async handle({ caller, services, params: p }) {
      // searchForNetworks has its own ACL, which an id does not widen.
      const scoped = await filterByTagsAndIds(
        p,
        services,
        await services.networks.listNetworks(
          caller,
          { ...listScope(p), id: undefined },
          {
            id: p.uuid('id'),
            zoneId: p.uuid('zoneid'),
            type: p.str('type'),
            keyword: p.str('keyword'),
            vpcId: p.uuid('vpcid'),
            networkFilter: p.str('networkfilter'),
          },
        ),
      );
      const all = scoped.filter(networkFilter(p));
      const page = slice(all, paging(p, services));
      const lk = services.lookup();
      const names = await networkNames(services, page);
      return list('network', await Promise.all(page.map((n) => networkView(lk, n, names))), all.length);
    },
  },
  {
    // Synchronous, as in CloudStack: the network exists (Allocated, or Setup when shared) when this answers.
    name: 'createNetwork',
    async handle({ caller, services, params: p }) {
      const net = await services.guestNetworks.create(caller, {
        zoneId: p.req('zoneid'),
        name: p.req('name'),
        displayText: p.str('displaytext'),
        networkOfferingId: p.req('networkofferingid'),
        gateway: p.str('gateway'),
        netmask: p.str('netmask'),
        startIp: p.str('startip'),
        endIp: p.str('endip'),
        vlan: p.str('vlan'),
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
        aclType: p.str('acltype'),
        subdomainAccess: p.bool('subdomainaccess'),
        vpcId: p.uuid('vpcid'),
        aclId: p.uuid('aclid'),
        networkDomain: p.str('networkdomain'),
        physicalNetworkId: p.uuid('physicalnetworkid'),
        bypassVlanOverlapCheck: p.bool('bypassvlanoverlapcheck'),
        isolatedPvlan: p.str('isolatedpvlan'),
        isolatedPvlanType: p.str('isolatedpvlantype'),
        ip6Gateway: p.str('ip6gateway'),
        ip6Cidr: p.str('ip6cidr'),
      });
      return object('network', await networkView(services.lookup(), net, await networkNames(services, [net])));
    },
  },
  {
    name: 'updateNetwork',
    async handle(ctx) {
      const p = ctx.params;
      const params = {
        id: p.req('id'),
        name: p.str('name'),
        displayText: p.str('displaytext'),
        networkDomain: p.str('networkdomain'),
        networkOfferingId: p.uuid('networkofferingid'),
      };
      return job(await ctx.services.guestNetworks.submit(ctx.caller, cmdOf(ctx), NETWORK_JOBS.update, params));
    },
  },
  {
    name: 'deleteNetwork',
    async handle(ctx) {
      return job(
        await ctx.services.guestNetworks.submit(ctx.caller, cmdOf(ctx), NETWORK_JOBS.remove, {
          id: ctx.params.req('id'),
        }),
      );
    },
  },
  {
    name: 'restartNetwork',
    async handle(ctx) {
      const params = { id: ctx.params.req('id'), cleanup: ctx.params.bool('cleanup', false) };
      return job(await ctx.services.guestNetworks.submit(ctx.caller, cmdOf(ctx), NETWORK_JOBS.restart, params));
    },
  },
  {
    name: 'listPublicIpAddresses',
    async handle({ caller, services, params: p }) {
      const all = await filterByTagsAndIds(
        p,
        services,
        await services.networks.listPublicIps(caller, listScope(p), {
          id: p.uuid('id'),
          zoneId: p.uuid('zoneid'),
          ipAddress: p.str('ipaddress'),
          networkId: p.uuid('associatednetworkid') ?? p.uuid('networkid'),
          isSourceNat: p.bool('issourcenat'),
          allocatedOnly: p.bool('allocatedonly', true),
        }),
      );
      const shown = all.filter(publicIpFilter(p));
      const lk = services.lookup();
      return list(
        'publicipaddress',
        await Promise.all(slice(shown, paging(p, services)).map((ip) => publicIpView(lk, ip))),
        shown.length,
      );
    },
  },
  {
    name: 'associateIpAddress',
    async handle(ctx) {
      const p = ctx.params;
      const { ip, jobId } = await ctx.services.networks.submitAssociate(
        ctx.caller,
        {
          networkId: p.uuid('networkid'),
          zoneId: p.uuid('zoneid'),
          vpcId: p.uuid('vpcid'),
          ipAddress: p.str('ipaddress'),
          account: p.str('account'),
          domainId: p.uuid('domainid'),
          projectId: p.uuid('projectid'),
          isPortable: p.bool('isportable', false),
        },
        cmdOf(ctx),
      );
      return job(jobId, ip.id);
    },
  },
  {
    name: 'disassociateIpAddress',
    async handle(ctx) {
      const id = ctx.params.req('id');
      await ctx.services.networks.ownedPublicIp(ctx.caller, id);
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: cmdOf(ctx),
        kind: JOB_KINDS.ipDisassociate,
        params: { id },
        instanceType: 'IpAddress',
        instanceId: id,
      });
      return job(jobId);
    },
  },
];

export const portForwardingCommands: CommandDef[] = [
  {
    name: 'createPortForwardingRule',
    async handle(ctx) {
      const p = ctx.params;
      const { rule, jobId } = await ctx.services.portForwarding.create(
        ctx.caller,
        {
          ipId: p.req('ipaddressid'),
          protocol: p.req('protocol'),
          publicPort: p.int('publicport')!,
          publicEndPort: p.int('publicendport'),
          privatePort: p.int('privateport')!,
          privateEndPort: p.int('privateendport'),
          vmId: p.req('virtualmachineid'),
          vmGuestIp: p.str('vmguestip'),
          networkId: p.uuid('networkid'),
          cidrList: p.list('cidrlist'),
        },
        cmdOf(ctx),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'deletePortForwardingRule',
    async handle(ctx) {
      return job(await ctx.services.portForwarding.remove(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'listPortForwardingRules',
    async handle({ caller, services, params: p }) {
      let all = await services.portForwarding.list(caller, listScope(p), {
        id: p.uuid('id'),
        ipId: p.uuid('ipaddressid'),
        networkId: p.uuid('networkid'),
      });
      const tagged = await taggedIds(p, services);
      if (tagged) all = all.filter((r) => tagged.includes(r.id));
      const lk = services.lookup();
      return list(
        'portforwardingrule',
        await Promise.all(slice(all, paging(p, services)).map((r) => portForwardingView(lk, r))),
        all.length,
      );
    },
  },
];
