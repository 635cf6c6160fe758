import { isAdmin } from '../../domain/caller.js';
import { list, object, type CommandDef } from '../command.js';
import { csDate } from '../encode.js';
import {
  dbMetricsView,
  hostMetricsView,
  managementServerStatsFields,
  storagePoolMetricsView,
  summaryFields,
  vmMetricsView,
  vmStatsFields,
  volumeMetricsView,
} from '../views/metrics.view.js';
import { zoneRows } from './catalog.commands.js';
import { managementServerView } from './cluster.commands.js';
import { paging, slice, uuidList } from './common.js';
import { clusterRows } from './datacenter.commands.js';
import { hostRows } from './host.commands.js';
import { storagePoolRows } from './storage.commands.js';
import { vmRows } from './vm.commands.js';
import { volumeRows } from './volume.commands.js';

/**
 * The metrics plugin (MetricsServiceImpl): each *Metrics command lists what its base command lists,
 * with the same parameters, and adds figures in GHz/GB, percentages and threshold flags.
 */
export const metricsCommands: CommandDef[] = [
  {
    name: 'listVirtualMachinesMetrics',
    uncached: true,
    async handle(ctx) {
      const { vms, items, count } = await vmRows(
        ctx,
        ctx.params.uuid('id') ? [ctx.params.uuid('id')!] : uuidList(ctx.params, 'ids'),
      );
      const stats = ctx.services.metrics.vmStats(vms, ctx.params.bool('accumulate'));
      return list(
        'virtualmachine',
        items.map((v, i) => vmMetricsView({ ...v, ...vmStatsFields(stats.get(vms[i]!.id)) })),
        count,
      );
    },
  },
  {
    name: 'listVolumesMetrics',
    async handle(ctx) {
      const { items, count } = await volumeRows(ctx);
      return list(
        'volume',
        items.map((v) => volumeMetricsView(v, isAdmin(ctx.caller))),
        count,
      );
    },
  },
  {
    name: 'listHostsMetrics',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { hosts, items, count } = await hostRows(services, p);
      const instances = await services.metrics.instances();
      return list(
        'host',
        items.map((h, i) =>
          hostMetricsView(
            h,
            services.metrics.thresholds(hosts[i]!.clusterId || undefined),
            instances.get(hosts[i]!.id),
          ),
        ),
        count,
      );
    },
  },
  {
    name: 'listClustersMetrics',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { clusters, items, count } = await clusterRows(services, p);
      const summaries = await services.metrics.clusters(clusters, (await services.hosts.list({})).items);
      return list(
        'cluster',
        items.map((c, i) => {
          const s = summaries.get(clusters[i]!.id)!;
          // ClusterMetricsResponse.setState: an Unmanaged cluster says so, else its allocation state.
          const state = c['managedstate'] === 'Unmanaged' ? 'Unmanaged' : c['allocationstate'];
          return { ...c, state, hosts: `${s.upResources} / ${s.totalResources}`, ...summaryFields(s, false) };
        }),
        count,
      );
    },
  },
  {
    name: 'listZonesMetrics',
    rootAdmin: true,
    async handle(ctx) {
      const { zones, items, count } = await zoneRows(ctx);
      const s = ctx.services;
      const summaries = await s.metrics.zones(zones, await s.clusters.list({}), (await s.hosts.list({})).items);
      return list(
        'zone',
        items.map((z, i) => {
          const m = summaries.get(zones[i]!.id)!;
          return {
            ...z,
            state: z['allocationstate'],
            clusters: `${m.upResources} / ${m.totalResources}`,
            ...summaryFields(m, true),
          };
        }),
        count,
      );
    },
  },
  {
    name: 'listStoragePoolsMetrics',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { pools, items, count } = await storagePoolRows(services, p);
      return list(
        'storagepool',
        items.map((x, i) => storagePoolMetricsView(x, services.metrics.storageThresholds(pools[i]!))),
        count,
      );
    },
  },
  {
    name: 'listInfrastructure',
    rootAdmin: true,
    async handle({ services }) {
      const n = await services.metrics.infrastructure();
      return object('infrastructure', {
        zones: n.zones,
        pods: n.pods,
        clusters: n.clusters,
        hosts: n.hosts,
        storagepools: n.storagePools,
        imagestores: n.imageStores,
        systemvms: n.systemVms,
        // polystack runs no internal load balancer VMs.
        routers: n.routers,
        ilbvms: 0,
        cpusockets: n.cpuSockets,
        managementservers: n.managementServers,
        alerts: n.alerts,
      });
    },
  },
  {
    name: 'listManagementServersMetrics',
    uncached: true,
    admin: true,
    // `system` ("include system level stats") is left unread: 4.18's smoke test expects the system figures without it.
    async handle({ services, params: p }) {
      const all = await services.nodes.list({ id: p.str('id'), name: p.str('name'), keyword: p.str('keyword') });
      const page = slice(all, paging(p, services));
      const rows = await Promise.all(
        page.map(async (m) => {
          const stats = await services.metrics.managementServer(m, services.jobs.nodeId);
          return { ...managementServerView(m), ...(stats ? managementServerStatsFields(stats) : {}) };
        }),
      );
      return list('managementserver', rows, all.length);
    },
  },
  {
    name: 'listDbMetrics',
    uncached: true,
    admin: true,
    async handle({ services }) {
      return object('dbMetrics', dbMetricsView(await services.metrics.db()));
    },
  },
  {
    name: 'listUsageServerMetrics',
    uncached: true,
    admin: true,
    async handle({ services }) {
      const u = services.metrics.usageServer();
      return object('usageMetrics', {
        collectiontime: csDate(u.collectionTime),
        hostname: u.hostname,
        state: u.state,
        lastsuccessfuljob: csDate(u.lastSuccessfulJob),
      });
    },
  },
  {
    name: 'createConsoleEndpoint',
    async handle({ caller, services, params: p }) {
      const e = await services.console.endpoint(caller, p.req('virtualmachineid'), p.str('token'));
      // The websocket object is always there; a refusal's has no fields.
      return object('consoleendpoint', {
        success: e.success,
        ...(e.details ? { details: e.details } : {}),
        ...(e.url ? { url: e.url } : {}),
        websocket: e.websocket ?? {},
      });
    },
  },
];
