import type { Clock } from '../../domain/clock.js';
import { newId } from '../../domain/ids.js';
import type { Db } from '../../store/db.js';
import { eventRows } from '../../store/event.store.js';

export interface NewEvent {
  type: string;
  description: string;
  accountId: string;
  domainId: string;
  userId?: string | null;
  resourceId?: string | null;
  resourceType?: string | null;
  level?: 'INFO' | 'WARN' | 'ERROR';
}

/** Records a completed action, in the transaction that did it. */
export async function eventLog(db: Db, clock: Clock, e: NewEvent): Promise<void> {
  await eventRows.insert(db, {
    id: newId(),
    type: e.type,
    level: e.level ?? 'INFO',
    description: e.description,
    state: 'Completed',
    accountId: e.accountId,
    userId: e.userId ?? null,
    domainId: e.domainId,
    resourceId: e.resourceId ?? null,
    resourceType: e.resourceType ?? null,
    created: clock.now(),
  });
}
