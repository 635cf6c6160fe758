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
import { isUuid } from '../domain/ids.js';
import { ResponseCache } from './cache.js';
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
  let out = params;
  for (const { name, kind, value } of idsToResolve(spec.name, given)) {
    const single = paramsOf(spec).get(name)?.type === 'uuid';
    if (value === '-1' && single) continue;
    const n = single ? parseLong(value) : undefined;
    if (n !== undefined) {
      const id = await services.entities.byInternalId(kind, Number(n));
      if (!id) throw csErrors.badId(spec.name, name, value);
      out = out.with(name, id);
      continue;
    }
    if (!isUuid(value) || !(await services.entities.exists(kind, value))) throw csErrors.badId(spec.name, name, value);
  }
  return out;
}

/** The whole CloudStack request pipeline, each answer whole (the in-process port, tests): a streamed list is collected. */
export async function handleApi(services: Services, req: ApiRequest): Promise<ApiReply> {
  const a = await answerApi(services, req);
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

/** The reply for an exception: a DomainError's or CsError's envelope, else a logged 530. */
function failure(services: Services, req: ApiRequest, e: unknown): ApiReply {
  const command = find(req.pairs, 'command');
  const cs = toCsError(e, command ?? '');
  if (!cs) services.log.error({ err: e, command }, 'unexpected error');
  return errorReply(req, cs ?? csErrors.internal());
}

/** The shape of every answer's envelope: the format the request asked for, under the command's response name. */
function envelope(req: ApiRequest) {
  const json = find(req.pairs, 'response')?.toLowerCase() === 'json';
  const command = find(req.pairs, 'command');
  const def = command ? COMMANDS.get(command.toLowerCase()) : undefined;
  const spec = command ? apiSpec(command) : undefined;
  const name =
    command && def ? responseName(def.name, def) : command && spec ? responseName(spec.name) : 'errorresponse';
  return { json, command, def, spec, name };
}

function errorReply(req: ApiRequest, e: CsError): ApiReply {
  const { json, name } = envelope(req);
  const body = errorBody(e);
  return {
    status: e.errorcode,
    headers: { 'X-Description': headerText(e.errortext) },
    contentType: json ? JSON_TYPE : XML_TYPE,
    body: json ? encodeJson(name, body) : encodeXml(name, body),
  };
}

/** A list written as it is read; its first chunk is read already, so a failure there was an error answer. */
function streamedList(services: Services, req: ApiRequest, list: OpenedList): StreamedReply {
  const { json, command, name } = envelope(req);
  const pieces = json ? jsonList(name, list) : xmlList(name, list);
  async function* logged(): AsyncGenerator<string> {
    try {
      yield* pieces;
    } catch (e) {
      // Past the first byte the status is sent: the answer can only be cut short.
      services.log.error({ err: e, command }, 'unexpected error while writing a list');
      throw e;
    }
  }
  return { status: 200, contentType: json ? JSON_TYPE : XML_TYPE, stream: logged(), close: () => closeList(list) };
}

/** The whole CloudStack request pipeline: auth, lookup, validation, dispatch, encoding. */
export async function answerApi(services: Services, req: ApiRequest): Promise<ApiAnswer> {
  const { json, command, def, spec, name } = envelope(req);
  const reply = (
    status: number,
    body: Record<string, unknown>,
    headers?: Record<string, string | string[]>,
  ): ApiReply => ({
    status,
    headers,
    contentType: json ? JSON_TYPE : XML_TYPE,
    body: json ? encodeJson(name, body) : encodeXml(name, body),
  });
  const fail = (e: CsError): ApiReply => errorReply(req, e);
  try {
    if (command?.toLowerCase() === 'login') return await handleLogin(services, req, reply);
    if (command?.toLowerCase() === 'logout') return await handleLogout(services, req, reply);
    const gated = command ? await twoFactorGate(services, req, command, reply) : undefined;
    if (gated) return gated;
    const auth = await authenticate(services, req.pairs, req.cookies);
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
    let cache = caches.get(services);
    if (!cache) caches.set(services, (cache = new ResponseCache()));
    const hit = cacheable ? cache.get(key, version) : undefined;
    if (hit) return hit;
    const params = await resolveIds(services, spec, decodeParams(spec, req.pairs));
    const result = await def.handle({
      caller: auth.caller,
      services,
      params,
      command: def.name,
      httpMethod: req.method,
    });
    if (result.kind === 'stream') return streamedList(services, req, await openList(result));
    const out = reply(200, resultBody(result));
    if (cacheable) cache.set(key, version, out);
    return out;
  } catch (e) {
    return failure(services, req, e);
  }
}

export function registerCloudStackApi(app: FastifyInstance, services: Services): void {
  const handler = async (req: FastifyRequest, res: FastifyReply) => {
    const r = await answerApi(services, {
      method: req.method === 'POST' ? 'POST' : 'GET',
      pairs: collectPairs(req),
      cookies: parseCookies(req.headers.cookie),
    });
    res.status(r.status).type(r.contentType);
    // HttpUtils.addSecurityHeaders, on every API answer.
    res.header('X-Content-Type-Options', 'nosniff').header('X-XSS-Protection', '1;mode=block');
    for (const [k, v] of Object.entries(r.headers ?? {})) res.header(k, v);
    if (!isStreamed(r)) return res.send(r.bytes ?? r.body);
    // One piece (a chunk of items) read ahead of the socket: the database is read as fast as the client takes it.
    const body = Readable.from(r.stream, { highWaterMark: 1 });
    // A client gone mid-answer: fastify destroys the stream, which ends the reading.
    res.raw.once('close', () => void r.close().catch((err: unknown) => services.log.error({ err }, 'closing a list')));
    return res.send(body);
  };
  app.get('/client/api', handler);
  app.post('/client/api', handler);
}

export type { Caller };
