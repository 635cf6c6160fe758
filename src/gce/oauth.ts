import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock.js';
import { decodePercentOrKeep } from '../domain/percent.js';
import type { Auth } from './auth.js';
import type { GceStore } from './store/store.js';
import { firstValues } from './route.js';
import { issueKey, JwtRefused, verifyJwt } from './service-accounts.js';
import { HEADER_VALUE_MAX } from '../http/headers.js';

/**
 * The OAuth 2.0 endpoints Google clients are pointed at: `POST /oauth2/token` (also `/token`, as
 * Google's token URI is, and the legacy `/o/oauth2/token`) with the client_credentials, authorization_code and refresh_token grants,
 * where client_id/client_secret are a user's CloudStack API key and secret key, and the jwt-bearer
 * grant of service-account key files (service-accounts.ts); and
 * `GET /oauth2/auth` (and `/o/oauth2/auth`), which (as gstack's did) grants at once and redirects with a code.
 * Errors follow RFC 6749 §5.2 (`{error, error_description}`), as Google's token endpoint answers.
 */
const CODE_SECONDS = 600;
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The token endpoint's paths; `/o/oauth2/token` is Google's legacy one, still the default of older clients (libcloud 3.x's GCE driver). */
const TOKEN_PATHS = ['/oauth2/token', '/token', '/oauth2/v4/token', '/o/oauth2/token'];

type Form = Record<string, string | undefined>;

function formOf(req: FastifyRequest): Form {
  const raw = typeof req.body === 'string' ? req.body : '';
  const type = String(req.headers['content-type'] ?? '');
  let parsed: unknown = {};
  if (type.includes('json')) {
    try {
      parsed = JSON.parse(raw || '{}');
    } catch {
      parsed = {};
    }
  } else parsed = Object.fromEntries(new URLSearchParams(raw));
  // Only string fields count: a JSON body may hold anything (null, an array, numbers, objects).
  const out: Form =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string'))
      : {};
  // client_secret_basic: the client's id and secret in an Authorization: Basic header.
  const basic = /^Basic\s+(\S+)/i.exec(String(req.headers.authorization ?? ''))?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, 'base64').toString().split(':').map(decodePercentOrKeep);
    out['client_id'] ??= id;
    out['client_secret'] ??= secret;
  }
  return out;
}

const oauthError = (res: FastifyReply, status: number, error: string, description: string) =>
  res.status(status).header('cache-control', 'no-store').send({ error, error_description: description });

export function registerOAuth(app: FastifyInstance, auth: Auth, store: GceStore, clock: Clock): void {
  const token = async (req: FastifyRequest, res: FastifyReply) => {
    const f = formOf(req);
    const grant = f['grant_type'];
    if (!grant) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: grant_type');
    if (grant === JWT_BEARER) return jwtGrant(req, res, f);
    if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(grant))
      return oauthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grant}`);
    let creds =
      f['client_id'] && f['client_secret'] ? { apiKey: f['client_id'], secretKey: f['client_secret'] } : undefined;
    if (grant === 'refresh_token') {
      const stored = f['refresh_token'] ? await store.token(f['refresh_token'], 'refresh') : undefined;
      if (!stored || (creds && creds.apiKey !== stored.creds.apiKey))
        return oauthError(res, 400, 'invalid_grant', 'Bad Request');
      creds = stored.creds;
    } else if (grant === 'authorization_code') {
      const code = f['code'] ? await store.token(f['code'], 'code') : undefined;
      if (f['code']) await store.dropToken(f['code']); // a code is good for one exchange only
      if (!code || code.expiresAt <= clock.now() || code.creds.apiKey !== f['client_id'])
        return oauthError(res, 400, 'invalid_grant', 'Malformed auth code.');
    }
    if (!creds) return oauthError(res, 401, 'invalid_client', 'The OAuth client was not found.');
    // The pair is checked by CloudStack itself: the gateway keeps no user table.
    if (!(await auth.identify(creds))) return oauthError(res, 401, 'invalid_client', 'Unauthorized');
    const issued = await auth.issue(creds, grant === 'authorization_code');
    return res.header('cache-control', 'no-store').send({
      access_token: issued.access,
      expires_in: issued.expiresIn,
      token_type: 'Bearer',
      scope: f['scope'] ?? 'https://www.googleapis.com/auth/cloud-platform',
      ...(issued.refresh ? { refresh_token: issued.refresh } : {}),
    });
  };
  /** RFC 7523: a JWT signed with a service-account key buys an access token (no refresh token, as Google's). */
  const jwtGrant = async (req: FastifyRequest, res: FastifyReply, f: Form) => {
    if (!f['assertion']) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: assertion');
    const origin = `${req.protocol}://${req.headers.host ?? req.hostname}`;
    const path = req.url.split('?')[0]!;
    // The audience is this token endpoint, by the path asked or any other of its paths (a key file names `/token`).
    const audiences = [`${origin}${path}`, ...TOKEN_PATHS.filter((p) => p !== path).map((p) => `${origin}${p}`)];
    let verified;
    try {
      verified = await verifyJwt(store, f['assertion'], {
        nowMs: clock.now(),
        audiences,
        scopeInstead: false,
        requireScope: true,
      });
    } catch (e) {
      if (e instanceof JwtRefused) return oauthError(res, 400, e.error, e.message);
      throw e;
    }
    // The key pair behind the key is checked by CloudStack itself: a deleted user's keys buy nothing.
    if (!(await auth.identify(verified.creds)))
      return oauthError(res, 400, 'invalid_grant', 'Invalid grant: account not found');
    const issued = await auth.issue(verified.creds, false);
    return res
      .header('cache-control', 'no-store')
      .send({ access_token: issued.access, expires_in: issued.expiresIn, token_type: 'Bearer' });
  };

  for (const path of TOKEN_PATHS) app.post(path, token);

  /**
   * A new service-account key file for the caller, whose key pair comes as an OAuth client's
   * (client_id/client_secret, in the form or HTTP Basic): the route gateways serve, where the
   * front knows users only through CloudStack. The server's console and CLI use
   * POST /_polystack/credentials/gce-key instead (a password or a session).
   */
  app.post('/_polystack/gce/service-account-keys', async (req, res) => {
    const f = formOf(req);
    const creds =
      f['client_id'] && f['client_secret'] ? { apiKey: f['client_id'], secretKey: f['client_secret'] } : undefined;
    const identity = creds && (await auth.identify(creds));
    if (!creds || !identity) return oauthError(res, 401, 'invalid_client', 'Unauthorized');
    const key = await issueKey(
      store,
      creds,
      identity,
      `${req.protocol}://${req.headers.host ?? req.hostname}`,
      clock.now(),
    );
    return res.header('cache-control', 'no-store').send(key);
  });

  const consent = async (req: FastifyRequest, res: FastifyReply) => {
    const q = firstValues(req.query as Record<string, string | string[]>);
    if (q['response_type'] !== 'code')
      return oauthError(res, 400, 'unsupported_response_type', 'Only response_type=code is supported');
    if (!q['client_id']) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: client_id');
    const redirect = q['redirect_uri'];
    const oob = !redirect || redirect === 'urn:ietf:wg:oauth:2.0:oob';
    if (!oob && !URL.canParse(redirect))
      return oauthError(res, 400, 'invalid_request', `Invalid parameter value for redirect_uri: ${redirect}`);
    const code = `4/${randomBytes(24).toString('base64url')}`;
    await store.saveToken(code, 'code', { apiKey: q['client_id'], secretKey: '' }, clock.now() + CODE_SECONDS * 1000);
    if (oob) return res.type('text/plain').send(`${code}\n`);
    const url = new URL(redirect!);
    url.searchParams.set('code', code);
    if (q['state']) url.searchParams.set('state', q['state']);
    // The Location header echoes redirect_uri and state: past the header bound it is refused, not cut (a cut URL is another URL).
    if (url.toString().length > HEADER_VALUE_MAX)
      return oauthError(
        res,
        400,
        'invalid_request',
        `redirect_uri with state is longer than ${HEADER_VALUE_MAX} characters`,
      );
    return res.redirect(url.toString(), 302);
  };
  app.get('/oauth2/auth', consent);
  app.get('/o/oauth2/auth', consent);
}
