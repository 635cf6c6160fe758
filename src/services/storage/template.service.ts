import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid, notFound } from '../../domain/errors.js';
import type { TemplateZone } from '../../domain/storage.js';
import type { Template } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import { accountStore, accountRows, domainRows } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { templateStore, templateRows } from '../../store/template.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { TEMPLATE_JOBS } from './template.jobs.js';
import { osTypeRows } from '../../store/lookup.store.js';

export interface TemplateUpdate {
  name?: string;
  displayText?: string;
  osTypeId?: string;
  format?: string;
  passwordEnabled?: boolean;
  sshKeyEnabled?: boolean;
  bootable?: boolean;
  isDynamicallyScalable?: boolean;
  templateType?: string;
}

export interface PermissionUpdate {
  isPublic?: boolean;
  isFeatured?: boolean;
  isExtractable?: boolean;
  accounts?: string[];
  op?: string;
}

const TYPES = ['USER', 'BUILTIN', 'SYSTEM', 'PERHOST', 'ROUTING'];

/** Templates and ISOs after they exist: updates, launch permissions, and the checks before their jobs. */
export class TemplateService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private catalog: CatalogService,
  ) {}

  find(id: string): Promise<Template | undefined> {
    return templateRows.get(this.store.db, id);
  }

  async placements(t: Template): Promise<TemplateZone[]> {
    return (await this.catalog.placements(this.store.db, [t])).get(t.id) ?? [];
  }

  /** An image of the right kind (template or ISO) the caller may change (OperateEntry: owner or admin). */
  async operable(db: Db, caller: Caller, id: string, isIso: boolean): Promise<Template> {
    const t = await templateStore.get(db, id);
    if (!t) throw notFound(isIso ? 'Iso' : 'Template', id);
    assertAccess(caller, t, isIso ? 'Iso' : 'Template', id);
    return t;
  }

  /** updateTemplate / updateIso (TemplateManagerImpl.updateTemplateOrIso). */
  async update(caller: Caller, id: string, isIso: boolean, u: TemplateUpdate): Promise<Template> {
    return this.store.tx(async (trx) => {
      const t = await this.operable(trx, caller, id, isIso);
      if (!!t.isIso !== isIso)
        throw invalid(isIso ? 'Please specify a valid iso.' : 'Please specify a valid template.', 'id');
      if (u.templateType !== undefined) {
        if (!isRootAdmin(caller))
          throw forbidden('Parameter templatetype can only be specified by a Root Admin, permission denied');
        if (!TYPES.includes(u.templateType.toUpperCase()))
          throw invalid(`Please specify a valid templatetype: ${u.templateType}`, 'templatetype');
      }
      if (u.osTypeId && !(await osTypeRows.get(trx, u.osTypeId)))
        throw invalid(`Please specify a valid guest OS ID.`, 'ostypeid');
      if (
        u.format !== undefined &&
        !['QCOW2', 'RAW', 'VHD', 'VHDX', 'ISO', 'OVA', 'BAREMETAL', 'VMDK', 'VDI', 'TAR', 'ZIP', 'DIR'].includes(
          u.format.toUpperCase(),
        )
      )
        throw invalid(
          `Image format: ${u.format} is incorrect. Supported formats are QCOW2, RAW, VHD, VHDX, ISO, OVA, BAREMETAL, VMDK, VDI, TAR, ZIP, DIR`,
          'format',
        );
      const patch: Partial<Template> = {};
      if (u.name !== undefined) patch.name = u.name;
      if (u.displayText !== undefined) patch.displayText = u.displayText;
      if (u.osTypeId !== undefined) patch.osTypeId = u.osTypeId;
      if (u.format !== undefined) patch.format = u.format.toUpperCase();
      if (u.passwordEnabled !== undefined) patch.passwordEnabled = u.passwordEnabled ? 1 : 0;
      if (u.sshKeyEnabled !== undefined) patch.sshKeyEnabled = u.sshKeyEnabled ? 1 : 0;
      if (u.bootable !== undefined && isIso) patch.bootable = u.bootable ? 1 : 0;
      if (u.isDynamicallyScalable !== undefined) patch.isDynamicallyScalable = u.isDynamicallyScalable ? 1 : 0;
      if (u.templateType !== undefined) patch.templateType = u.templateType.toUpperCase();
      await templateRows.update(trx, t.id, patch);
      await eventLog(trx, this.clock, {
        type: isIso ? 'ISO.UPDATE' : 'TEMPLATE.UPDATE',
        description: `Updated ${t.name}`,
        accountId: t.accountId,
        domainId: t.domainId,
        userId: caller.userId,
        resourceId: t.id,
        resourceType: isIso ? 'Iso' : 'Template',
      });
      return { ...t, ...patch };
    });
  }

  /** updateTemplatePermissions / updateIsoPermissions (TemplateManagerImpl.updateTemplateOrIsoPermissions). */
  async updatePermissions(caller: Caller, id: string, isIso: boolean, u: PermissionUpdate): Promise<void> {
    const media = isIso ? 'iso' : 'template';
    await this.store.tx(async (trx) => {
      const t = await templateStore.get(trx, id);
      if (!t) throw invalid(`unable to find ${media} with id ${id}`, 'id');
      if (!!t.isIso !== isIso) throw invalid(`Please provide a valid ${media}`, 'id');
      assertAccess(caller, t, isIso ? 'Iso' : 'Template', id);
      const admin = isAdmin(caller);
      if (!admin && u.isPublic && !this.config.bool('allow.public.user.templates', true))
        throw invalid(`Only private ${media}s can be created.`, 'ispublic');
      if (u.accounts && !['add', 'remove', 'reset'].includes((u.op ?? '').toLowerCase()))
        throw invalid(
          `Invalid operation on accounts, the operation must be either 'add' or 'remove' in order to modify launch permissions.  Given operation is: '${u.op ?? null}'`,
          'op',
        );
      if (caller.accountId !== t.accountId && !admin)
        throw invalid(
          `Unable to grant permission to account ${caller.accountName} as it is neither admin nor owner or the template`,
          'id',
        );
      const patch: Partial<Template> = {};
      if (u.isPublic !== undefined) patch.isPublic = u.isPublic ? 1 : 0;
      if (u.isFeatured !== undefined) patch.isFeatured = u.isFeatured ? 1 : 0;
      if (u.isExtractable !== undefined) {
        if (!isIso && !isRootAdmin(caller))
          throw invalid('Only ROOT admins are allowed to modify isExtractable attribute.', 'isextractable');
        patch.isExtractable = u.isExtractable ? 1 : 0;
      }
      if (Object.keys(patch).length) await templateRows.update(trx, t.id, patch);
      const op = u.op?.toLowerCase();
      if ((op === 'add' || op === 'remove') && !u.accounts)
        throw invalid(`Operation ${u.op} requires accounts or projectIds to be passed in`, 'accounts');
      const owner = (await accountRows.get(trx, t.accountId))!;
      const domain = (await domainRows.get(trx, owner.domainId))!;
      if (op === 'add') {
        for (const name of u.accounts!) {
          const a = await accountStore.accountByName(trx, name, owner.domainId);
          if (!a)
            throw invalid(
              `Unable to grant a launch permission to account ${name} in domain id=${domain.id}, account not found.  No permissions updated, please verify the account names and retry.`,
              'accounts',
            );
          if (a.id !== t.accountId) await templateStore.permit(trx, t.id, a.id);
        }
      } else if (op === 'remove') {
        const ids = [];
        for (const name of u.accounts!) {
          const a = await accountStore.accountByName(trx, name, owner.domainId);
          if (a) ids.push(a.id);
        }
        await templateStore.revoke(trx, t.id, ids);
      } else if (op === 'reset') {
        // reset makes the image private to its owner again.
        await templateRows.update(trx, t.id, { isPublic: 0 });
        await templateStore.revoke(trx, t.id);
      }
    });
  }

  /** listTemplatePermissions / listIsoPermissions: the accounts allowed, plus the owner of a private image. */
  async permissions(caller: Caller, id: string, isIso: boolean): Promise<{ template: Template; accounts: string[] }> {
    const media = isIso ? 'iso' : 'template';
    const t = await templateStore.get(this.store.db, id);
    if (!t) throw invalid(`unable to find ${media} with id ${id}`, 'id');
    if (!!t.isIso !== isIso) throw invalid(`Please provide a valid ${media}`, 'id');
    if (!t.isPublic) assertAccess(caller, t, isIso ? 'Iso' : 'Template', id);
    const names = [];
    for (const p of await templateStore.permittedAccounts(this.store.db, t.id)) {
      const a = await accountRows.get(this.store.db, p.accountId);
      if (a) names.push(a.name);
    }
    if (!t.isPublic) names.push((await accountRows.get(this.store.db, t.accountId))?.name ?? '');
    return { template: t, accounts: names };
  }

  /** Submits copy, delete or extract of an image after checking it exists and the caller may see it. */
  async submit(
    caller: Caller,
    kind: 'copy' | 'remove',
    id: string,
    isIso: boolean,
    cmd: string,
    params: Record<string, unknown>,
  ): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const t = await templateStore.get(trx, id);
      if (!t || !(await this.catalog.mayUse(trx, caller, t))) throw notFound(isIso ? 'Iso' : 'Template', id);
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: TEMPLATE_JOBS[kind],
        params: { templateId: id, isIso, ...params },
        instanceType: 'Template',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }
}
