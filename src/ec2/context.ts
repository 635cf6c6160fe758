import { createHash } from 'node:crypto';
import type { CloudStackPort, Credentials, CsParams } from '../bridge/port.js';
import type { Clock } from '../domain/clock.js';
import { ec2Error } from './errors.js';
import type { Ids } from './ids.js';
import type { Ec2Store } from './store.js';
import type { WireAnswers, WireJob, WireJobResults, WireLists } from '../cloudstack/wire.js';
import { jobErrorText, wireBody, wireCall, wireList, type CsCommand, type CsReply } from '../bridge/wire-call.js';

/** What an action needs: the caller's CloudStack key pair, the port, ids and the front's store. */
export interface Ec2Context {
  creds: Credentials;
  port: CloudStackPort;
  ids: Ids;
  store: Ec2Store;
  clock: Clock;
  region: string;
  requestId: string;
}

/** CloudStack errors as EC2 reports them (each action may catch narrower cases first). */
export function fromCloudStack(status: number, text: string): Error {
  if (status === 533 || status === 534)
    return ec2Error('InsufficientInstanceCapacity', `Insufficient capacity. ${text}`);
  if (status === 532 || status === 535) return ec2Error('InstanceLimitExceeded', text);
  if (status === 531) return ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
  if (status === 536) return ec2Error('DependencyViolation', text);
  if (status === 537) return ec2Error('InvalidPermission.Duplicate', text);
  if (status === 429) return ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
  if (status === 401) return ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
  if (status >= 500) return ec2Error('InternalError', 'An internal error has occurred');
  return ec2Error('InvalidParameterValue', text);
}

/** One CloudStack command, its answer typed by the command (src/bridge/wire-call.ts). */
export function csCall<C extends CsCommand>(ctx: Ec2Context, command: C, params: CsParams = {}): Promise<CsReply<C>> {
  return wireCall(ctx.port, ctx.creds, command, params);
}

/** One CloudStack command; a CloudStack error becomes an EC2 error. */
export async function cs<C extends CsCommand>(
  ctx: Ec2Context,
  command: C,
  params: CsParams = {},
): Promise<WireAnswers[C]> {
  return wireBody(await csCall(ctx, command, params), command, fromCloudStack);
}

/** A finished job's result: its command's result object, or CloudStack's error as an EC2 error (through `map`, then fromCloudStack). */
function jobOutcome<R>(
  j: WireJob<R>,
  fallback: string,
  map: (status: number, text: string) => Error | undefined = () => undefined,
): R | undefined {
  if (j.jobstatus === 1) return (j.jobresult ?? {}) as R;
  if (j.jobstatus === 2) {
    const text = jobErrorText(j) ?? fallback;
    throw map(Number(j.jobresultcode), text) ?? fromCloudStack(Number(j.jobresultcode), text);
  }
  return undefined;
}

/** Runs an async CloudStack command to its end (EC2 actions that answer after the work). */
export async function csJob<C extends keyof WireJobResults>(
  ctx: Ec2Context,
  command: C,
  params: CsParams = {},
): Promise<WireJobResults[C]> {
  const { jobid } = await cs(ctx, command, params);
  return waitJob<WireJobResults[C]>(ctx, jobid, `${command} failed`);
}

/** Waits for a job already started to end (queryAsyncJobResult). */
export async function waitJob<R>(ctx: Ec2Context, jobid: string, fallback = 'job failed'): Promise<R> {
  for (;;) {
    const j = (await cs(ctx, 'queryAsyncJobResult', { jobid })) as WireJob<R>;
    const out = jobOutcome(j, fallback);
    if (out !== undefined) return out;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const memos = new WeakMap<Ec2Context, Map<string, Promise<unknown>>>();

/** A lookup done once per request, however many instances ask for it. */
export function memo<T>(ctx: Ec2Context, key: string, load: () => Promise<T>): Promise<T> {
  let m = memos.get(ctx);
  if (!m) memos.set(ctx, (m = new Map()));
  let hit = m.get(key) as Promise<T> | undefined;
  if (!hit) m.set(key, (hit = load()));
  return hit;
}

/**
 * Waits a little (real time) for an async command's job: long enough for the checks CloudStack
 * makes when the job starts, not for the simulated work. Undefined while it still runs; an EC2
 * error (through `map`, then fromCloudStack) when it failed.
 */
export async function csJobBrief(
  ctx: Ec2Context,
  jobid: string,
  map: (status: number, text: string) => Error | undefined = () => undefined,
  ms = 250,
): Promise<Record<string, unknown> | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
    const out = jobOutcome(j, 'failed', map);
    if (out !== undefined) return out;
    if (Date.now() > until) return undefined;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** All pages of a CloudStack list. */
export function csList<C extends keyof WireLists, K extends keyof WireLists[C] & string>(
  ctx: Ec2Context,
  command: C,
  key: K,
  params: CsParams = {},
): Promise<WireLists[C][K][]> {
  return wireList((page) => cs(ctx, command, page), key, params);
}

const owners = new Map<string, string>();

/** A 12-digit owner id derived from the CloudStack account id; kept, as every instance of a listing asks for it thrice. */
export function ownerId(accountId: string): string {
  let id = owners.get(accountId);
  if (id === undefined) {
    id = String(BigInt(`0x${createHash('sha256').update(accountId).digest('hex').slice(0, 12)}`) % 10n ** 12n);
    if (owners.size > 100_000) owners.clear();
    owners.set(accountId, (id = id.padStart(12, '0')));
  }
  return id;
}

/** CloudStack dates (2024-05-01T12:34:56+0000) as epoch ms. */
export const csTime = (s: string | undefined): number =>
  s ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : 0;
