import type { WireZone } from '../../cloudstack/wire.js';
import { cs, csCall, memo, type GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { numericId, rfc3339, slug } from '../ids.js';
import { list, listQuery } from '../lists.js';
import { LIST_QUERY, type Route } from '../route.js';

/**
 * Zones are CloudStack zones (named by their slug: `Sandbox-simulator-basic` → `sandbox-simulator-basic`).
 * Regions are CloudStack regions (listRegions); a CloudStack that does not answer listRegions has
 * one region, `local`, as CloudStack's default region is called. Every zone belongs to it.
 */
export interface Zone {
  name: string;
  cs: WireZone;
}

export const zones = (ctx: GceContext): Promise<Zone[]> =>
  memo(ctx, 'zones', async () =>
    ((await cs(ctx, 'listZones', {}))['zone'] ?? []).map((z) => ({ name: slug(z.name), cs: z })),
  );

export async function zoneNamed(ctx: GceContext, name: string): Promise<Zone> {
  const z = (await zones(ctx)).find((x) => x.name === slug(name));
  if (!z) throw notFound(`projects/${ctx.project}/zones/${name}`);
  return z;
}

export const regionName = (ctx: GceContext): Promise<string> =>
  memo(ctx, 'region', async () => {
    const r = await csCall(ctx, 'listRegions', {});
    const first = r.body ? (r.body.region ?? [])[0] : undefined;
    return first?.name ? slug(first.name) : 'local';
  });

export async function regionNamed(ctx: GceContext, name: string): Promise<string> {
  const r = await regionName(ctx);
  if (name !== r) throw notFound(`projects/${ctx.project}/regions/${name}`);
  return r;
}

function zoneView(ctx: GceContext, z: Zone, region: string): Record<string, unknown> {
  return {
    kind: 'compute#zone',
    id: numericId(z.cs.id),
    creationTimestamp: rfc3339(0),
    name: z.name,
    description: z.cs.name,
    status: z.cs.allocationstate === 'Enabled' ? 'UP' : 'DOWN',
    region: ctx.links.region(region),
    selfLink: ctx.links.zone(z.name),
    availableCpuPlatforms: ['Intel Broadwell'],
    supportsPzs: false,
  };
}

async function regionView(ctx: GceContext, name: string): Promise<Record<string, unknown>> {
  return {
    kind: 'compute#region',
    id: numericId(`region:${name}`),
    creationTimestamp: rfc3339(0),
    name,
    description: name,
    status: 'UP',
    zones: (await zones(ctx)).map((z) => ctx.links.zone(z.name)),
    quotas: await quotas(ctx),
    selfLink: ctx.links.region(name),
    supportsPzs: false,
  };
}

/** Quotas from the account's CloudStack resource limits (-1 / Unlimited shown as a large limit, as GCE has no "unlimited"). */
export async function quotas(ctx: GceContext): Promise<{ metric: string; limit: number; usage: number }[]> {
  const a = ((await cs(ctx, 'listAccounts', { id: ctx.identity.accountId }))['account'] ?? [])[0];
  if (!a || ctx.ownerId !== ctx.identity.accountId) return [];
  const q = (metric: string, limit: unknown, usage: unknown) => ({
    metric,
    limit: limit === 'Unlimited' || Number(limit) < 0 ? 1_000_000 : Number(limit),
    usage: Number(usage ?? 0),
  });
  return [
    q('INSTANCES', a.vmlimit, a.vmtotal),
    q('CPUS', a.cpulimit, a.cputotal),
    q('DISKS_TOTAL_GB', a.primarystoragelimit, a.primarystoragetotal),
    q('STATIC_ADDRESSES', a.iplimit, a.iptotal),
    q('SNAPSHOTS', a.snapshotlimit, a.snapshottotal),
    q('IMAGES', a.templatelimit, a.templatetotal),
  ];
}

export const geoRoutes: Route[] = [
  {
    id: 'zones.list',
    method: 'GET',
    path: 'projects/{project}/zones',
    query: LIST_QUERY,
    response: 'ZoneList',
    description: 'Retrieves the list of Zone resources.',
    async run(ctx, req) {
      const region = await regionName(ctx);
      const items = (await zones(ctx)).map((z) => zoneView(ctx, z, region));
      return list(
        'compute#zoneList',
        `${ctx.links.projectLink()}/zones`,
        `projects/${ctx.project}/zones`,
        items,
        listQuery(req.query),
      );
    },
  },
  {
    id: 'zones.get',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}',
    response: 'Zone',
    description: 'Returns the specified Zone resource.',
    async run(ctx, req) {
      return zoneView(ctx, await zoneNamed(ctx, req.params['zone']!), await regionName(ctx));
    },
  },
  {
    id: 'regions.list',
    method: 'GET',
    path: 'projects/{project}/regions',
    query: LIST_QUERY,
    response: 'RegionList',
    description: 'Retrieves the list of region resources.',
    async run(ctx, req) {
      const items = [await regionView(ctx, await regionName(ctx))];
      return list(
        'compute#regionList',
        `${ctx.links.projectLink()}/regions`,
        `projects/${ctx.project}/regions`,
        items,
        listQuery(req.query),
      );
    },
  },
  {
    id: 'regions.get',
    method: 'GET',
    path: 'projects/{project}/regions/{region}',
    response: 'Region',
    description: 'Returns the specified Region resource.',
    async run(ctx, req) {
      return regionView(ctx, await regionNamed(ctx, req.params['region']!));
    },
  },
];
