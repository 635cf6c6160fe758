import { isAdmin } from '../../domain/caller.js';
import { AFFINITY_JOBS, AFFINITY_TYPES } from '../../services/compute/affinity.service.js';
import { commandClass } from '../cmdclass.js';
import { job, list, type CommandDef } from '../command.js';
import { affinityGroupView } from '../views/affinity.view.js';
import { listScope, paging, slice, uuidList } from './common.js';

export const affinityCommands: CommandDef[] = [
  {
    name: 'listAffinityGroupTypes',
    async handle() {
      return list('affinityGroupType', AFFINITY_TYPES);
    },
  },
  {
    name: 'createAffinityGroup',
    async handle(ctx) {
      const p = ctx.params;
      const owner = { account: p.str('account'), domainId: p.uuid('domainid'), projectId: p.uuid('projectid') };
      const { group, jobId } = await ctx.services.affinity.submitCreate(
        ctx.caller,
        p.req('name'),
        p.req('type'),
        p.str('description'),
        owner,
        commandClass(ctx.command, isAdmin(ctx.caller)),
      );
      return job(jobId, group.id);
    },
  },
  {
    name: 'deleteAffinityGroup',
    async handle(ctx) {
      const p = ctx.params;
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)),
        kind: AFFINITY_JOBS.remove,
        instanceType: 'AffinityGroup',
        instanceId: p.uuid('id'),
        params: {
          id: p.uuid('id'),
          name: p.str('name'),
          owner: { account: p.str('account'), domainId: p.uuid('domainid'), projectId: p.uuid('projectid') },
        },
      });
      return job(jobId);
    },
  },
  {
    name: 'updateVMAffinityGroup',
    async handle(ctx) {
      const p = ctx.params;
      const vmId = p.req('id');
      await ctx.services.vms.owned(ctx.services.store.db, ctx.caller, vmId);
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)),
        kind: AFFINITY_JOBS.update,
        instanceType: 'VirtualMachine',
        instanceId: vmId,
        params: { vmId, ids: uuidList(p, 'affinitygroupids'), names: p.list('affinitygroupnames') },
      });
      return job(jobId);
    },
  },
  {
    name: 'listAffinityGroups',
    async handle({ caller, services, params: p }) {
      const all = await services.affinity.list(caller, listScope(p), {
        id: p.uuid('id'),
        name: p.str('name'),
        type: p.str('type'),
        keyword: p.str('keyword'),
        vmId: p.uuid('virtualmachineid'),
      });
      const lk = services.lookup();
      const page = slice(all, paging(p, services));
      const data = await lk.affinityGroups(page.map((g) => g.id));
      return list(
        'affinitygroup',
        await Promise.all(page.map((g) => affinityGroupView(lk, g, data.members.get(g.id) ?? []))),
        all.length,
      );
    },
  },
];
