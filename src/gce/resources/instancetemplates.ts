import type {
  AttachedDisk,
  Instance,
  InstanceProperties,
  InstanceTemplate,
  NetworkInterface,
} from '../compute.types.js';
import type { GceContext } from '../context.js';
import { alreadyExists, invalidField, notFound, required } from '../errors.js';
import { fingerprint, numericId, parseRef, rfc3339, slug } from '../ids.js';
import { aggregated, list, listQuery } from '../lists.js';
import { replayed, startOperation, type OpScope } from '../operations.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route, type RouteRequest } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { deleteTemplate, insertTemplate, templateRow, templates, type TemplateRow } from '../store/compute.js';
import { checkLabels, checkMetadata, checkName, checkTags } from '../validate.js';
import { regionName, regionNamed } from './geo.js';
import { templateOf } from './images.js';
import { offerings } from './machinetypes.js';

/**
 * instanceTemplates.* (global) and regionInstanceTemplates.*: CloudStack has nothing like an
 * instance template, so they live in the front's store (works in front of any CloudStack). What a
 * template names is checked at insert (machine type, images, metadata, labels, tags), so an
 * instance made from it fails only on what changed since. instances.insert with
 * `sourceInstanceTemplate` merges the template's properties under the request (mergedInsert).
 */
/** A JSON object as stored or rendered. */
type Body = Record<string, unknown>;
const FIELDS = fieldsOf('InstanceTemplate');

/** `''` for a global template, else the region. */
type Where = string;

const selfLink = (ctx: GceContext, where: Where, name: string) =>
  where ? ctx.links.regional(where, 'instanceTemplates', name) : ctx.links.global('instanceTemplates', name);
const relPath = (ctx: GceContext, where: Where, name: string) =>
  `projects/${ctx.project}/${where ? `regions/${where}` : 'global'}/instanceTemplates/${name}`;

function templateView(ctx: GceContext, r: TemplateRow): Record<string, unknown> {
  return {
    kind: 'compute#instanceTemplate',
    id: r.id,
    creationTimestamp: rfc3339(r.created),
    name: r.name,
    description: r.description,
    properties: JSON.parse(r.properties),
    ...(r.region ? { region: ctx.links.region(r.region) } : {}),
    selfLink: selfLink(ctx, r.region, r.name),
  };
}

/** Google's defaults filled in, so a template reads back as Compute Engine shows it. */
async function properties(ctx: GceContext, p: InstanceProperties): Promise<Body> {
  const f = 'resource.properties';
  if (!p.machineType) throw required(`${f}.machineType`);
  const mt = parseRef(String(p.machineType)).name;
  if (!(await offerings(ctx)).some((o) => slug(o.name) === mt))
    throw invalidField(`${f}.machineType`, p.machineType, `Machine type with name '${mt}' does not exist.`);
  const disks: AttachedDisk[] = Array.isArray(p.disks) ? p.disks : [];
  if (!disks.length) throw invalidField(`${f}.disks`, [], 'At least one boot disk must be specified.');
  for (const [i, d] of disks.entries()) {
    if (!d || typeof d !== 'object' || Array.isArray(d))
      throw invalidField(`${f}.disks[${i}]`, d, 'Must be an object.');
    if (d.initializeParams?.sourceImage) await templateOf(ctx, parseRef(String(d.initializeParams.sourceImage)));
    else if (!d?.source) throw required(`${f}.disks[${i}].initializeParams.sourceImage`);
  }
  for (const k of ['networkInterfaces', 'serviceAccounts'] as const)
    if (p[k] !== undefined && !Array.isArray(p[k])) throw invalidField(`${f}.${k}`, p[k], 'Must be a list.');
  for (const k of ['scheduling', 'labels', 'metadata', 'tags'] as const)
    if (p[k] !== undefined && (typeof p[k] !== 'object' || Array.isArray(p[k])))
      throw invalidField(`${f}.${k}`, p[k], 'Must be an object.');
  const items = checkMetadata(p.metadata, `${f}.metadata`);
  const tags = checkTags(p.tags, `${f}.tags`);
  return {
    ...p,
    machineType: mt,
    canIpForward: !!p.canIpForward,
    labels: checkLabels(p.labels, `${f}.labels`),
    metadata: { kind: 'compute#metadata', fingerprint: fingerprint(items), ...(items.length ? { items } : {}) },
    tags: { ...(tags.length ? { items: tags } : {}), fingerprint: fingerprint(tags) },
    disks: disks.map((d, index) => ({
      kind: 'compute#attachedDisk',
      type: 'PERSISTENT',
      mode: 'READ_WRITE',
      boot: index === 0,
      autoDelete: true,
      index,
      ...d,
    })),
    networkInterfaces: ((p.networkInterfaces ?? [{}]) as unknown[]).map((n, i) =>
      nicOf(ctx, n, `${f}.networkInterfaces[${i}]`, i),
    ),
    scheduling: {
      onHostMaintenance: 'MIGRATE',
      automaticRestart: true,
      preemptible: false,
      provisioningModel: 'STANDARD',
      ...(p.scheduling ?? {}),
    },
    serviceAccounts: p.serviceAccounts ?? [],
  };
}

function nicOf(ctx: GceContext, n: unknown, field: string, i: number): Body {
  if (!n || typeof n !== 'object' || Array.isArray(n)) throw invalidField(field, n, 'Must be an object.');
  const nic = n as NetworkInterface;
  if (nic.accessConfigs !== undefined && !Array.isArray(nic.accessConfigs))
    throw invalidField(`${field}.accessConfigs`, nic.accessConfigs, 'Must be a list.');
  const configs = ((nic.accessConfigs ?? []) as unknown[]).map((a) => ({
    kind: 'compute#accessConfig',
    type: 'ONE_TO_ONE_NAT',
    name: 'External NAT',
    networkTier: 'PREMIUM',
    ...(a && typeof a === 'object' ? a : {}),
  }));
  return {
    kind: 'compute#networkInterface',
    name: `nic${i}`,
    network: ctx.links.global('networks', 'default'),
    ...nic,
    ...(nic.accessConfigs ? { accessConfigs: configs } : {}),
  };
}

const op = (ctx: GceContext, where: Where, r: { name: string; id: string }, type: string, requestId?: string) => {
  const scope: OpScope = where ? 'region' : 'global';
  return startOperation(ctx, {
    type,
    scope,
    location: where || 'global',
    targetLink: selfLink(ctx, where, r.name),
    targetId: r.id,
    jobs: [],
    requestId,
  });
};

async function insert(ctx: GceContext, where: Where, body: InstanceTemplate, requestId?: string): Promise<unknown> {
  const name = checkName(body.name);
  if (body.sourceInstance)
    throw invalidField(
      'resource.sourceInstance',
      body.sourceInstance,
      'Instance templates from an existing instance are not supported by polystack (see GAPS.md).',
    );
  if (!body.properties || typeof body.properties !== 'object') throw required('resource.properties');
  const now = ctx.clock.now();
  const row: TemplateRow = {
    name,
    accountId: ctx.ownerId,
    region: where,
    id: numericId(`instanceTemplate/${ctx.ownerId}/${where}/${name}/${now}`),
    created: now,
    description: typeof body.description === 'string' ? body.description : '',
    properties: JSON.stringify(await properties(ctx, body.properties)),
  };
  if (!(await insertTemplate(ctx.store, row))) throw alreadyExists(relPath(ctx, where, name));
  return op(ctx, where, row, 'insert', requestId);
}

async function named(ctx: GceContext, where: Where, name: string): Promise<TemplateRow> {
  const r = /^\d+$/.test(name)
    ? (await templates(ctx.store, ctx.ownerId, where)).find((t) => t.id === name)
    : await templateRow(ctx.store, ctx.ownerId, where, name);
  if (!r) throw notFound(relPath(ctx, where, name));
  return r;
}

/**
 * The body instances.insert deploys from `sourceInstanceTemplate`: the template's properties,
 * with every field the request gives winning (Google's rule), and a bare machine type made zonal.
 */
export async function mergedInsert(ctx: GceContext, zone: string, ref: string, request: Instance): Promise<Instance> {
  const r = parseRef(ref);
  if ((r.collection && r.collection !== 'instanceTemplates') || !r.name)
    throw invalidField('sourceInstanceTemplate', ref, 'Must be an instance template URL.');
  // Another project's template is not the caller's to read.
  if (r.project && r.project !== ctx.project)
    throw notFound(`projects/${r.project}/${r.region ? `regions/${r.region}` : 'global'}/instanceTemplates/${r.name}`);
  if (r.region) await regionNamed(ctx, r.region);
  const t = await named(ctx, r.region ?? '', r.name);
  const p = JSON.parse(t.properties) as InstanceProperties;
  const fromTemplate: Instance = {
    ...p,
    machineType: `zones/${zone}/machineTypes/${p.machineType}`,
    disks: (p.disks ?? []).map((d) => ({
      ...d,
      ...(d.initializeParams ? { initializeParams: { ...d.initializeParams } } : {}),
    })),
  };
  // Google's API is proto-based: an empty list, map or string is a field left unset, so it does not override (gapic clients send `labels: {}`).
  const unset = (v: unknown) =>
    v === undefined ||
    v === null ||
    v === '' ||
    (Array.isArray(v) ? !v.length : typeof v === 'object' && !Object.keys(v as object).length);
  const given = Object.fromEntries(Object.entries(request ?? {}).filter(([, v]) => !unset(v)));
  return { ...fromTemplate, ...given };
}

const global = 'projects/{project}/global/instanceTemplates';
const regional = 'projects/{project}/regions/{region}/instanceTemplates';

/** The region of a regional route ('' for the global ones), checked. */
const whereOf = async (ctx: GceContext, req: RouteRequest): Promise<Where> =>
  req.params['region'] !== undefined ? regionNamed(ctx, req.params['region']) : '';

function routesOf(resource: string, base: string): Route[] {
  const one = `${base}/{instanceTemplate}`;
  const isRegional = resource.startsWith('region');
  return [
    {
      id: `${resource}.list`,
      method: 'GET',
      path: base,
      query: LIST_QUERY,
      response: 'InstanceTemplateList',
      description: 'Retrieves a list of instance templates.',
      async run(ctx, req) {
        const where = await whereOf(ctx, req);
        const items = (await templates(ctx.store, ctx.ownerId, where)).map((r) => templateView(ctx, r));
        const link = where ? ctx.links.regional(where, 'instanceTemplates') : ctx.links.global('instanceTemplates');
        return list(
          'compute#instanceTemplateList',
          link,
          `projects/${ctx.project}/${where ? `regions/${where}` : 'global'}/instanceTemplates`,
          items,
          listQuery(req.query),
          FIELDS,
        );
      },
    },
    {
      id: `${resource}.get`,
      method: 'GET',
      path: one,
      response: 'InstanceTemplate',
      description: 'Returns the specified instance template.',
      run: async (ctx, req) =>
        templateView(ctx, await named(ctx, await whereOf(ctx, req), req.params['instanceTemplate']!)),
    },
    {
      id: `${resource}.insert`,
      method: 'POST',
      path: base,
      query: ['requestId'],
      request: 'InstanceTemplate',
      response: 'Operation',
      description: `Creates ${isRegional ? 'a regional' : 'an'} instance template in the specified project using the data that is included in the request.`,
      run: async (ctx, req) =>
        (await replayed(ctx, req.query['requestId'])) ??
        insert(ctx, await whereOf(ctx, req), req.body, req.query['requestId']),
    },
    {
      id: `${resource}.delete`,
      method: 'DELETE',
      path: one,
      query: ['requestId'],
      response: 'Operation',
      description: 'Deletes the specified instance template.',
      async run(ctx, req) {
        const again = await replayed(ctx, req.query['requestId']);
        if (again) return again;
        const where = await whereOf(ctx, req);
        const r = await named(ctx, where, req.params['instanceTemplate']!);
        await deleteTemplate(ctx.store, ctx.ownerId, where, r.name);
        return op(ctx, where, r, 'delete', req.query['requestId']);
      },
    },
  ];
}

export const instanceTemplateRoutes: Route[] = [
  ...routesOf('instanceTemplates', global),
  {
    id: 'instanceTemplates.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/instanceTemplates',
    query: AGGREGATED_QUERY,
    response: 'InstanceTemplateAggregatedList',
    description:
      'Retrieves the list of all InstanceTemplates resources, regional and global, available to the specified project.',
    async run(ctx, req) {
      const all = await templates(ctx.store, ctx.ownerId);
      const region = await regionName(ctx);
      const scopes = [
        { key: 'global', items: all.filter((r) => !r.region).map((r) => templateView(ctx, r)) },
        { key: `regions/${region}`, items: all.filter((r) => r.region === region).map((r) => templateView(ctx, r)) },
      ];
      return aggregated(
        'compute#instanceTemplateAggregatedList',
        'instanceTemplates',
        `${ctx.links.projectLink()}/aggregated/instanceTemplates`,
        `projects/${ctx.project}/aggregated/instanceTemplates`,
        scopes,
        listQuery(req.query),
        FIELDS,
      );
    },
  },
  ...routesOf('regionInstanceTemplates', regional),
];
