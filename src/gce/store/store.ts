import type { Kysely, Selectable } from 'kysely';
import { openSideDb } from '../../store/side.js';
import type { Credentials } from '../../bridge/port.js';
import { createSchema, type GceDb } from './schema.js';
import { DataVersion } from '../../store/version.js';

export type OperationRow = Selectable<GceDb['operations']>;
export type DiskRecord = Selectable<GceDb['disks']>;
export type ImageRecord = Selectable<GceDb['images']>;
export type ServiceAccountKeyRow = Selectable<GceDb['serviceAccountKeys']>;
export interface MetadataItem {
  key: string;
  value: string;
}
export interface InstanceRecord {
  vmId: string;
  accountId: string;
  description: string;
  metadata: MetadataItem[];
  tags: string[];
  serviceAccounts: { email: string; scopes: string[] }[];
  bootDisk: string;
  updated: number;
}

/** The GCE front's memory, in its own SQLite file (see schema.ts for what and why). */
export class GceStore {
  private constructor(
    readonly db: Kysely<GceDb>,
    private writes: DataVersion,
  ) {}

  /** Moves on every write to this store (as the main store's counter does). */
  version(): number {
    return this.writes.value;
  }
  writesByTable(): ReadonlyMap<string, number> {
    return this.writes.byTable();
  }

  /** `target`: a SQLite file (or ':memory:'), or the cloud's postgres:// URL (schema polystack_gce). */
  static async open(target: string): Promise<GceStore> {
    const writes = new DataVersion();
    return new GceStore(await openSideDb<GceDb>(target, 'polystack_gce', createSchema, [writes]), writes);
  }

  async saveToken(
    token: string,
    kind: 'access' | 'refresh' | 'code',
    creds: Credentials,
    expiresAt: number,
  ): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({ token, kind, apiKey: creds.apiKey, secretKey: creds.secretKey, expiresAt })
      .execute();
  }
  async token(
    token: string,
    kind: 'access' | 'refresh' | 'code',
  ): Promise<{ creds: Credentials; expiresAt: number } | undefined> {
    const r = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('token', '=', token)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return r && { creds: { apiKey: r.apiKey, secretKey: r.secretKey }, expiresAt: Number(r.expiresAt) };
  }
  async dropToken(token: string): Promise<void> {
    await this.db.deleteFrom('tokens').where('token', '=', token).execute();
  }
  async dropExpiredTokens(now: number): Promise<void> {
    await this.db.deleteFrom('tokens').where('expiresAt', '>', 0).where('expiresAt', '<', now).execute();
  }

  async saveServiceAccountKey(k: ServiceAccountKeyRow): Promise<void> {
    await this.db.insertInto('serviceAccountKeys').values(k).execute();
  }
  /** The keys a JWT may have been signed with: the one its `kid` names, else every key of its issuer. */
  async serviceAccountKeys(clientEmail: string, keyId?: string): Promise<ServiceAccountKeyRow[]> {
    let q = this.db.selectFrom('serviceAccountKeys').selectAll().where('clientEmail', '=', clientEmail);
    if (keyId) q = q.where('keyId', '=', keyId);
    return (await q.execute()).map((r) => ({ ...r, created: Number(r.created) }));
  }

  async saveOperation(op: OperationRow): Promise<void> {
    await this.db
      .insertInto('operations')
      .values(op)
      .onConflict((oc) => oc.column('name').doUpdateSet(op))
      .execute();
  }
  async operation(accountId: string, name: string): Promise<OperationRow | undefined> {
    return this.db
      .selectFrom('operations')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
  }
  async operationByRequest(accountId: string, requestId: string): Promise<OperationRow | undefined> {
    return this.db
      .selectFrom('operations')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('requestId', '=', requestId)
      .executeTakeFirst();
  }
  async operations(accountId: string, scope: string, location?: string): Promise<OperationRow[]> {
    let q = this.db.selectFrom('operations').selectAll().where('accountId', '=', accountId).where('scope', '=', scope);
    if (location !== undefined) q = q.where('location', '=', location);
    return q.orderBy('insertTime').execute();
  }
  async deleteOperation(accountId: string, name: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('operations')
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async saveInstance(r: InstanceRecord): Promise<void> {
    const row = {
      ...r,
      metadata: JSON.stringify(r.metadata),
      tags: JSON.stringify(r.tags),
      serviceAccounts: JSON.stringify(r.serviceAccounts),
    };
    await this.db
      .insertInto('instances')
      .values(row)
      .onConflict((oc) => oc.column('vmId').doUpdateSet(row))
      .execute();
  }
  async instances(accountId: string): Promise<Map<string, InstanceRecord>> {
    const rows = await this.db.selectFrom('instances').selectAll().where('accountId', '=', accountId).execute();
    return new Map(rows.map((r) => [r.vmId, toRecord(r)]));
  }
  /** The records of these VMs only (a page of instances.list), not the whole project's. */
  async instancesOf(vmIds: string[]): Promise<Map<string, InstanceRecord>> {
    if (!vmIds.length) return new Map();
    const rows = await this.db.selectFrom('instances').selectAll().where('vmId', 'in', vmIds).execute();
    return new Map(rows.map((r) => [r.vmId, toRecord(r)]));
  }
  async instance(vmId: string): Promise<InstanceRecord | undefined> {
    const r = await this.db.selectFrom('instances').selectAll().where('vmId', '=', vmId).executeTakeFirst();
    return r && toRecord(r);
  }
  async dropInstance(vmId: string): Promise<void> {
    await this.db.deleteFrom('instances').where('vmId', '=', vmId).execute();
    await this.db.deleteFrom('instanceSettings').where('vmId', '=', vmId).execute();
  }

  async projectMetadata(accountId: string): Promise<MetadataItem[]> {
    const r = await this.db
      .selectFrom('projects')
      .select('metadata')
      .where('accountId', '=', accountId)
      .executeTakeFirst();
    return r ? (JSON.parse(r.metadata) as MetadataItem[]) : [];
  }
  async saveProjectMetadata(accountId: string, items: MetadataItem[]): Promise<void> {
    const metadata = JSON.stringify(items);
    await this.db
      .insertInto('projects')
      .values({ accountId, metadata })
      .onConflict((oc) => oc.column('accountId').doUpdateSet({ metadata }))
      .execute();
  }

  async saveDisk(r: DiskRecord): Promise<void> {
    await this.db
      .insertInto('disks')
      .values(r)
      .onConflict((oc) => oc.column('volumeId').doUpdateSet(r))
      .execute();
  }
  async disks(accountId: string): Promise<Map<string, DiskRecord>> {
    const rows = await this.db.selectFrom('disks').selectAll().where('accountId', '=', accountId).execute();
    return new Map(rows.map((r) => [r.volumeId, { ...r, detached: Number(r.detached) }]));
  }
  /** The records of these volumes only (the disks of a page of instances). */
  async disksOf(volumeIds: string[]): Promise<Map<string, DiskRecord>> {
    if (!volumeIds.length) return new Map();
    const rows = await this.db.selectFrom('disks').selectAll().where('volumeId', 'in', volumeIds).execute();
    return new Map(rows.map((r) => [r.volumeId, { ...r, detached: Number(r.detached) }]));
  }

  async saveImage(r: ImageRecord): Promise<void> {
    await this.db
      .insertInto('images')
      .values(r)
      .onConflict((oc) => oc.column('templateId').doUpdateSet(r))
      .execute();
  }
  async images(accountId: string): Promise<Map<string, ImageRecord>> {
    const rows = await this.db.selectFrom('images').selectAll().where('accountId', '=', accountId).execute();
    return new Map(rows.map((r) => [r.templateId, r]));
  }

  /** Forgets the front's record of a disk or image that is gone. */
  async dropRecord(table: 'disks' | 'images' | 'snapshots', id: string): Promise<void> {
    if (table === 'disks') await this.db.deleteFrom('disks').where('volumeId', '=', id).execute();
    else if (table === 'snapshots') await this.db.deleteFrom('snapshots').where('snapshotId', '=', id).execute();
    else await this.db.deleteFrom('images').where('templateId', '=', id).execute();
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

function toRecord(r: Selectable<GceDb['instances']>): InstanceRecord {
  return {
    vmId: r.vmId,
    accountId: r.accountId,
    description: r.description,
    metadata: JSON.parse(r.metadata),
    tags: JSON.parse(r.tags),
    serviceAccounts: JSON.parse(r.serviceAccounts),
    bootDisk: r.bootDisk,
    updated: Number(r.updated),
  };
}
