import { STATIC_NAT_JOBS } from '../../services/network/staticnat.service.js';
import { job, list, success, type CommandDef } from '../command.js';
import { ipForwardingRuleView } from '../views/firewall.view.js';
import { listScope, paging, slice, taggedIds } from './common.js';
import { cmdOf } from './networking.common.js';

/** Static NAT and its ip forwarding rules. */
export const staticNatCommands: CommandDef[] = [
  {
    name: 'enableStaticNat',
    async handle({ caller, services, params: p }) {
      await services.staticNat.enable(
        caller,
        p.req('ipaddressid'),
        p.req('virtualmachineid'),
        p.uuid('networkid'),
        p.str('vmguestip'),
      );
      return success();
    },
  },
  {
    name: 'disableStaticNat',
    async handle(ctx) {
      const ipId = ctx.params.req('ipaddressid');
      await ctx.services.networks.ownedPublicIp(ctx.caller, ipId);
      return job(
        await ctx.services.jobs.run(ctx.caller, {
          cmd: cmdOf(ctx),
          kind: STATIC_NAT_JOBS.disable,
          params: { ipId },
          instanceType: 'IpAddress',
          instanceId: ipId,
        }),
      );
    },
  },
  {
    name: 'createIpForwardingRule',
    async handle(ctx) {
      const p = ctx.params;
      const { rule, jobId } = await ctx.services.staticNat.createRule(
        ctx.caller,
        p.req('ipaddressid'),
        {
          protocol: p.req('protocol'),
          startPort: p.int('startport'),
          endPort: p.int('endport'),
          cidrList: p.list('cidrlist'),
        },
        cmdOf(ctx),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'deleteIpForwardingRule',
    async handle(ctx) {
      return job(await ctx.services.staticNat.removeRule(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'listIpForwardingRules',
    async handle({ caller, services, params: p }) {
      let all = await services.staticNat.listRules(caller, listScope(p), {
        id: p.uuid('id'),
        ipId: p.uuid('ipaddressid'),
        vmId: p.uuid('virtualmachineid'),
      });
      const tagged = await taggedIds(p, services);
      if (tagged) all = all.filter((r) => tagged.includes(r.id));
      const lk = services.lookup();
      return list(
        'ipforwardingrule',
        await Promise.all(slice(all, paging(p, services)).map((r) => ipForwardingRuleView(lk, r))),
        all.length,
      );
    },
  },
];
