import type { Kysely } from 'kysely';
import type { Ec2Db } from './store.js';

/** A launch template as the front keeps it: one account's (by access key), with its versions' data as the request sent it. */
export interface TemplateRow {
  id: string;
  accountKey: string;
  name: string;
  createdBy: string;
  createTime: number;
  defaultVersion: number;
  lastVersion: number;
  tags: { Key: string; Value: string }[];
}
export interface VersionRow {
  templateId: string;
  version: number;
  description: string | null;
  data: Record<string, unknown>;
  createTime: number;
}

type Row = Ec2Db['launchTemplates'];
const template = (r: Row): TemplateRow => ({
  ...r,
  createTime: Number(r.createTime),
  defaultVersion: Number(r.defaultVersion),
  lastVersion: Number(r.lastVersion),
  tags: JSON.parse(r.tags),
});
const version = (r: Ec2Db['launchTemplateVersions']): VersionRow => ({
  ...r,
  version: Number(r.version),
  createTime: Number(r.createTime),
  data: JSON.parse(r.data),
});

/** The launch templates' queries over the EC2 front's own database (store.ts). */
export class LaunchTemplateStore {
  constructor(private db: Kysely<Ec2Db>) {}

  async list(accountKey: string): Promise<TemplateRow[]> {
    return (
      await this.db
        .selectFrom('launchTemplates')
        .selectAll()
        .where('accountKey', '=', accountKey)
        .orderBy('createTime')
        .orderBy('id')
        .execute()
    ).map(template);
  }
  async byId(accountKey: string, id: string): Promise<TemplateRow | undefined> {
    const r = await this.db
      .selectFrom('launchTemplates')
      .selectAll()
      .where('accountKey', '=', accountKey)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && template(r);
  }
  async byName(accountKey: string, name: string): Promise<TemplateRow | undefined> {
    const r = await this.db
      .selectFrom('launchTemplates')
      .selectAll()
      .where('accountKey', '=', accountKey)
      .where('name', '=', name)
      .executeTakeFirst();
    return r && template(r);
  }
  /** False when the account already has a template of that name. */
  async create(t: TemplateRow, first: VersionRow): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('launchTemplates')
        .select('id')
        .where('accountKey', '=', t.accountKey)
        .where('name', '=', t.name)
        .executeTakeFirst();
      if (taken) return false;
      await trx
        .insertInto('launchTemplates')
        .values({ ...t, tags: JSON.stringify(t.tags) })
        .execute();
      await trx
        .insertInto('launchTemplateVersions')
        .values({ ...first, data: JSON.stringify(first.data) })
        .execute();
      return true;
    });
  }
  /** The next version number, taken and written in one transaction; numbers are never reused, as on AWS. */
  async addVersion(
    templateId: string,
    description: string | null,
    data: Record<string, unknown>,
    at: number,
  ): Promise<VersionRow> {
    return this.db.transaction().execute(async (trx) => {
      const t = await trx
        .selectFrom('launchTemplates')
        .select('lastVersion')
        .where('id', '=', templateId)
        .executeTakeFirstOrThrow();
      const row: VersionRow = { templateId, version: Number(t.lastVersion) + 1, description, data, createTime: at };
      await trx.updateTable('launchTemplates').set({ lastVersion: row.version }).where('id', '=', templateId).execute();
      await trx
        .insertInto('launchTemplateVersions')
        .values({ ...row, data: JSON.stringify(data) })
        .execute();
      return row;
    });
  }
  async versions(templateIds: string[]): Promise<VersionRow[]> {
    if (!templateIds.length) return [];
    return (
      await this.db
        .selectFrom('launchTemplateVersions')
        .selectAll()
        .where('templateId', 'in', templateIds)
        .orderBy('templateId')
        .orderBy('version')
        .execute()
    ).map(version);
  }
  async setDefault(templateId: string, v: number): Promise<void> {
    await this.db.updateTable('launchTemplates').set({ defaultVersion: v }).where('id', '=', templateId).execute();
  }
  async deleteVersion(templateId: string, v: number): Promise<void> {
    await this.db
      .deleteFrom('launchTemplateVersions')
      .where('templateId', '=', templateId)
      .where('version', '=', v)
      .execute();
  }
  async delete(templateId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('launchTemplateVersions').where('templateId', '=', templateId).execute();
      await trx.deleteFrom('launchTemplates').where('id', '=', templateId).execute();
    });
  }
}
