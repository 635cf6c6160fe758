import { randomBytes } from 'node:crypto';
import type { CloudStackPort, Credentials } from '../bridge/port.js';
import type { Clock } from '../domain/clock.js';
import { wireCall } from '../bridge/wire-call.js';
import type { Identity } from './context.js';
import { invalidCredentials, loginRequired } from './errors.js';
import { slug } from './ids.js';
import { JwtRefused, looksLikeJwt, verifyJwt } from './service-accounts.js';
import type { GceStore } from './store/store.js';

export const ACCESS_TOKEN_SECONDS = 3600;
/** The audience Google's Compute Engine API expects of a self-signed JWT. */
const COMPUTE_AUDIENCE = 'https://compute.googleapis.com/';

/**
 * Bearer tokens → the CloudStack key pair they stand for → who that is. A token is an opaque
 * handle into the front's store (issued by the token endpoint, checked for expiry on the
 * injected clock) or one of the statically configured dev tokens, which never expire.
 */
export class Auth {
  private tokens = new Map<string, { creds: Credentials; expiresAt: number }>();
  private identities = new Map<string, Identity>();

  constructor(
    private store: GceStore,
    private port: CloudStackPort,
    private clock: Clock,
    private devTokens: ReadonlyMap<string, Credentials> = new Map(),
  ) {}

  /** The token of a request: `Authorization: Bearer`, or Google's `access_token` query parameter. */
  static tokenOf(authorization: string | undefined, query: Record<string, string | undefined>): string | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return m?.[1] ?? query['access_token'] ?? undefined;
  }

  /** `origin`: the scheme and host the request came to, an audience a self-signed JWT may name. */
  async resolve(token: string | undefined, origin?: string): Promise<{ creds: Credentials; identity: Identity }> {
    if (!token) throw loginRequired();
    const creds =
      this.devTokens.get(token) ??
      (looksLikeJwt(token) ? await this.selfSigned(token, origin) : await this.stored(token));
    if (!creds) throw invalidCredentials();
    const identity = await this.identify(creds);
    if (!identity) throw invalidCredentials();
    return { creds, identity };
  }

  /**
   * A JWT signed with a service-account key, sent as the bearer token itself (Google's self-signed
   * JWT): its audience is the service (`https://compute.googleapis.com/`, or this endpoint), or it
   * carries scopes instead, as google-auth-library's GAPIC clients send it.
   */
  private async selfSigned(token: string, origin?: string): Promise<Credentials | undefined> {
    // google-auth-library signs the URL it calls as audience when it has no service path: any URL of this endpoint.
    const audiences = [COMPUTE_AUDIENCE, ...(origin ? [`${origin}/`] : [])];
    try {
      return (
        await verifyJwt(this.store, token, {
          nowMs: this.clock.now(),
          audiences,
          scopeInstead: true,
          requireScope: false,
        })
      ).creds;
    } catch (e) {
      if (e instanceof JwtRefused) return undefined;
      throw e;
    }
  }

  private async stored(token: string): Promise<Credentials | undefined> {
    let hit = this.tokens.get(token);
    if (!hit) {
      hit = await this.store.token(token, 'access');
      if (!hit) return undefined;
      if (this.tokens.size > 10_000) this.tokens.clear();
      this.tokens.set(token, hit);
    }
    if (hit.expiresAt && hit.expiresAt <= this.clock.now()) return undefined;
    return hit.creds;
  }

  /** Who a key pair belongs to, from CloudStack itself; undefined when CloudStack refuses the pair. */
  async identify(creds: Credentials): Promise<Identity | undefined> {
    // Keyed by the whole pair: a right key with a wrong secret must reach CloudStack and be refused.
    const key = `${creds.apiKey}\n${creds.secretKey}`;
    const cached = this.identities.get(key);
    if (cached) return cached;
    const r = await wireCall(this.port, creds, 'listUsers', {});
    if (!r.body) return undefined;
    const me = (r.body.user ?? []).find((u) => u.apikey === creds.apiKey);
    if (!me) return undefined;
    const identity: Identity = {
      accountId: me.accountid,
      account: me.account,
      domainId: me.domainid,
      userId: me.id,
      project: slug(me.account),
      email: me.email || `${me.username}@${slug(me.account)}.polystack.internal`,
    };
    if (this.identities.size > 10_000) this.identities.clear();
    this.identities.set(key, identity);
    return identity;
  }

  /** Issues an access token (and, when asked, a refresh token) for a verified key pair. */
  async issue(
    creds: Credentials,
    withRefresh: boolean,
  ): Promise<{ access: string; refresh?: string; expiresIn: number }> {
    const access = `ya29.${randomBytes(32).toString('base64url')}`;
    await this.store.saveToken(access, 'access', creds, this.clock.now() + ACCESS_TOKEN_SECONDS * 1000);
    let refresh: string | undefined;
    if (withRefresh) {
      refresh = `1//${randomBytes(32).toString('base64url')}`;
      await this.store.saveToken(refresh, 'refresh', creds, 0);
    }
    return { access, refresh, expiresIn: ACCESS_TOKEN_SECONDS };
  }
}
