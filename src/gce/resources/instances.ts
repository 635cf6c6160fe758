import { csList, type GceContext } from '../context.js';
import { unsupported } from '../errors.js';
import { aggregated, envelope, list, listQuery } from '../lists.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { instanceSettings } from '../store/compute.js';
import { zoneNamed, zones, type Zone } from './geo.js';
import { insertInstance } from './instances.insert.js';
import { mergedInsert } from './instancetemplates.js';
import { lifecycle, serialPortOutput, setLabels, setMetadata, setTags } from './instances.actions.js';
import { attachDisk, detachDisk } from './instances.disks.js';
import { instanceView, renderInstance, volumesByVm } from './instances.view.js';
import { loadNicNetworks } from './instances.network.js';
import { instancePage, pagedByName } from './instances.page.js';

/** instances.*: reads render CloudStack VMs (instances.view.ts); writes are in instances.insert.ts and instances.actions.ts. */
const FIELDS = fieldsOf('Instance');

/** Every visible instance of the project, in one zone or all: one listVirtualMachines, one listVolumes, one read of each record table. */
async function instancesIn(ctx: GceContext, z: Zone | undefined): Promise<Record<string, unknown>[]> {
  const params: Record<string, string> = z ? { zoneid: z.cs.id } : {};
  const [vms, vols, recs, disks, settings] = await Promise.all([
    csList(ctx, 'listVirtualMachines', 'virtualmachine', params),
    volumesByVm(ctx, params),
    ctx.store.instances(ctx.ownerId),
    ctx.store.disks(ctx.ownerId),
    instanceSettings(ctx.store, ctx.ownerId),
    loadNicNetworks(ctx),
  ]);
  return vms
    .map((vm) => instanceView(ctx, vm, recs.get(vm.id), vols.get(vm.id) ?? [], disks, settings.get(vm.id)))
    .filter((v): v is Record<string, unknown> => v !== undefined);
}

const path = 'projects/{project}/zones/{zone}/instances/{instance}';
const action = (id: string, verb: string, description: string, run: Route['run'], request?: string): Route => ({
  id: `instances.${id}`,
  method: 'POST',
  path: `${path}/${verb}`,
  query: ['requestId'],
  response: 'Operation',
  description,
  run,
  ...(request ? { request } : {}),
});

export const instanceRoutes: Route[] = [
  {
    id: 'instances.list',
    method: 'GET',
    path: 'projects/{project}/zones/{zone}/instances',
    query: LIST_QUERY,
    response: 'InstanceList',
    description: 'Retrieves the list of instances contained within the specified zone.',
    async run(ctx, req) {
      const z = await zoneNamed(ctx, req.params['zone']!);
      const [selfLink, id] = [
        ctx.links.zonal(z.name, 'instances'),
        `projects/${ctx.project}/zones/${z.name}/instances`,
      ];
      if (!pagedByName(req.query['orderBy']))
        return list('compute#instanceList', selfLink, id, await instancesIn(ctx, z), listQuery(req.query), FIELDS);
      // Ordered by name: paged in CloudStack, the token is instances.page.ts's own.
      const { items, next } = await instancePage(
        ctx,
        z,
        listQuery({ ...req.query, pageToken: undefined }),
        req.query['pageToken'],
        FIELDS,
      );
      return envelope('compute#instanceList', selfLink, id, items, next);
    },
  },
  {
    id: 'instances.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/instances',
    query: AGGREGATED_QUERY,
    response: 'InstanceAggregatedList',
    description: 'Retrieves an aggregated list of all of the instances in your project across all regions and zones.',
    async run(ctx, req) {
      const all = await instancesIn(ctx, undefined);
      const scopes = (await zones(ctx)).map((z) => ({
        key: `zones/${z.name}`,
        items: all.filter((i) => i['zone'] === ctx.links.zone(z.name)),
      }));
      return aggregated(
        'compute#instanceAggregatedList',
        'instances',
        `${ctx.links.projectLink()}/aggregated/instances`,
        `projects/${ctx.project}/aggregated/instances`,
        scopes,
        listQuery(req.query),
        FIELDS,
      );
    },
  },
  {
    id: 'instances.get',
    method: 'GET',
    path,
    response: 'Instance',
    description: 'Returns the specified Instance resource.',
    run: async (ctx, req) => renderInstance(ctx, await zoneNamed(ctx, req.params['zone']!), req.params['instance']!),
  },
  {
    id: 'instances.insert',
    method: 'POST',
    path: 'projects/{project}/zones/{zone}/instances',
    query: ['requestId', 'sourceInstanceTemplate', 'sourceMachineImage'],
    request: 'Instance',
    response: 'Operation',
    description: 'Creates an instance resource in the specified project using the data included in the request.',
    async run(ctx, req) {
      if (req.query['sourceMachineImage']) throw unsupported('Creating an instance from a machine image');
      const template = req.query['sourceInstanceTemplate'];
      const body = template ? await mergedInsert(ctx, req.params['zone']!, template, req.body) : req.body;
      return insertInstance(ctx, req.params['zone']!, body, req.query['requestId']);
    },
  },
  {
    id: 'instances.delete',
    method: 'DELETE',
    path,
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified Instance resource.',
    run: (ctx, req) => lifecycle(ctx, 'delete', req.params['zone']!, req.params['instance']!, req.query['requestId']),
  },
  action('start', 'start', 'Starts an instance that was stopped using the instances().stop method.', (ctx, req) =>
    lifecycle(ctx, 'start', req.params['zone']!, req.params['instance']!, req.query['requestId']),
  ),
  action('stop', 'stop', 'Stops a running instance, shutting it down cleanly.', (ctx, req) =>
    lifecycle(ctx, 'stop', req.params['zone']!, req.params['instance']!, req.query['requestId']),
  ),
  action('reset', 'reset', 'Performs a reset on the instance (a hard reboot).', (ctx, req) =>
    lifecycle(ctx, 'reset', req.params['zone']!, req.params['instance']!, req.query['requestId']),
  ),
  action(
    'setMetadata',
    'setMetadata',
    'Sets metadata for the specified instance to the data included in the request.',
    (ctx, req) => setMetadata(ctx, req.params['zone']!, req.params['instance']!, req.body, req.query['requestId']),
    'Metadata',
  ),
  action(
    'setLabels',
    'setLabels',
    'Sets labels on an instance.',
    (ctx, req) => setLabels(ctx, req.params['zone']!, req.params['instance']!, req.body, req.query['requestId']),
    'InstancesSetLabelsRequest',
  ),
  action(
    'setTags',
    'setTags',
    'Sets network tags for the specified instance to the data included in the request.',
    (ctx, req) => setTags(ctx, req.params['zone']!, req.params['instance']!, req.body, req.query['requestId']),
    'Tags',
  ),
  {
    id: 'instances.attachDisk',
    method: 'POST',
    path: `${path}/attachDisk`,
    query: ['requestId', 'forceAttach'],
    request: 'AttachedDisk',
    response: 'Operation',
    description: 'Attaches an existing Disk resource to an instance.',
    run: (ctx, req) => attachDisk(ctx, req.params['zone']!, req.params['instance']!, req.body, req.query['requestId']),
  },
  {
    id: 'instances.detachDisk',
    method: 'POST',
    path: `${path}/detachDisk`,
    query: ['requestId', 'deviceName'],
    response: 'Operation',
    description: 'Detaches a disk from an instance.',
    run: (ctx, req) =>
      detachDisk(ctx, req.params['zone']!, req.params['instance']!, req.query['deviceName'], req.query['requestId']),
  },
  {
    id: 'instances.getSerialPortOutput',
    method: 'GET',
    path: `${path}/serialPort`,
    query: ['port', 'start'],
    response: 'SerialPortOutput',
    description: 'Returns the last 1 MB of serial port output from the specified instance.',
    run: (ctx, req) => serialPortOutput(ctx, req.params['zone']!, req.params['instance']!, req.query),
  },
];
