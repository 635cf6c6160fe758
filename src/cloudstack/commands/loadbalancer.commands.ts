import { LB_JOBS } from '../../services/network/loadbalancer.service.js';
import { isAdmin } from '../../domain/caller.js';
import { job, list, type CommandDef } from '../command.js';
import { loadBalancerView } from '../views/loadbalancer.view.js';
import { vmViews } from '../views/vm.view.js';
import { listScope, paging, slice, taggedIds, uuidList } from './common.js';
import { cmdOf } from './networking.common.js';

/** Public load balancer rules and their member VMs. */
export const loadBalancerCommands: CommandDef[] = [
  {
    name: 'createLoadBalancerRule',
    async handle(ctx) {
      const p = ctx.params;
      const { rule, jobId } = await ctx.services.loadBalancers.create(
        ctx.caller,
        {
          name: p.req('name'),
          description: p.str('description'),
          publicIpId: p.uuid('publicipid'),
          networkId: p.uuid('networkid'),
          publicPort: p.int('publicport')!,
          privatePort: p.int('privateport')!,
          algorithm: p.req('algorithm'),
          protocol: p.str('protocol'),
          cidrList: p.list('cidrlist'),
        },
        cmdOf(ctx),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'deleteLoadBalancerRule',
    async handle(ctx) {
      return job(
        await ctx.services.loadBalancers.submit(ctx.caller, cmdOf(ctx), LB_JOBS.remove, { id: ctx.params.req('id') }),
      );
    },
  },
  {
    name: 'updateLoadBalancerRule',
    async handle(ctx) {
      const p = ctx.params;
      const params = {
        id: p.req('id'),
        name: p.str('name'),
        description: p.str('description'),
        algorithm: p.str('algorithm'),
        protocol: p.str('protocol'),
      };
      return job(await ctx.services.loadBalancers.submit(ctx.caller, cmdOf(ctx), LB_JOBS.update, params));
    },
  },
  {
    name: 'assignToLoadBalancerRule',
    async handle(ctx) {
      const params = { id: ctx.params.req('id'), vmIds: uuidList(ctx.params, 'virtualmachineids') ?? [] };
      return job(await ctx.services.loadBalancers.submit(ctx.caller, cmdOf(ctx), LB_JOBS.assign, params));
    },
  },
  {
    name: 'removeFromLoadBalancerRule',
    async handle(ctx) {
      const params = { id: ctx.params.req('id'), vmIds: uuidList(ctx.params, 'virtualmachineids') ?? [] };
      return job(await ctx.services.loadBalancers.submit(ctx.caller, cmdOf(ctx), LB_JOBS.unassign, params));
    },
  },
  {
    name: 'listLoadBalancerRules',
    async handle({ caller, services, params: p }) {
      let all = await services.loadBalancers.list(caller, listScope(p), {
        id: p.uuid('id'),
        ipId: p.uuid('publicipid'),
        networkId: p.uuid('networkid'),
        name: p.str('name'),
        zoneId: p.uuid('zoneid'),
        vmId: p.uuid('virtualmachineid'),
        keyword: p.str('keyword'),
      });
      const tagged = await taggedIds(p, services);
      if (tagged) all = all.filter((r) => tagged.includes(r.id));
      const lk = services.lookup();
      return list(
        'loadbalancerrule',
        await Promise.all(slice(all, paging(p, services)).map((r) => loadBalancerView(lk, r))),
        all.length,
      );
    },
  },
  {
    // Members are shown as VMs; with lbvmips=true each comes with the addresses it is balanced on.
    name: 'listLoadBalancerRuleInstances',
    async handle({ caller, services, params: p }) {
      const { vms, members } = await services.loadBalancers.members(caller, p.req('id'));
      const page = slice(vms, paging(p, services));
      const views = await vmViews(services.lookup(), page, { admin: isAdmin(caller) });
      if (!p.bool('lbvmips', false)) return list('loadbalancerruleinstance', views, vms.length);
      const items = views.map((v, i) => ({
        loadbalancerruleinstance: v,
        lbvmipaddresses: members.filter((m) => m.vmId === page[i]!.id).map((m) => m.vmIp),
      }));
      return list('lbrulevmidip', items, vms.length);
    },
  },
];
