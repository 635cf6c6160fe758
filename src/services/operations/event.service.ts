import { invalid } from '../../domain/errors.js';
import type { Event } from '../../domain/types.js';
import type { Store } from '../../store/db.js';
import { eventQueries, type EventFilter } from '../../store/event.store.js';
import { isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export interface EventSelection {
  ids?: string[];
  type?: string;
  start?: number;
  end?: number;
}

/** The archive/delete commands of events and alerts share these rules (ManagementServerImpl). */
export function checkSelection(s: EventSelection): void {
  if (!s.ids?.length && !s.type && s.end === undefined)
    throw invalid('either ids, type or enddate must be specified', 'ids');
  if (s.start !== undefined && s.end === undefined)
    throw invalid('enddate must be specified with startdate parameter', 'enddate');
}

/** listEvents, archiveEvents and deleteEvents over what the services recorded with eventLog. */
export class EventService {
  constructor(private store: Store) {}

  async list(caller: Caller, scope: ListScope, f: Omit<EventFilter, 'accountIds' | 'archived'>): Promise<Event[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return eventQueries.list(this.store.db, { ...f, accountIds: accounts, archived: false });
  }

  /** An admin's events are those of its domain's tree; a user's its own. */
  private async permitted(caller: Caller): Promise<string[] | undefined> {
    if (isRootAdmin(caller)) return undefined;
    return scopeAccounts(this.store.db, caller, { listAll: isAdmin(caller) });
  }

  async archive(caller: Caller, s: EventSelection): Promise<number> {
    checkSelection(s);
    const accountIds = await this.permitted(caller);
    return this.store.tx((trx) => eventQueries.archive(trx, { ...s, accountIds }));
  }

  async remove(caller: Caller, s: EventSelection): Promise<number> {
    checkSelection(s);
    const accountIds = await this.permitted(caller);
    return this.store.tx((trx) => eventQueries.remove(trx, { ...s, accountIds }));
  }
}
