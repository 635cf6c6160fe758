import type { WireNic, WireVm, WireVolume } from '../../cloudstack/wire.js';
import { cs, csList, type GceContext } from '../context.js';
import { notFound } from '../errors.js';
import { labelsOf } from '../labels.js';
import { csTime, fingerprint, numericId, rfc3339, slug } from '../ids.js';
import { statusOf } from '../states.js';
import type { DiskRecord, InstanceRecord } from '../store/store.js';
import { settingsOf, type InstanceSettings } from '../store/compute.js';
import { settingsView, statusWith } from './instances.settings.js';
import type { Zone } from './geo.js';
import { loadNicNetworks, nicNetwork } from './instances.network.js';

/**
 * A CloudStack VM as a Compute Engine instance. What CloudStack holds is read from it every time
 * (state, offering, NICs, volumes, resource tags as labels); what it cannot hold comes from the
 * front's record (metadata items, network tags, description, service accounts). A VM created
 * through the CloudStack API has no record and shows empty metadata and tags.
 */
const GiB = 2 ** 30;

export const instanceName = (vm: { name?: string }): string => String(vm.name).toLowerCase();

/** The disk name of a volume: the boot disk is named after its instance unless insert chose a name. */
/** `vol` is a volume, or what the console (control/fronts.routes.ts) knows of one. */
export function diskName(
  vol: { type?: string; name?: string },
  vm: { name?: string } | undefined,
  rec: InstanceRecord | undefined,
): string {
  if (vol.type === 'ROOT' && vm) return rec?.bootDisk || instanceName(vm);
  // CloudStack names every volume.
  return slug(vol.name!);
}

function accessConfigs(vm: WireVm, nic: WireNic): Record<string, unknown>[] {
  // A basic zone's shared network hands out routable addresses; elsewhere only static NAT gives one.
  const natIP = nic.isdefault && vm.publicip ? vm.publicip : nic.type === 'Shared' ? nic.ipaddress : undefined;
  return natIP
    ? [{ kind: 'compute#accessConfig', type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP, networkTier: 'PREMIUM' }]
    : [];
}

/** An attached disk's device name: the one it was attached under, else its disk name. */
export const deviceNameOf = (
  v: WireVolume,
  vm: { name?: string },
  rec: InstanceRecord | undefined,
  disks: Map<string, DiskRecord>,
) => disks.get(v.id)?.deviceName || diskName(v, vm, rec);

export function instanceView(
  ctx: GceContext,
  vm: WireVm,
  rec: InstanceRecord | undefined,
  vols: WireVolume[],
  diskRecs: Map<string, DiskRecord>,
  settings: InstanceSettings | undefined,
): Record<string, unknown> | undefined {
  // Required, not defaulted: a caller that forgot the front's settings rendered a wrong status (instances.list pages did).
  settings ??= {};
  const status = statusWith(statusOf(vm.state), settings);
  if (!status) return undefined;
  const zone = slug(vm.zonename ?? ''); // the zone outlives its VMs: always named
  const name = instanceName(vm);
  const labels = labelsOf(vm.tags);
  const items = rec?.metadata ?? [];
  const tags = rec?.tags ?? [];
  const disks = [...vols].sort((a, b) =>
    a.type === 'ROOT' ? -1 : b.type === 'ROOT' ? 1 : Number(a.deviceid ?? 0) - Number(b.deviceid ?? 0),
  );
  return {
    kind: 'compute#instance',
    id: numericId(vm.id),
    creationTimestamp: rfc3339(csTime(vm.created)),
    name,
    description: rec?.description ?? '',
    tags: { ...(tags.length ? { items: tags } : {}), fingerprint: fingerprint(tags) },
    machineType: ctx.links.zonal(zone, 'machineTypes', slug(vm.serviceofferingname ?? '')),
    status,
    ...(vm.state === 'Error'
      ? { statusMessage: 'The instance failed to start: CloudStack reports it in state Error.' }
      : {}),
    zone: ctx.links.zone(zone),
    canIpForward: false,
    networkInterfaces: (vm.nic ?? []).map((nic, i) => ({
      kind: 'compute#networkInterface',
      name: `nic${i}`,
      ...nicNetwork(ctx, nic),
      networkIP: nic.ipaddress,
      fingerprint: fingerprint(nic.id),
      stackType: 'IPV4_ONLY',
      accessConfigs: accessConfigs(vm, nic),
    })),
    disks: disks.map((v, i) => ({
      kind: 'compute#attachedDisk',
      type: 'PERSISTENT',
      mode: 'READ_WRITE',
      source: ctx.links.zonal(zone, 'disks', diskName(v, vm, rec)),
      deviceName: deviceNameOf(v, vm, rec, diskRecs),
      index: i,
      boot: v.type === 'ROOT',
      autoDelete: v.type === 'ROOT',
      interface: 'SCSI',
      diskSizeGb: String(Math.max(1, Math.ceil(Number(v.size ?? 0) / GiB))),
      licenses: [],
      architecture: 'X86_64',
    })),
    metadata: { kind: 'compute#metadata', fingerprint: fingerprint(items), ...(items.length ? { items } : {}) },
    serviceAccounts: rec?.serviceAccounts ?? [],
    scheduling: {
      onHostMaintenance: 'MIGRATE',
      automaticRestart: !!vm.haenable,
      preemptible: false,
      provisioningModel: 'STANDARD',
    },
    cpuPlatform: 'Intel Broadwell',
    labels,
    labelFingerprint: fingerprint(labels),
    deletionProtection: false,
    startRestricted: false,
    ...settingsView(vm, settings),
    fingerprint: fingerprint([vm.id, vm.state, vm.lastupdated, items, tags, labels]),
    selfLink: ctx.links.zonal(zone, 'instances', name),
  };
}

/** A VM of the project in a zone by GCE name or numeric id, or the Compute Engine 404. */
export async function vmNamed(ctx: GceContext, z: Zone, name: string): Promise<WireVm> {
  const visible = (vm: WireVm) => statusOf(vm.state) !== undefined;
  const gone = () => notFound(`projects/${ctx.project}/zones/${z.name}/instances/${name}`);
  if (/^\d+$/.test(name)) {
    const vm = (await csList(ctx, 'listVirtualMachines', 'virtualmachine', { zoneid: z.cs.id })).find(
      (v) => numericId(v.id) === name && visible(v),
    );
    if (!vm) throw gone();
    return vm;
  }
  const exact = (await cs(ctx, 'listVirtualMachines', { zoneid: z.cs.id, name }))['virtualmachine'] ?? [];
  let vm = exact.find((v) => instanceName(v) === name && visible(v));
  // CloudStack names are case-sensitive there; a VM named `Web1` through CloudStack is `web1` here.
  // `keyword` (a case-insensitive substring) finds it without listing the zone.
  if (!vm && !exact.length)
    vm = (await csList(ctx, 'listVirtualMachines', 'virtualmachine', { zoneid: z.cs.id, keyword: name })).find(
      (v) => instanceName(v) === name && visible(v),
    );
  if (!vm) throw gone();
  return vm;
}

/** The volumes of the VMs in a listing, grouped by VM id: one listVolumes for any number of VMs. */
export async function volumesByVm(ctx: GceContext, params: Record<string, string>): Promise<Map<string, WireVolume[]>> {
  const out = new Map<string, WireVolume[]>();
  for (const v of await csList(ctx, 'listVolumes', 'volume', params)) {
    if (!v.virtualmachineid) continue;
    out.set(v.virtualmachineid, [...(out.get(v.virtualmachineid) ?? []), v]);
  }
  return out;
}

/** One instance, rendered, by zone and name. */
export async function renderInstance(ctx: GceContext, z: Zone, name: string): Promise<Record<string, unknown>> {
  const vm = await vmNamed(ctx, z, name);
  await loadNicNetworks(ctx);
  const vols = (await volumesByVm(ctx, { virtualmachineid: vm.id })).get(vm.id) ?? [];
  const view = instanceView(
    ctx,
    vm,
    await ctx.store.instance(vm.id),
    vols,
    await ctx.store.disksOf(vols.map((v) => v.id)),
    await settingsOf(ctx.store, vm.id),
  );
  if (!view) throw notFound(`projects/${ctx.project}/zones/${z.name}/instances/${name}`);
  return view;
}
