import type { WireVolume } from '../../cloudstack/wire.js';
import { csList, memo, type GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { labelsOf } from '../labels.js';
import { csTime, fingerprint, numericId, rfc3339, slug } from '../ids.js';
import { aggregated, list, listQuery } from '../lists.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { diskStatusOf } from '../states.js';
import type { DiskRecord, InstanceRecord } from '../store/store.js';
import { zoneNamed, zones, type Zone } from './geo.js';
import { imagesOf } from './images.js';
import { diskName, instanceName } from './instances.view.js';

/**
 * Disks are CloudStack volumes: a VM's ROOT volume is its boot disk (named after the instance),
 * data volumes keep CloudStack's names. Labels are the volume's resource tags; the description,
 * the disk type asked for and the device name are the front's (DiskRecord). Writes are in
 * disks.write.ts, attach and detach in instances.disks.ts.
 */
const GiB = 2 ** 30;

/** What rendering disks needs besides the volumes: the front's records of instances and disks. */
export interface DiskRecords {
  instances: Map<string, InstanceRecord>;
  disks: Map<string, DiskRecord>;
}

export const diskRecords = async (ctx: GceContext): Promise<DiskRecords> => ({
  instances: await ctx.store.instances(ctx.ownerId),
  disks: await ctx.store.disks(ctx.ownerId),
});

export const sizeGbOf = (vol: WireVolume): number => Math.max(1, Math.ceil(Number(vol.size ?? 0) / GiB));

async function diskView(ctx: GceContext, vol: WireVolume, recs: DiskRecords): Promise<Record<string, unknown>> {
  const zone = slug(vol.zonename ?? ''); // the zone outlives its volumes: always named
  const vm = vol.virtualmachineid ? { name: vol.vmname } : undefined;
  const name = diskName(vol, vm, vol.virtualmachineid ? recs.instances.get(vol.virtualmachineid) : undefined);
  const rec = recs.disks.get(vol.id);
  const image = vol.templateid ? (await imagesOf(ctx, ctx.project)).find((t) => t.id === vol.templateid) : undefined;
  const type = rec?.type || (vol.type === 'ROOT' || !vol.diskofferingname ? 'pd-standard' : slug(vol.diskofferingname));
  const labels = labelsOf(vol.tags);
  return {
    kind: 'compute#disk',
    id: numericId(vol.id),
    creationTimestamp: rfc3339(csTime(vol.created)),
    name,
    description: rec?.description ?? '',
    sizeGb: String(sizeGbOf(vol)),
    zone: ctx.links.zone(zone),
    status: diskStatusOf(vol.state),
    type: ctx.links.zonal(zone, 'diskTypes', type),
    ...(image ? { sourceImage: ctx.links.global('images', slug(image.name)), sourceImageId: numericId(image.id) } : {}),
    ...(vm
      ? {
          users: [ctx.links.zonal(zone, 'instances', instanceName(vm))],
          ...(vol.attached ? { lastAttachTimestamp: rfc3339(csTime(vol.attached)) } : {}),
        }
      : {}),
    ...(rec?.detached ? { lastDetachTimestamp: rfc3339(rec.detached) } : {}),
    ...(vol.snapshotid ? await sourceSnapshotOf(ctx, vol.snapshotid) : {}),
    physicalBlockSizeBytes: '4096',
    labels,
    labelFingerprint: fingerprint(labels),
    architecture: 'X86_64',
    selfLink: ctx.links.zonal(zone, 'disks', name),
  };
}

/** A disk made from a snapshot names it while the snapshot is there (its id always). */
async function sourceSnapshotOf(ctx: GceContext, id: string): Promise<Record<string, string>> {
  const snap = (
    await memo(ctx, 'snapshots:disks', () => csList(ctx, 'listSnapshots', 'snapshot', { ...ctx.scope }))
  ).find((s) => s.id === id);
  return {
    ...(snap ? { sourceSnapshot: ctx.links.global('snapshots', slug(snap.name)) } : {}),
    sourceSnapshotId: numericId(id),
  };
}

/** The volumes GCE shows: not destroyed, and not the ROOT volume of a destroyed VM. */
const shown = (v: WireVolume) =>
  !v.destroyed &&
  !['Destroy', 'Expunging', 'Expunged'].includes(v.state) &&
  !(v.type === 'ROOT' && v.vmstate !== undefined && ['Destroyed', 'Expunging'].includes(v.vmstate));

async function disksIn(ctx: GceContext, z: Zone | undefined): Promise<Record<string, unknown>[]> {
  const recs = await diskRecords(ctx);
  const vols = (await csList(ctx, 'listVolumes', 'volume', z ? { zoneid: z.cs.id } : {})).filter(shown);
  return Promise.all(vols.map((v) => diskView(ctx, v, recs)));
}

/** A disk of a zone by name or numeric id: its volume and its rendering, or the Compute Engine 404. */
export async function diskNamed(
  ctx: GceContext,
  z: Zone,
  name: string,
): Promise<{ vol: WireVolume; view: Record<string, unknown> }> {
  const recs = await diskRecords(ctx);
  for (const vol of (await csList(ctx, 'listVolumes', 'volume', { zoneid: z.cs.id })).filter(shown)) {
    const view = await diskView(ctx, vol, recs);
    if (view['name'] === name || view['id'] === name) return { vol, view };
  }
  throw notFound(`projects/${ctx.project}/zones/${z.name}/disks/${name}`);
}

export const diskRoutes: Route[] = [
  {
    id: 'disks.list',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/disks',
    query: LIST_QUERY,
    response: 'DiskList',
    description: 'Retrieves a list of persistent disks contained within the specified zone.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      return list(
        'compute#diskList',
        ctx.links.zonal(z.name, 'disks'),
        `projects/${ctx.project}/zones/${z.name}/disks`,
        await disksIn(ctx, z),
        listQuery(req.query),
        fieldsOf('Disk'),
      );
    },
  },
  {
    id: 'disks.get',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/disks/{disk}',
    response: 'Disk',
    description: 'Returns the specified persistent disk.',
    run: async (ctx, req) =>
      (await diskNamed(ctx, await zoneNamed(ctx, req.params['zone']!), req.params['disk']!)).view,
  },
  {
    id: 'disks.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/disks',
    query: AGGREGATED_QUERY,
    response: 'DiskAggregatedList',
    description: 'Retrieves an aggregated list of persistent disks.',
    async run(ctx, req) {
      const all = await disksIn(ctx, undefined);
      const scopes = (await zones(ctx)).map((z) => ({
        key: `zones/${z.name}`,
        items: all.filter((d) => d['zone'] === ctx.links.zone(z.name)),
      }));
      return aggregated(
        'compute#diskAggregatedList',
        'disks',
        `${ctx.links.projectLink()}/aggregated/disks`,
        `projects/${ctx.project}/aggregated/disks`,
        scopes,
        listQuery(req.query),
        fieldsOf('Disk'),
      );
    },
  },
];
