import { isRootAdmin } from '../../domain/caller.js';
import { job, list, type CommandDef } from '../command.js';
import { firewallRuleView } from '../views/firewall.view.js';
import { guestIpv6PrefixView } from '../views/ipv6.view.js';
import { listScope, paging, slice, taggedIds } from './common.js';
import { cmdOf } from './networking.common.js';

/** CreateIpv6FirewallRuleCmd and the other IPv6 firewall commands name every role type (APICommand.authorized). */
const ALL = ['Admin', 'ResourceAdmin', 'DomainAdmin', 'User'] as const;

/** Guest IPv6 prefixes of zones (root admins) and IPv6 firewall rules of networks (Ipv6ServiceImpl.getCommands). */
export const ipv6Commands: CommandDef[] = [
  {
    name: 'createGuestNetworkIpv6Prefix',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      return job(await ctx.services.ipv6Prefixes.create(ctx.caller, p.req('zoneid'), p.req('prefix'), cmdOf(ctx)));
    },
  },
  {
    name: 'listGuestNetworkIpv6Prefixes',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.ipv6Prefixes.list({ id: p.uuid('id'), zoneId: p.uuid('zoneid') });
      const keyword = p.str('keyword');
      const shown = keyword ? all.filter((x) => x.prefix.includes(keyword)) : all;
      const views = await Promise.all(
        slice(shown, paging(p, services)).map(async (x) =>
          guestIpv6PrefixView(x, await services.ipv6Prefixes.usage(x)),
        ),
      );
      return list('guestnetworkipv6prefix', views, shown.length);
    },
  },
  {
    name: 'deleteGuestNetworkIpv6Prefix',
    rootAdmin: true,
    async handle(ctx) {
      return job(await ctx.services.ipv6Prefixes.remove(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'createIpv6FirewallRule',
    annotated: ALL,
    async handle(ctx) {
      const p = ctx.params;
      const { rule, jobId } = await ctx.services.ipv6Firewall.create(
        ctx.caller,
        {
          networkId: p.req('networkid'),
          protocol: p.req('protocol'),
          trafficType: p.str('traffictype'),
          startPort: p.int('startport'),
          endPort: p.int('endport'),
          icmpType: p.int('icmptype'),
          icmpCode: p.int('icmpcode'),
          cidrList: p.list('cidrlist'),
          destCidrList: p.list('destcidrlist'),
          // fordisplay is an admin's parameter (authorized = Admin): another caller's is not read.
          forDisplay: isRootAdmin(ctx.caller) ? p.bool('fordisplay') : undefined,
        },
        cmdOf(ctx),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'listIpv6FirewallRules',
    annotated: ALL,
    async handle(ctx) {
      const p = ctx.params;
      let all = await ctx.services.ipv6Firewall.list(ctx.caller, listScope(p), {
        id: p.uuid('id'),
        networkId: p.uuid('networkid'),
        trafficType: p.str('traffictype'),
        forDisplay: isRootAdmin(ctx.caller) ? p.bool('fordisplay') : undefined,
      });
      const tagged = await taggedIds(p, ctx.services);
      if (tagged) all = all.filter((r) => tagged.includes(r.id));
      const lk = ctx.services.lookup();
      return list(
        'firewallrule',
        await Promise.all(slice(all, paging(p, ctx.services)).map((r) => firewallRuleView(lk, r))),
        all.length,
      );
    },
  },
  {
    name: 'updateIpv6FirewallRule',
    annotated: ALL,
    async handle(ctx) {
      const p = ctx.params;
      const id = p.req('id');
      return job(
        await ctx.services.ipv6Firewall.update(
          ctx.caller,
          id,
          isRootAdmin(ctx.caller) ? p.bool('fordisplay') : undefined,
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'deleteIpv6FirewallRule',
    annotated: ALL,
    async handle(ctx) {
      return job(await ctx.services.ipv6Firewall.remove(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
];
