import type { AttachedDisk, Instance, Scheduling } from '../compute.types.js';
import { cs, type GceContext } from '../context.js';
import { conditionNotMet, invalidField, unsupported } from '../errors.js';
import { relabel } from '../labels.js';
import type { Route } from '../route.js';
import { saveSettings, settingsOf, type InstanceSettings } from '../store/compute.js';
import { checkLabels, checkMetadata, checkTags } from '../validate.js';
import { applyMetadata, op, recordOf, type Target } from './instances.actions.js';
import { checkCpuPlatform, checkOnHostMaintenance } from './instances.settings.js';
import { instanceName, renderInstance } from './instances.view.js';
import { mustBeStopped, offeringOf, onInstance } from './instances.write.js';

/**
 * instances.update (PUT): the instance as the client wants it, usually what a GET returned with
 * some fields changed. Each changed field goes where its own method sends it (labels to tags,
 * metadata to user data and SSH keys, the machine type to changeServiceForVirtualMachine, the rest
 * to the front's records). Disks and network interfaces change through their own methods only.
 */
/** An instance as instanceView renders it. */
type Rendered = Record<string, unknown>;
const ACTIONS = ['INVALID', 'NO_EFFECT', 'REFRESH', 'RESTART'];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function checkShape(cur: Rendered, body: Instance): void {
  for (const f of ['disks', 'networkInterfaces', 'serviceAccounts'] as const)
    if (body[f] !== undefined && !Array.isArray(body[f]))
      throw invalidField(`resource.${f}`, body[f], 'Must be a list.');
  const sources = (disks: unknown) =>
    ((disks ?? []) as AttachedDisk[]).map((d) => d?.source ?? d?.initializeParams ?? null);
  if (body.disks !== undefined && !same(sources(body.disks), sources(cur['disks'])))
    throw unsupported('Changing disks through instances.update (use attachDisk and detachDisk)');
  if (
    body.networkInterfaces !== undefined &&
    (body.networkInterfaces as unknown[]).length !== (cur['networkInterfaces'] as unknown[]).length
  ) {
    throw unsupported('Changing network interfaces through instances.update');
  }
}

async function update(
  ctx: GceContext,
  t: Target,
  body: Instance,
  query: Record<string, string | undefined>,
): Promise<unknown> {
  for (const q of ['minimalAction', 'mostDisruptiveAllowedAction'])
    if (query[q] !== undefined && !ACTIONS.includes(query[q]!))
      throw invalidField(q, query[q], `Must be one of ${ACTIONS.join(', ')}.`);
  const cur = await renderInstance(ctx, t.zone, instanceName(t.vm));
  if (body.name !== undefined && body.name !== cur['name'])
    throw invalidField('resource.name', body.name, 'The name of an instance cannot be changed.');
  if (body.fingerprint !== undefined && body.fingerprint !== cur['fingerprint']) throw conditionNotMet('instance');
  checkShape(cur, body);
  // Everything is checked before anything changes.
  const offering =
    body.machineType !== undefined && body.machineType !== cur['machineType']
      ? await offeringOf(ctx, t, body.machineType, 'resource.machineType')
      : undefined;
  const items = body.metadata !== undefined ? checkMetadata(body.metadata) : undefined;
  const tags = body.tags !== undefined ? checkTags(body.tags) : undefined;
  const labels = body.labels !== undefined ? checkLabels(body.labels) : undefined;
  const sch: Scheduling = body.scheduling && typeof body.scheduling === 'object' ? body.scheduling : {};
  if (sch.preemptible === true)
    throw unsupported('Preemptible and Spot instances (scheduling.preemptible, provisioningModel)');
  const ohm = checkOnHostMaintenance(sch.onHostMaintenance, 'resource.scheduling.onHostMaintenance');
  const cpu = checkCpuPlatform(body.minCpuPlatform, 'resource.minCpuPlatform');
  const settings = await settingsOf(ctx.store, t.vm.id);
  const accountsChanged = body.serviceAccounts !== undefined && !same(body.serviceAccounts, cur['serviceAccounts']);
  const cpuChanged =
    cpu !== undefined && (cpu === 'Automatic' ? !!settings.minCpuPlatform : cpu !== settings.minCpuPlatform);
  if ((offering && offering.id !== t.vm.serviceofferingid) || accountsChanged || cpuChanged)
    await mustBeStopped(ctx, t);

  const jobs: string[] = [];
  if (offering && offering.id !== t.vm.serviceofferingid)
    await cs(ctx, 'changeServiceForVirtualMachine', { id: t.vm.id, serviceofferingid: offering.id });
  if (typeof sch.automaticRestart === 'boolean' && sch.automaticRestart !== !!t.vm.haenable)
    await cs(ctx, 'updateVirtualMachine', { id: t.vm.id, haenable: sch.automaticRestart });
  if (labels && !same(labels, cur['labels']))
    jobs.push(
      ...(await relabel(ctx, 'UserVm', t.vm.id, t.vm.tags, {
        labels,
        labelFingerprint: cur['labelFingerprint'] as string | undefined,
      })),
    );
  let rec = await recordOf(ctx, t.vm);
  if (items && !same(items, rec.metadata)) {
    jobs.push(...(await applyMetadata(ctx, t, rec, items)));
    rec = await recordOf(ctx, t.vm);
  }
  await ctx.store.saveInstance({
    ...rec,
    ...(tags ? { tags } : {}),
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    updated: ctx.clock.now(),
    ...(accountsChanged
      ? {
          serviceAccounts: (body.serviceAccounts ?? []).map((s) => ({
            email: String(s?.email ?? 'default'),
            scopes: Array.isArray(s?.scopes) ? s.scopes.map(String) : [],
          })),
        }
      : {}),
  });
  const change: InstanceSettings = {};
  if (typeof body.deletionProtection === 'boolean') change.deletionProtection = body.deletionProtection || undefined;
  if (ohm) change.onHostMaintenance = ohm === 'TERMINATE' ? 'TERMINATE' : undefined;
  if (cpu) change.minCpuPlatform = cpu === 'Automatic' ? undefined : cpu;
  if (Object.keys(change).length) await saveSettings(ctx.store, t.vm.id, ctx.ownerId, change);
  return op(ctx, t, 'update', jobs, query['requestId']);
}

export const updateRoute: Route = {
  id: 'instances.update',
  method: 'PUT',
  path: 'projects/{project}/zones/{zone}/instances/{instance}',
  query: ['requestId', 'minimalAction', 'mostDisruptiveAllowedAction'],
  request: 'Instance',
  response: 'Operation',
  description: 'Updates an instance only if the necessary resources are available.',
  run: onInstance((ctx, t, req) => update(ctx, t, req.body, req.query)),
};
