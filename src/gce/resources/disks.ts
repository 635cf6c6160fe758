import { csList, memo, type GceContext } from '../context.js';
import { invalidField, notFound, unsupported } from '../errors.js';
import { csTime, fingerprint, numericId, parseRef, rfc3339, slug } from '../ids.js';
import { aggregated, list, listQuery } from '../lists.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { diskStatusOf } from '../states.js';
import type { InstanceRecord } from '../store/store.js';
import { zoneNamed, zones, type Zone } from './geo.js';
import { imagesOf } from './images.js';
import { diskName, labelsOf } from './instances.view.js';

/**
 * Disks are CloudStack volumes: a VM's ROOT volume is its boot disk (named after the instance),
 * data volumes keep CloudStack's names. Disk types are CloudStack disk offerings; Google's
 * `pd-standard`, `pd-balanced` and `pd-ssd` (which clients name without asking) are the
 * customizable offering. Disks are read-only here: polystack's CloudStack API has no
 * createVolume/attachVolume yet (GAPS.md); a data disk can be created with an instance.
 */
const GiB = 2 ** 30;
const GOOGLE_TYPES = ['pd-standard', 'pd-balanced', 'pd-ssd'];

interface DiskType {
  name: string;
  offering: any;
}

const diskTypes = (ctx: GceContext): Promise<DiskType[]> =>
  memo(ctx, 'disktypes', async () => {
    const offerings = await csList(ctx, 'listDiskOfferings', 'diskoffering', {});
    const custom = offerings.find((o) => o.iscustomized);
    return [...(custom ? GOOGLE_TYPES.map((name) => ({ name, offering: custom })) : []), ...offerings.map((o) => ({ name: slug(o.name), offering: o }))];
  });

function diskTypeView(ctx: GceContext, t: DiskType, zone: string): Record<string, unknown> {
  const o = t.offering;
  const size = o.iscustomized ? '1GB-1024GB' : `${o.disksize}GB-${o.disksize}GB`;
  return {
    kind: 'compute#diskType', id: numericId(`${o.id}:${t.name}`), creationTimestamp: rfc3339(csTime(o.created)), name: t.name,
    description: GOOGLE_TYPES.includes(t.name) ? `${t.name} (${o.displaytext})` : o.displaytext, validDiskSize: size, zone: ctx.links.zone(zone),
    defaultDiskSizeGb: String(o.iscustomized ? 10 : o.disksize), selfLink: ctx.links.zonal(zone, 'diskTypes', t.name),
  };
}

/** The disk offering and size for a data disk an instance is created with. */
export async function dataDiskOffering(ctx: GceContext, z: Zone, p: any): Promise<{ diskofferingid: string; size?: number }> {
  if (p.sourceImage || p.sourceSnapshot) throw unsupported('A data disk made from an image or snapshot');
  const typeName = p.diskType ? parseRef(String(p.diskType)).name : 'pd-standard';
  const t = (await diskTypes(ctx)).find((x) => x.name === typeName);
  if (!t) throw notFound(`projects/${ctx.project}/zones/${z.name}/diskTypes/${typeName}`);
  const gb = p.diskSizeGb === undefined ? undefined : Number(p.diskSizeGb);
  if (gb !== undefined && !(Number.isInteger(gb) && gb > 0)) throw invalidField('resource.disks[1].initializeParams.diskSizeGb', p.diskSizeGb, 'Must be a positive integer.');
  if (!t.offering.iscustomized) {
    if (gb !== undefined && gb !== Number(t.offering.disksize)) throw invalidField('resource.disks[1].initializeParams.diskSizeGb', p.diskSizeGb, `Disk type '${typeName}' has a fixed size of ${t.offering.disksize} GB.`);
    return { diskofferingid: t.offering.id };
  }
  return { diskofferingid: t.offering.id, size: gb ?? 10 };
}

async function diskView(ctx: GceContext, vol: any, recs: Map<string, InstanceRecord>): Promise<Record<string, unknown>> {
  const zone = slug(vol.zonename);
  const vm = vol.virtualmachineid ? { name: vol.vmname } : undefined;
  const name = diskName(vol, vm, vol.virtualmachineid ? recs.get(vol.virtualmachineid) : undefined);
  const image = vol.templateid ? (await imagesOf(ctx, ctx.project)).find((t) => t.id === vol.templateid) : undefined;
  const type = vol.type === 'ROOT' || !vol.diskofferingname ? 'pd-standard' : slug(vol.diskofferingname);
  const labels = labelsOf(vol.tags);
  return {
    kind: 'compute#disk', id: numericId(vol.id), creationTimestamp: rfc3339(csTime(vol.created)), name, description: '',
    sizeGb: String(Math.max(1, Math.ceil(Number(vol.size ?? 0) / GiB))), zone: ctx.links.zone(zone), status: diskStatusOf(vol.state),
    type: ctx.links.zonal(zone, 'diskTypes', type), ...(image ? { sourceImage: ctx.links.global('images', slug(image.name)), sourceImageId: numericId(image.id) } : {}),
    ...(vm ? { users: [ctx.links.zonal(zone, 'instances', String(vm.name).toLowerCase())], ...(vol.attached ? { lastAttachTimestamp: rfc3339(csTime(vol.attached)) } : {}) } : {}),
    physicalBlockSizeBytes: '4096', labels, labelFingerprint: fingerprint(labels), architecture: 'X86_64', selfLink: ctx.links.zonal(zone, 'disks', name),
  };
}

/** The volumes GCE shows: not destroyed, and not the ROOT volume of a destroyed VM. */
const shown = (v: any) => !v.destroyed && !['Destroy', 'Expunging', 'Expunged'].includes(v.state) && !(v.type === 'ROOT' && ['Destroyed', 'Expunging'].includes(v.vmstate));

async function disksIn(ctx: GceContext, z: Zone | undefined): Promise<Record<string, unknown>[]> {
  const recs = await ctx.store.instances(ctx.ownerId);
  const vols = (await csList(ctx, 'listVolumes', 'volume', z ? { zoneid: z.cs.id } : {})).filter(shown);
  return Promise.all(vols.map((v) => diskView(ctx, v, recs)));
}

export const diskRoutes: Route[] = [
  {
    id: 'disks.list', method: 'GET', path: 'projects/{project}/zones/{zone}/disks', query: LIST_QUERY, response: 'DiskList',
    description: 'Retrieves a list of persistent disks contained within the specified zone.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      return list('compute#diskList', ctx.links.zonal(z.name, 'disks'), `projects/${ctx.project}/zones/${z.name}/disks`, await disksIn(ctx, z), listQuery(req.query), fieldsOf('Disk'));
    },
  },
  {
    id: 'disks.get', method: 'GET', path: 'projects/{project}/zones/{zone}/disks/{disk}', response: 'Disk', description: 'Returns the specified persistent disk.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const d = (await disksIn(ctx, z)).find((x) => x['name'] === req.params['disk']);
      if (!d) throw notFound(`projects/${ctx.project}/zones/${z.name}/disks/${req.params['disk']}`);
      return d;
    },
  },
  {
    id: 'disks.aggregatedList', method: 'GET', path: 'projects/{project}/aggregated/disks', query: AGGREGATED_QUERY, response: 'DiskAggregatedList',
    description: 'Retrieves an aggregated list of persistent disks.',
    async run(ctx, req) {
      const all = await disksIn(ctx, undefined);
      const scopes = (await zones(ctx)).map((z) => ({ key: `zones/${z.name}`, items: all.filter((d) => d['zone'] === ctx.links.zone(z.name)) }));
      return aggregated('compute#diskAggregatedList', 'disks', `${ctx.links.projectLink()}/aggregated/disks`, `projects/${ctx.project}/aggregated/disks`, scopes, listQuery(req.query), fieldsOf('Disk'));
    },
  },
  {
    id: 'diskTypes.list', method: 'GET', path: 'projects/{project}/zones/{zone}/diskTypes', query: LIST_QUERY, response: 'DiskTypeList',
    description: 'Retrieves a list of disk types available to the specified project.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const items = (await diskTypes(ctx)).map((t) => diskTypeView(ctx, t, z.name));
      return list('compute#diskTypeList', ctx.links.zonal(z.name, 'diskTypes'), `projects/${ctx.project}/zones/${z.name}/diskTypes`, items, listQuery(req.query));
    },
  },
  {
    id: 'diskTypes.get', method: 'GET', path: 'projects/{project}/zones/{zone}/diskTypes/{diskType}', response: 'DiskType', description: 'Returns the specified disk type.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const t = (await diskTypes(ctx)).find((x) => x.name === req.params['diskType']);
      if (!t) throw notFound(`projects/${ctx.project}/zones/${z.name}/diskTypes/${req.params['diskType']}`);
      return diskTypeView(ctx, t, z.name);
    },
  },
  {
    id: 'diskTypes.aggregatedList', method: 'GET', path: 'projects/{project}/aggregated/diskTypes', query: AGGREGATED_QUERY, response: 'DiskTypeAggregatedList',
    description: 'Retrieves an aggregated list of disk types.',
    async run(ctx, req) {
      const types = await diskTypes(ctx);
      const scopes = (await zones(ctx)).map((z) => ({ key: `zones/${z.name}`, items: types.map((t) => diskTypeView(ctx, t, z.name)) }));
      return aggregated('compute#diskTypeAggregatedList', 'diskTypes', `${ctx.links.projectLink()}/aggregated/diskTypes`, `projects/${ctx.project}/aggregated/diskTypes`, scopes, listQuery(req.query));
    },
  },
];
