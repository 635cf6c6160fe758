import type { Clock } from '../domain/clock.js';
import { DomainError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { Job } from '../domain/types.js';
import type { Caller } from '../domain/caller.js';
import type { Db, Store } from '../store/db.js';
import { jobStore } from '../store/job.store.js';
import { ClusterNode, type NodeOptions } from './cluster.js';

/** What a finished job produced, neutral of any front. */
export type JobResult =
  /** `data`: what the answer says besides the object itself (an operation's result fields), rendered with it. */
  | { type: 'object'; instanceType: string; id: string; data?: Record<string, unknown> }
  | { type: 'success' }
  | { type: 'error'; code: DomainError['code']; message: string; details: DomainError['details'] };

export interface JobContext<P> {
  jobId: string;
  caller: Caller;
  params: P;
}

export type JobHandler<P = any> = (ctx: JobContext<P>) => Promise<JobResult>;

export interface Submission {
  /** The front's own name for what was asked (CloudStack: the command class). */
  cmd: string;
  kind: string;
  params: unknown;
  instanceType?: string;
  instanceId?: string;
}

/** Jobs claimed by one statement: enough to keep a burst moving, few enough to leave work for the other nodes. */
const CLAIM_BATCH = 32;

/**
 * Persisted asynchronous jobs. A job row is written in the same transaction as the work it
 * stands for; a runner claims pending rows and runs their kind's handler. Rows left pending
 * by a stopped process are claimed again at start, so handlers are written to be re-run.
 */
export class JobEngine {
  private handlers = new Map<string, JobHandler>();
  private inflightJobs = new Map<string, Promise<void>>();
  private stopping = false;
  private pumping = false;
  private again = false;
  /** Pending jobs may be waiting: set by every kick, cleared by a claim that found fewer than it asked for. */
  private queued = true;
  /** In-process callers of `wait`, told when a job this node ran has finished. */
  private waiters = new Map<string, Set<() => void>>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** This run's id: the owner of the jobs it claims. */
  readonly nodeId = newId();
  cluster: ClusterNode | undefined;
  private nodeOptions: NodeOptions = {};

  constructor(
    private store: Store,
    private clock: Clock,
    private resolveCaller: (userId: string) => Promise<Caller | undefined>,
    private log: (msg: string, err?: unknown) => void = () => {},
    private maxConcurrent = 256,
    /** The periodic look for pending jobs nobody announced (a missed signal); announced ones start at once. */
    private sweepMs = 1000,
  ) {}

  register<P>(kind: string, handler: JobHandler<P>): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} registered twice`);
    this.handlers.set(kind, handler as JobHandler);
  }

  /** Writes the job row; call `kick()` after the surrounding transaction commits. */
  async submit(db: Db, caller: Caller, s: Submission): Promise<string> {
    if (!this.handlers.has(s.kind)) throw new Error(`no handler for job kind ${s.kind}`);
    const job: Job = {
      id: newId(),
      accountId: caller.accountId,
      userId: caller.userId,
      domainId: caller.domainId,
      cmd: s.cmd,
      kind: s.kind,
      params: JSON.stringify(s.params ?? {}),
      status: 0,
      resultCode: 0,
      result: null,
      instanceType: s.instanceType ?? null,
      instanceId: s.instanceId ?? null,
      created: this.clock.now(),
      completed: null,
      owner: null,
      heartbeat: null,
    };
    await jobStore.insert(db, job);
    // Every node hears of it once the row is committed; any of them may claim it.
    await this.store.signals.publishIn(db, 'jobs');
    return job.id;
  }

  /** Submits in its own transaction and starts it at once. */
  async run(caller: Caller, s: Submission): Promise<string> {
    const id = await this.store.tx((trx) => this.submit(trx, caller, s));
    this.kick();
    return id;
  }

  /**
   * Joins the cluster of nodes on this database and starts claiming jobs. Jobs of nodes that have
   * gone (on SQLite: any earlier process) are taken over: their handlers resume or roll back.
   */
  async start(node?: NodeOptions): Promise<void> {
    // Started again (after a reset) without options, the process rejoins as the node it was: same name,
    // so the same managementServers row comes back Up instead of a Down one beside a new one.
    if (node) this.nodeOptions = node;
    this.stopping = false;
    this.unsubscribe = this.store.signals.subscribe('jobs', () => this.kick());
    this.cluster = new ClusterNode(this.store, this.nodeId, this.nodeOptions, () => this.kick(), this.log);
    await this.cluster.join();
    this.kick();
    this.timer = setInterval(() => this.kick(), this.sweepMs);
    this.timer.unref();
  }

  /** There may be jobs to claim (one was submitted, released, or the periodic check): claim them now. */
  kick(): void {
    this.queued = true;
    this.drive();
  }

  private drive(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump()
      .catch((e) => this.log('claiming jobs failed', e))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.drive();
        }
      });
  }

  /**
   * Claims pending jobs a batch at a time (one statement each) and starts them all; the loop ends when
   * the queue is empty or this node runs `maxConcurrent`. A job's end or a new job's signal calls it again.
   */
  private async pump(): Promise<void> {
    while (!this.stopping && this.queued && this.inflightJobs.size < this.maxConcurrent) {
      const want = Math.min(CLAIM_BATCH, this.maxConcurrent - this.inflightJobs.size);
      // Cleared before the claim: a job submitted while it runs kicks again and is not missed.
      this.queued = false;
      const batch = await jobStore.claimBatch(this.store.db, this.nodeId, this.clock.now(), want);
      if (batch.length === want) this.queued = true; // there may be more
      // The jobs of one batch were submitted by few users: each is resolved once for the batch.
      const callers = new Map<string, Promise<Caller | undefined>>();
      const callerOf = (userId: string) => {
        let c = callers.get(userId);
        if (!c) callers.set(userId, (c = this.resolveCaller(userId)));
        return c;
      };
      for (const job of batch) {
        const p = this.execute(job, callerOf).finally(() => {
          this.inflightJobs.delete(job.id);
          this.settled(job.id);
          // A free slot: claim more only if the last claim left some behind (or a kick said so since).
          this.drive();
        });
        this.inflightJobs.set(job.id, p);
      }
    }
  }

  private async execute(job: Job, callerOf: (userId: string) => Promise<Caller | undefined>): Promise<void> {
    const handler = this.handlers.get(job.kind);
    let result: JobResult;
    try {
      const caller = await callerOf(job.userId);
      if (!handler) throw new DomainError('Unsupported', `no handler for job kind ${job.kind}`);
      if (!caller) throw new DomainError('Unauthorized', 'the user who submitted this job no longer exists');
      result = await handler({ jobId: job.id, caller, params: JSON.parse(job.params) });
    } catch (e) {
      if (this.stopping && !(e instanceof DomainError)) return; // left pending; the next start resumes it
      if (!(e instanceof DomainError)) this.log(`job ${job.id} (${job.kind}) failed unexpectedly`, e);
      result =
        e instanceof DomainError
          ? { type: 'error', code: e.code, message: e.message, details: e.details }
          : {
              type: 'error',
              code: 'AgentFailure',
              message: 'Internal error executing command, please contact your system administrator',
              details: {},
            };
    }
    const mine = await jobStore.complete(
      this.store.db,
      job.id,
      this.nodeId,
      result.type === 'error' ? 2 : 1,
      JSON.stringify(result),
      this.clock.now(),
    );
    if (!mine)
      this.log(`job ${job.id} was taken over by another node while this one ran it; its result here is dropped`);
  }

  /** Waits for running jobs to finish (up to `graceMs`); the rest stay pending for the next start. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const inflight = [...this.inflightJobs.values()];
    // The grace timer goes when the jobs end first: left running, it held the process open for graceMs
    // after every stop (each closed server, each state import), although nothing was left to wait for.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(inflight), new Promise((r) => (grace = setTimeout(r, graceMs)))]);
    clearTimeout(grace);
    this.stopping = true;
    this.unsubscribe?.();
    await this.cluster?.leave();
  }

  /** Jobs this process is running now. */
  get running(): number {
    return this.inflightJobs.size;
  }

  get(id: string): Promise<Job | undefined> {
    return jobStore.get(this.store.db, id);
  }

  /**
   * Resolves when the job has finished (for in-process callers and tests): at once when this node runs it;
   * a job another node runs is read again every `pollMs`.
   */
  async wait(id: string, pollMs = 50): Promise<Job> {
    for (;;) {
      let wake: (() => void) | undefined;
      const woken = new Promise<void>((r) => (wake = r));
      const set = this.waiters.get(id) ?? new Set();
      set.add(wake!);
      this.waiters.set(id, set);
      try {
        const j = await this.get(id);
        if (!j) throw new Error(`no job ${id}`);
        if (j.status !== 0) return j;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise((r) => (timer = setTimeout(r, pollMs)))]);
        clearTimeout(timer);
      } finally {
        set.delete(wake!);
        if (!set.size && this.waiters.get(id) === set) this.waiters.delete(id);
      }
    }
  }

  /**
   * Resolves when one of the jobs ends on this node or its handler reports progress, or after `ms`:
   * a wake-up for in-process watchers (a job another node runs only ends the wait by the timer).
   */
  moved(ids: string[], ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        for (const id of ids) {
          const set = this.waiters.get(id);
          set?.delete(wake);
          if (set && !set.size) this.waiters.delete(id);
        }
        resolve();
      };
      const timer = setTimeout(wake, ms);
      for (const id of ids) this.waiters.set(id, (this.waiters.get(id) ?? new Set()).add(wake));
    });
  }

  /** A handler passed a step watchers look for (a VM placed): they look again now (see `moved`). */
  progressed(id: string): void {
    this.settled(id);
  }

  private settled(id: string): void {
    for (const wake of [...(this.waiters.get(id) ?? [])]) wake();
  }
}
