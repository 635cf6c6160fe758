import type { Backup, BackupOffering, BackupSchedule } from '../../domain/backup.js';
import type { Vm } from '../../domain/types.js';
import type { Lookup } from '../../services/lookup.service.js';
import type { BackupProvider } from '../../services/storage/backup.provider.js';
import type { ExternalOffering } from '../../services/storage/backup.service.js';
import { csDate } from '../encode.js';

/** BackupProviderResponse. */
export const providerView = (p: BackupProvider) => ({ name: p.name, description: p.description });

/** BackupOfferingResponse (BackupOfferingDaoImpl.newBackupOfferingResponse), of an imported offering or of a provider's. */
export async function offeringView(lk: Lookup, o: BackupOffering | ExternalOffering): Promise<Record<string, unknown>> {
  const zone = (await lk.table('zones')).get(o.zoneId);
  const userDriven = typeof o.userDrivenBackups === 'boolean' ? o.userDrivenBackups : !!o.userDrivenBackups;
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    externalid: o.externalId,
    allowuserdrivenbackups: userDriven,
    zoneid: zone ? zone.id : undefined,
    zonename: zone?.name,
    created: csDate(o.created),
  };
}

/**
 * BackupResponse (4.18's BackupDaoImpl.newBackupResponse): the owner, zone and volumes are the
 * backed-up VM's as they are now, `created` the provider's text for when it was taken.
 */
export async function backupViews(lk: Lookup, backups: Backup[]): Promise<Record<string, unknown>[]> {
  const [vms, offerings, accounts, domains, zones] = await Promise.all([
    lk.vms([...new Set(backups.map((b) => b.vmId))]),
    lk.table('backupOfferings'),
    lk.table('accounts'),
    lk.table('domains'),
    lk.table('zones'),
  ]);
  return backups.map((b) => {
    const vm = vms.get(b.vmId);
    const o = offerings.get(b.backupOfferingId);
    const accountId = vm?.accountId ?? b.accountId;
    const domainId = vm?.domainId ?? b.domainId;
    const zoneId = vm?.zoneId ?? b.zoneId;
    return {
      id: b.id,
      virtualmachineid: b.vmId,
      virtualmachinename: vm?.name,
      externalid: b.externalId,
      type: b.type,
      created: b.date,
      size: b.size,
      virtualsize: b.protectedSize,
      status: b.status,
      volumes: vm?.backupVolumes || '[]',
      backupofferingid: o?.id,
      backupofferingname: o?.name,
      accountid: accountId,
      account: accounts.get(accountId)?.name,
      domainid: domainId,
      domain: domains.get(domainId)?.name,
      zoneid: zoneId,
      zone: zones.get(zoneId)?.name,
    };
  });
}

/** BackupScheduleResponse (BackupScheduleDaoImpl.newBackupScheduleResponse). */
export const scheduleView = (s: BackupSchedule, vm: Vm | undefined) => ({
  virtualmachinename: vm?.name,
  virtualmachineid: s.vmId,
  schedule: s.schedule,
  intervaltype: s.intervalType,
  timezone: s.timezone,
});
