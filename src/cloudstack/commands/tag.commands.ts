import { isAdmin } from '../../domain/caller.js';
import { JOB_KINDS } from '../../services/operations/jobs.js';
import { commandClass } from '../cmdclass.js';
import { job, list, type CommandContext, type CommandDef } from '../command.js';
import { tagView } from '../views/tag.view.js';
import { listScope, paging, slice } from './common.js';

function tagJob(name: string, kind: string): CommandDef {
  return {
    name,
    async handle(ctx: CommandContext) {
      const p = ctx.params;
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)),
        kind,
        params: {
          type: p.req('resourcetype'),
          ids: p.list('resourceids') ?? [],
          tags: (p.map('tags') ?? []).map((t) => ({ key: t['key'], value: t['value'] })),
          customer: p.str('customer'),
        },
      });
      return job(jobId);
    },
  };
}

export const tagCommands: CommandDef[] = [
  tagJob('createTags', JOB_KINDS.tagsCreate),
  tagJob('deleteTags', JOB_KINDS.tagsDelete),
  {
    name: 'listTags',
    async handle({ caller, services, params: p }) {
      const all = await services.tags.list(caller, listScope(p), {
        resourceType: p.str('resourcetype'),
        resourceId: p.str('resourceid'),
        key: p.str('key'),
        value: p.str('value'),
        customer: p.str('customer'),
      });
      const lk = services.lookup();
      return list('tag', await Promise.all(slice(all, paging(p, services)).map((t) => tagView(lk, t))), all.length);
    },
  },
];
