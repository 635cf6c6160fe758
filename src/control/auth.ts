import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services/services.js';
import { isRootAdmin, type Caller } from '../domain/caller.js';
import { toCaller } from '../services/identity/account.service.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The `sessionkey` query parameter of a request, as the web console sends it. */
export function sessionKeyOf(req: FastifyRequest): string | undefined {
  const key = (req.query as { sessionkey?: unknown } | undefined)?.sessionkey;
  return typeof key === 'string' && key ? key : undefined;
}

/**
 * The caller of a console session named by `?sessionkey=`. The session cookies are scoped to
 * /client as CloudStack sets them, so the browser never sends them here; the key alone is what an
 * EventSource can carry, and it is as secret as the cookie.
 */
export async function sessionCaller(services: Services, req: FastifyRequest): Promise<Caller | undefined> {
  const key = sessionKeyOf(req);
  return key ? services.accounts.bySessionKey(key) : undefined;
}

/**
 * Control endpoints take `Authorization: Bearer <control token>` when one is configured, HTTP
 * Basic credentials of a root admin (admin/password out of the box), or a root admin's console
 * session (`?sessionkey=`).
 */
export async function allowControl(
  services: Services,
  controlToken: string | undefined,
  req: FastifyRequest,
): Promise<boolean> {
  const h = req.headers.authorization ?? '';
  if (controlToken && h.startsWith('Bearer ') && same(h.slice(7), controlToken)) return true;
  if (h.startsWith('Basic ')) {
    const [user, ...rest] = Buffer.from(h.slice(6), 'base64').toString().split(':');
    const u = user ? await services.accounts.verifyPassword(user, rest.join(':'), {}) : undefined;
    return !!u && isRootAdmin(toCaller(u));
  }
  const session = await sessionCaller(services, req);
  return !!session && isRootAdmin(session);
}

export function denyControl(res: FastifyReply): FastifyReply {
  return res
    .status(401)
    .header('WWW-Authenticate', 'Basic realm="polystack control"')
    .send({
      error: {
        code: 401,
        message:
          'control endpoints need a root admin (HTTP Basic, or a console session key) or the control token (Bearer)',
      },
    });
}

/**
 * An onRequest hook that lets only control credentials through (allowControl), answering others
 * with denyControl before the body is read: an unauthenticated caller gets no JSON parsed, and
 * none of POST /_polystack/state's 1 GiB allowance.
 */
export const controlGuard =
  (services: Services, controlToken: string | undefined) => async (req: FastifyRequest, res: FastifyReply) => {
    if (!(await allowControl(services, controlToken, req))) return denyControl(res);
  };
