import { consoleLog } from '../../simulator/console.js';
import type { InstancesSetLabelsRequest, Metadata, Tags } from '../compute.types.js';
import type { WireVm } from '../../cloudstack/wire.js';
import type { CsParams } from '../../bridge/port.js';
import { cs, csCall, csJob, type GceContext } from '../context.js';
import { conditionNotMet, fromCloudStack, invalidParameter, notReady } from '../errors.js';
import { relabel } from '../labels.js';
import { keyPairsFor, sshKeysOf, userDataOf } from '../guest.js';
import { csTime, fingerprint, numericId } from '../ids.js';
import { replayed, startOperation, type Followup } from '../operations.js';
import type { InstanceRecord } from '../store/store.js';
import { checkMetadata, checkTags } from '../validate.js';
import { zoneNamed, type Zone } from './geo.js';
import { instanceName, vmNamed } from './instances.view.js';
import { beforeLifecycle } from './instances.settings.js';

/**
 * The instance methods that change something: each becomes CloudStack commands and answers with
 * a zonal Operation that follows their jobs. Lifecycle methods that are already where they were
 * asked to go (start on a RUNNING instance) answer with an Operation that is DONE at once, as
 * Compute Engine does.
 */
export interface Target {
  zone: Zone;
  vm: WireVm;
  link: string;
}

export async function target(ctx: GceContext, zone: string, instance: string): Promise<Target> {
  const z = await zoneNamed(ctx, zone);
  const vm = await vmNamed(ctx, z, instance);
  return { zone: z, vm, link: ctx.links.zonal(z.name, 'instances', instanceName(vm)) };
}

export const op = (ctx: GceContext, t: Target, type: string, jobs: string[], requestId?: string, followup?: Followup) =>
  startOperation(ctx, {
    type,
    scope: 'zone',
    location: t.zone.name,
    targetLink: t.link,
    targetId: numericId(t.vm.id),
    jobs,
    followup,
    requestId,
  });

/** The record of an instance, or an empty one for a VM created through CloudStack. */
export async function recordOf(ctx: GceContext, vm: WireVm): Promise<InstanceRecord> {
  return (
    (await ctx.store.instance(vm.id)) ?? {
      vmId: vm.id,
      accountId: ctx.ownerId,
      description: '',
      metadata: [],
      tags: [],
      serviceAccounts: [],
      bootDisk: '',
      updated: ctx.clock.now(),
    }
  );
}

type Lifecycle = 'start' | 'stop' | 'reset' | 'delete';

const LIFECYCLE: Record<
  Lifecycle,
  {
    command: 'startVirtualMachine' | 'stopVirtualMachine' | 'rebootVirtualMachine' | 'destroyVirtualMachine';
    params: CsParams;
    noop: string[];
    allowed?: string[];
  }
> = {
  start: { command: 'startVirtualMachine', params: {}, noop: ['Running', 'Starting'], allowed: ['Stopped'] },
  stop: {
    command: 'stopVirtualMachine',
    params: {},
    noop: ['Stopped', 'Stopping'],
    allowed: ['Running', 'Starting', 'Error'],
  },
  reset: { command: 'rebootVirtualMachine', params: {}, noop: [], allowed: ['Running'] },
  // GCE deletes for good: expunge when CloudStack lets the caller (destroyed VMs are hidden anyway).
  delete: { command: 'destroyVirtualMachine', params: { expunge: true }, noop: [] },
};

export async function lifecycle(
  ctx: GceContext,
  kind: Lifecycle,
  zone: string,
  instance: string,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const t = await target(ctx, zone, instance);
  await beforeLifecycle(ctx, kind, t.vm.id);
  const how = LIFECYCLE[kind];
  if (how.noop.includes(t.vm.state)) return op(ctx, t, kind, [], requestId);
  if (how.allowed && !how.allowed.includes(t.vm.state)) throw notReady(ctx.links.relative(t.link));
  let r = await csCall(ctx, how.command, { id: t.vm.id, ...how.params });
  if (r.status === 431 && how.params['expunge']) r = await csCall(ctx, how.command, { id: t.vm.id });
  if (r.error) throw fromCloudStack(r.status, String(r.error.errortext));
  return op(
    ctx,
    t,
    kind,
    [String(r.body.jobid)],
    requestId,
    kind === 'delete' ? { failure: [], dropOnSuccess: t.vm.id } : undefined,
  );
}

export async function setMetadata(
  ctx: GceContext,
  zone: string,
  instance: string,
  body: Metadata,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const t = await target(ctx, zone, instance);
  const rec = await recordOf(ctx, t.vm);
  if (body.fingerprint !== fingerprint(rec.metadata)) throw conditionNotMet('metadata');
  const jobs = await applyMetadata(ctx, t, rec, checkMetadata(body));
  return op(ctx, t, 'setMetadata', jobs, requestId);
}

/** New metadata items: user data and SSH keys passed on to CloudStack, the items kept; the jobs to follow. */
export async function applyMetadata(
  ctx: GceContext,
  t: Target,
  rec: InstanceRecord,
  items: InstanceRecord['metadata'],
): Promise<string[]> {
  const jobs: string[] = [];
  const userdata = userDataOf(items);
  if (userdata !== userDataOf(rec.metadata))
    await cs(ctx, 'updateVirtualMachine', { id: t.vm.id, userdata: userdata ?? '' });
  const keys = sshKeysOf(items, await ctx.store.projectMetadata(ctx.ownerId));
  if (JSON.stringify(keys) !== JSON.stringify(sshKeysOf(rec.metadata, await ctx.store.projectMetadata(ctx.ownerId)))) {
    const { names } = await keyPairsFor(ctx, keys);
    // CloudStack resets a VM's keys only while it is stopped; a running guest reads them at next boot (GAPS.md).
    if (t.vm.state === 'Stopped' && names.length)
      jobs.push((await csJob(ctx, 'resetSSHKeyForVirtualMachine', { id: t.vm.id, keypairs: names })).jobid);
  }
  await ctx.store.saveInstance({ ...rec, metadata: items, updated: ctx.clock.now() });
  return jobs;
}

export async function setTags(
  ctx: GceContext,
  zone: string,
  instance: string,
  body: Tags,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const t = await target(ctx, zone, instance);
  const rec = await recordOf(ctx, t.vm);
  if (body.fingerprint !== fingerprint(rec.tags)) throw conditionNotMet('tags');
  await ctx.store.saveInstance({ ...rec, tags: checkTags(body), updated: ctx.clock.now() });
  return op(ctx, t, 'setTags', [], requestId);
}

/** Labels are the VM's CloudStack tags (labels.ts). */
export async function setLabels(
  ctx: GceContext,
  zone: string,
  instance: string,
  body: InstancesSetLabelsRequest,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const t = await target(ctx, zone, instance);
  return op(ctx, t, 'setLabels', await relabel(ctx, 'UserVm', t.vm.id, t.vm.tags, body), requestId);
}

/** Serial port 1 is the guest's console; ports 2-4 are silent. `start` pages through it as GCE does. */
export async function serialPortOutput(
  ctx: GceContext,
  zone: string,
  instance: string,
  query: Record<string, string | undefined>,
): Promise<unknown> {
  const t = await target(ctx, zone, instance);
  const port = query['port'] === undefined ? 1 : Number(query['port']);
  if (![1, 2, 3, 4].includes(port)) throw invalidParameter('port', String(query['port']), 'It must be between 1 and 4');
  const start = query['start'] === undefined ? 0 : Number(query['start']);
  if (!Number.isInteger(start) || start < 0) throw invalidParameter('start', String(query['start']));
  // An instance that has not booted yet has printed nothing.
  const booted =
    port === 1 && t.vm.state !== 'Starting' && !(t.vm.state === 'Stopped' && !t.vm.hostid) && t.vm.state !== 'Error';
  let text = '';
  if (booted) {
    const ud = (await cs(ctx, 'getVirtualMachineUserData', { virtualmachineid: t.vm.id }))['virtualmachineuserdata']
      ?.userdata;
    text = consoleLog({
      name: instanceName(t.vm),
      instanceId: numericId(t.vm.id),
      template: String(t.vm.templatename),
      privateIp: t.vm.ipaddress,
      started: csTime(t.vm.lastupdated ?? t.vm.created),
      userData: ud ? Buffer.from(ud, 'base64').toString('utf8') : undefined,
    });
  }
  const bytes = Buffer.from(text, 'utf8');
  const contents = bytes.subarray(Math.min(start, bytes.length)).toString('utf8');
  return {
    kind: 'compute#serialPortOutput',
    contents,
    start: String(Math.min(start, bytes.length)),
    next: String(bytes.length),
    selfLink: `${t.link}/serialPort`,
  };
}
