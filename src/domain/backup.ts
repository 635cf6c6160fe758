import type { IntervalType } from './schedule.js';
/**
 * The backup and recovery framework's records (BackupManagerImpl): offerings imported from a zone's
 * backup provider, the backups a provider reports, and a VM's user-defined schedule. Same conventions
 * as types.ts (flags 0/1, epoch milliseconds).
 */
import type { Flag } from './types.js';

/** backup_offering: a provider's policy mapped into a zone. Removed rows keep their uuid resolvable. */
export interface BackupOffering {
  id: string;
  seq: number;
  name: string;
  description: string;
  externalId: string;
  provider: string;
  zoneId: string;
  userDrivenBackups: Flag;
  created: number;
  removed: number | null;
}

/** Backup.Status of 4.18. */
export type BackupStatus =
  'Allocated' | 'Queued' | 'BackingUp' | 'BackedUp' | 'Error' | 'Failed' | 'Restoring' | 'Removed' | 'Expunged';

/**
 * backups: one backup of a VM. `date` is the provider's text for when it was taken (4.18 keeps a
 * string; the dummy provider writes java.util.Date.toString()).
 */
export interface Backup {
  id: string;
  seq: number;
  vmId: string;
  externalId: string;
  type: string;
  date: string;
  size: number;
  protectedSize: number;
  status: BackupStatus;
  backupOfferingId: string;
  accountId: string;
  domainId: string;
  zoneId: string;
  created: number;
  removed: number | null;
}

/** backup_schedule: at most one per VM; `scheduledTimestamp` is when the next backup is due. */
export interface BackupSchedule {
  id: string;
  vmId: string;
  intervalType: IntervalType;
  schedule: string;
  timezone: string;
  scheduledTimestamp: number;
  created: number;
}

// A backup schedule's kinds are DateUtil.IntervalType, as a snapshot policy's.
export { INTERVAL_TYPES, intervalTypeOf, type IntervalType } from './schedule.js';

/** Backup.VolumeInfo as Gson writes it into vm_instance.backup_volumes: fields in declaration order, nulls left out. */
export interface BackupVolumeInfo {
  uuid: string;
  type: string;
  size: number;
  path?: string;
}
