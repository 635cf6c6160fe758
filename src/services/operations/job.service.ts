import { notFound } from '../../domain/errors.js';
import type { Job } from '../../domain/types.js';
import type { Store } from '../../store/db.js';
import { jobStore } from '../../store/job.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

/** Reading jobs, with the same ownership rules as the objects they act on. */
export class JobService {
  constructor(private store: Store) {}

  async get(caller: Caller, id: string): Promise<Job> {
    const job = await jobStore.get(this.store.db, id);
    if (!job) throw notFound('AsyncJob', id, 'jobid');
    assertAccess(caller, job, 'AsyncJob', id);
    return job;
  }

  async list(caller: Caller, scope: ListScope, f: { since?: number }): Promise<Job[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return jobStore.list(this.store.db, { accountIds: accounts, since: f.since });
  }
}
