import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../services/services.js';
import { accountStore } from '../store/account.store.js';
import type { UserWithAccount } from '../store/account.store.js';
import { sessionCaller } from './auth.js';
import { slug } from '../gce/ids.js';
import { issueKey } from '../gce/service-accounts.js';
import type { GceStore } from '../gce/store/store.js';

/** Where each front answers on this server, as a client outside it reaches it. */
export interface Endpoints {
  base: string;
  cloudstack: string;
  ec2: string;
  ec2Region: string;
  gce: string;
  gceToken: string;
}

export function endpointsOf(base: string, ec2Region = 'us-east-1'): Endpoints {
  const b = base.replace(/\/+$/, '');
  return {
    base: b,
    cloudstack: `${b}/client/api`,
    ec2: `${b}/`,
    ec2Region,
    gce: `${b}/compute/v1/`,
    gceToken: `${b}/token`,
  };
}

/** What `polystack env --url` asks for: the caller's own key pair and the endpoints it works on. */
export interface Credentials {
  user: string;
  account: string;
  domain: string;
  apiKey: string;
  secretKey: string;
  /** The GCE project of the caller's account (its name). */
  gceProject: string;
  endpoints: Endpoints;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The user a credentials request speaks for: HTTP Basic (`user:password`, or `user@domain/path:password`
 * for a user outside ROOT), a console session (`?sessionkey=`), or the control token, which speaks for
 * the seeded root admin.
 */
async function userOf(
  services: Services,
  controlToken: string | undefined,
  req: FastifyRequest,
): Promise<UserWithAccount | undefined> {
  const h = req.headers.authorization ?? '';
  const db = services.store.db;
  if (controlToken && h.startsWith('Bearer ') && same(h.slice(7), controlToken)) {
    const root = await accountStore.rootDomain(db);
    return root && accountStore.userByName(db, 'admin', root.id);
  }
  if (h.startsWith('Basic ')) {
    const [login = '', ...rest] = Buffer.from(h.slice(6), 'base64').toString().split(':');
    const at = login.indexOf('@');
    const [name, path] = at > 0 ? [login.slice(0, at), login.slice(at + 1)] : [login, undefined];
    return name ? services.accounts.verifyPassword(name, rest.join(':'), { path }) : undefined;
  }
  const session = await sessionCaller(services, req);
  return session && accountStore.userById(db, session.userId);
}

/**
 * The signed-in user, if they have an API key pair; otherwise the answer is sent (401 for no or bad
 * credentials, 409 for a user without keys) and undefined returned.
 */
async function userWithKeys(
  services: Services,
  controlToken: string | undefined,
  req: FastifyRequest,
  res: FastifyReply,
) {
  const u = await userOf(services, controlToken, req);
  if (!u) {
    await res
      .status(401)
      .header('WWW-Authenticate', 'Basic realm="polystack credentials"')
      .send({
        error: {
          code: 401,
          message:
            'give a user and password (HTTP Basic; user@domain/path outside ROOT), a console session key, or the control token (Bearer)',
        },
      });
    return undefined;
  }
  if (!u.user.apiKey || !u.user.secretKey) {
    await res.status(409).send({
      error: {
        code: 409,
        message: `user ${u.user.username} has no API keys yet: create them with registerUserKeys (or in the console)`,
      },
    });
    return undefined;
  }
  return u as typeof u & { user: { apiKey: string; secretKey: string } };
}

/** GET /_polystack/credentials: the signed-in user's key pair, for `polystack env --url`. */
export function registerCredentials(
  app: FastifyInstance,
  services: Services,
  o: { controlToken?: string; ec2Region?: string },
): void {
  app.get('/_polystack/credentials', async (req, res) => {
    const u = await userWithKeys(services, o.controlToken, req, res);
    if (!u) return res;
    // The URL the client used to get here is the one that reaches this server from where it stands.
    const base = `${req.protocol}://${req.headers.host ?? req.hostname}`;
    const body: Credentials = {
      user: u.user.username,
      account: u.account.name,
      domain: u.domain.path,
      apiKey: u.user.apiKey,
      secretKey: u.user.secretKey,
      gceProject: slug(u.account.name),
      endpoints: endpointsOf(base, o.ec2Region),
    };
    return res.header('cache-control', 'no-store').send(body);
  });
}

/**
 * POST /_polystack/credentials/gce-key: a new GCE service-account key file for the signed-in user
 * (the console's download, `polystack env --gce`), issued by the GCE front's store so its token
 * endpoint accepts JWTs signed with it. The body is the key file itself.
 */
export function registerGceKeys(
  app: FastifyInstance,
  services: Services,
  store: GceStore,
  o: { controlToken?: string; now: () => number },
): void {
  app.post('/_polystack/credentials/gce-key', async (req, res) => {
    const u = await userWithKeys(services, o.controlToken, req, res);
    if (!u) return res;
    const project = slug(u.account.name);
    // The identity the GCE front gives the same key pair (src/gce/auth.ts identify).
    const identity = { project, email: u.user.email || `${u.user.username}@${project}.polystack.internal` };
    const key = await issueKey(
      store,
      { apiKey: u.user.apiKey, secretKey: u.user.secretKey },
      identity,
      `${req.protocol}://${req.headers.host ?? req.hostname}`,
      o.now(),
    );
    return res.header('cache-control', 'no-store').send(key);
  });
}
