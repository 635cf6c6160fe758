import { randomBytes } from 'node:crypto';
import type { CsParams } from '../bridge/port.js';
import { jobErrorText, type CsCommand } from '../bridge/wire-call.js';
import { csCall, type GceContext } from './context.js';
import { notFound, operationError, type OperationError } from './errors.js';
import { numericId, rfc3339 } from './ids.js';
import type { OperationRow } from './store/store.js';

/**
 * Operations: one per mutation, backed by the CloudStack jobs it started. Nothing blocks on a job:
 * the Operation is PENDING when created, RUNNING while its jobs run, and DONE when they have all
 * finished, with `error` (mapped from the job's result code) when one failed. A failed mutation is
 * undone (a half-created instance is destroyed), so what the error reports is all that happened.
 * Purely local mutations (metadata, network tags) get Operations that are DONE at once.
 * registerTemplate starts no job the caller can follow, so an Operation may also watch a template
 * (`template:<id>` among its jobs) until CloudStack reports it ready, as an image insert is DONE
 * when the image is READY.
 */
export type OpScope = 'zone' | 'region' | 'global';

/** A CloudStack command that undoes part of a mutation. */
export interface UndoStep {
  command: CsCommand;
  params: CsParams;
}

export interface Followup {
  /** CloudStack commands that undo the mutation when a job fails. */
  failure: UndoStep[];
  /** An instance whose front record goes when the operation fails / succeeds. */
  dropOnFailure?: string;
  dropOnSuccess?: string;
  /** Front records of disks or images that go with the mutation when it fails / succeeds. */
  records?: { table: 'disks' | 'images' | 'snapshots'; id: string; on: 'failure' | 'success' }[];
}

export interface NewOperation {
  type: string;
  scope: OpScope;
  location: string;
  targetLink: string;
  targetId: string;
  jobs: string[];
  followup?: Followup;
  requestId?: string;
}

const opName = (now: number) =>
  `operation-${now}-${randomBytes(7).toString('hex').slice(0, 13)}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;

export async function startOperation(ctx: GceContext, o: NewOperation): Promise<Record<string, unknown>> {
  const now = ctx.clock.now();
  const name = opName(now);
  const row: OperationRow = {
    name,
    id: numericId(name),
    accountId: ctx.ownerId,
    project: ctx.project,
    scope: o.scope,
    location: o.location,
    type: o.type,
    targetLink: o.targetLink,
    targetId: o.targetId,
    user: ctx.identity.email,
    insertTime: now,
    startTime: now,
    endTime: o.jobs.length ? 0 : now,
    status: o.jobs.length ? 'PENDING' : 'DONE',
    jobs: JSON.stringify(o.jobs),
    error: null,
    httpStatus: 0,
    undo: JSON.stringify(o.followup ?? { failure: [] }),
    requestId: o.requestId ?? null,
  };
  await ctx.store.saveOperation(row);
  if (!o.jobs.length) await settle(ctx, row, undefined);
  return operationView(ctx, row);
}

/** A repeated request with the same `requestId` gets the original Operation back. */
export async function replayed(
  ctx: GceContext,
  requestId: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (!requestId) return undefined;
  const row = await ctx.store.operationByRequest(ctx.ownerId, requestId);
  return row && operationView(ctx, await refresh(ctx, row));
}

const refreshing = new Map<string, Promise<OperationRow>>();

/** Brings an unfinished Operation up to date with its CloudStack jobs (one refresh at a time per op). */
export function refresh(ctx: GceContext, row: OperationRow): Promise<OperationRow> {
  if (row.status === 'DONE') return Promise.resolve(row);
  let p = refreshing.get(row.name);
  if (!p) {
    p = poll(ctx, row).finally(() => refreshing.delete(row.name));
    refreshing.set(row.name, p);
  }
  return p;
}

async function poll(ctx: GceContext, stale: OperationRow): Promise<OperationRow> {
  const row = (await ctx.store.operation(stale.accountId, stale.name)) ?? stale;
  if (row.status === 'DONE') return row;
  const pending: string[] = [];
  let failed: OperationError | undefined = row.error ? (JSON.parse(row.error) as OperationError) : undefined;
  for (const jobid of JSON.parse(row.jobs) as string[]) {
    const j = jobid.startsWith(TEMPLATE_WATCH)
      ? await templateJob(ctx, jobid.slice(TEMPLATE_WATCH.length))
      : await jobState(ctx, jobid);
    if (j.status === 0) pending.push(jobid);
    else if (j.status === 2) failed ??= operationError(j.code, j.text ?? 'The operation failed');
  }
  row.jobs = JSON.stringify(pending);
  row.error = failed ? JSON.stringify(failed) : null;
  if (pending.length) {
    row.status = 'RUNNING';
    await ctx.store.saveOperation(row);
    return row;
  }
  await settle(ctx, row, failed);
  return row;
}

/** Runs the CloudStack commands that undo a half-done mutation; their own failures are not the caller's. */
export async function undo(ctx: GceContext, steps: Followup['failure']): Promise<void> {
  for (const step of steps) {
    const r = await csCall(ctx, step.command, step.params);
    // Users may not be allowed to expunge; destroying is still an undo (GCE hides destroyed VMs).
    if (r.status === 431 && step.params['expunge'])
      await csCall(ctx, step.command, { ...step.params, expunge: undefined });
  }
}

export const TEMPLATE_WATCH = 'template:';

/** Where a job stands: 0 running, 1 done, 2 failed (with CloudStack's code and text). */
interface JobState {
  status: number;
  code: number;
  text?: string;
}

/** A CloudStack job; an error answer to the query fails it with that error. */
async function jobState(ctx: GceContext, jobid: string): Promise<JobState> {
  const r = await csCall(ctx, 'queryAsyncJobResult', { jobid });
  if (r.error) return { status: 2, code: r.status, text: r.error.errortext };
  return {
    status: Number(r.body.jobstatus),
    code: Number(r.body.jobresultcode ?? r.status),
    text: jobErrorText(r.body),
  };
}

/** A template's download as if it were a job: pending until ready, failed on a download error. */
async function templateJob(ctx: GceContext, id: string): Promise<JobState> {
  const r = await csCall(ctx, 'listTemplates', { templatefilter: 'self', id });
  if (r.error) return { status: 2, code: r.status, text: r.error.errortext };
  const t = (r.body.template ?? [])[0];
  if (!t) return { status: 2, code: 530, text: `Image ${id} is gone` };
  if (t.isready) return { status: 1, code: 0 };
  const broken = /error|fail|abandon/i.test(String(t.status ?? ''));
  return broken ? { status: 2, code: 530, text: String(t.status) } : { status: 0, code: 0 };
}

/** Marks an Operation DONE and runs its follow-up: the undo on failure, record clean-up either way. */
async function settle(ctx: GceContext, row: OperationRow, failed: OperationError | undefined): Promise<void> {
  const f = JSON.parse(row.undo) as Followup;
  if (failed) {
    await undo(ctx, f.failure);
    if (f.dropOnFailure) await ctx.store.dropInstance(f.dropOnFailure);
    row.httpStatus = failed.http;
  } else if (f.dropOnSuccess) await ctx.store.dropInstance(f.dropOnSuccess);
  for (const r of f.records ?? []) if ((r.on === 'failure') === !!failed) await ctx.store.dropRecord(r.table, r.id);
  row.status = 'DONE';
  row.endTime = ctx.clock.now();
  await ctx.store.saveOperation(row);
}

export function operationView(ctx: GceContext, row: OperationRow): Record<string, unknown> {
  const error = row.error ? (JSON.parse(row.error) as OperationError) : undefined;
  const where =
    row.scope === 'zone'
      ? { zone: ctx.links.zone(row.location) }
      : row.scope === 'region'
        ? { region: ctx.links.region(row.location) }
        : {};
  const self =
    row.scope === 'zone'
      ? ctx.links.zonal(row.location, 'operations', row.name)
      : row.scope === 'region'
        ? ctx.links.regional(row.location, 'operations', row.name)
        : ctx.links.global('operations', row.name);
  return {
    kind: 'compute#operation',
    id: row.id,
    name: row.name,
    operationType: row.type,
    targetLink: row.targetLink,
    targetId: row.targetId,
    status: row.status,
    user: row.user,
    progress: row.status === 'DONE' ? 100 : 0,
    insertTime: rfc3339(Number(row.insertTime)),
    startTime: rfc3339(Number(row.startTime)),
    ...(row.status === 'DONE' ? { endTime: rfc3339(Number(row.endTime)) } : {}),
    ...where,
    ...(error && row.status === 'DONE'
      ? { error: { errors: error.errors }, httpErrorStatusCode: error.http, httpErrorMessage: error.httpMessage }
      : {}),
    selfLink: self,
  };
}

export async function findOperation(
  ctx: GceContext,
  scope: OpScope,
  location: string,
  name: string,
): Promise<OperationRow> {
  const row = await ctx.store.operation(ctx.ownerId, name);
  if (!row || row.scope !== scope || row.location !== location) {
    const where = scope === 'zone' ? `zones/${location}` : scope === 'region' ? `regions/${location}` : 'global';
    throw notFound(`projects/${ctx.project}/${where}/operations/${name}`);
  }
  return refresh(ctx, row);
}

/** operations.wait: returns when the Operation is DONE or after about two minutes, as Google's does. */
export async function waitFor(ctx: GceContext, row: OperationRow, maxMs = 120_000): Promise<OperationRow> {
  const end = Date.now() + maxMs;
  let delay = 2;
  let cur = await refresh(ctx, row);
  while (cur.status !== 'DONE' && Date.now() < end) {
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
    cur = await refresh(ctx, cur);
  }
  return cur;
}
