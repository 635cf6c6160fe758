import type { Kysely } from 'kysely';
import { createTables, I, IN, PK, S } from './tables.js';

/**
 * The backup and recovery framework (BackupManagerImpl): backup_offering, backups, backup_schedule,
 * and vm_instance's backup_offering_id, backup_external_id and backup_volumes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await createTables(
    db,
    {
      backupOfferings: [
        PK,
        I('seq'),
        S('name'),
        S('description'),
        S('externalId'),
        S('provider'),
        S('zoneId'),
        I('userDrivenBackups'),
        I('created'),
        IN('removed'),
      ],
      backups: [
        PK,
        I('seq'),
        S('vmId'),
        S('externalId'),
        S('type'),
        S('date'),
        I('size'),
        I('protectedSize'),
        S('status'),
        S('backupOfferingId'),
        S('accountId'),
        S('domainId'),
        S('zoneId'),
        I('created'),
        IN('removed'),
      ],
      backupSchedules: [
        PK,
        S('vmId'),
        S('intervalType'),
        S('schedule'),
        S('timezone'),
        I('scheduledTimestamp'),
        I('created'),
      ],
    },
    [
      ['backups', 'backups_vm', ['vmId']],
      ['backupSchedules', 'backup_schedules_vm', ['vmId'], true],
    ],
  );
  for (const col of ['backupOfferingId', 'backupExternalId', 'backupVolumes'])
    await db.schema.alterTable('vms').addColumn(col, 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const col of ['backupOfferingId', 'backupExternalId', 'backupVolumes'])
    await db.schema.alterTable('vms').dropColumn(col).execute();
  for (const t of ['backupOfferings', 'backups', 'backupSchedules']) await db.schema.dropTable(t).execute();
}
