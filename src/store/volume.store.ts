import type { Db } from './db.js';
import type { Event, Volume } from '../domain/types.js';

export const volumeStore = {
  list(db: Db, f: { accountIds?: string[]; id?: string; vmId?: string; zoneId?: string; type?: string; name?: string; keyword?: string }): Promise<Volume[]> {
    let q = db.selectFrom('volumes').selectAll().where('removed', 'is', null);
    if (f.accountIds) q = q.where('accountId', 'in', f.accountIds.length ? f.accountIds : ['']);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.vmId) q = q.where('vmId', '=', f.vmId);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.type) q = q.where('type', '=', f.type.toUpperCase());
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('seq').execute();
  },
};

export const eventStore = {
  /** Events recorded at or after `since` (ms), oldest first: the feed of /_polystack/events. */
  since(db: Db, since: number): Promise<Event[]> {
    return db.selectFrom('events').selectAll().where('created', '>=', since).orderBy('created').limit(1000).execute();
  },
};
