import { timingSafeEqual } from 'node:crypto';
import type { Services } from '../services/services.js';
import { normaliseDomainPath, SESSION_TIMEOUT_S } from '../services/identity/account.service.js';
import type { Caller } from '../domain/caller.js';
import type { Domain } from '../domain/types.js';
import { CsError } from './errors.js';
import { headerText } from '../http/headers.js';
import type { ApiReply, ApiRequest } from './exchange.js';
import type { RawPairs } from './params.js';
import { parseExpires, verifySignature } from './signature.js';

export type Auth = { caller: Caller; via: 'key' | 'session' };

const find = (pairs: RawPairs, name: string): string | undefined => pairs.find(([k]) => k.toLowerCase() === name)?.[1];

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who sent the request: an API key with a valid signature (v1, or v3 with `expires`), or a live
 * session (JSESSIONID cookie and a matching session key as cookie or parameter).
 * Undefined: no valid credentials; 'session-invalid': a session was offered and is not valid.
 */
export async function authenticate(
  services: Services,
  pairs: RawPairs,
  cookies: Record<string, string>,
  keyPair?: ApiRequest['keyPair'],
): Promise<Auth | 'session-invalid' | undefined> {
  if (keyPair) {
    // The in-process port: its caller holds the key pair itself, so signing the request there and checking
    // the signature here proved nothing more than this comparison does (and cost two HMACs a call).
    const found = await services.accounts.byApiKey(keyPair.apiKey);
    return found && sameSecret(found.secret, keyPair.secretKey) ? { caller: found.caller, via: 'key' } : undefined;
  }
  const apiKey = find(pairs, 'apikey');
  if (apiKey !== undefined) {
    const signature = find(pairs, 'signature');
    if (!signature) return undefined;
    const found = await services.accounts.byApiKey(apiKey);
    if (!found) return undefined;
    if (find(pairs, 'signatureversion') === '3') {
      const raw = find(pairs, 'expires');
      const expires = raw === undefined ? undefined : parseExpires(raw);
      if (expires === undefined || expires < services.clock.now()) return undefined;
    }
    if (!verifySignature(pairs, found.secret, signature)) return undefined;
    return { caller: found.caller, via: 'key' };
  }
  const jsession = cookies['JSESSIONID'];
  if (!jsession) return undefined;
  // Jetty finds the session by the part before the node suffix.
  const sessionId = jsession.split('.')[0]!;
  const known = sessionId ? await services.accounts.sessionKeyOf(sessionId) : undefined;
  // No such session: the servlet has none and falls through to signature checking, which fails.
  if (!known) return undefined;
  if (!sessionKeyValid(jsession, sessionId, known, find(pairs, 'sessionkey'), cookies['sessionkey']))
    return 'session-invalid';
  const caller = await services.accounts.bySession(sessionId, known);
  return caller ? { caller, via: 'session' } : 'session-invalid';
}

/**
 * HttpUtils.validateSessionKey in its CookieOrParameter mode: the JSESSIONID cookie is
 * "<session id>.<node>", at least one of the sessionkey cookie and parameter is given, and each
 * one given matches. (CloudStack's default, CookieAndParameter, also requires both; polystack's
 * in-process callers and tests send only the parameter, so the lenient mode is kept.)
 */
function sessionKeyValid(
  jsession: string,
  sessionId: string,
  key: string,
  fromParam: string | undefined,
  fromCookie: string | undefined,
): boolean {
  if (!jsession.startsWith(`${sessionId}.`)) return false;
  if (fromParam === undefined && fromCookie === undefined) return false;
  return (fromParam === undefined || fromParam === key) && (fromCookie === undefined || fromCookie === key);
}

type Reply = (status: number, body: Record<string, unknown>, headers?: Record<string, string | string[]>) => ApiReply;

export async function handleLogin(services: Services, req: ApiRequest, reply: Reply): Promise<ApiReply> {
  if (req.method !== 'POST')
    return {
      status: 405,
      contentType: 'text/plain; charset=UTF-8',
      body: 'Please use HTTP POST to authenticate using this API',
    };
  // ApiServlet invalidates the session a login request arrives in before authenticating anew.
  const old = req.cookies['JSESSIONID']?.split('.')[0];
  if (old) await services.accounts.logout(old);
  const username = find(req.pairs, 'username') ?? '';
  const password = find(req.pairs, 'password') ?? '';
  const domainPath = find(req.pairs, 'domain');
  const domains = await services.accounts.domains();
  const root = domains.find((d) => d.parentId === null);
  let domainId = find(req.pairs, 'domainid');
  const failed = (status: number, errortext: string) =>
    reply(status, { uuidList: [], errorcode: status, errortext }, { 'X-Description': headerText(errortext) });
  if (domainId !== undefined) {
    // DefaultLoginAPIAuthenticatorCmd takes a domain uuid or CloudStack's numeric id (ROOT is 1); anything else is a 401.
    if (domainId === '1' && root) domainId = root.id;
    else if (!domains.some((d) => d.id === domainId) && !/^\d+$/.test(domainId))
      return failed(401, 'Invalid domain id entered, please enter a valid one');
  }
  const r =
    username && password ? await services.accounts.login(username, password, { id: domainId, path: domainPath }) : {};
  // A right password for a disabled or locked user is told so (CloudAuthenticationException); anything else gets the common text.
  if (!('sessionId' in r)) return failed(531, r.disabled ?? loginFailure(domains, username, domainId, domainPath));
  const u = r.user;
  const tfa = await services.twoFactor.loginFields(u);
  const body = {
    username: u.user.username,
    userid: u.user.id,
    domainid: u.domain.id,
    timeout: SESSION_TIMEOUT_S,
    account: u.account.name,
    firstname: u.user.firstname,
    lastname: u.user.lastname,
    type: String(u.account.type),
    timezone: u.user.timezone ?? 'UTC',
    timezoneoffset: '0.0',
    registered: 'false',
    sessionkey: r.sessionKey,
    is2faenabled: String(tfa.enabled),
    is2faverified: String(!tfa.enabled),
    // A session attribute set to null is no attribute: the provider shows only once the user has one.
    ...(tfa.provider ? { providerfor2fa: tfa.provider } : {}),
    issuerfor2fa: tfa.issuer,
  };
  return reply(200, body, {
    'Set-Cookie': [
      `JSESSIONID=${r.sessionId}.node0; Path=/client; HttpOnly`,
      `sessionkey=${r.sessionKey}; Path=/client; HttpOnly; SameSite=Lax`,
    ],
  });
}

/**
 * ApiServer.loginUser's failure texts: an unknown domain path is named as given (with the '/' the
 * authenticator adds at both ends); otherwise the domain's id, which for ROOT is CloudStack's 1
 * (polystack has no numeric ids for other domains, so their uuid stands in).
 */
function loginFailure(
  domains: Domain[],
  username: string,
  domainId: string | undefined,
  domainPath: string | undefined,
): string {
  const failed = (where: string) =>
    `Failed to authenticate user ${username} in domain ${where}; please provide valid credentials`;
  const root = domains.find((d) => d.parentId === null);
  if (domainId) return failed(domainId === root?.id ? '1' : domainId);
  const path = normaliseDomainPath(domainPath);
  const d = domains.find((x) => x.path === path);
  if (!d) {
    let given = domainPath ?? '';
    if (!given.endsWith('/')) given += '/';
    if (!given.startsWith('/')) given = `/${given}`;
    return `Unable to find the domain from the path ${given}`;
  }
  return failed(d === root ? '1' : d.id);
}

export async function handleLogout(services: Services, req: ApiRequest, reply: Reply): Promise<ApiReply> {
  const sessionId = req.cookies['JSESSIONID']?.split('.')[0];
  if (sessionId) await services.accounts.logout(sessionId);
  return reply(
    200,
    { description: 'success' },
    {
      'Set-Cookie': [
        'JSESSIONID=; Path=/client; Max-Age=0; HttpOnly',
        'sessionkey=; Path=/client; Max-Age=0; HttpOnly',
      ],
    },
  );
}
