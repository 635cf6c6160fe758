import type { TrafficDirection } from '../../domain/networking.js';
import type { PortRule } from '../../services/network/firewall.service.js';
import { job, list, type CommandDef, type CommandContext } from '../command.js';
import type { Params } from '../params.js';
import { firewallRuleView } from '../views/firewall.view.js';
import { listScope, paging, slice, taggedIds } from './common.js';
import { cmdOf } from './networking.common.js';

const portRule = (p: Params): PortRule => ({
  protocol: p.req('protocol'),
  startPort: p.int('startport'),
  endPort: p.int('endport'),
  icmpType: p.int('icmptype'),
  icmpCode: p.int('icmpcode'),
  cidrList: p.list('cidrlist'),
  destCidrList: p.list('destcidrlist'),
});

async function listRules(ctx: CommandContext, trafficType: TrafficDirection) {
  const p = ctx.params;
  let all = await ctx.services.firewall.list(ctx.caller, listScope(p), {
    id: p.uuid('id'),
    ipId: p.uuid('ipaddressid'),
    networkId: p.uuid('networkid'),
    trafficType,
  });
  const tagged = await taggedIds(p, ctx.services);
  if (tagged) all = all.filter((r) => tagged.includes(r.id));
  const lk = ctx.services.lookup();
  // Both lists use the item key firewallrule (cloudstack-go's listResponseKeys).
  return list(
    'firewallrule',
    await Promise.all(slice(all, paging(p, ctx.services)).map((r) => firewallRuleView(lk, r))),
    all.length,
  );
}

/** Ingress firewall rules on public addresses and egress rules on isolated networks. */
export const firewallCommands: CommandDef[] = [
  {
    name: 'createFirewallRule',
    async handle(ctx) {
      const { rule, jobId } = await ctx.services.firewall.createIngress(
        ctx.caller,
        ctx.params.req('ipaddressid'),
        portRule(ctx.params),
        cmdOf(ctx),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'deleteFirewallRule',
    async handle(ctx) {
      return job(await ctx.services.firewall.remove(ctx.caller, ctx.params.req('id'), 'Ingress', cmdOf(ctx)));
    },
  },
  { name: 'listFirewallRules', handle: (ctx) => listRules(ctx, 'Ingress') },
  {
    name: 'createEgressFirewallRule',
    async handle(ctx) {
      const { rule, jobId } = await ctx.services.firewall.createEgress(
        ctx.caller,
        ctx.params.req('networkid'),
        portRule(ctx.params),
        cmdOf(ctx),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'deleteEgressFirewallRule',
    async handle(ctx) {
      return job(await ctx.services.firewall.remove(ctx.caller, ctx.params.req('id'), 'Egress', cmdOf(ctx)));
    },
  },
  { name: 'listEgressFirewallRules', handle: (ctx) => listRules(ctx, 'Egress') },
];
