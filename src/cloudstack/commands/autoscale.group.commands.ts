import { AS_GROUP_JOBS } from '../../services/compute/autoscale.group.service.js';
import { isAdmin, isRootAdmin } from '../../domain/caller.js';
import { job, list, type CommandContext, type CommandDef } from '../command.js';
import { listScope, paging, slice, uuidList } from './common.js';
import { cmdOf } from './networking.common.js';
import { autoScaleViews } from './autoscale.renderers.js';

/** `fordisplay` is an admin's parameter on the create and update commands (authorized = Admin). */
export const display = (ctx: CommandContext) => (isAdmin(ctx.caller) ? ctx.params.bool('fordisplay') : undefined);

const change = (
  name: string,
  kind: Parameters<CommandContext['services']['autoscale']['groups']['submit']>[2],
  responseName?: string,
): CommandDef => ({
  name,
  ...(responseName ? { responseName } : {}),
  async handle(ctx) {
    return job(await ctx.services.autoscale.groups.submit(ctx.caller, cmdOf(ctx), kind, { id: ctx.params.req('id') }));
  },
});

/** The autoscale VM groups' commands. */
export const autoScaleGroupCommands: CommandDef[] = [
  {
    name: 'createAutoScaleVmGroup',
    responseName: 'autoscalevmgroupresponse',
    async handle(ctx) {
      const p = ctx.params;
      const r = await ctx.services.autoscale.groups.create(
        ctx.caller,
        {
          name: p.str('name'),
          lbRuleId: p.req('lbruleid'),
          minMembers: p.int('minmembers')!,
          maxMembers: p.int('maxmembers')!,
          interval: p.int('interval'),
          scaleUpPolicyIds: uuidList(p, 'scaleuppolicyids') ?? [],
          scaleDownPolicyIds: uuidList(p, 'scaledownpolicyids') ?? [],
          profileId: p.req('vmprofileid'),
          display: display(ctx),
        },
        cmdOf(ctx),
      );
      return job(r.jobId, r.group.id);
    },
  },
  {
    name: 'listAutoScaleVmGroups',
    async handle({ caller, services, params: p }) {
      const all = await services.autoscale.groups.list(caller, listScope(p), {
        id: p.uuid('id'),
        name: p.str('name'),
        lbRuleId: p.uuid('lbruleid'),
        profileId: p.uuid('vmprofileid'),
        zoneId: p.uuid('zoneid'),
        policyId: p.uuid('policyid'),
        display: isRootAdmin(caller) ? p.bool('fordisplay') : undefined,
      });
      return list(
        'autoscalevmgroup',
        await autoScaleViews.groups(services, slice(all, paging(p, services))),
        all.length,
      );
    },
  },
  {
    name: 'updateAutoScaleVmGroup',
    async handle(ctx) {
      const p = ctx.params;
      const params = {
        id: p.req('id'),
        name: p.str('name'),
        minMembers: p.int('minmembers'),
        maxMembers: p.int('maxmembers'),
        interval: p.int('interval'),
        scaleUpPolicyIds: uuidList(p, 'scaleuppolicyids'),
        scaleDownPolicyIds: uuidList(p, 'scaledownpolicyids'),
        display: display(ctx),
      };
      return job(await ctx.services.autoscale.groups.submit(ctx.caller, cmdOf(ctx), AS_GROUP_JOBS.update, params));
    },
  },
  change('enableAutoScaleVmGroup', AS_GROUP_JOBS.enable, 'enableautoscalevmGroupresponse'),
  change('disableAutoScaleVmGroup', AS_GROUP_JOBS.disable, 'disableautoscalevmGroupresponse'),
  {
    name: 'deleteAutoScaleVmGroup',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.autoscale.groups.submit(ctx.caller, cmdOf(ctx), AS_GROUP_JOBS.remove, {
          id: p.req('id'),
          cleanup: p.bool('cleanup', false),
        }),
      );
    },
  },
];
