import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CloudStackPort, Credentials } from '../bridge/port.js';
import type { Clock } from '../domain/clock.js';
import { Auth } from './auth.js';
import type { GceBody } from './compute.types.js';
import { cs, type GceContext, type Identity } from './context.js';
import { registerDiscovery } from './discovery.js';
import { forbidden, GceError, internal, notFound, payloadTooLarge, rateLimited } from './errors.js';
import { Links, slug } from './ids.js';
import { registerOAuth } from './oauth.js';
import { isPublicImageProject } from './resources/images.js';
import { firstValues, type Route } from './route.js';
import { ROUTES } from './routes.js';
import { loadRegexEngine } from './regex.js';
import type { GceStore } from './store/store.js';

/**
 * The Compute Engine v1 front: `/compute/v1/projects/...` over the CloudStack port, plus the
 * OAuth 2.0 endpoints and the discovery document. This file does protocol only: the bearer
 * token, the project in the path, the JSON body, and errors in Google's shape; each method
 * in the route table translates itself into CloudStack commands.
 *
 * Deliberate differences: a project is a CloudStack account (or a CloudStack project its user
 * belongs to); the project id is the account's name as a GCE name (`admin`). Unknown system
 * parameters (`alt`, `prettyPrint`, `fields`, `quotaUser`, `key`, `$alt`) are accepted and ignored.
 */
export interface GceOptions {
  store: GceStore;
  clock: Clock;
  /** Tokens that need no token endpoint (tests, local development); they never expire. */
  devTokens?: ReadonlyMap<string, Credentials>;
  /** Prefix of every selfLink; https as Google's (libcloud only follows https links). */
  linkBase?: string;
  /** Fault rules for the GCE front (local mode), asked with the method id (`instances.insert`). */
  fault?: (
    method: string,
    accountId: string,
  ) => Promise<{ effect: 'error'; status: number; message: string } | { effect: 'delay'; delayMs: number } | undefined>;
  log?: (msg: string, err: unknown, reqId: string) => void;
  /** api.throttling for the caller's account (local mode): undefined to go ahead, else ms to wait. */
  throttle?: (apiKey: string) => Promise<number | undefined>;
}

export const DEFAULT_LINK_BASE = 'https://www.googleapis.com/compute/v1/';

export function registerGce(app: FastifyInstance, port: CloudStackPort, o: GceOptions): void {
  // Its own plugin scope: Google's clients post JSON that this front parses itself (a malformed
  // body is a Compute Engine parseError, not fastify's error), and forms to the token endpoint.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, res) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        return send(res, payloadTooLarge(scope.initialConfig.bodyLimit ?? 1_048_576));
      return send(
        res,
        (err.statusCode ?? 500) < 500 ? new GceError(err.statusCode!, 'badRequest', err.message) : internal(),
      );
    });
    routes(scope, port, o);
  });
}

function routes(app: FastifyInstance, port: CloudStackPort, o: GceOptions): void {
  const auth = new Auth(o.store, port, o.clock, o.devTokens);
  const base = o.linkBase ?? DEFAULT_LINK_BASE;
  registerOAuth(app, auth, o.store, o.clock);
  registerDiscovery(app, ROUTES);
  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: `/compute/v1/${route.path.replace(/\{(\w+)\}/g, ':$1')}`,
      config: { operation: route.id },
      handler: (req, res) => serve(route, req, res),
    });
  }
  // Anything else under the API root is Google's 404, not fastify's.
  app.all('/compute/v1/*', async (req, res) =>
    send(res, notFound(req.url.split('?')[0]!.replace(/^\/compute\/v1\//, ''))),
  );

  async function serve(route: Route, req: FastifyRequest, res: FastifyReply) {
    try {
      const query = firstValues(req.query as Record<string, string | string[] | undefined>);
      if (query['filter'] !== undefined) await loadRegexEngine();
      const { creds, identity } = await auth.resolve(
        Auth.tokenOf(req.headers.authorization, query),
        `${req.protocol}://${req.headers.host ?? req.hostname}`,
      );
      if ((await o.throttle?.(creds.apiKey)) !== undefined) throw rateLimited();
      const params = req.params as Record<string, string>;
      const ctx = await contextFor(route, params['project']!, creds, identity);
      const fault = await o.fault?.(route.id, ctx.ownerId);
      if (fault?.effect === 'delay') await o.clock.sleep(fault.delayMs);
      if (fault?.effect === 'error')
        throw new GceError(fault.status, fault.status >= 500 ? 'backendError' : 'invalid', fault.message);
      const body = route.request ? bodyOf(req) : {};
      // Two requests with one requestId run one after the other, so the second replays the first.
      const out = await serialized(query['requestId'] ? `${ctx.ownerId}/${query['requestId']}` : undefined, () =>
        route.run(ctx, { params, query, body }),
      );
      return res.status(200).type('application/json; charset=UTF-8').send(out);
    } catch (e) {
      if (e instanceof GceError) return send(res, e);
      o.log?.(`GCE ${route.id} failed unexpectedly`, e, req.id);
      return send(res, internal());
    }
  }

  async function contextFor(
    route: Route,
    project: string,
    creds: Credentials,
    identity: Identity,
  ): Promise<GceContext> {
    const ctx: GceContext = {
      creds,
      identity,
      port,
      store: o.store,
      clock: o.clock,
      links: new Links(base, project),
      project,
      scope: {},
      ownerId: identity.accountId,
      memo: new Map(),
    };
    if (project === identity.project || (route.publicImages && isPublicImageProject(project))) return ctx;
    // A CloudStack project the caller belongs to is a GCE project too; anything else is not the caller's.
    const mine = (await cs(ctx, 'listProjects', {}))['project'] ?? [];
    const p = mine.find((x) => slug(x.name) === project);
    if (!p) throw forbidden(`compute.${route.id}`, `projects/${project}`);
    return { ...ctx, scope: { projectid: p.id }, ownerId: p.id };
  }
}

const inFlight = new Map<string, Promise<unknown>>();

async function serialized<T>(key: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!key) return run();
  const before = inFlight.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(run);
  inFlight.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}

function bodyOf(req: FastifyRequest): GceBody {
  const raw = typeof req.body === 'string' ? req.body : req.body === undefined ? '' : JSON.stringify(req.body);
  if (!raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new GceError(400, 'parseError', `Invalid JSON payload received. ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new GceError(400, 'parseError', 'Invalid JSON payload received. Expected an object.');
  return parsed as GceBody;
}

function send(res: FastifyReply, e: GceError) {
  return res.status(e.code).type('application/json; charset=UTF-8').send(e.body());
}
