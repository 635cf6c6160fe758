import type { Services } from '../server/services.js';
import { normaliseDomainPath, SESSION_TIMEOUT_S } from '../services/account.service.js';
import type { Caller } from '../services/context.js';
import { CsError } from './errors.js';
import type { ApiReply, ApiRequest } from './api.js';
import type { RawPairs } from './params.js';
import { parseExpires, verifySignature } from './signature.js';

export type Auth = { caller: Caller; via: 'key' | 'session' };

const find = (pairs: RawPairs, name: string): string | undefined => pairs.find(([k]) => k.toLowerCase() === name)?.[1];

/** The JSESSIONID cookie carries a node suffix after '.', as Jetty's does. */
const sessionIdOf = (cookie: string | undefined) => cookie?.split('.')[0];

/**
 * Who sent the request: an API key with a valid signature (v1, or v3 with `expires`), or a live
 * session (JSESSIONID cookie and a matching session key as cookie or parameter).
 * Undefined: no valid credentials; 'session-invalid': a session was offered and is not valid.
 */
export async function authenticate(services: Services, pairs: RawPairs, cookies: Record<string, string>): Promise<Auth | 'session-invalid' | undefined> {
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
  const sessionId = sessionIdOf(cookies['JSESSIONID']);
  const key = find(pairs, 'sessionkey') ?? cookies['sessionkey'];
  if (!sessionId) return undefined;
  if (!key) return 'session-invalid';
  const caller = await services.accounts.bySession(sessionId, key);
  return caller ? { caller, via: 'session' } : 'session-invalid';
}

type Reply = (status: number, body: Record<string, unknown>, headers?: Record<string, string | string[]>) => ApiReply;

export async function handleLogin(services: Services, req: ApiRequest, reply: Reply): Promise<ApiReply> {
  if (req.method !== 'POST') return { status: 405, contentType: 'text/plain; charset=UTF-8', body: 'Please use HTTP POST to authenticate using this API' };
  const username = find(req.pairs, 'username') ?? '';
  const password = find(req.pairs, 'password') ?? '';
  const domainId = find(req.pairs, 'domainid');
  const domainPath = find(req.pairs, 'domain');
  const r = username && password ? await services.accounts.login(username, password, { id: domainId, path: domainPath }) : undefined;
  if (!r) {
    const where = domainId ?? normaliseDomainPath(domainPath);
    const e = new CsError(531, `Failed to authenticate user ${username} in domain ${where}; please provide valid credentials`);
    return reply(531, { uuidList: [], errorcode: 531, errortext: e.errortext }, { 'X-Description': e.errortext });
  }
  const u = r.user;
  const body = {
    username: u.user.username, userid: u.user.id, domainid: u.domain.id, timeout: SESSION_TIMEOUT_S, account: u.account.name,
    firstname: u.user.firstname, lastname: u.user.lastname, type: String(u.account.type), timezone: u.user.timezone ?? 'UTC',
    timezoneoffset: '0.0', registered: 'false', sessionkey: r.sessionKey, is2faenabled: 'false', is2faverified: 'true', issuerfor2fa: 'CloudStack',
  };
  return reply(200, body, {
    'Set-Cookie': [
      `JSESSIONID=${r.sessionId}.node0; Path=/client; HttpOnly`,
      `sessionkey=${r.sessionKey}; Path=/client; HttpOnly; SameSite=Lax`,
    ],
  });
}

export async function handleLogout(services: Services, req: ApiRequest, reply: Reply): Promise<ApiReply> {
  const sessionId = sessionIdOf(req.cookies['JSESSIONID']);
  if (sessionId) await services.accounts.logout(sessionId);
  return reply(200, { description: 'success' }, {
    'Set-Cookie': [
      'JSESSIONID=; Path=/client; Max-Age=0; HttpOnly',
      'sessionkey=; Path=/client; Max-Age=0; HttpOnly',
    ],
  });
}
