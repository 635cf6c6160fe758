import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services/services.js';
import { decodePercentOrKeep } from '../domain/percent.js';
import type { Caller } from '../domain/caller.js';
import { isAdmin, isRootAdmin } from '../domain/caller.js';
import { mayCall, projectVerdict } from './access.js';
import { authenticate, handleLogin, handleLogout } from './auth.js';
import { twoFactorGate } from './twofactor.auth.js';
import type { CommandDef } from './command.js';
import { COMMANDS } from './commands/index.js';
import { encodeJson, encodeXml, errorBody, JSON_TYPE, resultBody, XML_TYPE } from './encode.js';
import { csErrors, CsError, toCsError } from './errors.js';
import { headerText } from '../http/headers.js';
import { checkControlCharacters, decodeParams, parseLong, type Params, type RawPairs } from './params.js';
import { apiSpec, paramsOf, type ApiSpec } from './spec.js';
import { idsToResolve } from './entities.js';
import type { EntityKind } from '../store/entity.store.js';
import { isUuid } from '../domain/ids.js';
import { ResponseCache } from './cache.js';
import { plainBody } from './plain.js';
import { closeList, jsonList, openList, xmlList, type OpenedList } from './stream.js';
import { Readable } from 'node:stream';

/** Response names that are not lower(command) + "response" (reference §4.1). */
const RESPONSE_NAMES: Record<string, string> = {
  restorevirtualmachine: 'restorevmresponse',
  updatevmaffinitygroup: 'updatevirtualmachineresponse',
  addiptonic: 'addiptovmnicresponse',
  activateip6: 'activateip6nicresponse',
};

export function responseName(command: string, def?: CommandDef): string {
  const lower = command.toLowerCase();
  return def?.responseName ?? RESPONSE_NAMES[lower] ?? `${lower}response`;
}

import { isStreamed, type ApiAnswer, type ApiReply, type ApiRequest, type StreamedReply } from './exchange.js';
export type { ApiReply, ApiRequest };

/**
 * Form body and query string, values decoded ('+' is a space, as the servlet's decoder has it), one
 * value per name as ApiServlet sees them: a repeated form field keeps its first value, then the
 * query string is re-decoded over the map so a query value wins and a repeated one keeps its last.
 * The signature is checked over exactly these values, so a repeated name cannot carry an unsigned
 * value to the command.
 */
export function collectPairs(req: FastifyRequest): RawPairs {
  const values = new Map<string, string>();
  if (typeof req.body === 'string' && req.body.length) {
    for (const [k, v] of new URLSearchParams(req.body)) if (!values.has(k)) values.set(k, v);
  }
  const q = req.url.indexOf('?');
  if (q >= 0) for (const [k, v] of new URLSearchParams(req.url.slice(q + 1))) values.set(k, v);
  return [...values];
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    // A value that is not valid percent-encoding is kept as sent rather than failing the request.
    out[part.slice(0, i).trim()] = decodePercentOrKeep(part.slice(i + 1).trim());
  }
  return out;
}

const find = (pairs: RawPairs, name: string): string | undefined => pairs.find(([k]) => k.toLowerCase() === name)?.[1];

const caches = new WeakMap<Services, ResponseCache>();

/** `kind id` of each uuid among them that names nothing, asked once per kind (an `ids` list of a page is hundreds). */
async function missingIds(
  services: Services,
  wanted: { name: string; kind: EntityKind; value: string }[],
): Promise<Set<string>> {
  const byKind = new Map<EntityKind, string[]>();
  for (const { kind, value } of wanted) {
    if (!isUuid(value)) continue;
    const ids = byKind.get(kind);
    if (ids) ids.push(value);
    else byKind.set(kind, [value]);
  }
  const out = new Set<string>();
  for (const [kind, ids] of byKind)
    for (const id of await services.entities.missing(kind, ids)) out.add(`${kind} ${id}`);
  return out;
}

/**
 * Every id parameter must name something that exists, before the command runs (ParamProcessWorker).
 * A numeric internal id, which ParamProcessWorker takes for a pre-3.x uuid parameter, becomes the
 * uuid of the row it numbers; one that numbers nothing is refused like an unknown uuid.
 */
async function resolveIds(services: Services, spec: ApiSpec, params: Params): Promise<Params> {
  const given = params.names().map((name) => {
    const type = paramsOf(spec).get(name)?.type;
    const values = type === 'list' ? (params.list(name) ?? []) : type === 'uuid' ? [params.str(name)!] : [];
    return { name, values };
  });
  const wanted = idsToResolve(spec.name, given);
  const missing = await missingIds(services, wanted);
  let out = params;
  for (const { name, kind, value } of wanted) {
    const single = paramsOf(spec).get(name)?.type === 'uuid';
    if (value === '-1' && single) continue;
    const n = single ? parseLong(value) : undefined;
    if (n !== undefined) {
      const id = await services.entities.byInternalId(kind, Number(n));
      if (!id) throw csErrors.badId(spec.name, name, value);
      out = out.with(name, id);
      continue;
    }
    if (!isUuid(value) || missing.has(`${kind} ${value}`)) throw csErrors.badId(spec.name, name, value);
  }
  return out;
}

/**
 * An answer before encoding: the body under `<command>response` and its status, or a reply the
 * pipeline made whole (login, logout, two-factor, a cached list). `cache` says where a list answer
 * may be kept.
 */
export type ApiOutcome =
  | {
      status: number;
      name: string;
      body: Record<string, unknown>;
      headers?: Record<string, string | string[]>;
      cache?: { key: string; version: number };
    }
  | { reply: ApiReply }
  /** A list written as it is read (its first chunk read already: a failure there was an error answer). */
  | { list: OpenedList; name: string };

const cacheOf = (services: Services): ResponseCache => {
  let cache = caches.get(services);
  if (!cache) caches.set(services, (cache = new ResponseCache()));
  return cache;
};

/** The whole CloudStack request pipeline, each answer whole (the in-process port, tests): a streamed list is collected. */
export async function handleApi(services: Services, req: ApiRequest): Promise<ApiReply> {
  return collected(services, req, await answerApi(services, req));
}

async function collected(services: Services, req: ApiRequest, a: ApiAnswer): Promise<ApiReply> {
  if (!isStreamed(a)) return a;
  try {
    let body = '';
    for await (const piece of a.stream) body += piece;
    return { status: a.status, contentType: a.contentType, headers: a.headers, body };
  } catch (e) {
    // Nothing has left yet: the failure gets the error answer it would have had unstreamed.
    return failure(services, req, e);
  }
}

/** The whole CloudStack request pipeline: auth, lookup, validation, dispatch, encoding; a big list streamed. */
export async function answerApi(services: Services, req: ApiRequest): Promise<ApiAnswer> {
  const json = find(req.pairs, 'response')?.toLowerCase() === 'json';
  const o = await apiOutcome(services, req);
  if ('reply' in o) return o.reply;
  if ('list' in o) return streamedList(services, req, o.list);
  const out = written(services, req, o, (status, body) => encodeReply(json, o.name, status, body, o.headers));
  if (o.cache && out.status === 200) cacheOf(services).set(o.cache.key, o.cache.version, out);
  return out;
}

/** The reply for an exception: a DomainError's or CsError's envelope, else a logged 530. */
function failure(services: Services, req: ApiRequest, e: unknown): ApiReply {
  const command = find(req.pairs, 'command');
  const cs = toCsError(e, command ?? '');
  if (!cs) services.log.error({ err: e, command, reqId: req.reqId }, 'unexpected error');
  const err = cs ?? csErrors.internal();
  const json = find(req.pairs, 'response')?.toLowerCase() === 'json';
  return encodeReply(json, responseNameOf(req), err.errorcode, errorBody(err), {
    'X-Description': headerText(err.errortext),
  });
}

/** The command's response name, or `errorresponse` for a command nobody knows. */
function responseNameOf(req: ApiRequest): string {
  const command = find(req.pairs, 'command');
  const def = command ? COMMANDS.get(command.toLowerCase()) : undefined;
  const spec = command ? apiSpec(command) : undefined;
  return command && def ? responseName(def.name, def) : command && spec ? responseName(spec.name) : 'errorresponse';
}

/** A list written as it is read; its first chunk is read already, so a failure there was an error answer. */
function streamedList(services: Services, req: ApiRequest, list: OpenedList): StreamedReply {
  const json = find(req.pairs, 'response')?.toLowerCase() === 'json';
  const command = find(req.pairs, 'command');
  const name = responseNameOf(req);
  const pieces = json ? jsonList(name, list) : xmlList(name, list);
  async function* logged(): AsyncGenerator<string> {
    try {
      yield* pieces;
    } catch (e) {
      // Past the first byte the status is sent: the answer can only be cut short.
      services.log.error({ err: e, command, reqId: req.reqId }, 'unexpected error while writing a list');
      throw e;
    }
  }
  return { status: 200, contentType: json ? JSON_TYPE : XML_TYPE, stream: logged(), close: () => closeList(list) };
}

/**
 * The pipeline for a front in this process (LocalPort): the same request, signature and answer,
 * handed over as the object `JSON.parse` would make of handleApi's text, without the text.
 */
export async function handleApiObject(services: Services, req: ApiRequest): Promise<{ status: number; body: unknown }> {
  const o = await apiOutcome(services, req, true);
  if ('reply' in o) return { status: o.reply.status, body: answerOf(o.reply) };
  if ('list' in o) {
    const whole = await collected(services, req, streamedList(services, req, o.list));
    return { status: whole.status, body: answerOf(whole) };
  }
  const out = written(services, req, o, (status, body) => ({ status, body: plainBody(body) }));
  if (o.cache && out.status === 200) {
    const json = find(req.pairs, 'response')?.toLowerCase() === 'json';
    // Kept encoded too, for the HTTP clients that may ask the same; the object for the next port call.
    cacheOf(services).set(o.cache.key, o.cache.version, encodeReply(json, o.name, o.status, o.body), o.body);
  }
  return out;
}

/** An answer that cannot be written (a value JSON refuses) is an internal error, as a throw inside the pipeline is. */
function written<T>(
  services: Services,
  req: ApiRequest,
  o: { name: string; status: number; body: Record<string, unknown> },
  write: (status: number, body: Record<string, unknown>) => T,
): T {
  try {
    return write(o.status, o.body);
  } catch (e) {
    services.log.error({ err: e, command: o.name, reqId: req.reqId }, 'unexpected error');
    const cs = csErrors.internal();
    return write(cs.errorcode, errorBody(cs));
  }
}

/** The object under a reply's only key; a reply in XML (a port always asks for JSON) has none. */
function answerOf(r: ApiReply): unknown {
  if (!r.contentType.startsWith('application/json')) return {};
  const parsed: unknown = JSON.parse(r.body);
  return (parsed && typeof parsed === 'object' ? Object.values(parsed)[0] : undefined) ?? {};
}

function encodeReply(
  json: boolean,
  name: string,
  status: number,
  body: Record<string, unknown>,
  headers?: Record<string, string | string[]>,
): ApiReply {
  return {
    status,
    headers,
    contentType: json ? JSON_TYPE : XML_TYPE,
    body: json ? encodeJson(name, body) : encodeXml(name, body),
  };
}

/** Everything of the pipeline but the encoding; `objects` takes a cached list as its body object when there is one. */
async function apiOutcome(services: Services, req: ApiRequest, objects = false): Promise<ApiOutcome> {
  const json = find(req.pairs, 'response')?.toLowerCase() === 'json';
  const command = find(req.pairs, 'command');
  const def = command ? COMMANDS.get(command.toLowerCase()) : undefined;
  const spec = command ? apiSpec(command) : undefined;
  const name =
    command && def ? responseName(def.name, def) : command && spec ? responseName(spec.name) : 'errorresponse';
  const reply = (
    status: number,
    body: Record<string, unknown>,
    headers?: Record<string, string | string[]>,
  ): ApiReply => encodeReply(json, name, status, body, headers);
  const fail = (e: CsError): ApiOutcome => ({
    status: e.errorcode,
    name,
    body: errorBody(e),
    headers: { 'X-Description': headerText(e.errortext) },
  });
  try {
    if (command?.toLowerCase() === 'login') return { reply: await handleLogin(services, req, reply) };
    if (command?.toLowerCase() === 'logout') return { reply: await handleLogout(services, req, reply) };
    const gated = command ? await twoFactorGate(services, req, command, reply) : undefined;
    if (gated) return { reply: gated };
    const auth = await authenticate(services, req.pairs, req.cookies, req.keyPair);
    if (!auth) return fail(csErrors.credentials());
    if (auth === 'session-invalid') return fail(csErrors.session());
    // Another front counted this call once already, for the request it translates.
    const retryAfter = req.origin ? undefined : services.throttle.hit(auth.caller);
    if (retryAfter !== undefined) return fail(csErrors.apiLimit(retryAfter));
    // verifyRequest refuses a keyed request without a command; only a session gets the 400.
    if (!command) return fail(auth.via === 'key' ? csErrors.credentials() : new CsError(400, 'no command specified'));
    if (!def || !spec) {
      // With key auth an unknown command is indistinguishable from a bad signature (ApiServer.verifyRequest).
      if (auth.via === 'key') return fail(csErrors.credentials());
      return fail(
        new CsError(432, `The given command '${command}' either does not exist, is not available for user.`, 4555),
      );
    }
    if (!(await mayCall(services, auth.caller, def)))
      return fail(
        new CsError(432, `The given command '${def.name}' either does not exist, is not available for user.`, 4555),
      );
    const inProject = await projectVerdict(services, auth.caller, def.name, req.pairs);
    if (inProject) return fail(inProject);
    checkControlCharacters(req.pairs);
    if (!req.origin) {
      const fault = await services.faults.atFront('cloudstack', def.name, auth.caller.accountId);
      if (fault?.effect === 'delay') await services.clock.sleep(fault.delayMs);
      if (fault?.effect === 'error') return fail(new CsError(fault.status, fault.message, 4250));
    }
    const cacheable = services.settings.responseCache && !spec.isasync && def.name.startsWith('list') && !def.uncached;
    const key = cacheable ? ResponseCache.key(auth.caller.userId, req.pairs) : '';
    const version = services.store.version();
    const cache = cacheOf(services);
    const kept = cacheable && objects ? cache.body(key, version) : undefined;
    if (kept) return { status: 200, name, body: kept };
    const hit = cacheable ? cache.get(key, version) : undefined;
    if (hit) return { reply: hit };
    const params = await resolveIds(services, spec, decodeParams(spec, req.pairs));
    const result = await def.handle({
      caller: auth.caller,
      services,
      params,
      command: def.name,
      httpMethod: req.method,
    });
    if (result.kind === 'stream') return { list: await openList(result), name };
    return { status: 200, name, body: resultBody(result), ...(cacheable ? { cache: { key, version } } : {}) };
  } catch (e) {
    const cs = toCsError(e, command ?? '');
    if (cs) return fail(cs);
    services.log.error({ err: e, command, reqId: req.reqId }, 'unexpected error');
    return fail(csErrors.internal());
  }
}

export function registerCloudStackApi(app: FastifyInstance, services: Services): void {
  const handler = async (req: FastifyRequest, res: FastifyReply) => {
    const r = await answerApi(services, {
      method: req.method === 'POST' ? 'POST' : 'GET',
      pairs: collectPairs(req),
      cookies: parseCookies(req.headers.cookie),
      reqId: req.id,
    });
    res.status(r.status).type(r.contentType);
    // HttpUtils.addSecurityHeaders, on every API answer.
    res.header('X-Content-Type-Options', 'nosniff').header('X-XSS-Protection', '1;mode=block');
    for (const [k, v] of Object.entries(r.headers ?? {})) res.header(k, v);
    if (!isStreamed(r)) return res.send(r.bytes ?? r.body);
    // One piece (a chunk of items) read ahead of the socket: the database is read as fast as the client takes it.
    const body = Readable.from(r.stream, { highWaterMark: 1 });
    // A client gone mid-answer: fastify destroys the stream, which ends the reading.
    res.raw.once(
      'close',
      () => void r.close().catch((err: unknown) => services.log.error({ err, reqId: req.id }, 'closing a list')),
    );
    return res.send(body);
  };
  app.get('/client/api', handler);
  app.post('/client/api', handler);
}

export type { Caller };
