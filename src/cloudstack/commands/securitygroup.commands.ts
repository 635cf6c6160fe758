import { isAdmin } from '../../domain/caller.js';
import { JOB_KINDS } from '../../services/operations/jobs.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, success, type CommandContext, type CommandDef } from '../command.js';
import { securityGroupView } from '../views/securitygroup.view.js';
import { filterByTagsAndIds, listScope, paging, slice } from './common.js';

function authorize(name: string, direction: 'ingress' | 'egress'): CommandDef {
  return {
    name,
    async handle(ctx: CommandContext) {
      const p = ctx.params;
      const groups = (p.map('usersecuritygrouplist') ?? []).map((g) => ({
        account: g['account'] ?? '',
        group: g['group'] ?? '',
      }));
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)),
        kind: JOB_KINDS.sgAuthorize,
        params: {
          ref: { id: p.uuid('securitygroupid'), name: p.str('securitygroupname') },
          owner: { account: p.str('account'), domainId: p.uuid('domainid'), projectId: p.uuid('projectid') },
          direction,
          rule: {
            protocol: p.str('protocol'),
            startPort: p.int('startport'),
            endPort: p.int('endport'),
            icmpType: p.int('icmptype'),
            icmpCode: p.int('icmpcode'),
            cidrs: p.list('cidrlist'),
            groups,
          },
        },
        instanceType: 'SecurityGroup',
        instanceId: p.uuid('securitygroupid'),
      });
      return job(jobId);
    },
  };
}

function revoke(name: string, direction: 'ingress' | 'egress'): CommandDef {
  return {
    name,
    async handle(ctx: CommandContext) {
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)),
        kind: JOB_KINDS.sgRevoke,
        params: { ruleId: ctx.params.req('id'), direction },
        instanceType: 'SecurityGroup',
      });
      return job(jobId);
    },
  };
}

export const securityGroupCommands: CommandDef[] = [
  {
    name: 'createSecurityGroup',
    async handle({ caller, services, params: p }) {
      const g = await services.groups.create(caller, p.req('name'), p.str('description'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      const lk = services.lookup();
      return object('securitygroup', await securityGroupView(lk, g, await lk.groups([g.id])));
    },
  },
  {
    name: 'deleteSecurityGroup',
    async handle({ caller, services, params: p }) {
      await services.groups.remove(
        caller,
        { id: p.uuid('id'), name: p.str('name') },
        { account: p.str('account'), domainId: p.uuid('domainid'), projectId: p.uuid('projectid') },
      );
      return success();
    },
  },
  {
    name: 'listSecurityGroups',
    async handle({ caller, services, params: p }) {
      const groups = await filterByTagsAndIds(
        p,
        services,
        await services.groups.list(caller, listScope(p), {
          id: p.uuid('id'),
          name: p.str('securitygroupname'),
          keyword: p.str('keyword'),
          vmId: p.uuid('virtualmachineid'),
        }),
      );
      const lk = services.lookup();
      const page = slice(groups, paging(p, services));
      const data = await lk.groups(page.map((g) => g.id));
      return list('securitygroup', await Promise.all(page.map((g) => securityGroupView(lk, g, data))), groups.length);
    },
  },
  authorize('authorizeSecurityGroupIngress', 'ingress'),
  authorize('authorizeSecurityGroupEgress', 'egress'),
  revoke('revokeSecurityGroupIngress', 'ingress'),
  revoke('revokeSecurityGroupEgress', 'egress'),
];
