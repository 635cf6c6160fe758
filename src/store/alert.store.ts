import type { Db } from './db.js';
import { eachChunk, inList } from './idlist.js';
import type { Alert } from '../domain/organisation.js';

export interface AlertFilter {
  ids?: string[];
  type?: number;
  name?: string;
  keyword?: string;
  start?: number;
  end?: number;
  /** listAlerts shows only alerts not archived. */
  archived?: boolean;
}

function filtered(db: Db, f: AlertFilter) {
  let q = db.selectFrom('alerts');
  if (f.ids) q = q.where(inList(db, 'id', f.ids));
  if (f.type !== undefined) q = q.where('type', '=', f.type);
  if (f.name) q = q.where('name', '=', f.name);
  if (f.keyword) q = q.where('subject', 'like', `%${f.keyword}%`);
  if (f.start !== undefined) q = q.where('created', '>=', f.start);
  if (f.end !== undefined) q = q.where('created', '<=', f.end);
  if (f.archived !== undefined) q = q.where('archived', '=', f.archived ? 1 : 0);
  return q;
}

export const alertStore = {
  async insert(db: Db, a: Alert): Promise<void> {
    await db.insertInto('alerts').values(a).execute();
  },
  list(db: Db, f: AlertFilter): Promise<Alert[]> {
    return filtered(db, f).selectAll().orderBy('created', 'desc').execute();
  },
  /** The open alert of a kind at a place, if one was raised and neither archived nor resolved (AlertDao.getLastAlert). */
  open(db: Db, a: Pick<Alert, 'type' | 'zoneId' | 'podId' | 'clusterId' | 'subject'>): Promise<Alert | undefined> {
    let q = db
      .selectFrom('alerts')
      .selectAll()
      .where('type', '=', a.type)
      .where('archived', '=', 0)
      .where('resolved', 'is', null)
      .where('subject', '=', a.subject);
    q = a.zoneId ? q.where('zoneId', '=', a.zoneId) : q.where('zoneId', 'is', null);
    return q.executeTakeFirst();
  },
  openOfType(db: Db, type: number): Promise<Alert[]> {
    return db
      .selectFrom('alerts')
      .selectAll()
      .where('type', '=', type)
      .where('archived', '=', 0)
      .where('resolved', 'is', null)
      .execute();
  },
  async resolve(db: Db, id: string, at: number): Promise<void> {
    await db.updateTable('alerts').set({ resolved: at }).where('id', '=', id).execute();
  },
  async archive(db: Db, f: AlertFilter): Promise<number> {
    const ids = (
      await filtered(db, { ...f, archived: false })
        .select('id')
        .execute()
    ).map((r) => r.id);
    await eachChunk(ids, (chunk) => db.updateTable('alerts').set({ archived: 1 }).where('id', 'in', chunk).execute());
    return ids.length;
  },
  async remove(db: Db, f: AlertFilter): Promise<number> {
    const ids = (await filtered(db, f).select('id').execute()).map((r) => r.id);
    await eachChunk(ids, (chunk) => db.deleteFrom('alerts').where('id', 'in', chunk).execute());
    return ids.length;
  },
};
