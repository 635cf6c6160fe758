import type { WireServiceOffering } from '../../cloudstack/wire.js';
import { csList, memo, type GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { csTime, numericId, rfc3339, slug } from '../ids.js';
import { aggregated, list, listQuery } from '../lists.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route } from '../route.js';
import { zoneNamed, zones, type Zone } from './geo.js';

/**
 * Machine types are CloudStack service offerings with a fixed size (`Small Instance` →
 * `small-instance`, with its real CPU count and memory). An offering limited to some zones
 * (its `zoneid`) is a machine type of those zones only. Customizable offerings have no fixed
 * size and are not shown (GAPS.md: custom machine types).
 */
export const offerings = (ctx: GceContext): Promise<WireServiceOffering[]> =>
  memo(ctx, 'offerings', async () =>
    (await csList(ctx, 'listServiceOfferings', 'serviceoffering', {})).filter(
      (o) => !o.iscustomized && o.cpunumber && o.memory,
    ),
  );

const inZone = (o: WireServiceOffering, z: Zone) => !o.zoneid || String(o.zoneid).split(',').includes(z.cs.id);

export function machineTypeView(ctx: GceContext, o: WireServiceOffering, zone: string): Record<string, unknown> {
  const name = slug(o.name);
  return {
    kind: 'compute#machineType',
    id: numericId(o.id),
    creationTimestamp: rfc3339(csTime(o.created)),
    name,
    description: o.displaytext ?? o.name,
    guestCpus: Number(o.cpunumber),
    memoryMb: Number(o.memory),
    imageSpaceGb: 0,
    maximumPersistentDisks: 16,
    maximumPersistentDisksSizeGb: '65536',
    zone,
    selfLink: ctx.links.zonal(zone, 'machineTypes', name),
    isSharedCpu: false,
  };
}

/** The offering behind `zones/<z>/machineTypes/<name>` (or a bare name) in a zone. */
export async function offeringNamed(ctx: GceContext, z: Zone, name: string): Promise<WireServiceOffering | undefined> {
  return (await offerings(ctx)).find((o) => slug(o.name) === name && inZone(o, z));
}

export const machineTypeRoutes: Route[] = [
  {
    id: 'machineTypes.list',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/machineTypes',
    query: LIST_QUERY,
    response: 'MachineTypeList',
    description: 'Retrieves a list of machine types available to the specified project.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const items = (await offerings(ctx)).filter((o) => inZone(o, z)).map((o) => machineTypeView(ctx, o, z.name));
      return list(
        'compute#machineTypeList',
        ctx.links.zonal(z.name, 'machineTypes'),
        `projects/${ctx.project}/zones/${z.name}/machineTypes`,
        items,
        listQuery(req.query),
      );
    },
  },
  {
    id: 'machineTypes.get',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/machineTypes/{machineType}',
    response: 'MachineType',
    description: 'Returns the specified machine type.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const o = await offeringNamed(ctx, z, req.params['machineType']!);
      if (!o) throw notFound(`projects/${ctx.project}/zones/${z.name}/machineTypes/${req.params['machineType']}`);
      return machineTypeView(ctx, o, z.name);
    },
  },
  {
    id: 'machineTypes.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/machineTypes',
    query: AGGREGATED_QUERY,
    response: 'MachineTypeAggregatedList',
    description: 'Retrieves an aggregated list of machine types.',
    async run(ctx, req) {
      const all = await offerings(ctx);
      const scopes = (await zones(ctx)).map((z) => ({
        key: `zones/${z.name}`,
        items: all.filter((o) => inZone(o, z)).map((o) => machineTypeView(ctx, o, z.name)),
      }));
      return aggregated(
        'compute#machineTypeAggregatedList',
        'machineTypes',
        `${ctx.links.projectLink()}/aggregated/machineTypes`,
        `projects/${ctx.project}/aggregated/machineTypes`,
        scopes,
        listQuery(req.query),
      );
    },
  },
];
