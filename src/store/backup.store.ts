import { rowsOf } from './repo.js';
import type { Backup, BackupOffering, BackupSchedule } from '../domain/backup.js';
import type { Vm } from '../domain/types.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';

export interface BackupFilter {
  accountIds?: string[];
  id?: string;
  vmId?: string;
  zoneId?: string;
  /** Part of the backed-up VM's name (ListBackupsCmd's keyword). */
  keyword?: string;
}

/** backup_offering: live rows unless a query says it takes removed ones too. */
export const backupOfferingStore = {
  get(db: Db, id: string): Promise<BackupOffering | undefined> {
    return db
      .selectFrom('backupOfferings')
      .selectAll()
      .where('id', '=', id)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  getAny(db: Db, id: string): Promise<BackupOffering | undefined> {
    return db.selectFrom('backupOfferings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byExternalId(db: Db, externalId: string, zoneId: string): Promise<BackupOffering | undefined> {
    return db
      .selectFrom('backupOfferings')
      .selectAll()
      .where('externalId', '=', externalId)
      .where('zoneId', '=', zoneId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  byName(db: Db, name: string, zoneId: string): Promise<BackupOffering | undefined> {
    return db
      .selectFrom('backupOfferings')
      .selectAll()
      .where('name', '=', name)
      .where('zoneId', '=', zoneId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  /** In creation order; `name` is compared whole (BackupManagerImpl's keyword search). */
  list(db: Db, f: { zoneId?: string; name?: string }): Promise<BackupOffering[]> {
    let q = db.selectFrom('backupOfferings').selectAll().where('removed', 'is', null);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    return q.orderBy('seq').execute();
  },
  /** VMInstanceDao.listByZoneWithBackups: live VMs of the zone on this offering. */
  vmsOn(db: Db, zoneId: string, offeringId: string): Promise<Vm[]> {
    return db
      .selectFrom('vms')
      .selectAll()
      .where('zoneId', '=', zoneId)
      .where('backupOfferingId', '=', offeringId)
      .where('removed', 'is', null)
      .execute();
  },
};

export const backupStore = {
  get(db: Db, id: string): Promise<Backup | undefined> {
    return db.selectFrom('backups').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  getAny(db: Db, id: string): Promise<Backup | undefined> {
    return db.selectFrom('backups').selectAll().where('id', '=', id).executeTakeFirst();
  },
  ofVm(db: Db, vmId: string): Promise<Backup[]> {
    return db
      .selectFrom('backups')
      .selectAll()
      .where('vmId', '=', vmId)
      .where('removed', 'is', null)
      .orderBy('seq')
      .execute();
  },
  list(db: Db, f: BackupFilter): Promise<Backup[]> {
    let q = db.selectFrom('backups').selectAll('backups').where('backups.removed', 'is', null);
    if (f.accountIds) q = q.where(inList(db, 'backups.accountId', f.accountIds));
    if (f.id) q = q.where('backups.id', '=', f.id);
    if (f.vmId) q = q.where('backups.vmId', '=', f.vmId);
    if (f.zoneId) q = q.where('backups.zoneId', '=', f.zoneId);
    if (f.keyword !== undefined)
      q = q.innerJoin('vms', 'vms.id', 'backups.vmId').where('vms.name', 'like', `%${f.keyword}%`);
    return q.orderBy('backups.seq').execute();
  },
  async remove(db: Db, ids: string[], now: number): Promise<void> {
    if (ids.length)
      await db
        .updateTable('backups')
        .set({ removed: now })
        .where(inList(db, 'id', ids))
        .where('removed', 'is', null)
        .execute();
  },
};

export const backupScheduleStore = {
  ofVm(db: Db, vmId: string): Promise<BackupSchedule | undefined> {
    return db.selectFrom('backupSchedules').selectAll().where('vmId', '=', vmId).executeTakeFirst();
  },
  async removeOfVm(db: Db, vmId: string): Promise<void> {
    await db.deleteFrom('backupSchedules').where('vmId', '=', vmId).execute();
  },
  due(db: Db, now: number): Promise<BackupSchedule[]> {
    return db
      .selectFrom('backupSchedules')
      .selectAll()
      .where('scheduledTimestamp', '<=', now)
      .orderBy('scheduledTimestamp')
      .execute();
  },
};

export const backupOfferingRows = rowsOf('backupOfferings');
export const backupScheduleRows = rowsOf('backupSchedules');
export const backupRows = rowsOf('backups');
