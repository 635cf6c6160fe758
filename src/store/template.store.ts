import { rowsOf, setsNothing } from './repo.js';
import type { Db } from './db.js';
import { inChunks } from './idlist.js';
import type { TemplateZone } from '../domain/storage.js';
import type { Template, Vm } from '../domain/types.js';

export const templateStore = {
  get(db: Db, id: string): Promise<Template | undefined> {
    return db.selectFrom('templates').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  /** A template even once deleted (listTemplates id= looks it up so, then lists nothing for it). */
  getIncludingRemoved(db: Db, id: string): Promise<Template | undefined> {
    return db.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** An account's templates and ISOs, not removed. */
  idsOfAccount(db: Db, accountId: string): Promise<{ id: string }[]> {
    return db
      .selectFrom('templates')
      .select('id')
      .where('accountId', '=', accountId)
      .where('removed', 'is', null)
      .execute();
  },
  list(db: Db, isIso: boolean): Promise<Template[]> {
    return db
      .selectFrom('templates')
      .selectAll()
      .where('removed', 'is', null)
      .where('isIso', '=', isIso ? 1 : 0)
      .orderBy('seq')
      .execute();
  },
  /** Where each template is stored; a template without rows is a seeded cross-zone one. */
  async zonesOf(db: Db, templateIds: string[]): Promise<Map<string, TemplateZone[]>> {
    const m = new Map<string, TemplateZone[]>();
    const rows = await inChunks(templateIds, (ids) =>
      db.selectFrom('templateZones').selectAll().where('templateId', 'in', ids).orderBy('created').execute(),
    );
    for (const r of rows) m.set(r.templateId, [...(m.get(r.templateId) ?? []), r]);
    return m;
  },
  async addZone(db: Db, z: TemplateZone): Promise<void> {
    await db.insertInto('templateZones').values(z).execute();
  },
  async updateZone(db: Db, templateId: string, zoneId: string | null, patch: Partial<TemplateZone>): Promise<void> {
    if (setsNothing(patch)) return;
    await db
      .updateTable('templateZones')
      .set(patch)
      .where('templateId', '=', templateId)
      .where((eb) => (zoneId === null ? eb('zoneId', 'is', null) : eb('zoneId', '=', zoneId)))
      .execute();
  },
  async removeZone(db: Db, templateId: string, zoneId: string | null): Promise<void> {
    await db
      .deleteFrom('templateZones')
      .where('templateId', '=', templateId)
      .where((eb) => (zoneId === null ? eb('zoneId', 'is', null) : eb('zoneId', '=', zoneId)))
      .execute();
  },
  async removeAllZones(db: Db, templateId: string): Promise<void> {
    await db.deleteFrom('templateZones').where('templateId', '=', templateId).execute();
  },
  /** Templates other accounts shared with one of these accounts (launch permissions). */
  async sharedWith(db: Db, accountIds: string[]): Promise<Set<string>> {
    if (accountIds.length === 0) return new Set();
    const rows = await inChunks(accountIds, (ids) =>
      db.selectFrom('launchPermissions').select('templateId').where('accountId', 'in', ids).execute(),
    );
    return new Set(rows.map((r) => r.templateId));
  },
  permittedAccounts(db: Db, templateId: string): Promise<{ accountId: string }[]> {
    return db.selectFrom('launchPermissions').select('accountId').where('templateId', '=', templateId).execute();
  },
  async permit(db: Db, templateId: string, accountId: string): Promise<void> {
    await db
      .insertInto('launchPermissions')
      .values({ templateId, accountId })
      .onConflict((oc) => oc.columns(['templateId', 'accountId']).doNothing())
      .execute();
  },
  async revoke(db: Db, templateId: string, accountIds?: string[]): Promise<void> {
    let q = db.deleteFrom('launchPermissions').where('templateId', '=', templateId);
    if (accountIds) q = q.where('accountId', 'in', accountIds.length ? accountIds : ['']);
    await q.execute();
  },
  /** VMs not yet expunged that were deployed from a template (in one zone, or anywhere). */
  vmsUsing(db: Db, templateId: string, zoneId?: string): Promise<Vm[]> {
    let q = db.selectFrom('vms').selectAll().where('templateId', '=', templateId).where('removed', 'is', null);
    if (zoneId) q = q.where('zoneId', '=', zoneId);
    return q.execute();
  },
  vmsWithIso(db: Db, isoId: string): Promise<Vm[]> {
    return db.selectFrom('vms').selectAll().where('isoId', '=', isoId).where('removed', 'is', null).execute();
  },
};

export const templateRows = rowsOf('templates');
