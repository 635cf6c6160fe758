import type { Clock } from '../../domain/clock.js';
import { runtimeFailure, invalid, notFound } from '../../domain/errors.js';
import type { TemplateZone } from '../../domain/storage.js';
import type { Template } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Store } from '../../store/db.js';
import { tagStore } from '../../store/tag.store.js';
import { templateStore, templateRows } from '../../store/template.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { release } from '../resources.js';
import type { TimingService } from '../operations/timing.service.js';
import { zoneScope } from './volume.jobs.js';

export const TEMPLATE_JOBS = {
  download: 'template.download',
  create: 'template.create',
  copy: 'template.copy',
  remove: 'template.delete',
} as const;

/** A download reports progress in tenths; one more slice is the install after 100%. */
const SLICES = 11;
/** What a registered image measures once in the store (the simulator's secondary storage reports fixed sizes). */
const GiB = 1024 ** 3;
const SIZES = { template: 2 * GiB, iso: 350 * 1024 ** 2 };

export interface CopyParams {
  templateId: string;
  destZoneIds: string[];
  sourceZoneId?: string;
}
export interface DeleteParams {
  templateId: string;
  zoneId?: string;
  forced?: boolean;
  isIso: boolean;
}

const ok = (id: string): JobResult => ({ type: 'object', instanceType: 'Template', id });

/**
 * The background life of images. A download (register or copy) moves one zone's copy through
 * NOT_DOWNLOADED → DOWNLOAD_IN_PROGRESS (10%, 20%, … 100%, then installing) → DOWNLOADED on the
 * injected clock, taking `polystack.delay.download`; the agent's DownloadCommand mocks can fail it.
 * Every step reads the row first, so a job resumed after a restart carries on from its percent.
 */
export class TemplateJobs {
  constructor(
    private store: Store,
    private clock: Clock,
    private agent: SimulatedAgent,
    private timing: TimingService,
    private catalog: CatalogService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ templateId: string; zoneId: string | null }>(TEMPLATE_JOBS.download, async ({ params: p }) => {
      await this.download(p.templateId, p.zoneId);
      return ok(p.templateId);
    });
    jobs.register<{ templateId: string }>(TEMPLATE_JOBS.create, ({ caller, params: p }) =>
      this.create(caller, p.templateId),
    );
    jobs.register<CopyParams>(TEMPLATE_JOBS.copy, ({ caller, params: p }) => this.copy(caller, p));
    jobs.register<DeleteParams>(TEMPLATE_JOBS.remove, ({ caller, params: p }) => this.remove(caller, p));
  }

  private async row(templateId: string, zoneId: string | null): Promise<TemplateZone | undefined> {
    return ((await templateStore.zonesOf(this.store.db, [templateId])).get(templateId) ?? []).find(
      (z) => z.zoneId === zoneId,
    );
  }

  /** Brings one zone's copy of an image to DOWNLOADED; throws (leaving DOWNLOAD_ERROR) if the agent fails. */
  async download(templateId: string, zoneId: string | null): Promise<void> {
    const total = await this.timing.delayFor('download');
    const scope = zoneScope(zoneId ?? '');
    for (;;) {
      const [row, t] = [await this.row(templateId, zoneId), await templateStore.get(this.store.db, templateId)];
      if (!row || !t || row.downloadState === 'DOWNLOADED' || row.downloadState === 'DOWNLOAD_ERROR') return;
      const set = (patch: Partial<TemplateZone>) =>
        this.store.tx((trx) => templateStore.updateZone(trx, templateId, zoneId, patch));
      if (row.downloadState === 'NOT_DOWNLOADED') {
        await set({ downloadState: 'DOWNLOAD_IN_PROGRESS', downloadPercent: 0 });
        try {
          await this.agent.send('DownloadCommand', scope, { transition: 'download', share: 1 / SLICES });
        } catch (e) {
          await set({ downloadState: 'DOWNLOAD_ERROR', errorText: e instanceof Error ? e.message : String(e) });
          throw e;
        }
        await set({ downloadPercent: 10 });
        continue;
      }
      if (row.downloadPercent < 100) {
        await this.clock.sleep(total / SLICES);
        await set({ downloadPercent: Math.min(100, row.downloadPercent + 10) });
        continue;
      }
      await this.clock.sleep(total / SLICES);
      await this.store.tx(async (trx) => {
        await templateStore.updateZone(trx, templateId, zoneId, { downloadState: 'DOWNLOADED', downloadPercent: 100 });
        await templateRows.update(trx, templateId, {
          isReady: 1,
          size: t.size > 0 ? t.size : t.isIso ? SIZES.iso : SIZES.template,
        });
      });
      return;
    }
  }

  /** createTemplate's work: the volume or snapshot is written to the image store as the new template. */
  private async create(caller: Caller, templateId: string): Promise<JobResult> {
    const t = await templateStore.get(this.store.db, templateId);
    if (!t) throw notFound('Template', templateId);
    const [row] = (await templateStore.zonesOf(this.store.db, [t.id])).get(t.id) ?? [];
    if (!row || row.downloadState === 'DOWNLOADED') return ok(t.id);
    await this.store.tx((trx) =>
      templateStore.updateZone(trx, t.id, row.zoneId, { downloadState: 'DOWNLOAD_IN_PROGRESS', downloadPercent: 0 }),
    );
    try {
      await this.agent.send('CopyCommand', zoneScope(row.zoneId ?? ''), { transition: 'template' });
    } catch (e) {
      // A template that could not be made is not left behind.
      await this.store.tx(async (trx) => {
        await templateStore.removeAllZones(trx, t.id);
        await release(trx, t.accountId, { template: 1 });
        await templateRows.update(trx, t.id, { removed: this.clock.now() });
      });
      throw runtimeFailure(`Failed to create template ${t.name}; ${e instanceof Error ? e.message : e}`);
    }
    await this.store.tx(async (trx) => {
      await templateStore.updateZone(trx, t.id, row.zoneId, { downloadState: 'DOWNLOADED', downloadPercent: 100 });
      await templateRows.update(trx, t.id, { isReady: 1 });
      await eventLog(trx, this.clock, {
        type: 'TEMPLATE.CREATE',
        description: `Created template ${t.name}`,
        accountId: t.accountId,
        domainId: t.domainId,
        userId: caller.userId,
        resourceId: t.id,
        resourceType: 'Template',
      });
    });
    return ok(t.id);
  }

  /** copyTemplate/copyIso (TemplateManagerImpl.copy): from a zone where the image is ready into each destination. */
  private async copy(caller: Caller, p: CopyParams): Promise<JobResult> {
    const t = await templateStore.get(this.store.db, p.templateId);
    if (!t) throw invalid(`Unable to find template with id ${p.templateId}`, 'id');
    if (p.sourceZoneId && p.destZoneIds.includes(p.sourceZoneId))
      throw invalid('Please specify different source and destination zones.', 'destzoneid');
    assertAccess(caller, t, t.isIso ? 'Iso' : 'Template', t.id);
    const where = (await this.catalog.placements(this.store.db, [t])).get(t.id) ?? [];
    // A cross-zone image is in every zone already.
    if (where.some((z) => z.zoneId === null)) return ok(t.id);
    const ready = where.filter(
      (z) => z.downloadState === 'DOWNLOADED' && (!p.sourceZoneId || z.zoneId === p.sourceZoneId),
    );
    if (ready.length === 0)
      throw invalid(
        `There is no template ${t.id} ready on image store${p.sourceZoneId ? ` in zone ${p.sourceZoneId}` : ''}.`,
        'id',
      );
    for (const zoneId of p.destZoneIds) {
      if (ready.some((z) => z.zoneId === zoneId)) continue;
      await this.catalog.zone(this.store.db, zoneId, 'destzoneid');
      if (!where.some((z) => z.zoneId === zoneId))
        await this.store.tx((trx) =>
          templateStore.addZone(trx, {
            templateId: t.id,
            zoneId,
            downloadState: 'NOT_DOWNLOADED',
            downloadPercent: 0,
            errorText: null,
            created: this.clock.now(),
          }),
        );
      else
        await this.store.tx((trx) =>
          templateStore.updateZone(trx, t.id, zoneId, {
            downloadState: 'NOT_DOWNLOADED',
            downloadPercent: 0,
            errorText: null,
          }),
        );
      try {
        await this.download(t.id, zoneId);
      } catch (e) {
        throw runtimeFailure(
          `Failed to copy ${t.isIso ? 'ISO' : 'template'} ${t.name} to zone ${zoneId}; ${e instanceof Error ? e.message : e}`,
        );
      }
    }
    await this.store.tx((trx) =>
      eventLog(trx, this.clock, {
        type: t.isIso ? 'ISO.COPY' : 'TEMPLATE.COPY',
        description: `Copied ${t.name} to ${p.destZoneIds.length} zone(s)`,
        accountId: t.accountId,
        domainId: t.domainId,
        userId: caller.userId,
        resourceId: t.id,
        resourceType: t.isIso ? 'Iso' : 'Template',
      }),
    );
    return ok(t.id);
  }

  /** deleteTemplate/deleteIso: from one zone or all; refused while VMs use it (unless forced, for templates). */
  private async remove(caller: Caller, p: DeleteParams): Promise<JobResult> {
    const t = await templateStore.get(this.store.db, p.templateId);
    if (!t) throw invalid(`unable to find ${p.isIso ? 'iso' : 'template'} with id ${p.templateId}`, 'id');
    if (p.isIso) await this.checkIsoDeletable(caller, t);
    else await this.checkTemplateDeletable(caller, t, p);
    await this.agent.send('DeleteCommand', zoneScope(p.zoneId ?? ''), {});
    await this.store.tx(async (trx) => {
      const where = (await this.catalog.placements(trx, [t])).get(t.id) ?? [];
      const partial = p.zoneId && where.some((z) => z.zoneId === p.zoneId) && where.length > 1;
      if (partial) {
        await templateStore.removeZone(trx, t.id, p.zoneId!);
      } else {
        await templateStore.removeAllZones(trx, t.id);
        await templateStore.revoke(trx, t.id);
        await tagStore.removeOf(trx, t.id);
        await release(trx, t.accountId, { template: 1 });
        await templateRows.update(trx, t.id, { removed: this.clock.now(), isReady: 0 });
      }
      await eventLog(trx, this.clock, {
        type: t.isIso ? 'ISO.DELETE' : 'TEMPLATE.DELETE',
        description: `Deleted ${t.isIso ? 'ISO' : 'template'} ${t.name}`,
        accountId: t.accountId,
        domainId: t.domainId,
        userId: caller.userId,
        resourceId: t.id,
        resourceType: t.isIso ? 'Iso' : 'Template',
      });
    });
    return { type: 'success' };
  }

  private async checkTemplateDeletable(caller: Caller, t: Template, p: DeleteParams): Promise<void> {
    const users = await templateStore.vmsUsing(this.store.db, t.id, p.zoneId);
    if (!p.forced && users.length)
      throw invalid(
        `Unable to delete template with id: ${t.id} because VM instances: [${users.map((v) => `VM[User|${v.instanceName}]`).join(',')}] are using it.`,
        'id',
      );
    assertAccess(caller, t, 'Template', t.id);
    if (t.isIso) throw invalid('Please specify a valid template.', 'id');
    if (t.templateType === 'SYSTEM') throw invalid('The DomR template cannot be deleted.', 'id');
  }

  private async checkIsoDeletable(caller: Caller, t: Template): Promise<void> {
    assertAccess(caller, t, 'Iso', t.id);
    if (!t.isIso) throw invalid('Please specify a valid iso.', 'id');
    if ((await templateStore.vmsWithIso(this.store.db, t.id)).length)
      throw invalid("Unable to delete iso, as it's used by other vms", 'id');
    if (t.templateType === 'PERHOST' || t.templateType === 'SYSTEM')
      throw invalid(`Unable to delete the ISO ${t.name}: it is a system ISO`, 'id');
  }
}
