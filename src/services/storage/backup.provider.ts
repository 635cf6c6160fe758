import type { Backup } from '../../domain/backup.js';

/** A provider's policy as listBackupProviderOfferings shows it (a BackupOfferingVO never persisted). */
export interface ProviderOffering {
  externalId: string;
  name: string;
  description: string;
  userDrivenBackups: boolean;
}

/**
 * What BackupManagerImpl asks of a BackupProvider plugin. Only the facts polystack needs: a provider
 * here talks to no backup server, so each answer is what the plugin itself decides.
 */
export interface BackupProvider {
  name: string;
  description: string;
  /** The simple name of the plugin's class, which some refusals quote. */
  className: string;
  offerings(): ProviderOffering[];
  isValidProviderOffering(externalId: string): boolean;
  /** The external id assignVMToBackupOffering gives the VM. */
  vmExternalId: string;
  /** The backup takeBackup records, less the ids and owner the manager fills in. */
  takeBackup(now: string): Pick<Backup, 'externalId' | 'type' | 'date' | 'size' | 'protectedSize' | 'status'>;
  willDeleteBackupsOnOfferingRemoval: boolean;
  /** restoreBackedUpVolume: the plugin's refusal, or undefined when it restores volumes. */
  restoreVolumeRefusal?: string;
}

/** DummyBackupProvider (plugins/backup/dummy): two fixed policies and a fixed-size full backup on demand. */
const DUMMY: BackupProvider = {
  name: 'dummy',
  description: 'Dummy Backup Plugin',
  className: 'DummyBackupProvider',
  offerings: () => [
    { externalId: 'gold-policy', name: 'Golden Policy', description: 'Gold description', userDrivenBackups: true },
    { externalId: 'silver-policy', name: 'Silver Policy', description: 'Silver description', userDrivenBackups: true },
  ],
  // The dummy plugin accepts any external id as one of its offerings.
  isValidProviderOffering: () => true,
  vmExternalId: 'dummy-external-backup-id',
  takeBackup: (date) => ({
    externalId: 'dummy-external-id',
    type: 'FULL',
    date,
    size: 1024,
    protectedSize: 1024000,
    status: 'BackedUp',
  }),
  willDeleteBackupsOnOfferingRemoval: true,
  restoreVolumeRefusal: 'Dummy plugin does not support this feature',
};

/** The provider plugins this build carries, by name (BackupManagerImpl's backupProvidersMap). */
export const BACKUP_PROVIDERS: ReadonlyMap<string, BackupProvider> = new Map([[DUMMY.name, DUMMY]]);
