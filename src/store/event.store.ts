import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { eachChunk, inList } from './idlist.js';
import type { Event } from '../domain/types.js';

export interface EventFilter {
  accountIds?: string[];
  ids?: string[];
  type?: string;
  level?: string;
  keyword?: string;
  start?: number;
  end?: number;
  resourceId?: string;
  resourceType?: string;
  archived?: boolean;
}

function filtered(db: Db, f: EventFilter) {
  let q = db.selectFrom('events');
  if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
  if (f.ids) q = q.where(inList(db, 'id', f.ids));
  if (f.type) q = q.where('type', '=', f.type);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.keyword)
    q = q.where((eb) =>
      eb.or([
        eb('type', 'like', `%${f.keyword}%`),
        eb('description', 'like', `%${f.keyword}%`),
        eb('level', 'like', `%${f.keyword}%`),
      ]),
    );
  if (f.start !== undefined) q = q.where('created', '>=', f.start);
  if (f.end !== undefined) q = q.where('created', '<=', f.end);
  if (f.resourceId) q = q.where('resourceId', '=', f.resourceId);
  if (f.resourceType) q = q.where('resourceType', '=', f.resourceType);
  if (f.archived !== undefined) q = q.where('archived', '=', f.archived ? 1 : 0);
  return q;
}

/** listEvents, archiveEvents and deleteEvents. */
export const eventQueries = {
  list(db: Db, f: EventFilter): Promise<Event[]> {
    return filtered(db, f).selectAll().orderBy('created', 'desc').execute();
  },
  async archive(db: Db, f: EventFilter): Promise<number> {
    const ids = (
      await filtered(db, { ...f, archived: false })
        .select('id')
        .execute()
    ).map((r) => r.id);
    await eachChunk(ids, (chunk) => db.updateTable('events').set({ archived: 1 }).where('id', 'in', chunk).execute());
    return ids.length;
  },
  async remove(db: Db, f: EventFilter): Promise<number> {
    const ids = (await filtered(db, f).select('id').execute()).map((r) => r.id);
    await eachChunk(ids, (chunk) => db.deleteFrom('events').where('id', 'in', chunk).execute());
    return ids.length;
  },
};

export const eventRows = rowsOf('events');
