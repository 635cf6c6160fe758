import type { Clock } from '../../domain/clock.js';
import { forbidden, runtimeFailure, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Flag, Template } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { nextSeq } from '../../store/sequence.store.js';
import { snapshotStore } from '../../store/snapshot.store.js';
import { templateStore, templateRows } from '../../store/template.store.js';
import { vmStore } from '../../store/vm.store.js';
import { volumeStore } from '../../store/volume.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, isAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume } from '../resources.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { TEMPLATE_JOBS } from './template.jobs.js';
import { osTypeRows } from '../../store/lookup.store.js';
import { accountRows } from '../../store/account.store.js';

/** Storage.ImageFormat, in its declaration order (the error text lists them so). */
const FORMATS = ['QCOW2', 'RAW', 'VHD', 'VHDX', 'ISO', 'OVA', 'BAREMETAL', 'VMDK', 'VDI', 'TAR', 'ZIP', 'DIR'];
const HYPERVISORS = [
  'XenServer',
  'KVM',
  'VMware',
  'Hyperv',
  'VirtualBox',
  'Parralels',
  'BareMetal',
  'Simulator',
  'Ovm',
  'Ovm3',
  'LXC',
  'Custom',
  'Any',
];
/** The file endings UriUtils.validateUrl accepts for each format (plain, zipped, bzipped, gzipped). */
const ENDINGS: Record<string, string[]> = {
  VHD: ['vhd'],
  VHDX: ['vhdx'],
  QCOW2: ['qcow2', 'img'],
  OVA: ['ova'],
  RAW: ['img', 'raw'],
  ISO: ['iso'],
  VMDK: ['vmdk'],
  TAR: ['tar'],
};

export interface RegisterRequest extends OwnerRequest {
  isIso: boolean;
  name: string;
  displayText: string;
  url: string;
  format?: string;
  hypervisor?: string;
  osTypeId?: string;
  /** One zone, several, or every zone (-1). */
  zoneIds: string[] | 'all';
  isPublic?: boolean;
  isFeatured?: boolean;
  isExtractable?: boolean;
  passwordEnabled?: boolean;
  sshKeyEnabled?: boolean;
  isDynamicallyScalable?: boolean;
  bootable?: boolean;
  checksum?: string;
  templateTag?: string;
}

export interface CreatePrivateRequest {
  name: string;
  displayText: string;
  osTypeId: string;
  volumeId?: string;
  snapshotId?: string;
  isPublic?: boolean;
  isFeatured?: boolean;
  passwordEnabled?: boolean;
  sshKeyEnabled?: boolean;
  isDynamicallyScalable?: boolean;
  templateTag?: string;
  /** The project that owns the new template (else the source's owner). */
  projectId?: string;
}

const flag = (b: boolean | undefined): Flag => (b ? 1 : 0);

/**
 * Making images: registerTemplate/registerIso (the image is then "downloaded" into each zone's
 * image store in the background, with progress) and the create phase of createTemplate (from a
 * volume or a snapshot).
 */
export class TemplateRegistry {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private catalog: CatalogService,
    private system: () => Promise<Caller>,
  ) {}

  /** registerTemplate / registerIso (TemplateAdapterBase.prepare): rows now, downloads in the background. */
  async register(caller: Caller, r: RegisterRequest): Promise<Template> {
    const format = (r.isIso ? 'ISO' : (r.format ?? '')).toUpperCase();
    if (!FORMATS.includes(format))
      throw invalid(`Image format: ${r.format} is incorrect. Supported formats are ${FORMATS.join(', ')}`, 'format');
    const hypervisor = r.isIso
      ? 'None'
      : HYPERVISORS.find((h) => h.toLowerCase() === (r.hypervisor ?? '').toLowerCase());
    if (!hypervisor)
      throw invalid(
        `Hypervisor Type: ${r.hypervisor} is invalid. Supported Hypervisor types are ${HYPERVISORS.join(', ')}`,
        'hypervisor',
      );
    checkUrl(r.url, format, r.isIso);
    const system = await this.system();
    const t = await this.store.tx(async (trx) => {
      const owner = await resolveOwner(trx, caller, r);
      const zones = await this.zones(trx, r.zoneIds);
      const isPublic = !!r.isPublic;
      if (!isAdmin(caller) && isPublic && !this.config.bool('allow.public.user.templates', true))
        throw invalid('Only private templates/ISO can be created.', 'ispublic');
      const bootable = r.isIso ? (r.bootable ?? true) : true;
      const osTypeId =
        r.osTypeId ??
        (r.isIso && !bootable ? (await this.catalog.osTypes({ description: 'Other (64-bit)' }))[0]?.id : undefined);
      if (!osTypeId)
        throw invalid(
          r.isIso ? 'Please pass OS type id for a bootable ISO' : 'Please specify a valid OS type',
          'ostypeid',
        );
      if (!(await osTypeRows.get(trx, osTypeId))) throw notFound('OsType', osTypeId, 'ostypeid');
      const now = this.clock.now();
      const t: Template = {
        id: newId(),
        seq: await nextSeq(trx, 'template'),
        name: r.name,
        displayText: r.displayText,
        isPublic: flag(isPublic),
        isFeatured: flag(isAdmin(caller) && r.isFeatured),
        isReady: 0,
        format,
        hypervisor,
        osTypeId,
        zoneId: zones === 'all' ? null : zones[0]!,
        templateType: 'USER',
        passwordEnabled: flag(r.passwordEnabled),
        sshKeyEnabled: flag(r.sshKeyEnabled),
        size: 0,
        accountId: owner.id,
        domainId: owner.domainId,
        bootable: flag(bootable),
        crossZones: flag(zones === 'all'),
        isIso: flag(r.isIso),
        url: r.url,
        created: now,
        removed: null,
        isExtractable: flag(r.isExtractable),
        isDynamicallyScalable: flag(r.isDynamicallyScalable),
        sourceTemplateId: null,
        sourceSnapshotId: null,
        checksum: r.checksum ?? null,
        templateTag: r.templateTag ?? null,
      };
      await consume(trx, owner.id, { template: 1 });
      await templateRows.insert(trx, t);
      for (const zoneId of zones === 'all' ? [null] : zones) {
        await templateStore.addZone(trx, {
          templateId: t.id,
          zoneId,
          downloadState: 'NOT_DOWNLOADED',
          downloadPercent: 0,
          errorText: null,
          created: now,
        });
        // The download belongs to the cloud, not to the caller's job list, as in CloudStack.
        await this.jobs.submit(trx, system, {
          cmd: 'template.download',
          kind: TEMPLATE_JOBS.download,
          params: { templateId: t.id, zoneId },
          instanceType: 'Template',
          instanceId: t.id,
        });
      }
      const what = r.isIso ? 'ISO' : 'TEMPLATE';
      await eventLog(trx, this.clock, {
        type: `${what}.CREATE`,
        description: `Registered ${r.isIso ? 'ISO' : 'template'} ${t.name}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: t.id,
        resourceType: r.isIso ? 'Iso' : 'Template',
      });
      return t;
    });
    this.jobs.kick();
    return t;
  }

  private async zones(db: Db, ids: string[] | 'all'): Promise<string[] | 'all'> {
    if (ids === 'all') return 'all';
    for (const id of ids) await this.catalog.zone(db, id);
    return [...new Set(ids)];
  }

  /** The create phase of createTemplate (TemplateManagerImpl.createPrivateTemplateRecord). */
  async createPrivate(
    caller: Caller,
    r: CreatePrivateRequest,
    cmd: string,
  ): Promise<{ template: Template; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const admin = isAdmin(caller);
      if (!admin && r.isPublic && !this.config.bool('allow.public.user.templates', true))
        throw forbidden(`Failed to create template ${r.name}, only private templates can be created.`);
      if (!r.volumeId && !r.snapshotId)
        throw invalid(
          'Failed to create private template record, neither volume ID nor snapshot ID were specified.',
          'volumeid',
        );
      if (r.volumeId && r.snapshotId)
        throw invalid(
          `Failed to create private template record, please specify only one of volume ID (${r.volumeId}) and snapshot ID (${r.snapshotId})`,
          'volumeid',
        );
      const source = r.volumeId
        ? await this.fromVolume(trx, caller, r.volumeId)
        : await this.fromSnapshot(trx, caller, r.snapshotId!);
      if (!(await osTypeRows.get(trx, r.osTypeId)))
        throw invalid(`GuestOS with ID: ${r.osTypeId} does not exist.`, 'ostypeid');
      const owner = r.projectId
        ? await resolveOwner(trx, caller, { projectId: r.projectId })
        : (await accountRows.get(trx, source.accountId))!;
      const now = this.clock.now();
      const t: Template = {
        id: newId(),
        seq: await nextSeq(trx, 'template'),
        name: r.name,
        displayText: r.displayText,
        isPublic: flag(r.isPublic),
        isFeatured: flag(admin && r.isFeatured),
        isReady: 0,
        format: 'RAW',
        hypervisor: 'Simulator',
        osTypeId: r.osTypeId,
        zoneId: source.zoneId,
        templateType: 'USER',
        passwordEnabled: flag(r.passwordEnabled),
        sshKeyEnabled: flag(r.sshKeyEnabled),
        size: source.size,
        accountId: owner.id,
        domainId: owner.domainId,
        bootable: 1,
        crossZones: 0,
        isIso: 0,
        url: null,
        created: now,
        removed: null,
        isExtractable: 0,
        isDynamicallyScalable: flag(r.isDynamicallyScalable),
        sourceTemplateId: source.templateId,
        sourceSnapshotId: r.snapshotId ?? null,
        checksum: null,
        templateTag: r.templateTag ?? null,
      };
      await consume(trx, owner.id, { template: 1 });
      await templateRows.insert(trx, t);
      await templateStore.addZone(trx, {
        templateId: t.id,
        zoneId: source.zoneId,
        downloadState: 'NOT_DOWNLOADED',
        downloadPercent: 0,
        errorText: null,
        created: now,
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: TEMPLATE_JOBS.create,
        params: { templateId: t.id, volumeId: r.volumeId, snapshotId: r.snapshotId },
        instanceType: 'Template',
        instanceId: t.id,
      });
      return { template: t, jobId };
    });
    this.jobs.kick();
    return out;
  }

  private async fromVolume(db: Db, caller: Caller, id: string) {
    const v = await volumeStore.get(db, id);
    if (!v) throw invalid(`Failed to create private template record, unable to find volume ${id}`, 'volumeid');
    assertAccess(caller, v, 'Volume', v.id);
    const vm = v.vmId ? await vmStore.get(db, v.vmId) : undefined;
    // VolumeOrchestrator.volumeInactive: detached, or on a VM that is stopped.
    if (vm && vm.state !== 'Stopped' && vm.state !== 'Destroyed')
      throw runtimeFailure(
        `Unable to create private template for volume: ${v.name}; volume is attached to a non-stopped VM, please stop the VM first`,
      );
    if (v.state !== 'Ready')
      throw invalid(
        `Volume ${v.name} is not Ready (it is ${v.state}); a template is made from a volume that exists on primary storage`,
        'volumeid',
      );
    return { accountId: v.accountId, zoneId: v.zoneId, size: v.size, templateId: v.templateId };
  }

  private async fromSnapshot(db: Db, caller: Caller, id: string) {
    const s = await snapshotStore.get(db, id);
    if (!s) throw invalid(`Failed to create private template record, unable to find snapshot ${id}`, 'snapshotid');
    assertAccess(caller, s, 'Snapshot', s.id);
    if (s.state !== 'BackedUp')
      throw invalid(
        `Snapshot id=${s.id} is not in BackedUp state yet and can't be used for template creation`,
        'snapshotid',
      );
    return { accountId: s.accountId, zoneId: s.zoneId, size: s.size, templateId: s.templateId };
  }
}

/** UriUtils.validateUrl: http(s) only, and an ending that fits the format. */
function checkUrl(url: string, format: string, isIso: boolean): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid(`Please provide a valid URL. URL: ${url}`, 'url');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalid(`Unsupported scheme for url: ${url}`, 'url');
  const endings = ENDINGS[format];
  if (!endings) return;
  const path = url.toLowerCase().split(/[?#]/)[0]!;
  const fits = endings.some((e) => ['', '.zip', '.bz2', '.gz'].some((z) => path.endsWith(`${e}${z}`)));
  if (!fits)
    throw invalid(isIso ? 'Please specify a valid iso' : `Please specify a valid ${format.toLowerCase()}`, 'url');
}
