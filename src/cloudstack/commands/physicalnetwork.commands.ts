import { PNET_JOBS } from '../../services/network/physicalnetwork.service.js';
import { ELEMENT_TYPES } from '../../services/network/provider.service.js';
import { invalid } from '../../domain/errors.js';
import { job, list, type CommandDef } from '../command.js';
import { elementView, physicalNetworkView, providerView, trafficTypeView } from '../views/physicalnetwork.view.js';
import { paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

/** listVirtualRouterElements / listInternalLoadBalancerElements and their configure commands. */
function elementCommands(
  noun: 'VirtualRouterElement' | 'InternalLoadBalancerElement',
  key: string,
  types: (typeof ELEMENT_TYPES)[keyof typeof ELEMENT_TYPES],
): CommandDef[] {
  return [
    {
      name: `list${noun}s`,
      rootAdmin: true,
      async handle({ services, params: p }) {
        const all = await services.providers.elements(
          { id: p.uuid('id'), nspId: p.uuid('nspid'), enabled: p.bool('enabled') },
          types,
        );
        return list(key, slice(all, paging(p, services)).map(elementView), all.length);
      },
    },
    {
      name: `configure${noun}`,
      rootAdmin: true,
      async handle(ctx) {
        const p = ctx.params;
        return job(
          await ctx.services.providers.submitConfigure(
            ctx.caller,
            p.req('id'),
            p.bool('enabled', false),
            types,
            cmdOf(ctx),
          ),
        );
      },
    },
  ];
}

/** Physical networks, traffic types, service providers and their elements (root admins only). */
export const physicalNetworkCommands: CommandDef[] = [
  {
    name: 'createPhysicalNetwork',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      const { pnet, jobId } = await ctx.services.physicalNetworks.create(
        ctx.caller,
        {
          zoneId: p.req('zoneid'),
          name: p.req('name'),
          isolationMethods: p.list('isolationmethods'),
          broadcastDomainRange: p.str('broadcastdomainrange'),
          vlan: p.str('vlan'),
          networkSpeed: p.str('networkspeed'),
          tags: p.list('tags'),
          domainId: p.uuid('domainid'),
        },
        cmdOf(ctx),
      );
      return job(jobId, pnet.id);
    },
  },
  {
    name: 'listPhysicalNetworks',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.physicalNetworks.list({
        id: p.uuid('id'),
        zoneId: p.uuid('zoneid'),
        name: p.str('name'),
        keyword: p.str('keyword'),
      });
      const lk = services.lookup();
      return list(
        'physicalnetwork',
        await Promise.all(slice(all, paging(p, services)).map((x) => physicalNetworkView(lk, x))),
        all.length,
      );
    },
  },
  {
    name: 'updatePhysicalNetwork',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      const update = {
        state: p.str('state'),
        vlan: p.str('vlan'),
        networkSpeed: p.str('networkspeed'),
        tags: p.list('tags'),
      };
      return job(
        await ctx.services.physicalNetworks.submit(ctx.caller, cmdOf(ctx), PNET_JOBS.update, p.req('id'), { update }),
      );
    },
  },
  {
    name: 'deletePhysicalNetwork',
    rootAdmin: true,
    async handle(ctx) {
      return job(
        await ctx.services.physicalNetworks.submit(ctx.caller, cmdOf(ctx), PNET_JOBS.remove, ctx.params.req('id')),
      );
    },
  },
  {
    name: 'addTrafficType',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      const { traffic, jobId } = await ctx.services.physicalNetworks.addTrafficType(
        ctx.caller,
        p.req('physicalnetworkid'),
        {
          trafficType: p.req('traffictype'),
          kvmLabel: p.str('kvmnetworklabel'),
          xenLabel: p.str('xennetworklabel'),
          vmwareLabel: p.str('vmwarenetworklabel'),
          hypervLabel: p.str('hypervnetworklabel'),
          ovm3Label: p.str('ovm3networklabel'),
          vlan: p.str('vlan'),
        },
        cmdOf(ctx),
      );
      return job(jobId, traffic.id);
    },
  },
  {
    name: 'listTrafficTypes',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.physicalNetworks.trafficTypes(p.req('physicalnetworkid'));
      return list('traffictype', slice(all, paging(p, services)).map(trafficTypeView), all.length);
    },
  },
  {
    name: 'listNetworkServiceProviders',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.providers.list({
        physicalNetworkId: p.uuid('physicalnetworkid'),
        name: p.str('name'),
        state: p.str('state'),
        keyword: p.str('keyword'),
      });
      return list('networkserviceprovider', slice(all, paging(p, services)).map(providerView), all.length);
    },
  },
  {
    name: 'addNetworkServiceProvider',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      const { nsp, jobId } = await ctx.services.providers.add(
        ctx.caller,
        {
          physicalNetworkId: p.req('physicalnetworkid'),
          name: p.req('name'),
          destinationPhysicalNetworkId: p.uuid('destinationphysicalnetworkid'),
          services: p.list('servicelist'),
        },
        cmdOf(ctx),
      );
      return job(jobId, nsp.id);
    },
  },
  {
    name: 'updateNetworkServiceProvider',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.providers.submitUpdate(
          ctx.caller,
          p.req('id'),
          p.str('state'),
          p.list('servicelist'),
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    // NetscalerElement.listNetscalerLoadBalancers: the NetScaler devices added to a physical network. polystack
    // simulates no external device (addNetscalerLoadBalancer is not implemented), so a network has none.
    name: 'listNetscalerLoadBalancers',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const physicalNetworkId = p.uuid('physicalnetworkid');
      const deviceId = p.uuid('lbdeviceid');
      if (!physicalNetworkId && !deviceId)
        throw invalid('Either physical network Id or load balancer device Id must be specified');
      if (deviceId) throw invalid(`Could not find Netscaler load balancer device with ID: ${deviceId}`, 'lbdeviceid');
      if (!(await services.physicalNetworks.get(physicalNetworkId!)))
        throw invalid(`Could not find phyical network with ID: ${physicalNetworkId}`, 'physicalnetworkid');
      return list('netscalerloadbalancer', [], 0);
    },
  },
  ...elementCommands('VirtualRouterElement', 'virtualrouterelement', ELEMENT_TYPES.router),
  ...elementCommands('InternalLoadBalancerElement', 'internalloadbalancerelement', ELEMENT_TYPES.internalLb),
];
