import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../server/services.js';
import { isRootAdmin } from '../services/context.js';
import { toCaller } from '../services/account.service.js';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Control endpoints take `Authorization: Bearer <control token>` when one is configured, or
 * HTTP Basic credentials of a root admin (admin/password out of the box).
 */
export async function allowControl(services: Services, controlToken: string | undefined, req: FastifyRequest): Promise<boolean> {
  const h = req.headers.authorization ?? '';
  if (controlToken && h.startsWith('Bearer ') && same(h.slice(7), controlToken)) return true;
  if (h.startsWith('Basic ')) {
    const [user, ...rest] = Buffer.from(h.slice(6), 'base64').toString().split(':');
    const u = user ? await services.accounts.verifyPassword(user, rest.join(':'), {}) : undefined;
    return !!u && isRootAdmin(toCaller(u));
  }
  return false;
}

export function denyControl(res: FastifyReply): FastifyReply {
  return res
    .status(401)
    .header('WWW-Authenticate', 'Basic realm="polystack control"')
    .send({ error: { code: 401, message: 'control endpoints need a root admin (HTTP Basic) or the control token (Bearer)' } });
}
