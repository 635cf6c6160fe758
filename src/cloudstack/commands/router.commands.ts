import type { Router } from '../../domain/networking.js';
import type { Services } from '../../services/services.js';
import { ROUTER_JOBS } from '../../services/network/router.service.js';
import { job, list, type CommandContext, type CommandDef } from '../command.js';
import { routerView } from '../views/router.view.js';
import { listScope, paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

export async function routerViews(s: Services, routers: Router[]): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  const [nets, vpcs, ranges] = await Promise.all([
    lk.networks(routers.map((r) => r.networkId).filter((x): x is string => !!x)),
    s.vpcs.byIds(routers.map((r) => r.vpcId).filter((x): x is string => !!x)),
    routers.length ? s.vlanRanges.list({}) : [],
  ]);
  // A VPC's router has a guest NIC on each tier that is up.
  const guests = async (r: Router) =>
    r.vpcId
      ? (await s.vpcs.tiers(r.vpcId)).filter((t) => t.state === 'Implemented')
      : [r.networkId ? nets.get(r.networkId) : undefined].filter((n) => !!n);
  return Promise.all(
    routers.map(async (r) => routerView(lk, r, await guests(r), r.vpcId ? vpcs.get(r.vpcId) : undefined, ranges)),
  );
}

/** The router lifecycle commands: admin only, the router must be in the caller's reach. */
const lifecycle = (name: string, kind: string): CommandDef => ({
  name,
  admin: true,
  async handle(ctx: CommandContext) {
    const r = await ctx.services.routers.get(ctx.caller, ctx.params.req('id'));
    return job(
      await ctx.services.jobs.run(ctx.caller, {
        cmd: cmdOf(ctx),
        kind,
        params: { id: r.id },
        instanceType: 'DomainRouter',
        instanceId: r.id,
      }),
    );
  },
});

export const routerCommands: CommandDef[] = [
  {
    name: 'listRouters',
    admin: true,
    async handle({ caller, services, params: p }) {
      const all = await services.routers.list(caller, listScope(p), {
        id: p.uuid('id'),
        zoneId: p.uuid('zoneid'),
        networkId: p.uuid('networkid'),
        vpcId: p.uuid('vpcid'),
        state: p.str('state'),
        name: p.str('name'),
        hostId: p.uuid('hostid'),
      });
      const forVpc = p.bool('forvpc');
      const shown = forVpc === undefined ? all : all.filter((r) => !!r.vpcId === forVpc);
      return list('router', await routerViews(services, slice(shown, paging(p, services))), shown.length);
    },
  },
  lifecycle('startRouter', ROUTER_JOBS.start),
  lifecycle('stopRouter', ROUTER_JOBS.stop),
  lifecycle('rebootRouter', ROUTER_JOBS.reboot),
  lifecycle('destroyRouter', ROUTER_JOBS.destroy),
];
