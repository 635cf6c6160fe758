import { AS_RULE_JOBS } from '../../services/compute/autoscale.rules.service.js';
import { AS_PROFILE_JOBS } from '../../services/compute/autoscale.profile.service.js';
import { isRootAdmin } from '../../domain/caller.js';
import { job, list, type CommandDef } from '../command.js';
import type { Params } from '../params.js';
import { listScope, paging, slice, uuidList } from './common.js';
import { cmdOf } from './networking.common.js';
import { autoScaleViews } from './autoscale.renderers.js';
import { autoScaleGroupCommands, display } from './autoscale.group.commands.js';

/** The `name`/`value` entries of a map parameter (otherdeployparams, counterparam). */
const pairs = (p: Params, name: string) => p.map(name)?.map((e) => ({ name: e['name'], value: e['value'] }));

/** A delete command of a counter, condition or policy: the entity by its id; the job does the rest. */
const removal = (name: string, kind: (typeof AS_RULE_JOBS)[keyof typeof AS_RULE_JOBS], admin = false): CommandDef => ({
  name,
  admin,
  async handle(ctx) {
    return job(await ctx.services.autoscale.rules.submit(ctx.caller, cmdOf(ctx), kind, { id: ctx.params.req('id') }));
  },
});

/** Counters, conditions, policies and VM profiles; the groups' commands are in autoscale.group.commands.ts. */
const ruleCommands: CommandDef[] = [
  {
    name: 'listCounters',
    async handle({ services, params: p }) {
      const all = await services.autoscale.rules.counters({
        id: p.uuid('id'),
        name: p.str('name'),
        source: p.str('source'),
        provider: p.str('provider'),
        keyword: p.str('keyword'),
      });
      return list(
        'counter',
        slice(all, paging(p, services)).map((c) => autoScaleViews.counter(c)),
        all.length,
      );
    },
    responseName: 'counterresponse',
  },
  {
    name: 'createCounter',
    admin: true,
    responseName: 'counterresponse',
    async handle(ctx) {
      const p = ctx.params;
      const r = await ctx.services.autoscale.rules.createCounter(
        ctx.caller,
        { name: p.req('name'), source: p.req('source'), provider: p.req('provider'), value: p.req('value') },
        cmdOf(ctx),
      );
      return job(r.jobId, r.counter.id);
    },
  },
  removal('deleteCounter', AS_RULE_JOBS.deleteCounter, true),
  {
    name: 'createCondition',
    responseName: 'conditionresponse',
    async handle(ctx) {
      const p = ctx.params;
      const r = await ctx.services.autoscale.rules.createCondition(
        ctx.caller,
        {
          counterId: p.req('counterid'),
          operator: p.req('relationaloperator'),
          threshold: p.int('threshold')!,
          account: p.str('account'),
          domainId: p.uuid('domainid'),
          projectId: p.uuid('projectid'),
        },
        cmdOf(ctx),
      );
      return job(r.jobId, r.condition.id);
    },
  },
  {
    name: 'listConditions',
    async handle({ caller, services, params: p }) {
      const all = await services.autoscale.rules.conditions(caller, listScope(p), {
        id: p.uuid('id'),
        counterId: p.uuid('counterid'),
        policyId: p.uuid('policyid'),
      });
      const views = await autoScaleViews.conditions(services, slice(all, paging(p, services)));
      return list('condition', views, all.length);
    },
  },
  {
    name: 'updateCondition',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.autoscale.rules.submit(ctx.caller, cmdOf(ctx), AS_RULE_JOBS.updateCondition, {
          id: p.req('id'),
          operator: p.req('relationaloperator'),
          threshold: p.int('threshold')!,
        }),
      );
    },
  },
  removal('deleteCondition', AS_RULE_JOBS.deleteCondition),
  {
    name: 'createAutoScalePolicy',
    responseName: 'autoscalepolicyresponse',
    async handle(ctx) {
      const p = ctx.params;
      const r = await ctx.services.autoscale.rules.createPolicy(
        ctx.caller,
        {
          name: p.str('name'),
          action: p.req('action'),
          duration: p.int('duration')!,
          quietTime: p.int('quiettime'),
          conditionIds: uuidList(p, 'conditionids') ?? [],
        },
        cmdOf(ctx),
      );
      return job(r.jobId, r.policy.id);
    },
  },
  {
    name: 'listAutoScalePolicies',
    async handle({ caller, services, params: p }) {
      const all = await services.autoscale.rules.policies(caller, listScope(p), {
        id: p.uuid('id'),
        name: p.str('name'),
        action: p.str('action'),
        conditionId: p.uuid('conditionid'),
        groupId: p.uuid('vmgroupid'),
      });
      return list(
        'autoscalepolicy',
        await autoScaleViews.policies(services, slice(all, paging(p, services))),
        all.length,
      );
    },
  },
  {
    name: 'updateAutoScalePolicy',
    async handle(ctx) {
      const p = ctx.params;
      const params = {
        id: p.req('id'),
        name: p.str('name'),
        duration: p.int('duration'),
        quietTime: p.int('quiettime'),
        conditionIds: uuidList(p, 'conditionids'),
      };
      return job(await ctx.services.autoscale.rules.submit(ctx.caller, cmdOf(ctx), AS_RULE_JOBS.updatePolicy, params));
    },
  },
  removal('deleteAutoScalePolicy', AS_RULE_JOBS.deletePolicy),
  {
    name: 'createAutoScaleVmProfile',
    responseName: 'autoscalevmprofileresponse',
    async handle(ctx) {
      const p = ctx.params;
      const r = await ctx.services.autoscale.profiles.create(
        ctx.caller,
        {
          zoneId: p.req('zoneid'),
          serviceOfferingId: p.req('serviceofferingid'),
          templateId: p.req('templateid'),
          otherDeployParams: pairs(p, 'otherdeployparams'),
          counterParams: pairs(p, 'counterparam'),
          userData: p.str('userdata'),
          expungeVmGracePeriod: p.int('expungevmgraceperiod'),
          autoscaleUserId: p.uuid('autoscaleuserid'),
          display: display(ctx),
          account: p.str('account'),
          domainId: p.uuid('domainid'),
          projectId: p.uuid('projectid'),
        },
        cmdOf(ctx),
      );
      return job(r.jobId, r.profile.id);
    },
  },
  {
    name: 'listAutoScaleVmProfiles',
    async handle({ caller, services, params: p }) {
      const all = await services.autoscale.profiles.list(caller, listScope(p), {
        id: p.uuid('id'),
        templateId: p.uuid('templateid'),
        serviceOfferingId: p.uuid('serviceofferingid'),
        otherDeployParams: p.str('otherdeployparams'),
        zoneId: p.uuid('zoneid'),
        // Only a root admin may list by the display flag (ListAutoScaleVmProfilesCmd.fordisplay).
        display: isRootAdmin(caller) ? p.bool('fordisplay') : undefined,
      });
      const lk = services.lookup();
      return list(
        'autoscalevmprofile',
        await Promise.all(slice(all, paging(p, services)).map((x) => autoScaleViews.profile(lk, x))),
        all.length,
      );
    },
  },
  {
    name: 'updateAutoScaleVmProfile',
    async handle(ctx) {
      const p = ctx.params;
      const params = {
        id: p.req('id'),
        serviceOfferingId: p.uuid('serviceofferingid'),
        templateId: p.uuid('templateid'),
        otherDeployParams: pairs(p, 'otherdeployparams'),
        counterParams: pairs(p, 'counterparam'),
        userData: p.str('userdata'),
        expungeVmGracePeriod: p.int('expungevmgraceperiod'),
        autoscaleUserId: p.uuid('autoscaleuserid'),
        display: display(ctx),
      };
      return job(await ctx.services.autoscale.profiles.submit(ctx.caller, cmdOf(ctx), AS_PROFILE_JOBS.update, params));
    },
  },
  {
    name: 'deleteAutoScaleVmProfile',
    async handle(ctx) {
      return job(
        await ctx.services.autoscale.profiles.submit(ctx.caller, cmdOf(ctx), AS_PROFILE_JOBS.remove, {
          id: ctx.params.req('id'),
        }),
      );
    },
  },
];

/** VM autoscaling's 21 commands (AutoScaleManagerImpl). */
export const autoScaleCommands: CommandDef[] = [...ruleCommands, ...autoScaleGroupCommands];
