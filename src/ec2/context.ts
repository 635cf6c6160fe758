import { createHash } from 'node:crypto';
import type { CloudStackPort, Credentials, CsParams } from '../bridge/port.js';
import type { Clock } from '../domain/clock.js';
import { ec2Error } from './errors.js';
import type { Ids } from './ids.js';
import type { Ec2Store } from './store.js';

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
  if (status === 533 || status === 534) return ec2Error('InsufficientInstanceCapacity', `Insufficient capacity. ${text}`);
  if (status === 532 || status === 535) return ec2Error('InstanceLimitExceeded', text);
  if (status === 531) return ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation.');
  if (status === 536) return ec2Error('DependencyViolation', text);
  if (status === 537) return ec2Error('InvalidPermission.Duplicate', text);
  if (status === 429) return ec2Error('RequestLimitExceeded', 'Request limit exceeded.');
  if (status === 401) return ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials');
  if (status >= 500) return ec2Error('InternalError', 'An internal error has occurred');
  return ec2Error('InvalidParameterValue', text);
}

/** One CloudStack command; a CloudStack error becomes an EC2 error unless `tolerate` lists its status. */
export async function cs(ctx: Ec2Context, command: string, params: CsParams = {}): Promise<Record<string, any>> {
  const r = await ctx.port.call(ctx.creds, command, params);
  if (r.status !== 200) throw fromCloudStack(r.status, String(r.body['errortext'] ?? `CloudStack ${command} failed`));
  return r.body;
}

/** Runs an async CloudStack command to its end (EC2 actions that answer after the work). */
export async function csJob(ctx: Ec2Context, command: string, params: CsParams = {}): Promise<Record<string, any>> {
  const { jobid } = await cs(ctx, command, params);
  for (;;) {
    const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
    if (j['jobstatus'] === 1) return j['jobresult'] ?? {};
    if (j['jobstatus'] === 2) throw fromCloudStack(Number(j['jobresultcode']), String(j['jobresult']?.errortext ?? `${command} failed`));
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
export async function csJobBrief(ctx: Ec2Context, jobid: string, map: (status: number, text: string) => Error | undefined = () => undefined, ms = 250): Promise<Record<string, any> | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const j = await cs(ctx, 'queryAsyncJobResult', { jobid });
    if (j['jobstatus'] === 1) return j['jobresult'] ?? {};
    if (j['jobstatus'] === 2) {
      const text = String(j['jobresult']?.errortext ?? 'failed');
      throw map(Number(j['jobresultcode']), text) ?? fromCloudStack(Number(j['jobresultcode']), text);
    }
    if (Date.now() > until) return undefined;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** All pages of a CloudStack list. */
export async function csList(ctx: Ec2Context, command: string, key: string, params: CsParams = {}): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const body = await cs(ctx, command, { ...params, page, pagesize: 500 });
    const items = (body[key] ?? []) as any[];
    out.push(...items);
    if (items.length < 500 || out.length >= Number(body['count'] ?? 0)) return out;
  }
}

/** A 12-digit owner id derived from the CloudStack account id. */
export const ownerId = (accountId: string): string => String(BigInt(`0x${createHash('sha256').update(accountId).digest('hex').slice(0, 12)}`) % 10n ** 12n).padStart(12, '0');

/** CloudStack dates (2024-05-01T12:34:56+0000) as epoch ms. */
export const csTime = (s: string | undefined): number => (s ? Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) : 0);
