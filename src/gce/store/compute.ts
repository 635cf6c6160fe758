import type { Selectable } from 'kysely';
import type { GceDb } from './schema.js';
import type { GceStore } from './store.js';

/**
 * The front's records for instance settings, instance templates and snapshots (schema.ts): what
 * CloudStack has no place for. Kept beside GceStore so each concept's queries sit together.
 */
export type TemplateRow = Selectable<GceDb['instanceTemplates']>;
export type SnapshotRecord = Selectable<GceDb['snapshots']>;

/** Instance fields CloudStack does not hold. Absent fields have Google's defaults. */
export interface InstanceSettings {
  deletionProtection?: boolean;
  /** A suspend stopped the VM: shown SUSPENDING/SUSPENDED until resumed (or started/stopped). */
  suspended?: boolean;
  onHostMaintenance?: 'MIGRATE' | 'TERMINATE';
  minCpuPlatform?: string;
  enableDisplay?: boolean;
  /** Public address ids addAccessConfig allocated (ephemeral): released again by deleteAccessConfig. */
  ephemeralIps?: string[];
}

export async function instanceSettings(store: GceStore, accountId: string): Promise<Map<string, InstanceSettings>> {
  const rows = await store.db.selectFrom('instanceSettings').selectAll().where('accountId', '=', accountId).execute();
  return new Map(rows.map((r) => [r.vmId, JSON.parse(r.settings) as InstanceSettings]));
}

/** The settings of these VMs only (a page of instances.list). */
export async function settingsFor(store: GceStore, vmIds: string[]): Promise<Map<string, InstanceSettings>> {
  if (!vmIds.length) return new Map();
  const rows = await store.db.selectFrom('instanceSettings').selectAll().where('vmId', 'in', vmIds).execute();
  return new Map(rows.map((r) => [r.vmId, JSON.parse(r.settings) as InstanceSettings]));
}

export async function settingsOf(store: GceStore, vmId: string): Promise<InstanceSettings> {
  const r = await store.db
    .selectFrom('instanceSettings')
    .select('settings')
    .where('vmId', '=', vmId)
    .executeTakeFirst();
  return r ? (JSON.parse(r.settings) as InstanceSettings) : {};
}

/** Merges `change` into the instance's settings (an `undefined` field is removed). */
export async function saveSettings(
  store: GceStore,
  vmId: string,
  accountId: string,
  change: InstanceSettings,
): Promise<InstanceSettings> {
  const next: InstanceSettings = JSON.parse(JSON.stringify({ ...(await settingsOf(store, vmId)), ...change }));
  const settings = JSON.stringify(next);
  await store.db
    .insertInto('instanceSettings')
    .values({ vmId, accountId, settings })
    .onConflict((oc) => oc.column('vmId').doUpdateSet({ settings }))
    .execute();
  return next;
}

export async function templates(store: GceStore, accountId: string, region?: string): Promise<TemplateRow[]> {
  let q = store.db.selectFrom('instanceTemplates').selectAll().where('accountId', '=', accountId);
  if (region !== undefined) q = q.where('region', '=', region);
  return (await q.orderBy('name').execute()).map((r) => ({ ...r, created: Number(r.created) }));
}

export async function templateRow(
  store: GceStore,
  accountId: string,
  region: string,
  name: string,
): Promise<TemplateRow | undefined> {
  const r = await store.db
    .selectFrom('instanceTemplates')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  return r && { ...r, created: Number(r.created) };
}

/** false when a template of that name is already there (the primary key decides, so two inserts cannot both win). */
export async function insertTemplate(store: GceStore, row: TemplateRow): Promise<boolean> {
  const r = await store.db
    .insertInto('instanceTemplates')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteTemplate(store: GceStore, accountId: string, region: string, name: string): Promise<void> {
  await store.db
    .deleteFrom('instanceTemplates')
    .where('accountId', '=', accountId)
    .where('region', '=', region)
    .where('name', '=', name)
    .execute();
}

export async function saveSnapshot(store: GceStore, r: SnapshotRecord): Promise<void> {
  await store.db
    .insertInto('snapshots')
    .values(r)
    .onConflict((oc) => oc.column('snapshotId').doUpdateSet(r))
    .execute();
}

export async function snapshotRecords(store: GceStore, accountId: string): Promise<Map<string, SnapshotRecord>> {
  const rows = await store.db.selectFrom('snapshots').selectAll().where('accountId', '=', accountId).execute();
  return new Map(rows.map((r) => [r.snapshotId, r]));
}
