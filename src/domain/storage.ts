/**
 * Records of storage and images beyond volumes: volume snapshots, VM snapshots, where a template
 * or ISO is stored (per zone) and who may launch a private one. Same conventions as types.ts
 * (flags 0/1, epoch milliseconds).
 */
import type { Flag } from './types.js';

/** CloudStack's Snapshot.State, the parts a simulated snapshot goes through. */
export type SnapshotState = 'Allocated' | 'Creating' | 'BackingUp' | 'BackedUp' | 'Destroyed' | 'Error';

/** Snapshot.Type of a volume snapshot: taken by hand, or by a policy of that interval. */
export type SnapshotType = 'MANUAL' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY';

export interface Snapshot {
  id: string;
  seq: number;
  name: string;
  volumeId: string;
  volumeType: string;
  zoneId: string;
  accountId: string;
  domainId: string;
  state: SnapshotState;
  size: number;
  physicalSize: number;
  diskOfferingId: string | null;
  templateId: string | null;
  snapshotType: SnapshotType;
  created: number;
  removed: number | null;
}

/**
 * A recurring snapshot policy (snapshot_policy): one per volume and interval. `interval` is the
 * IntervalType ordinal; `nextRun` is the schedule (snapshot_schedule) — null while not displayed.
 * CloudStack reaches the owner through the volume; the row carries it so tags and an account's
 * removal find it like any owned row.
 */
export interface SnapshotPolicy {
  id: string;
  seq: number;
  volumeId: string;
  schedule: string;
  timezone: string;
  interval: number;
  maxSnaps: number;
  display: Flag;
  accountId: string;
  domainId: string;
  nextRun: number | null;
  created: number;
}

export type VmSnapshotState = 'Allocated' | 'Creating' | 'Ready' | 'Reverting' | 'Expunging' | 'Error';
export type VmSnapshotType = 'Disk' | 'DiskAndMemory';

export interface VmSnapshot {
  id: string;
  name: string;
  displayName: string;
  description: string | null;
  vmId: string;
  type: VmSnapshotType;
  state: VmSnapshotState;
  current: Flag;
  parentId: string | null;
  serviceOfferingId: string;
  zoneId: string;
  accountId: string;
  domainId: string;
  created: number;
  removed: number | null;
}

/** VMTemplateStorageResourceAssoc.Status: how far a template's copy in one zone has come. */
export type DownloadState = 'NOT_DOWNLOADED' | 'DOWNLOAD_IN_PROGRESS' | 'DOWNLOADED' | 'DOWNLOAD_ERROR';

/**
 * A template or ISO stored in a zone's image store (template_zone_ref + template_store_ref).
 * zoneId null: a cross-zone image, stored in every zone. Seeded cross-zone images have no row
 * and are ready everywhere.
 */
export interface TemplateZone {
  templateId: string;
  zoneId: string | null;
  downloadState: DownloadState;
  downloadPercent: number;
  errorText: string | null;
  created: number;
}

/** launch_permission: an account allowed to deploy from another account's private template. */
export interface LaunchPermission {
  templateId: string;
  accountId: string;
}

/** Device 3 is the CD-ROM on every hypervisor CloudStack knows; data disks take the others. */
export const CDROM_DEVICE_ID = 3;

/** hypervisor_capabilities.max_data_volumes_limit for the Simulator (also CloudStack's fallback). */
export const MAX_DATA_VOLUMES = 6;

/**
 * VolumeApiServiceImpl.getDeviceId: the requested device, or the lowest free one from 1; ids run
 * to maxDataVolumes + 1 (room for the root disk and the CD-ROM). Returns an error text when the
 * request cannot be met.
 */
export function pickDeviceId(
  used: number[],
  maxDataVolumes: number,
  vmRef: string,
  requested?: number,
): number | string {
  const maxDeviceId = maxDataVolumes + 1;
  if (requested !== undefined) {
    if (requested < 0 || requested > maxDeviceId || requested === CDROM_DEVICE_ID)
      return `deviceId should be 0,1,2,4-${maxDeviceId}`;
    if (used.includes(requested)) return `deviceId ${requested} is used by vm ${vmRef}`;
    return requested;
  }
  for (let id = 1; id <= maxDeviceId; id++) if (id !== CDROM_DEVICE_ID && !used.includes(id)) return id;
  return `All device Ids are used by vm ${vmRef}`;
}

/** What listTemplates says of a zone's copy (TemplateJoinDaoImpl.getTemplateStatus; ISOs say "Installing ISO"). */
export function downloadStatus(
  z: Pick<TemplateZone, 'downloadState' | 'downloadPercent' | 'errorText'>,
  isIso: boolean,
): string | undefined {
  switch (z.downloadState) {
    case 'DOWNLOADED':
      return isIso ? 'Successfully Installed' : 'Download Complete';
    case 'DOWNLOAD_IN_PROGRESS':
      return z.downloadPercent >= 100
        ? isIso
          ? 'Installing ISO'
          : 'Installing Template'
        : `${z.downloadPercent}% Downloaded`;
    case 'DOWNLOAD_ERROR':
      return z.errorText ?? undefined;
    default:
      // A copy not started yet shows the template's own state (Active); an ISO shows none.
      return isIso ? undefined : 'Active';
  }
}
