import type { CloudStackPort, Credentials, CsParams } from '../bridge/port.js';
import { wireBody, wireCall, wireList, type CsCommand, type CsReply } from '../bridge/wire-call.js';
import type { WireAnswers, WireJobResults, WireJobStart, WireLists } from '../cloudstack/wire.js';
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
  'listVirtualMachines',
  'deployVirtualMachine',
  'listVolumes',
  'listSecurityGroups',
  'createSecurityGroup',
  'listSSHKeyPairs',
  'registerSSHKeyPair',
  'listTags',
  'listNetworks',
  'createVolume',
  'registerTemplate',
  'createTemplate',
]);

/** One CloudStack command, its answer typed by the command (src/bridge/wire-call.ts), aimed at the request's project. */
export function csCall<C extends CsCommand>(ctx: GceContext, command: C, params: CsParams = {}): Promise<CsReply<C>> {
  return wireCall(ctx.port, ctx.creds, command, PROJECT_SCOPED.has(command) ? { ...params, ...ctx.scope } : params);
}

/** One CloudStack command; a CloudStack error becomes the Compute Engine error for it. */
export async function cs<C extends CsCommand>(
  ctx: GceContext,
  command: C,
  params: CsParams = {},
): Promise<WireAnswers[C]> {
  return wireBody(await csCall(ctx, command, params), command, fromCloudStack);
}

/** Every page of a CloudStack list. */
export function csList<C extends keyof WireLists, K extends keyof WireLists[C] & string>(
  ctx: GceContext,
  command: C,
  key: K,
  params: CsParams = {},
): Promise<WireLists[C][K][]> {
  return wireList((page) => cs(ctx, command, page), key, params);
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
export async function csJob<C extends keyof WireJobResults>(
  ctx: GceContext,
  command: C,
  params: CsParams = {},
): Promise<WireJobStart> {
  const body: WireJobStart = await cs(ctx, command, params);
  return { jobid: String(body.jobid), id: body.id };
}
