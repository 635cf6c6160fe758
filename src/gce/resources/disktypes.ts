import type { WireDiskOffering } from '../../cloudstack/wire.js';
import { csList, memo, type GceContext } from '../context.js';
import { invalidField, notFound } from '../errors.js';
import { csTime, numericId, parseRef, rfc3339, slug } from '../ids.js';
import { aggregated, list, listQuery } from '../lists.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route } from '../route.js';
import { zoneNamed, zones, type Zone } from './geo.js';

/**
 * Disk types are CloudStack disk offerings. Google's `pd-standard`, `pd-balanced` and `pd-ssd`
 * (which clients name without asking) are the customizable offering.
 */
export const GOOGLE_TYPES = ['pd-standard', 'pd-balanced', 'pd-ssd'];
const DEFAULT_GB = 10;

export interface DiskType {
  name: string;
  offering: WireDiskOffering;
}

export const diskTypes = (ctx: GceContext): Promise<DiskType[]> =>
  memo(ctx, 'disktypes', async () => {
    const offerings = await csList(ctx, 'listDiskOfferings', 'diskoffering', {});
    const custom = offerings.find((o) => o.iscustomized);
    return [
      ...(custom ? GOOGLE_TYPES.map((name) => ({ name, offering: custom })) : []),
      ...offerings.map((o) => ({ name: slug(o.name), offering: o })),
    ];
  });

function diskTypeView(ctx: GceContext, t: DiskType, zone: string): Record<string, unknown> {
  const o = t.offering;
  const size = o.iscustomized ? '1GB-1024GB' : `${o.disksize}GB-${o.disksize}GB`;
  return {
    kind: 'compute#diskType',
    id: numericId(`${o.id}:${t.name}`),
    creationTimestamp: rfc3339(csTime(o.created)),
    name: t.name,
    description: GOOGLE_TYPES.includes(t.name) ? `${t.name} (${o.displaytext})` : o.displaytext,
    validDiskSize: size,
    zone: ctx.links.zone(zone),
    defaultDiskSizeGb: String(o.iscustomized ? DEFAULT_GB : o.disksize),
    selfLink: ctx.links.zonal(zone, 'diskTypes', t.name),
  };
}

export interface DiskPlan {
  type: string;
  diskofferingid: string;
  size?: number;
}

/** The disk offering and size for a new disk of a type (a URL or name; pd-standard if none), checked as Compute Engine checks them. */
export async function offeringFor(
  ctx: GceContext,
  z: Zone,
  typeRef: unknown,
  sizeGb: unknown,
  sizeField: string,
): Promise<DiskPlan> {
  const typeName = typeRef ? parseRef(String(typeRef)).name : 'pd-standard';
  const t = (await diskTypes(ctx)).find((x) => x.name === typeName);
  if (!t) throw notFound(`projects/${ctx.project}/zones/${z.name}/diskTypes/${typeName}`);
  const gb = sizeGb === undefined || sizeGb === null ? undefined : Number(sizeGb);
  if (gb !== undefined && !(Number.isInteger(gb) && gb > 0))
    throw invalidField(sizeField, sizeGb, 'Must be a positive integer.');
  if (!t.offering.iscustomized) {
    if (gb !== undefined && gb !== Number(t.offering.disksize))
      throw invalidField(sizeField, sizeGb, `Disk type '${typeName}' has a fixed size of ${t.offering.disksize} GB.`);
    return { type: typeName, diskofferingid: t.offering.id };
  }
  return { type: typeName, diskofferingid: t.offering.id, size: gb ?? DEFAULT_GB };
}

export const diskTypeRoutes: Route[] = [
  {
    id: 'diskTypes.list',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/diskTypes',
    query: LIST_QUERY,
    response: 'DiskTypeList',
    description: 'Retrieves a list of disk types available to the specified project.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const items = (await diskTypes(ctx)).map((t) => diskTypeView(ctx, t, z.name));
      return list(
        'compute#diskTypeList',
        ctx.links.zonal(z.name, 'diskTypes'),
        `projects/${ctx.project}/zones/${z.name}/diskTypes`,
        items,
        listQuery(req.query),
      );
    },
  },
  {
    id: 'diskTypes.get',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/diskTypes/{diskType}',
    response: 'DiskType',
    description: 'Returns the specified disk type.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const t = (await diskTypes(ctx)).find((x) => x.name === req.params['diskType']);
      if (!t) throw notFound(`projects/${ctx.project}/zones/${z.name}/diskTypes/${req.params['diskType']}`);
      return diskTypeView(ctx, t, z.name);
    },
  },
  {
    id: 'diskTypes.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/diskTypes',
    query: AGGREGATED_QUERY,
    response: 'DiskTypeAggregatedList',
    description: 'Retrieves an aggregated list of disk types.',
    async run(ctx, req) {
      const types = await diskTypes(ctx);
      const scopes = (await zones(ctx)).map((z) => ({
        key: `zones/${z.name}`,
        items: types.map((t) => diskTypeView(ctx, t, z.name)),
      }));
      return aggregated(
        'compute#diskTypeAggregatedList',
        'diskTypes',
        `${ctx.links.projectLink()}/aggregated/diskTypes`,
        `projects/${ctx.project}/aggregated/diskTypes`,
        scopes,
        listQuery(req.query),
      );
    },
  },
];
