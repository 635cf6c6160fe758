import { HOST_JOBS } from '../../services/infrastructure/host.service.js';
import { job, list, object, success, type CommandDef } from '../command.js';
import { hostView } from '../views/datacenter.view.js';
import { paging } from './common.js';
import { csDate } from '../encode.js';
import { cmdOf } from './networking.common.js';
import type { Services } from '../../services/services.js';
import type { Params } from '../params.js';
import type { Host } from '../../domain/types.js';
import { hostStatsFields } from '../views/metrics.view.js';

/** A HostResponse with the host's agent stats, as every command answering a host shows it. */
export async function hostObject(services: Services, h: Host): Promise<Record<string, unknown>> {
  const stats = await services.metrics.hostStats([h]);
  return { ...(await hostView(services.lookup(), h)), ...hostStatsFields(stats.get(h.id)) };
}

/** listHosts' page: the hosts and their HostResponses (listHostsMetrics decorates the same rows). */
export async function hostRows(
  services: Services,
  p: Params,
): Promise<{ hosts: Host[]; items: Record<string, unknown>[]; count: number }> {
  const page = await services.hosts.list(
    {
      id: p.uuid('id'),
      zoneId: p.uuid('zoneid'),
      podId: p.uuid('podid'),
      clusterId: p.uuid('clusterid'),
      name: p.str('name'),
      keyword: p.str('keyword'),
      type: p.str('type'),
      state: p.str('state'),
      resourceState: p.str('resourcestate'),
      vmId: p.uuid('virtualmachineid'),
      hypervisor: p.str('hypervisor'),
    },
    paging(p, services),
  );
  const lk = services.lookup();
  // HostJoinDao: the host's newest annotation, when it was made and by whom; and its agent's last stats.
  const [notes, users, stats] = await Promise.all([
    services.annotations.latest(page.items.map((h) => h.id)),
    lk.table('users'),
    services.metrics.hostStats(page.items),
  ]);
  const annotated = (v: Record<string, unknown>, id: string) => {
    const a = notes.get(id);
    return a
      ? {
          ...v,
          annotation: a.annotation,
          lastannotated: csDate(a.created),
          username: users.get(a.userId)?.username,
          hasannotations: true,
        }
      : v;
  };
  const items = await Promise.all(
    page.items.map(async (h) => annotated({ ...(await hostView(lk, h)), ...hostStatsFields(stats.get(h.id)) }, h.id)),
  );
  return { hosts: page.items, items, count: page.count };
}

/** Simulated hosts (root admins only). */
export const hostCommands: CommandDef[] = [
  {
    name: 'addHost',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const h = await services.hosts.add(caller, {
        zoneId: p.req('zoneid'),
        podId: p.req('podid'),
        clusterId: p.uuid('clusterid'),
        clusterName: p.str('clustername'),
        hypervisor: p.req('hypervisor'),
        url: p.req('url'),
        username: p.str('username'),
        password: p.str('password'),
        hostTags: p.list('hosttags'),
        allocationState: p.str('allocationstate'),
      });
      // addHost answers with a list: a discoverer may find several hosts behind one URL.
      return list('host', [await hostObject(services, h)]);
    },
  },
  {
    name: 'listHosts',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { items, count } = await hostRows(services, p);
      return list('host', items, count);
    },
  },
  {
    name: 'updateHost',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const h = await services.hosts.update(caller, p.req('id'), {
        allocationState: p.str('allocationstate'),
        name: p.str('name'),
        hostTags: p.list('hosttags'),
      });
      return object('host', await hostObject(services, h));
    },
  },
  {
    name: 'deleteHost',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.hosts.remove(caller, p.req('id'), p.bool('forced', false));
      return success();
    },
  },
  {
    name: 'reconnectHost',
    rootAdmin: true,
    async handle(ctx) {
      return job(await ctx.services.hosts.submit(ctx.caller, HOST_JOBS.reconnect, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'prepareHostForMaintenance',
    rootAdmin: true,
    async handle(ctx) {
      return job(await ctx.services.hosts.submit(ctx.caller, HOST_JOBS.maintain, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'cancelHostMaintenance',
    rootAdmin: true,
    async handle(ctx) {
      return job(
        await ctx.services.hosts.submit(ctx.caller, HOST_JOBS.cancelMaintenance, ctx.params.req('id'), cmdOf(ctx)),
      );
    },
  },
];
