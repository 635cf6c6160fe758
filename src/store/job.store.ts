import { sql } from 'kysely';
import type { Db } from './db.js';
import { dialectOf } from './dialect.js';
import { inChunks, inList } from './idlist.js';
import type { Job, JobStatus } from '../domain/types.js';

export const jobStore = {
  async insert(db: Db, job: Job): Promise<void> {
    await db.insertInto('jobs').values(job).execute();
  },
  get(db: Db, id: string): Promise<Job | undefined> {
    return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /**
   * One statement claims up to `limit` of the oldest pending jobs, so two runners can never take the
   * same row; on PostgreSQL rows another node is claiming are skipped rather than waited for. Oldest first.
   */
  async claimBatch(db: Db, owner: string, now: number, limit: number): Promise<Job[]> {
    const oldest = db
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 0)
      .where('owner', 'is', null)
      .orderBy('created')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    const rows = await db
      .updateTable('jobs')
      .set({ owner, heartbeat: now })
      // PostgreSQL: `= any(array(...))` runs the pick once; as `IN (...)` it may become a join whose recheck of a row
      // another claimer just took runs the LIMITed pick again and returns fewer rows than are pending.
      .where(
        dialectOf(db) === 'postgres'
          ? (eb) => eb(eb.ref('id'), '=', sql<string>`any(array(${oldest}))`)
          : (eb) => eb('id', 'in', oldest),
      )
      .where('owner', 'is', null)
      .returningAll()
      .execute();
    // RETURNING follows no order; the queue is served oldest first.
    return (rows as Job[]).sort((a, b) => a.created - b.created);
  },
  async claimNext(db: Db, owner: string, now: number): Promise<Job | undefined> {
    return (await jobStore.claimBatch(db, owner, now, 1))[0];
  },
  /** False when the job is no longer this owner's (another node took it over): its result is dropped. */
  async complete(db: Db, id: string, owner: string, status: JobStatus, result: string, now: number): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set({ status, result, completed: now, resultCode: status === 1 ? 0 : 1 })
      .where('id', '=', id)
      .where('owner', '=', owner)
      .where('status', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  async heartbeat(db: Db, owner: string, now: number): Promise<void> {
    await db.updateTable('jobs').set({ heartbeat: now }).where('owner', '=', owner).where('status', '=', 0).execute();
  },
  /** Pending jobs of one owner go back to the queue (it stopped). */
  async release(db: Db, owner: string): Promise<number> {
    const r = await db
      .updateTable('jobs')
      .set({ owner: null })
      .where('owner', '=', owner)
      .where('status', '=', 0)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Every pending job goes back to the queue (a loaded snapshot's jobs are this process's to resume). */
  async releaseAll(db: Db): Promise<void> {
    await db.updateTable('jobs').set({ owner: null }).where('status', '=', 0).execute();
  },
  /** Pending jobs whose owner is not a node that is Up go back to the queue, to be resumed by whoever claims them. */
  async releaseOrphans(db: Db): Promise<number> {
    const r = await db
      .updateTable('jobs')
      .set({ owner: null })
      .where('status', '=', 0)
      .where('owner', 'is not', null)
      .where('owner', 'not in', db.selectFrom('managementServers').select('runId').where('state', '=', 'Up'))
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  list(db: Db, f: { accountIds?: string[]; since?: number; limit?: number; offset?: number }): Promise<Job[]> {
    let q = db.selectFrom('jobs').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.since !== undefined) q = q.where('created', '>=', f.since);
    return q.orderBy('created', 'desc').execute();
  },
  /** Jobs that finished at or after `since` (ms), oldest first. */
  finishedSince(db: Db, since: number): Promise<Job[]> {
    return db.selectFrom('jobs').selectAll().where('completed', '>=', since).orderBy('completed').limit(1000).execute();
  },
  /** The pending job acting on each object, for the jobid/jobstatus fields of list responses. */
  async pendingFor(db: Db, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await inChunks(ids, (chunk) =>
      db
        .selectFrom('jobs')
        .select(['id', 'instanceId'])
        .where('status', '=', 0)
        .where('instanceId', 'in', chunk)
        .execute(),
    );
    return new Map(rows.map((r) => [r.instanceId!, r.id]));
  },
};
