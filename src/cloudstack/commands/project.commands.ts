import { invalid } from '../../domain/errors.js';
import { commandClass } from '../cmdclass.js';
import { job, list, type CommandContext, type CommandDef } from '../command.js';
import { PROJECT_JOBS } from '../../services/identity/project.service.js';
import { memberViews, projectViews } from './organisation.common.js';
import { paging, slice, wantsResourceDetails } from './common.js';

const cls = (ctx: CommandContext) => commandClass(ctx.command, false);

/** A project command run as a job on the project named by `id` (or `projectid`). */
function projectJob(
  name: string,
  kind: string,
  extra: (ctx: CommandContext) => object = () => ({}),
  idParam = 'id',
): CommandDef {
  return {
    name,
    async handle(ctx) {
      return job(await ctx.services.projects.submit(ctx.caller, ctx.params.req(idParam), kind, cls(ctx), extra(ctx)));
    },
  };
}

export const projectCommands: CommandDef[] = [
  {
    name: 'createProject',
    async handle(ctx) {
      const p = ctx.params;
      const { project, jobId } = await ctx.services.projects.create(
        ctx.caller,
        {
          name: p.req('name'),
          displayText: p.req('displaytext'),
          account: p.str('account'),
          domainId: p.uuid('domainid'),
        },
        cls(ctx),
      );
      return job(jobId, project.id);
    },
  },
  {
    name: 'listProjects',
    async handle({ caller, services, params: p }) {
      const projects = await services.projects.list(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        displayText: p.str('displaytext'),
        state: p.str('state'),
        keyword: p.str('keyword'),
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        listAll: p.bool('listall', false),
        isRecursive: p.bool('isrecursive', false),
      });
      return list(
        'project',
        await projectViews(services, slice(projects, paging(p, services)), wantsResourceDetails(p)),
        projects.length,
      );
    },
  },
  projectJob('updateProject', PROJECT_JOBS.update, ({ params: p }) => ({
    u: {
      displayText: p.str('displaytext'),
      account: p.str('account'),
      roleType: p.str('roletype'),
      swapOwner: p.bool('swapowner'),
    },
  })),
  projectJob('deleteProject', PROJECT_JOBS.delete, ({ params: p }) => ({ cleanup: p.bool('cleanup', false) })),
  projectJob('activateProject', PROJECT_JOBS.activate),
  projectJob('suspendProject', PROJECT_JOBS.suspend, () => ({ stopCmd: commandClass('stopVirtualMachine', false) })),
  projectJob(
    'addAccountToProject',
    PROJECT_JOBS.addAccount,
    ({ params: p }) => {
      // Invitations by e-mail are not kept (project.invite.required is false): an account is needed.
      if (!p.str('account'))
        throw invalid('Account information is required for assigning account to the project', 'account');
      return { account: p.str('account'), role: p.str('roletype'), projectRoleId: p.uuid('projectroleid') };
    },
    'projectid',
  ),
  projectJob(
    'addUserToProject',
    PROJECT_JOBS.addUser,
    ({ params: p }) => ({
      username: p.req('username'),
      role: p.str('roletype'),
      projectRoleId: p.uuid('projectroleid'),
    }),
    'projectid',
  ),
  projectJob(
    'deleteAccountFromProject',
    PROJECT_JOBS.removeAccount,
    ({ params: p }) => ({ account: p.req('account') }),
    'projectid',
  ),
  {
    name: 'listProjectAccounts',
    async handle({ caller, services, params: p }) {
      const { project, members } = await services.projects.members(caller, p.req('projectid'), {
        account: p.str('account'),
        role: p.str('role'),
        userId: p.uuid('userid'),
        projectRoleId: p.uuid('projectroleid'),
      });
      const page = slice(members, paging(p, services));
      return list('projectaccount', await memberViews(services, project, page), members.length);
    },
  },
];
