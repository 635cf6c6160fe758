import type { Event } from '../domain/types.js';
import type { Store } from '../store/db.js';
import type { Caller } from './context.js';
import { scopeAccounts, type ListScope } from './scope.js';

export class EventService {
  constructor(private store: Store) {}

  async list(caller: Caller, scope: ListScope, f: { type?: string; level?: string; keyword?: string; startDate?: number }): Promise<Event[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    let q = this.store.db.selectFrom('events').selectAll();
    if (accounts) q = q.where('accountId', 'in', accounts.length ? accounts : ['']);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.level) q = q.where('level', '=', f.level);
    if (f.keyword) q = q.where('description', 'like', `%${f.keyword}%`);
    if (f.startDate !== undefined) q = q.where('created', '>=', f.startDate);
    return q.orderBy('created', 'desc').execute();
  }
}
