import type { Clock } from '../../domain/clock.js';
import type { BackupOffering } from '../../domain/backup.js';
import { invalid, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { backupOfferingStore, backupOfferingRows } from '../../store/backup.store.js';
import { datacenterStore } from '../../store/datacenter.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { BACKUP_PROVIDERS, type BackupProvider, type ProviderOffering } from './backup.provider.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export const BACKUP_OFFERING_JOBS = { import: 'backup.offering.import' } as const;

/**
 * BackupManagerImpl.isDisabled, read per zone: the zone's backup.framework.enabled, else the global
 * one. (CloudStack also wants the global value on, and registers the commands only when it was on at
 * start; polystack serves them always and lets the zone decide.)
 */
export function backupEnabledIn(config: ConfigService, zoneId: string): boolean {
  return (config.in('backup.framework.enabled', { scope: 'Zone', id: zoneId }) ?? 'false').toLowerCase() === 'true';
}

/** BackupManagerImpl.validateForZone. */
export function validateForZone(config: ConfigService, zoneId: string | null | undefined): void {
  if (!zoneId || !backupEnabledIn(config, zoneId))
    throw runtimeFailure('Backup and Recovery feature is disabled for the zone');
}

/** BackupManagerImpl.getBackupProvider(name): the map's keys are the plugins' names, matched as written. */
export function providerNamed(name: string | undefined): BackupProvider {
  if (!name) throw runtimeFailure('Invalid backup provider name provided');
  const p = BACKUP_PROVIDERS.get(name);
  if (!p) throw runtimeFailure(`Failed to find backup provider by the name: ${name}`);
  return p;
}

/** The provider backup.framework.provider.plugin names for a zone. */
export const providerOfZone = (config: ConfigService, zoneId: string): BackupProvider =>
  providerNamed(config.in('backup.framework.provider.plugin', { scope: 'Zone', id: zoneId }));

/** A provider's policy as listBackupProviderOfferings shows it: a fresh offering that is never stored. */
export interface ExternalOffering extends ProviderOffering {
  id: string;
  zoneId: string;
  created: number;
}

export interface ImportRequest {
  name: string;
  description: string;
  externalId: string;
  zoneId: string;
  userDrivenBackups: boolean;
}

/**
 * Backup offerings (BackupManagerImpl): a zone's provider lists its policies, an admin imports one as
 * an offering, and VMs are then assigned to it.
 */
export class BackupOfferingService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<ImportRequest>(BACKUP_OFFERING_JOBS.import, ({ caller, params }) =>
      this.importOffering(caller, params),
    );
  }

  /** An offering by id, removed ones included (a job's result outlives nothing here, but a view may). */
  get(id: string): Promise<BackupOffering | undefined> {
    return backupOfferingStore.getAny(this.store.db, id);
  }

  /** listBackupProviders: the plugins this build has, or the one named. */
  providers(name?: string): BackupProvider[] {
    return [...BACKUP_PROVIDERS.values()].filter((p) => name === undefined || p.name === name);
  }

  /** listBackupProviderOfferings: what the zone's provider offers, each time a new unsaved offering. */
  providerOfferings(caller: Caller, zoneId: string): ExternalOffering[] {
    validateForZone(this.config, zoneId);
    if (!isRootAdmin(caller))
      throw runtimeFailure('Parameter external can only be specified by a Root Admin, permission denied');
    const now = this.clock.now();
    return providerOfZone(this.config, zoneId)
      .offerings()
      .map((o) => ({ ...o, id: newId(), zoneId, created: now }));
  }

  /** importBackupOffering's first half: the job is queued; the checks run in it. */
  async submitImport(caller: Caller, r: ImportRequest, cmd: string): Promise<string> {
    return this.jobs.run(caller, { cmd, kind: BACKUP_OFFERING_JOBS.import, params: r });
  }

  private async importOffering(caller: Caller, r: ImportRequest): Promise<JobResult> {
    const id = await this.store.tx(async (trx) => {
      validateForZone(this.config, r.zoneId);
      if (await backupOfferingStore.byExternalId(trx, r.externalId, r.zoneId))
        throw runtimeFailure(`A backup offering with external ID ${r.externalId} already exists`);
      if (await backupOfferingStore.byName(trx, r.name, r.zoneId))
        throw runtimeFailure('A backup offering with the same name already exists in this zone');
      const provider = providerOfZone(this.config, r.zoneId);
      const zoneSeq = await datacenterStore.zoneSeq(trx, r.zoneId);
      if (!provider.isValidProviderOffering(r.externalId))
        throw runtimeFailure(
          `Backup offering '${r.externalId}' does not exist on provider ${provider.name} on zone ${zoneSeq}`,
        );
      const o: BackupOffering = {
        id: newId(),
        seq: await nextSeq(trx, 'backupOffering'),
        name: r.name,
        description: r.description,
        externalId: r.externalId,
        provider: provider.name,
        zoneId: r.zoneId,
        userDrivenBackups: r.userDrivenBackups ? 1 : 0,
        created: this.clock.now(),
        removed: null,
      };
      await backupOfferingRows.insert(trx, o);
      await this.event(
        trx,
        caller,
        'BACKUP.IMPORT.OFFERING',
        `Imported backup offering ${o.name} (external ID: ${o.externalId})`,
        o.id,
      );
      return o.id;
    });
    return { type: 'object', instanceType: 'BackupOffering', id };
  }

  /**
   * listBackupOfferings: by id (the offering or a refusal), else the zone's, in import order. The
   * keyword is compared with the whole name wrapped in % signs, as 4.18's search (an EQ, not a LIKE) does.
   */
  async list(f: { id?: string; zoneId?: string; keyword?: string }): Promise<BackupOffering[]> {
    if (f.id) {
      const o = await backupOfferingStore.get(this.store.db, f.id);
      if (!o) throw runtimeFailure(`Offering ID ${await this.seqOf(f.id)} does not exist`);
      return [o];
    }
    return backupOfferingStore.list(this.store.db, {
      zoneId: f.zoneId,
      name: f.keyword === undefined ? undefined : `%${f.keyword}%`,
    });
  }

  /** updateBackupOffering: name, description and whether users may back up at will; nothing else moves. */
  async update(
    caller: Caller,
    id: string,
    u: { name?: string; description?: string; allowUserDrivenBackups?: boolean },
  ): Promise<BackupOffering> {
    return this.store.tx(async (trx) => {
      const o = await backupOfferingStore.get(trx, id);
      if (!u.name && !u.description && u.allowUserDrivenBackups === undefined)
        throw invalid(
          `Can't update Backup Offering [id: ${await this.seqOf(id, trx)}] because there is no change in name, description or allowUserDrivenBackups.`,
          'id',
        );
      if (!o) throw invalid(`Unable to find Backup Offering with id: [${await this.seqOf(id, trx)}].`, 'id');
      const patch = {
        name: u.name ?? undefined,
        description: u.description ?? undefined,
        userDrivenBackups:
          u.allowUserDrivenBackups === undefined ? undefined : u.allowUserDrivenBackups ? (1 as const) : (0 as const),
      };
      await backupOfferingRows.update(trx, id, patch);
      await this.event(trx, caller, 'BACKUP.OFFERING.EDIT', `Backup Offering updated [${o.name}]`, id);
      return (await backupOfferingStore.get(trx, id))!;
    });
  }

  /** deleteBackupOffering: refused while a VM is assigned to it; the row is marked removed. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const o = await backupOfferingStore.get(trx, id);
      if (!o) throw runtimeFailure(`Could not find a backup offering with id: ${await this.seqOf(id, trx)}`);
      if ((await backupOfferingStore.vmsOn(trx, o.zoneId, o.id)).length)
        throw runtimeFailure(
          'Backup offering is assigned to VMs, remove the assignment(s) in order to remove the offering.',
        );
      validateForZone(this.config, o.zoneId);
      await backupOfferingRows.update(trx, id, { removed: this.clock.now() });
    });
  }

  /** The internal id CloudStack's messages quote, removed offerings included. */
  private async seqOf(id: string, db: Db = this.store.db): Promise<number | undefined> {
    return (await backupOfferingStore.getAny(db, id))?.seq;
  }

  private event(db: Db, caller: Caller, type: string, description: string, id: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'BackupOffering',
    });
  }
}
