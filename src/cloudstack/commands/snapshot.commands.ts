import { snapshotTypeOf, type SnapshotTypeName } from '../../domain/schedule.js';
import type { Snapshot, SnapshotType, VmSnapshot } from '../../domain/storage.js';
import type { Volume } from '../../domain/types.js';
import type { Services } from '../../services/services.js';
import { isAdmin } from '../../domain/caller.js';
import { commandClass } from '../cmdclass.js';
import { job, list, type CommandContext, type CommandDef } from '../command.js';
import { CsError } from '../errors.js';
import { snapshotViews, vmSnapshotViews } from '../views/snapshot.view.js';
import { filterByTagsAndIds, listScope, paging, slice, uuidList } from './common.js';

const cmdOf = (ctx: CommandContext) => commandClass(ctx.command, isAdmin(ctx.caller));

export async function snapshotRows(s: Services, list: Snapshot[]): Promise<Record<string, unknown>[]> {
  const volumes = new Map<string, Volume>();
  for (const id of new Set(list.map((x) => x.volumeId))) {
    const v = await s.volumes.find(id);
    if (v) volumes.set(id, v);
  }
  return snapshotViews(s.lookup(), list, volumes);
}

export async function vmSnapshotRows(s: Services, list: VmSnapshot[]): Promise<Record<string, unknown>[]> {
  const parents = new Map<string, VmSnapshot>();
  for (const id of new Set(list.flatMap((x) => (x.parentId ? [x.parentId] : [])))) {
    const p = await s.vmSnapshots.find(id);
    if (p) parents.set(id, p);
  }
  return vmSnapshotViews(s.lookup(), list, parents);
}

/**
 * listSnapshots' type filter: snapshottype (RECURRING meaning any interval), else intervaltype when a
 * volume is named; TEMPLATE and GROUP snapshots, which polystack never makes, would be left out otherwise.
 */
function snapshotTypes(
  snapshotType: string | undefined,
  intervalType: string | undefined,
  volumeId: string | undefined,
): SnapshotType[] | undefined {
  const kept = (t: SnapshotTypeName): SnapshotType[] =>
    t === 'RECURRING' ? ['HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY'] : t === 'TEMPLATE' || t === 'GROUP' ? [] : [t];
  if (snapshotType !== undefined) {
    const t = snapshotTypeOf(snapshotType);
    if (!t) throw new CsError(431, `Unsupported snapshot type ${snapshotType}`, 4350);
    return kept(t);
  }
  if (intervalType !== undefined && volumeId) {
    const t = snapshotTypeOf(intervalType);
    if (!t) throw new CsError(431, `Unsupported snapstho interval type ${intervalType}`, 4350);
    // An interval type names one type only: RECURRING itself is no snapshot's type.
    return t === 'RECURRING' ? [] : kept(t);
  }
  return undefined;
}

export const snapshotCommands: CommandDef[] = [
  {
    name: 'createSnapshot',
    async handle(ctx) {
      const { snapshot, jobId } = await ctx.services.snapshots.create(
        ctx.caller,
        { volumeId: ctx.params.req('volumeid'), name: ctx.params.str('name') },
        cmdOf(ctx),
      );
      return job(jobId, snapshot.id);
    },
  },
  {
    name: 'listSnapshots',
    async handle({ caller, services, params: p }) {
      const page = paging(p, services);
      const all = await filterByTagsAndIds(
        p,
        services,
        await services.snapshots.list(caller, listScope(p), {
          id: p.uuid('id'),
          volumeId: p.uuid('volumeid'),
          zoneId: p.uuid('zoneid'),
          name: p.str('name'),
          keyword: p.str('keyword'),
        }),
      );
      const types = snapshotTypes(p.str('snapshottype'), p.str('intervaltype'), p.uuid('volumeid'));
      const shown = types ? all.filter((s) => types.includes(s.snapshotType)) : all;
      return list('snapshot', await snapshotRows(services, slice(shown, page)), shown.length);
    },
  },
  {
    name: 'deleteSnapshot',
    async handle(ctx) {
      return job(await ctx.services.snapshots.submit(ctx.caller, 'remove', ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'revertSnapshot',
    async handle(ctx) {
      return job(await ctx.services.snapshots.submit(ctx.caller, 'revert', ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'createVMSnapshot',
    async handle(ctx) {
      const p = ctx.params;
      const { snapshot, jobId } = await ctx.services.vmSnapshots.create(
        ctx.caller,
        {
          vmId: p.req('virtualmachineid'),
          name: p.str('name'),
          description: p.str('description'),
          memory: p.bool('snapshotmemory', false),
        },
        cmdOf(ctx),
      );
      return job(jobId, snapshot.id);
    },
  },
  {
    name: 'listVMSnapshot',
    async handle({ caller, services, params: p }) {
      const ids = p.has('vmsnapshotids') ? uuidList(p, 'vmsnapshotids') : undefined;
      const all = await filterByTagsAndIds(
        p,
        services,
        await services.vmSnapshots.list(caller, listScope(p), {
          id: p.uuid('vmsnapshotid'),
          ids,
          vmId: p.uuid('virtualmachineid'),
          name: p.str('name'),
          state: p.str('state'),
          keyword: p.str('keyword'),
        }),
      );
      return list('vmSnapshot', await vmSnapshotRows(services, slice(all, paging(p, services))), all.length);
    },
  },
  {
    name: 'revertToVMSnapshot',
    async handle(ctx) {
      return job(
        await ctx.services.vmSnapshots.submit(ctx.caller, 'revert', ctx.params.req('vmsnapshotid'), cmdOf(ctx)),
      );
    },
  },
  {
    name: 'deleteVMSnapshot',
    async handle(ctx) {
      return job(
        await ctx.services.vmSnapshots.submit(ctx.caller, 'remove', ctx.params.req('vmsnapshotid'), cmdOf(ctx)),
      );
    },
  },
];
