import type { CloudStackPort, Credentials, CsParams } from '../bridge/port.js';
import type { CsBody, CsItem, CsLists, CsObject } from './cloudstack.types.js';
import type { Clock } from '../domain/clock.js';
import { fromCloudStack } from './errors.js';
import type { Links } from './ids.js';
import type { GceStore } from './store/store.js';

/** Who a token stands for, as CloudStack reports it (listUsers with the token's key pair). */
export interface Identity {
  accountId: string;
  account: string;
  domainId: string;
  userId: string;
  email: string;
  /** The caller's own project: the account name as a GCE project id. */
  project: string;
}

/** What a handler needs: the caller's key pair and identity, the port, the front's store. */
export interface GceContext {
  creds: Credentials;
  identity: Identity;
  port: CloudStackPort;
  store: GceStore;
  clock: Clock;
  links: Links;
  /** The project named in the path. */
  project: string;
  /** Extra parameters that aim CloudStack commands at the project (projectid for CloudStack projects). */
  scope: CsParams;
  /** The project's account id (the caller's account, or the CloudStack project's id). */
  ownerId: string;
  /** Answers shared by the lookups of one request (zones, offerings, templates). */
  memo: Map<string, Promise<unknown>>;
}

/** Commands that take `projectid` and so follow the request into a CloudStack project. */
const PROJECT_SCOPED = new Set([
  'listVirtualMachines', 'deployVirtualMachine', 'listVolumes', 'listSecurityGroups', 'createSecurityGroup', 'listSSHKeyPairs',
  'registerSSHKeyPair', 'listTags', 'listNetworks', 'createVolume', 'registerTemplate', 'createTemplate',
]);

/**
 * A CloudStack answer as the front reads it: the status and the object under `<command>response`,
 * which is the command's answer on a 200 and an error (`errortext`) otherwise: either may lack a field.
 */
export interface CsReply<C extends string = string> {
  status: number;
  body: Partial<CsBody<C>> & CsObject;
}

export async function csCall<C extends string>(ctx: GceContext, command: C, params: CsParams = {}): Promise<CsReply<C>> {
  const r = await ctx.port.call(ctx.creds, command, PROJECT_SCOPED.has(command) ? { ...params, ...ctx.scope } : params);
  return r as CsReply<C>;
}

/** One CloudStack command; a CloudStack error becomes the Compute Engine error for it. */
export async function cs<C extends string>(ctx: GceContext, command: C, params: CsParams = {}): Promise<CsBody<C>> {
  const r = await csCall(ctx, command, params);
  if (r.status !== 200) throw fromCloudStack(r.status, String(r.body['errortext'] ?? `CloudStack ${command} failed`));
  // The wire is trusted here, once: cloudstack.types.ts says what each command's view renders.
  return r.body as CsBody<C>;
}

const PAGE = 500;

/** Every page of a CloudStack list. */
export async function csList<C extends keyof CsLists>(ctx: GceContext, command: C, key: Exclude<keyof CsLists[C], 'count'>, params: CsParams = {}): Promise<CsItem<C>[]> {
  const out: CsItem<C>[] = [];
  for (let page = 1; ; page++) {
    const body = await cs(ctx, command, { ...params, page, pagesize: PAGE });
    const items = (body[key] ?? []) as CsItem<C>[];
    out.push(...items);
    if (items.length < PAGE || out.length >= Number(body['count'] ?? 0)) return out;
  }
}

/** A lookup done once per request, however many handlers ask for it. */
export function memo<T>(ctx: GceContext, key: string, load: () => Promise<T>): Promise<T> {
  let hit = ctx.memo.get(key) as Promise<T> | undefined;
  if (!hit) {
    hit = load();
    ctx.memo.set(key, hit);
  }
  return hit;
}

/** An async CloudStack command: its job id (the Operation follows it), or the error now. */
export async function csJob(ctx: GceContext, command: string, params: CsParams = {}): Promise<{ jobid: string; id?: string }> {
  const body = await cs(ctx, command, params);
  return { jobid: String(body['jobid']), id: body['id'] as string | undefined };
}
