import { isAdmin } from '../../domain/caller.js';
import { commandClass } from '../cmdclass.js';
import { job, list, success, type CommandContext, type CommandDef } from '../command.js';
import { CsError } from '../errors.js';
import { eventView } from '../views/misc.view.js';
import { volumeViews } from '../views/volume.view.js';
import { listScope, paging, taggedIds, uuidList } from './common.js';

const cmdOf = (ctx: CommandContext) => commandClass(ctx.command, isAdmin(ctx.caller));

/** listVolumes' page as VolumeResponses (listVolumesMetrics decorates the same rows). */
export async function volumeRows({
  caller,
  services,
  params: p,
}: CommandContext): Promise<{ items: Record<string, unknown>[]; count: number }> {
  const admin = isAdmin(caller);
  // The tag filter and `ids` join the query, so the page is cut in the database, not from every match.
  const tagged = await taggedIds(p, services);
  const ids = p.has('ids') ? uuidList(p, 'ids') : undefined;
  const only = tagged && ids ? ids.filter((i) => tagged.includes(i)) : (tagged ?? ids);
  const page = paging(p, services);
  const { items, count } = await services.volumes.page(
    caller,
    listScope(p),
    {
      ...(only ? { ids: only } : {}),
      id: p.uuid('id'),
      vmId: p.uuid('virtualmachineid'),
      zoneId: p.uuid('zoneid'),
      type: p.str('type'),
      name: p.str('name'),
      keyword: p.str('keyword'),
      state: p.str('state'),
      diskOfferingId: p.uuid('diskofferingid'),
      // The infrastructure filters are the root admin's (the spec says so of storageid; the others show nothing else to users).
      ...(admin
        ? {
            poolId: p.str('storageid'),
            hostId: p.uuid('hostid'),
            podId: p.uuid('podid'),
            clusterId: p.uuid('clusterid'),
          }
        : {}),
    },
    page,
  );
  // Every volume is displayed (displayvolume is not kept), so displayvolume=false lists none. The
  // parameter is authorized for admins only: ParamProcessWorker drops it for other callers.
  if (admin && !p.bool('displayvolume', true)) return { items: [], count: 0 };
  return { items: await volumeViews(services.lookup(), items), count };
}

export const volumeCommands: CommandDef[] = [
  {
    name: 'listVolumes',
    async handle(ctx) {
      const { items, count } = await volumeRows(ctx);
      return list('volume', items, count);
    },
  },
  {
    name: 'createVolume',
    async handle(ctx) {
      const p = ctx.params;
      const { volume, jobId } = await ctx.services.volumes.create(
        ctx.caller,
        {
          name: p.str('name'),
          zoneId: p.uuid('zoneid'),
          diskOfferingId: p.uuid('diskofferingid'),
          snapshotId: p.uuid('snapshotid'),
          vmId: p.uuid('virtualmachineid'),
          size: p.int('size'),
          displayVolume: p.bool('displayvolume'),
          account: p.str('account'),
          domainId: p.uuid('domainid'),
          projectId: p.uuid('projectid'),
        },
        cmdOf(ctx),
      );
      return job(jobId, volume.id);
    },
  },
  {
    name: 'attachVolume',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.volumes.submit(ctx.caller, 'attach', p.req('id'), cmdOf(ctx), {
          vmId: p.req('virtualmachineid'),
          deviceId: p.int('deviceid'),
        }),
      );
    },
  },
  {
    name: 'detachVolume',
    async handle(ctx) {
      const p = ctx.params;
      const id = p.uuid('id');
      const vmId = p.uuid('virtualmachineid');
      const deviceId = p.int('deviceid');
      if ((id && (vmId || deviceId !== undefined)) || (!id && (vmId === undefined || deviceId === undefined)))
        throw new CsError(431, 'Please provide either a volume id, or a tuple(device id, instance id)', 4350);
      const volumeId = id ?? (await ctx.services.volumes.byDevice(ctx.caller, vmId!, deviceId!)).id;
      return job(await ctx.services.volumes.submit(ctx.caller, 'detach', volumeId, cmdOf(ctx)));
    },
  },
  {
    name: 'resizeVolume',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.volumes.submit(ctx.caller, 'resize', p.req('id'), cmdOf(ctx), {
          sizeGb: p.int('size'),
          diskOfferingId: p.uuid('diskofferingid'),
          shrinkOk: p.bool('shrinkok', false),
        }),
      );
    },
  },
  {
    name: 'deleteVolume',
    async handle({ caller, services, params: p }) {
      await services.volumes.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'extractVolume',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.extracts.submit(
          ctx.caller,
          'volume',
          { id: p.req('id'), mode: p.req('mode'), zoneId: p.req('zoneid') },
          cmdOf(ctx),
        ),
      );
    },
  },
];
