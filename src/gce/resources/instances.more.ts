import type {
  InstancesSetMachineTypeRequest,
  InstancesSetMinCpuPlatformRequest,
  InstancesSetServiceAccountRequest,
  Scheduling,
} from '../compute.types.js';
import { cs, csJob, type GceContext } from '../context.js';
import { invalidField, invalidUsage, unsupported } from '../errors.js';
import type { Route, RouteRequest } from '../route.js';
import { saveSettings, settingsOf } from '../store/compute.js';
import { op, recordOf, type Target } from './instances.actions.js';
import { mustBeStopped, offeringOf, onInstance } from './instances.write.js';
import { checkCpuPlatform, checkOnHostMaintenance } from './instances.settings.js';
import { accessConfigRoutes } from './instances.nat.js';
import { instanceInfoRoutes } from './instances.info.js';
import { updateRoute } from './instances.update.js';

/**
 * Instance methods beyond the lifecycle: machine type (changeServiceForVirtualMachine), suspend
 * and resume (stop and start of the CloudStack VM, remembered as a suspension), maintenance
 * (migrateVirtualMachine or a stop), and the settings CloudStack has no place for (deletion
 * protection, service account, minimum CPU platform, the maintenance policy).
 */
const path = 'projects/{project}/zones/{zone}/instances/{instance}';

async function setMachineType(
  ctx: GceContext,
  t: Target,
  body: InstancesSetMachineTypeRequest,
  requestId?: string,
): Promise<unknown> {
  const offering = await offeringOf(ctx, t, body.machineType, 'resource.machineType');
  await mustBeStopped(ctx, t);
  // changeServiceForVirtualMachine is synchronous on a stopped VM: the Operation is DONE at once.
  if (offering.id !== t.vm.serviceofferingid)
    await cs(ctx, 'changeServiceForVirtualMachine', { id: t.vm.id, serviceofferingid: offering.id });
  return op(ctx, t, 'setMachineType', [], requestId);
}

/** suspend: CloudStack 4.18 has no suspension a user can ask for, so the VM is stopped and the front remembers it was suspended. */
async function suspend(ctx: GceContext, t: Target, requestId?: string): Promise<unknown> {
  const s = await settingsOf(ctx.store, t.vm.id);
  if (s.suspended && ['Stopped', 'Stopping'].includes(t.vm.state)) return op(ctx, t, 'suspend', [], requestId);
  if (t.vm.state !== 'Running') throw invalidUsage('Instance should be in the RUNNING state.');
  const { jobid } = await csJob(ctx, 'stopVirtualMachine', { id: t.vm.id });
  await saveSettings(ctx.store, t.vm.id, ctx.ownerId, { suspended: true });
  return op(ctx, t, 'suspend', [jobid], requestId);
}

async function resume(ctx: GceContext, t: Target, requestId?: string): Promise<unknown> {
  const s = await settingsOf(ctx.store, t.vm.id);
  if (!s.suspended || t.vm.state !== 'Stopped') throw invalidUsage('Instance should be in the SUSPENDED state.');
  const { jobid } = await csJob(ctx, 'startVirtualMachine', { id: t.vm.id });
  await saveSettings(ctx.store, t.vm.id, ctx.ownerId, { suspended: undefined });
  return op(ctx, t, 'resume', [jobid], requestId);
}

async function setDeletionProtection(
  ctx: GceContext,
  t: Target,
  value: string | undefined,
  requestId?: string,
): Promise<unknown> {
  if (value !== undefined && value !== 'true' && value !== 'false')
    throw invalidField('deletionProtection', value, 'Must be true or false.');
  await saveSettings(ctx.store, t.vm.id, ctx.ownerId, { deletionProtection: value !== 'false' ? true : undefined });
  return op(ctx, t, 'setDeletionProtection', [], requestId);
}

async function setServiceAccount(
  ctx: GceContext,
  t: Target,
  body: InstancesSetServiceAccountRequest,
  requestId?: string,
): Promise<unknown> {
  await mustBeStopped(ctx, t);
  const scopes = body.scopes ?? [];
  if (!Array.isArray(scopes) || scopes.some((x) => typeof x !== 'string'))
    throw invalidField('resource.scopes', scopes, 'Must be a list of scope URLs.');
  const rec = await recordOf(ctx, t.vm);
  // No email and no scopes: the instance runs without a service account, as Google's does.
  const accounts =
    body.email || scopes.length ? [{ email: String(body.email || 'default'), scopes: scopes as string[] }] : [];
  await ctx.store.saveInstance({ ...rec, serviceAccounts: accounts, updated: ctx.clock.now() });
  return op(ctx, t, 'setServiceAccount', [], requestId);
}

/** automaticRestart is the VM's CloudStack HA flag (updateVirtualMachine haenable); onHostMaintenance is the front's. */
async function setScheduling(ctx: GceContext, t: Target, body: Scheduling, requestId?: string): Promise<unknown> {
  if (body.preemptible === true || (body.provisioningModel && body.provisioningModel !== 'STANDARD'))
    throw unsupported('Preemptible and Spot instances (scheduling.preemptible, provisioningModel)');
  const ohm = checkOnHostMaintenance(body.onHostMaintenance, 'resource.onHostMaintenance');
  if (body.automaticRestart !== undefined && typeof body.automaticRestart !== 'boolean')
    throw invalidField('resource.automaticRestart', body.automaticRestart, 'Must be a boolean.');
  if (typeof body.automaticRestart === 'boolean' && body.automaticRestart !== !!t.vm.haenable)
    await cs(ctx, 'updateVirtualMachine', { id: t.vm.id, haenable: body.automaticRestart });
  await saveSettings(ctx.store, t.vm.id, ctx.ownerId, {
    onHostMaintenance: ohm === 'TERMINATE' ? 'TERMINATE' : undefined,
  });
  return op(ctx, t, 'setScheduling', [], requestId);
}

async function setMinCpuPlatform(
  ctx: GceContext,
  t: Target,
  body: InstancesSetMinCpuPlatformRequest,
  requestId?: string,
): Promise<unknown> {
  const cpu = checkCpuPlatform(body.minCpuPlatform, 'resource.minCpuPlatform');
  await mustBeStopped(ctx, t);
  await saveSettings(ctx.store, t.vm.id, ctx.ownerId, { minCpuPlatform: cpu && cpu !== 'Automatic' ? cpu : undefined });
  return op(ctx, t, 'setMinCpuPlatform', [], requestId);
}

/**
 * What a host maintenance does to the instance: with onHostMaintenance MIGRATE a live migration
 * (migrateVirtualMachine, CloudStack picks the host; it takes an admin's key pair), with TERMINATE a stop.
 */
async function simulateMaintenanceEvent(ctx: GceContext, t: Target, requestId?: string): Promise<unknown> {
  if (t.vm.state !== 'Running') throw invalidUsage('Instance should be in the RUNNING state.');
  const policy = (await settingsOf(ctx.store, t.vm.id)).onHostMaintenance ?? 'MIGRATE';
  const { jobid } =
    policy === 'MIGRATE'
      ? await csJob(ctx, 'migrateVirtualMachine', { virtualmachineid: t.vm.id })
      : await csJob(ctx, 'stopVirtualMachine', { id: t.vm.id });
  return op(ctx, t, 'simulateMaintenanceEvent', [jobid], requestId);
}

const post = (
  verb: string,
  description: string,
  run: (ctx: GceContext, t: Target, req: RouteRequest) => Promise<unknown>,
  extra: Partial<Route> = {},
): Route => ({
  id: `instances.${verb}`,
  method: 'POST',
  path: `${path}/${verb}`,
  query: ['requestId'],
  response: 'Operation',
  description,
  run: onInstance(run),
  ...extra,
});

export const instanceMoreRoutes: Route[] = [
  post(
    'setMachineType',
    'Changes the machine type for a stopped instance to the machine type specified in the request.',
    (ctx, t, req) => setMachineType(ctx, t, req.body, req.query['requestId']),
    { request: 'InstancesSetMachineTypeRequest' },
  ),
  post(
    'suspend',
    'This method suspends a running instance, saving its state to persistent storage, and allows you to resume the instance at a later time.',
    (ctx, t, req) => suspend(ctx, t, req.query['requestId']),
    { query: ['requestId', 'discardLocalSsd'] },
  ),
  post('resume', 'Resumes an instance that was suspended using the instances().suspend method.', (ctx, t, req) =>
    resume(ctx, t, req.query['requestId']),
  ),
  {
    id: 'instances.setDeletionProtection',
    method: 'POST',
    path: 'projects/{project}/zones/{zone}/instances/{resource}/setDeletionProtection',
    query: ['requestId', 'deletionProtection'],
    response: 'Operation',
    description: 'Sets deletion protection on the instance.',
    run: onInstance(
      (ctx, t, req) => setDeletionProtection(ctx, t, req.query['deletionProtection'], req.query['requestId']),
      'resource',
    ),
  },
  post(
    'setServiceAccount',
    'Sets the service account on the instance.',
    (ctx, t, req) => setServiceAccount(ctx, t, req.body, req.query['requestId']),
    { request: 'InstancesSetServiceAccountRequest' },
  ),
  post(
    'setScheduling',
    "Sets an instance's scheduling options.",
    (ctx, t, req) => setScheduling(ctx, t, req.body, req.query['requestId']),
    { request: 'Scheduling' },
  ),
  post(
    'setMinCpuPlatform',
    'Changes the minimum CPU platform that this instance should use.',
    (ctx, t, req) => setMinCpuPlatform(ctx, t, req.body, req.query['requestId']),
    {
      request: 'InstancesSetMinCpuPlatformRequest',
    },
  ),
  post(
    'simulateMaintenanceEvent',
    'Simulates a host maintenance event on a VM.',
    (ctx, t, req) => simulateMaintenanceEvent(ctx, t, req.query['requestId']),
    {
      query: ['requestId', 'withExtendedNotifications'],
    },
  ),
  ...accessConfigRoutes,
  ...instanceInfoRoutes,
  updateRoute,
];
