import type { Instance, Scheduling } from '../compute.types.js';
import type { GceContext } from '../context.js';
import { invalidField, invalidUsage, unsupported } from '../errors.js';
import type { GceStatus } from '../states.js';
import { saveSettings, settingsOf, type InstanceSettings } from '../store/compute.js';

/**
 * Instance fields CloudStack has no place for (deletion protection, a suspension, the
 * maintenance policy, the minimum CPU platform, the display device), kept by the front
 * (store/compute.ts) and rendered over what CloudStack reports.
 */
export const CPU_PLATFORMS = ['Automatic', 'Intel Broadwell'];

/** A suspended instance is a stopped CloudStack VM: SUSPENDING while it stops, SUSPENDED once stopped. */
export function statusWith(status: GceStatus | undefined, s: InstanceSettings): GceStatus | undefined {
  if (!s.suspended) return status;
  if (status === 'STOPPING') return 'SUSPENDING';
  if (status === 'TERMINATED') return 'SUSPENDED';
  return status;
}

export function settingsView(vm: { haenable?: boolean }, s: InstanceSettings): Record<string, unknown> {
  return {
    deletionProtection: !!s.deletionProtection,
    scheduling: {
      onHostMaintenance: s.onHostMaintenance ?? 'MIGRATE',
      automaticRestart: !!vm.haenable,
      preemptible: false,
      provisioningModel: 'STANDARD',
    },
    ...(s.minCpuPlatform && s.minCpuPlatform !== 'Automatic' ? { minCpuPlatform: s.minCpuPlatform } : {}),
    displayDevice: { enableDisplay: !!s.enableDisplay },
  };
}

export function checkOnHostMaintenance(v: unknown, field: string): 'MIGRATE' | 'TERMINATE' | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (v !== 'MIGRATE' && v !== 'TERMINATE') throw invalidField(field, v, "Must be one of 'MIGRATE', 'TERMINATE'.");
  return v;
}

export function checkCpuPlatform(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !CPU_PLATFORMS.includes(v))
    throw invalidField(
      field,
      v,
      `CPU platform '${String(v)}' is not available in this zone. Available: ${CPU_PLATFORMS.join(', ')}.`,
    );
  return v;
}

/** What instances.insert (or a template) asks of these fields; checked before anything is created. */
export function settingsOfInsert(body: Instance): InstanceSettings {
  const sch: Scheduling = body['scheduling'] ?? {};
  // Spot or preemptible capacity has no CloudStack form; deploying a standard VM instead would bill and keep what was meant to be reclaimed.
  if (sch.preemptible === true || (sch.provisioningModel && sch.provisioningModel !== 'STANDARD'))
    throw unsupported('Preemptible and Spot instances (scheduling.preemptible, provisioningModel)');
  const out: InstanceSettings = {};
  if (body['deletionProtection'] === true) out.deletionProtection = true;
  const ohm = checkOnHostMaintenance(sch.onHostMaintenance, 'resource.scheduling.onHostMaintenance');
  if (ohm) out.onHostMaintenance = ohm;
  const cpu = checkCpuPlatform(body['minCpuPlatform'], 'resource.minCpuPlatform');
  if (cpu) out.minCpuPlatform = cpu;
  if (body['displayDevice']?.enableDisplay === true) out.enableDisplay = true;
  return out;
}

/**
 * What the front's settings change in start, stop and delete: a protected instance is not deleted
 * (Google's refusal), and a start or stop ends a suspension (the VM is then simply running or stopped).
 */
export async function beforeLifecycle(ctx: GceContext, kind: string, vmId: string): Promise<void> {
  const s = await settingsOf(ctx.store, vmId);
  if (kind === 'delete' && s.deletionProtection)
    throw invalidUsage("Resource cannot be deleted if it's protected against deletion.");
  if (s.suspended && (kind === 'start' || kind === 'stop'))
    await saveSettings(ctx.store, vmId, ctx.ownerId, { suspended: undefined });
}
