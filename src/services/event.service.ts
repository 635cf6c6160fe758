import type { Event } from '../domain/types.js';
import type { Store } from '../store/db.js';
import { eventStore } from '../store/volume.store.js';
import type { Caller } from './context.js';
import { scopeAccounts, type ListScope } from './scope.js';

export class EventService {
  constructor(private store: Store) {}

  async list(caller: Caller, scope: ListScope, f: { type?: string; level?: string; keyword?: string; startDate?: number }): Promise<Event[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return eventStore.list(this.store.db, { ...f, accountIds: accounts });
  }
}
