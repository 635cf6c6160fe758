import type { SystemVm } from '../../domain/systemvm.js';
import type { Services } from '../../services/services.js';
import { SYSTEMVM_JOBS } from '../../services/infrastructure/systemvm.service.js';
import { job, list, type CommandContext, type CommandDef } from '../command.js';
import { systemVmView } from '../views/systemvm.view.js';
import { paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

export async function systemVmViews(s: Services, vms: SystemVm[]): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  return Promise.all(
    vms.map(async (v) => systemVmView(lk, v, v.publicIp ? await s.systemVms.publicNet(v.id) : undefined)),
  );
}

/** The system VM lifecycle commands: async jobs on the VM, root admin only (as in CloudStack). */
const lifecycle = (
  name: string,
  kind: string,
  idParam = 'id',
  extra: (ctx: CommandContext) => Record<string, unknown> = () => ({}),
): CommandDef => ({
  name,
  rootAdmin: true,
  async handle(ctx: CommandContext) {
    const v = await ctx.services.systemVms.get(ctx.params.req(idParam));
    return job(
      await ctx.services.jobs.run(ctx.caller, {
        cmd: cmdOf(ctx),
        kind,
        params: { id: v.id, ...extra(ctx) },
        instanceType: 'SystemVm',
        instanceId: v.id,
      }),
    );
  },
});

export const systemVmCommands: CommandDef[] = [
  {
    name: 'listSystemVms',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.systemVms.list({
        id: p.uuid('id'),
        zoneId: p.uuid('zoneid'),
        podId: p.uuid('podid'),
        hostId: p.uuid('hostid'),
        state: p.str('state'),
        name: p.str('name'),
        type: p.str('systemvmtype'),
      });
      const keyword = p.str('keyword');
      const shown = keyword ? all.filter((v) => v.name.includes(keyword)) : all;
      return list('systemvm', await systemVmViews(services, slice(shown, paging(p, services))), shown.length);
    },
  },
  lifecycle('startSystemVm', SYSTEMVM_JOBS.start),
  lifecycle('stopSystemVm', SYSTEMVM_JOBS.stop, 'id', (ctx) => ({ forced: ctx.params.bool('forced', false) })),
  lifecycle('rebootSystemVm', SYSTEMVM_JOBS.reboot, 'id', (ctx) => ({ forced: ctx.params.bool('forced', false) })),
  lifecycle('destroySystemVm', SYSTEMVM_JOBS.destroy),
  lifecycle('migrateSystemVm', SYSTEMVM_JOBS.migrate, 'virtualmachineid', (ctx) => ({
    hostId: ctx.params.uuid('hostid'),
  })),
];
