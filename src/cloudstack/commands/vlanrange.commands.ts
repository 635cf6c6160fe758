import { list, object, success, type CommandDef } from '../command.js';
import { capacityView } from '../views/datacenter.view.js';
import { vlanRangeView } from '../views/physicalnetwork.view.js';
import { paging, slice } from './common.js';

/** VLAN IP ranges and the capacity they and the hosts make up (root admins only). */
export const vlanRangeCommands: CommandDef[] = [
  {
    name: 'createVlanIpRange',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const r = await services.vlanRanges.create(caller, {
        zoneId: p.uuid('zoneid'),
        podId: p.uuid('podid'),
        networkId: p.uuid('networkid'),
        physicalNetworkId: p.uuid('physicalnetworkid'),
        forVirtualNetwork: p.bool('forvirtualnetwork'),
        vlan: p.str('vlan'),
        gateway: p.str('gateway'),
        netmask: p.str('netmask'),
        startIp: p.str('startip'),
        endIp: p.str('endip'),
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        forSystemVms: p.bool('forsystemvms', false),
        ip6Gateway: p.str('ip6gateway'),
        ip6Cidr: p.str('ip6cidr'),
        startIpv6: p.str('startipv6'),
        endIpv6: p.str('endipv6'),
      });
      // createVlanIpRange names its object "vlan", listVlanIpRanges "vlaniprange".
      return object('vlan', await vlanRangeView(services.lookup(), r));
    },
  },
  {
    name: 'listVlanIpRanges',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.vlanRanges.list({
        id: p.uuid('id'),
        zoneId: p.uuid('zoneid'),
        podId: p.uuid('podid'),
        networkId: p.uuid('networkid'),
        physicalNetworkId: p.uuid('physicalnetworkid'),
        forVirtualNetwork: p.bool('forvirtualnetwork'),
        vlan: p.str('vlan'),
        keyword: p.str('keyword'),
      });
      const lk = services.lookup();
      return list(
        'vlaniprange',
        await Promise.all(slice(all, paging(p, services)).map((r) => vlanRangeView(lk, r))),
        all.length,
      );
    },
  },
  {
    name: 'dedicatePublicIpRange',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const r = await services.rangeDedication.dedicate(caller, p.req('id'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return object('vlan', await vlanRangeView(services.lookup(), r));
    },
  },
  {
    name: 'releasePublicIpRange',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.rangeDedication.releaseRange(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'deleteVlanIpRange',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.vlanRanges.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listCapacity',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.capacity.list({
        zoneId: p.uuid('zoneid'),
        podId: p.uuid('podid'),
        clusterId: p.uuid('clusterid'),
        type: p.int('type'),
        sortBy: p.str('sortby'),
      });
      const lk = services.lookup();
      return list(
        'capacity',
        await Promise.all(slice(all, paging(p, services)).map((c) => capacityView(lk, c))),
        all.length,
      );
    },
  },
];
