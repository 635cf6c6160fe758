import { forbidden, invalid, notFound } from '../../domain/errors.js';
import type { Job } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Store } from '../../store/db.js';
import { datacenterStore } from '../../store/datacenter.store.js';
import { storageStore } from '../../store/storage.store.js';
import { templateStore, templateRows } from '../../store/template.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore } from '../../store/volume.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, isRootAdmin, type Caller } from '../../domain/caller.js';
import { zoneScope } from './volume.jobs.js';

export const EXTRACT_JOBS = { image: 'extract.image', volume: 'extract.volume' } as const;

export interface ExtractParams {
  id: string;
  mode: string;
  zoneId?: string;
  isIso?: boolean;
}

/** What an extract job answers (ExtractResponse), neutral of the front. */
export interface ExtractAnswer {
  id: string;
  name: string;
  zoneId: string;
  mode: string;
  url: string;
  accountId: string;
  state: string;
  kind: 'template' | 'volume';
}

const MODES = ['HTTP_DOWNLOAD', 'FTP_UPLOAD'];

/**
 * extractTemplate/extractIso/extractVolume: a download URL on the zone's secondary storage. The URL
 * is derived from the job (its id is the file name), so the answer needs no row of its own; nothing
 * is served at it.
 */
export class ExtractService {
  constructor(
    private store: Store,
    private jobs: JobEngine,
    private agent: SimulatedAgent,
    private config: ConfigService,
    private catalog: CatalogService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<ExtractParams>(EXTRACT_JOBS.image, ({ caller, params: p }) => this.image(caller, p));
    jobs.register<ExtractParams>(EXTRACT_JOBS.volume, ({ caller, params: p }) => this.volume(caller, p));
  }

  async submit(caller: Caller, kind: 'image' | 'volume', p: ExtractParams, cmd: string): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      if (kind === 'volume') {
        const v = await volumeStore.get(trx, p.id);
        if (!v) throw notFound('Volume', p.id);
        assertAccess(caller, v, 'Volume', v.id);
      } else {
        const t = await templateStore.get(trx, p.id);
        if (!t || !(await this.catalog.mayUse(trx, caller, t))) throw notFound('Template', p.id);
      }
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: EXTRACT_JOBS[kind],
        params: p,
        instanceType: kind === 'volume' ? 'VolumeExtract' : 'TemplateExtract',
        instanceId: p.id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  private checkMode(mode: string): void {
    if (!MODES.includes(mode)) throw invalid('Please specify a valid extract Mode ', 'mode');
    // Nothing here can upload to an FTP server; the download URL is what polystack simulates.
    if (mode === 'FTP_UPLOAD')
      throw invalid('Extraction in FTP_UPLOAD mode is not supported by this cloud; use HTTP_DOWNLOAD', 'mode');
  }

  /** TemplateManagerImpl.extract's checks. */
  private async image(caller: Caller, p: ExtractParams): Promise<JobResult> {
    const desc = p.isIso ? 'ISO' : 'TEMPLATE';
    if (!isRootAdmin(caller) && this.config.bool('disable.extraction'))
      throw forbidden('Extraction has been disabled by admin');
    const t = await templateStore.get(this.store.db, p.id);
    if (!t) throw invalid(`Unable to find ${desc} with id ${p.id}`, 'id');
    if (t.templateType === 'SYSTEM')
      throw invalid(`Unable to extract the ${desc} ${t.name} as it is a default System template`, 'id');
    if (t.templateType === 'PERHOST')
      throw invalid(`Unable to extract the ${desc} ${t.name} as it resides on host and not on SSVM`, 'id');
    if (!!t.isIso !== !!p.isIso)
      throw invalid(`Unsupported format, could not extract the ${p.isIso ? 'ISO' : 'template'}`, 'id');
    if (!isRootAdmin(caller) && !t.isExtractable)
      throw invalid(`Unable to extract template id=${t.id} as it's not extractable`, 'id');
    assertAccess(caller, t, p.isIso ? 'Iso' : 'Template', t.id);
    this.checkMode(p.mode);
    const where = ((await this.catalog.placements(this.store.db, [t])).get(t.id) ?? []).filter(
      (z) => z.downloadState === 'DOWNLOADED' && (!p.zoneId || z.zoneId === null || z.zoneId === p.zoneId),
    );
    if (where.length === 0) throw invalid(`The ${desc} has not been downloaded `, 'id');
    await this.agent.send('CreateEntityDownloadURLCommand', zoneScope(p.zoneId ?? where[0]!.zoneId ?? ''), {});
    return { type: 'object', instanceType: 'TemplateExtract', id: t.id };
  }

  /** VolumeApiServiceImpl.extractVolume's checks. */
  private async volume(caller: Caller, p: ExtractParams): Promise<JobResult> {
    if (!isRootAdmin(caller) && this.config.bool('disable.extraction'))
      throw forbidden('Extraction has been disabled by admin');
    const v = await volumeStore.get(this.store.db, p.id);
    if (!v) throw invalid(`Unable to find volume with id ${p.id}`, 'id');
    if (p.zoneId !== v.zoneId) throw invalid('Please specify a valid zone.', 'zoneid');
    assertAccess(caller, v, 'Volume', v.id);
    const t = v.type === 'ROOT' && v.templateId ? await templateRows.get(this.store.db, v.templateId) : undefined;
    if (t && !t.isExtractable && !isRootAdmin(caller))
      throw forbidden(`The volume:${v.id} is not allowed to be extracted`, 'Volume', v.id);
    const vm = v.vmId ? await vmStore.get(this.store.db, v.vmId) : undefined;
    if (vm && vm.state !== 'Stopped')
      throw invalid(
        `Invalid state of the volume with ID: ${v.id}. It should be either detached or the VM should be in stopped state.`,
        'id',
      );
    if (!v.poolId) throw invalid("The volume doesn't belong to a storage pool so can't extract it", 'id');
    this.checkMode(p.mode);
    await this.agent.send('CopyCommand', zoneScope(v.zoneId), { transition: 'volume' });
    return { type: 'object', instanceType: 'VolumeExtract', id: v.id };
  }

  /** The answer of a finished extract job. */
  async answer(job: Job, id: string): Promise<ExtractAnswer | undefined> {
    const p = JSON.parse(job.params) as ExtractParams;
    const volume = job.kind === EXTRACT_JOBS.volume;
    const obj = volume ? await volumeStore.getAny(this.store.db, id) : await templateRows.get(this.store.db, id);
    if (!obj) return undefined;
    const zoneId =
      p.zoneId ??
      ('zoneId' in obj && obj.zoneId ? obj.zoneId : ((await datacenterStore.firstZoneId(this.store.db)) ?? ''));
    const store = await storageStore.imageStoreUrlOf(this.store.db, zoneId);
    const host = store ? /^[a-z]+:\/\/([^/:]+)/i.exec(store.url)?.[1] : undefined;
    const ext = volume ? 'raw' : 'format' in obj ? obj.format.toLowerCase() : 'raw';
    return {
      id,
      name: obj.name,
      zoneId,
      mode: p.mode,
      accountId: obj.accountId,
      state: 'DOWNLOAD_URL_CREATED',
      kind: volume ? 'volume' : 'template',
      url: `http://${host ?? 'secondary.polystack'}/userdata/${job.id}.${ext}`,
    };
  }
}
