import type { AttachedDisk } from '../compute.types.js';
import type { WireVolume } from '../../cloudstack/wire.js';
import { csJob, type GceContext } from '../context.js';
import { inUse, invalidField, required, unsupported } from '../errors.js';
import { parseRef } from '../ids.js';
import { replayed } from '../operations.js';
import { checkName } from '../validate.js';
import { diskNamed } from './disks.js';
import { op, target, type Target } from './instances.actions.js';
import { deviceNameOf, volumesByVm } from './instances.view.js';

/**
 * instances.attachDisk / detachDisk → attachVolume / detachVolume. CloudStack numbers a VM's
 * disks (deviceid) but does not name them, so the device name a disk is attached under is the
 * front's (DiskRecord.deviceName); without one, Google's `persistent-disk-N` is chosen.
 */
async function attachedNames(ctx: GceContext, t: Target): Promise<{ vols: WireVolume[]; names: string[] }> {
  const vols = (await volumesByVm(ctx, { virtualmachineid: t.vm.id })).get(t.vm.id) ?? [];
  const [recs, disks] = [await ctx.store.instance(t.vm.id), await ctx.store.disks(ctx.ownerId)];
  return { vols, names: vols.map((v) => deviceNameOf(v, t.vm, recs, disks)) };
}

function deviceNameFor(body: AttachedDisk, names: string[]): string {
  if (body.deviceName === undefined || body.deviceName === null || body.deviceName === '') {
    let n = names.length;
    while (names.includes(`persistent-disk-${n}`)) n++;
    return `persistent-disk-${n}`;
  }
  const name = checkName(body.deviceName, 'resource.deviceName');
  if (names.includes(name))
    throw invalidField(
      'resource.deviceName',
      name,
      `Device name '${name}' is already in use by another disk of the instance.`,
    );
  return name;
}

export async function attachDisk(
  ctx: GceContext,
  zone: string,
  instance: string,
  body: AttachedDisk,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const t = await target(ctx, zone, instance);
  if (!body.source) throw required('resource.source');
  if (body.initializeParams || body.type === 'SCRATCH')
    throw unsupported('Attaching a new or scratch disk (initializeParams, SCRATCH)');
  if (body.mode === 'READ_ONLY' || body.autoDelete === true || body.boot === true)
    throw unsupported('Attaching a disk read-only, as boot disk or with autoDelete');
  const ref = parseRef(String(body.source));
  if (ref.zone && ref.zone !== t.zone.name)
    throw invalidField(
      'resource.source',
      body.source,
      `Disk must be in zone '${t.zone.name}', the zone of the instance.`,
    );
  const { vol, view } = await diskNamed(ctx, t.zone, ref.name);
  const users = (view['users'] ?? []) as string[];
  if (users.length) throw inUse(ctx.links.relative(String(view['selfLink'])), ctx.links.relative(users[0]!));
  const deviceName = deviceNameFor(body, (await attachedNames(ctx, t)).names);
  const { jobid } = await csJob(ctx, 'attachVolume', { id: vol.id, virtualmachineid: t.vm.id });
  const rec = (await ctx.store.disks(ctx.ownerId)).get(vol.id);
  await ctx.store.saveDisk({
    volumeId: vol.id,
    accountId: ctx.ownerId,
    description: rec?.description ?? '',
    type: rec?.type ?? '',
    detached: rec?.detached ?? 0,
    deviceName,
  });
  return op(ctx, t, 'attachDisk', [jobid], requestId);
}

export async function detachDisk(
  ctx: GceContext,
  zone: string,
  instance: string,
  deviceName: string | undefined,
  requestId?: string,
): Promise<unknown> {
  const again = await replayed(ctx, requestId);
  if (again) return again;
  const t = await target(ctx, zone, instance);
  if (!deviceName) throw required('deviceName');
  const { vols, names } = await attachedNames(ctx, t);
  const vol = vols[names.indexOf(deviceName)];
  if (!vol) throw invalidField('deviceName', deviceName, `No attached disk found with device name '${deviceName}'.`);
  const { jobid } = await csJob(ctx, 'detachVolume', { id: vol.id });
  const rec = (await ctx.store.disks(ctx.ownerId)).get(vol.id);
  await ctx.store.saveDisk({
    volumeId: vol.id,
    accountId: ctx.ownerId,
    description: rec?.description ?? '',
    type: rec?.type ?? '',
    deviceName: rec?.deviceName ?? '',
    detached: ctx.clock.now(),
  });
  return op(ctx, t, 'detachDisk', [jobid], requestId);
}
