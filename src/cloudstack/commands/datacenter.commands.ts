import { list, object, success, type CommandDef } from '../command.js';
import { zoneView } from '../views/catalog.view.js';
import { clusterView, podView } from '../views/datacenter.view.js';
import { paging, slice } from './common.js';
import type { Services } from '../../services/services.js';
import type { Params } from '../params.js';
import type { Cluster } from '../../domain/types.js';

/** listClusters' page: the clusters and their ClusterResponses (listClustersMetrics decorates the same rows). */
export async function clusterRows(
  services: Services,
  p: Params,
): Promise<{ clusters: Cluster[]; items: Record<string, unknown>[]; count: number }> {
  const all = await services.clusters.list({
    id: p.uuid('id'),
    zoneId: p.uuid('zoneid'),
    podId: p.uuid('podid'),
    name: p.str('name'),
    keyword: p.str('keyword'),
    allocationState: p.str('allocationstate'),
    clusterType: p.str('clustertype'),
    hypervisor: p.str('hypervisor'),
  });
  const lk = services.lookup();
  const clusters = slice(all, paging(p, services));
  return { clusters, items: await Promise.all(clusters.map((c) => clusterView(lk, c))), count: all.length };
}

/** Zones, pods and clusters: the structure of the data center (root admins only). */
export const datacenterCommands: CommandDef[] = [
  {
    name: 'createZone',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const z = await services.zones.create(caller, {
        name: p.req('name'),
        dns1: p.req('dns1'),
        dns2: p.str('dns2'),
        internalDns1: p.req('internaldns1'),
        internalDns2: p.str('internaldns2'),
        networkType: p.req('networktype'),
        securityGroupEnabled: p.bool('securitygroupenabled'),
        localStorageEnabled: p.bool('localstorageenabled'),
        domain: p.str('domain'),
        guestCidr: p.str('guestcidraddress'),
        allocationState: p.str('allocationstate'),
        domainId: p.uuid('domainid'),
      });
      return object('zone', zoneView(z, true));
    },
  },
  {
    name: 'updateZone',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const z = await services.zones.update(caller, p.req('id'), {
        name: p.str('name'),
        dns1: p.str('dns1'),
        dns2: p.str('dns2'),
        internalDns1: p.str('internaldns1'),
        internalDns2: p.str('internaldns2'),
        guestCidr: p.str('guestcidraddress'),
        domain: p.str('domain'),
        localStorageEnabled: p.bool('localstorageenabled'),
        allocationState: p.str('allocationstate'),
        details: p.map('details'),
      });
      return object('zone', zoneView(z, true));
    },
  },
  {
    name: 'deleteZone',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.zones.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'createPod',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const pod = await services.pods.create(caller, {
        zoneId: p.req('zoneid'),
        name: p.req('name'),
        gateway: p.str('gateway'),
        netmask: p.str('netmask'),
        startIp: p.str('startip'),
        endIp: p.str('endip'),
        allocationState: p.str('allocationstate'),
      });
      return object('pod', await podView(services.lookup(), pod));
    },
  },
  {
    name: 'updatePod',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const pod = await services.pods.update(caller, p.req('id'), {
        name: p.str('name'),
        gateway: p.str('gateway'),
        netmask: p.str('netmask'),
        allocationState: p.str('allocationstate'),
      });
      return object('pod', await podView(services.lookup(), pod));
    },
  },
  {
    name: 'deletePod',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.pods.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listPods',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.pods.list({
        id: p.uuid('id'),
        zoneId: p.uuid('zoneid'),
        name: p.str('name'),
        keyword: p.str('keyword'),
        allocationState: p.str('allocationstate'),
      });
      const lk = services.lookup();
      return list('pod', await Promise.all(slice(all, paging(p, services)).map((x) => podView(lk, x))), all.length);
    },
  },
  {
    name: 'addCluster',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const c = await services.clusters.add(caller, {
        zoneId: p.req('zoneid'),
        podId: p.req('podid'),
        name: p.req('clustername'),
        hypervisor: p.req('hypervisor'),
        clusterType: p.req('clustertype'),
        allocationState: p.str('allocationstate'),
      });
      // addCluster answers with a list, as discoverCluster may find several.
      return list('cluster', [await clusterView(services.lookup(), c)]);
    },
  },
  {
    name: 'updateCluster',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const c = await services.clusters.update(caller, p.req('id'), {
        name: p.str('clustername'),
        allocationState: p.str('allocationstate'),
        clusterType: p.str('clustertype'),
        hypervisor: p.str('hypervisor'),
        managedState: p.str('managedstate'),
      });
      return object('cluster', await clusterView(services.lookup(), c));
    },
  },
  {
    name: 'deleteCluster',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.clusters.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listClusters',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { items, count } = await clusterRows(services, p);
      return list('cluster', items, count);
    },
  },
];
