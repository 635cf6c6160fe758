import type { Clock } from '../../domain/clock.js';
import { invalid, runtimeFailure } from '../../domain/errors.js';
import { accountStore, type UserWithAccount, userRows } from '../../store/account.store.js';
import type { Db, Store } from '../../store/db.js';
import { sessionStore } from '../../store/session.store.js';
import { SESSION_TIMEOUT_S } from './account.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { on } from './twofactor.settings.js';
import { domainTwoFactor, secondFactorDue } from './twofactor.policy.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { PROVIDERS, providerNamed, TwoFactorCodeInvalid, type TwoFactorProvider } from './twofactor.providers.js';

/** UserDetailVO.Setup2FADetail: ENABLED from setup until the first right code, then VERIFIED. */
const SETUP = { enabled: 'ENABLED', verified: 'VERIFIED' } as const;

/** ApiServlet.skip2FAcheckForAPIs: what a session may call before its code is validated. */
const BEFORE_CODE = new Set([
  'listidps',
  'listapis',
  'listusertwofactorauthenticatorproviders',
  'setupusertwofactorauthentication',
]);
export const VALIDATE_COMMAND = 'validateUserTwoFactorAuthenticationCode';

const MANDATED =
  'Two factor authentication is mandated by admin, user needs to setup 2FA using setupUserTwoFactorAuthentication API and then verify 2FA using validateUserTwoFactorAuthenticationCode API before calling other APIs. Existing session is invalidated.';
const UNVERIFIED =
  'Two factor authentication 2FA is enabled but not verified, please verify 2FA using validateUserTwoFactorAuthenticationCode API before calling other APIs. Existing session is invalidated.';

/** What setupUserTwoFactorAuthentication answers (UserTwoFactorAuthenticationSetupResponse). */
export interface TwoFactorSetup {
  id: string;
  username: string;
  secretCode?: string;
}

/** What ApiServlet does with a request that arrives in a session, before the command runs. */
export type SessionGate =
  { kind: 'pass' } | { kind: 'validate'; userId: string } | { kind: 'refused'; message: string };

/**
 * User two-factor authentication (AccountManagerImpl and ApiServlet, 4.18): the providers, a user's
 * setup and its removal, the login fields, and the gate a session passes before each command.
 */
export class TwoFactorService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
  ) {}

  providers(): readonly TwoFactorProvider[] {
    return PROVIDERS;
  }

  /** The domains (of those given) where 2FA is mandated: what users' is2famandated says. */
  async mandatedIn(domainIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const id of new Set(domainIds))
      if ((await domainTwoFactor(this.config, this.store.db, id)).mandated) out.add(id);
    return out;
  }

  /** The login answer's 2FA fields (ApiServer.loginUser). */
  async loginFields(u: UserWithAccount): Promise<{ enabled: boolean; provider?: string; issuer: string }> {
    const db = this.store.db;
    const issuer =
      (await this.config.valueIn(db, 'user.2fa.issuer', { scope: 'Domain', id: u.domain.id })) ?? 'CloudStack';
    return {
      enabled: await secondFactorDue(this.config, db, u),
      provider: u.user.user2faProvider ?? undefined,
      issuer,
    };
  }

  /** setupUserTwoFactorAuthentication: enable sets up the caller; disable clears the caller or the user named. */
  async setup(caller: Caller, r: { provider?: string; enable: boolean; userId?: string }): Promise<TwoFactorSetup> {
    return this.store.tx(async (trx) => {
      if (r.enable) return this.enable(trx, caller, r.provider);
      return this.disable(trx, caller, r.userId ?? caller.userId);
    });
  }

  private async enable(db: Db, caller: Caller, providerName: string | undefined): Promise<TwoFactorSetup> {
    const u = await this.user(db, caller.userId);
    const t = { scope: 'Domain' as const, id: u.domain.id };
    // Either setting on is enough here (both Boolean.FALSE.equals in enableTwoFactorAuthentication).
    if (
      !on(await this.config.valueIn(db, 'enable.user.2fa', t)) &&
      !on(await this.config.valueIn(db, 'mandate.user.2fa', t))
    )
      throw runtimeFailure('2FA is not enabled for this domain or at global level');
    const provider = providerNamed(providerName || (await this.config.valueIn(db, 'user.2fa.default.provider', t)));
    const secretCode = provider.setupKey(u.user, u.account.name);
    await userRows.update(db, u.user.id, {
      keyFor2fa: secretCode,
      user2faProvider: provider.name,
      user2faEnabled: 1,
      setup2fa: SETUP.enabled,
    });
    return { id: u.user.id, username: u.user.username, secretCode };
  }

  private async disable(db: Db, caller: Caller, userId: string): Promise<TwoFactorSetup> {
    const u = await this.user(db, userId);
    // checkAccess(caller, null, true, owner): the user's account must be one the caller may act for.
    assertAccess(caller, { accountId: u.account.id, domainId: u.domain.id }, 'Account', u.account.id, u.domain.path);
    await this.clear(db, u.user.id);
    return { id: u.user.id, username: u.user.username };
  }

  private async clear(db: Db, userId: string): Promise<void> {
    await userRows.update(db, userId, { keyFor2fa: null, user2faProvider: null, user2faEnabled: 0, setup2fa: null });
  }

  /**
   * ApiServlet for a request in a live session: validateUserTwoFactorAuthenticationCode goes to its
   * authenticator; any other command but the few allowed before the code is refused (and the session
   * ended) while the session's code is unverified and the user has 2FA on or its domain mandates it.
   */
  async gate(sessionId: string, command: string): Promise<SessionGate> {
    const db = this.store.db;
    const s = await sessionStore.get(db, sessionId);
    if (!s || this.clock.now() - s.lastAccess > SESSION_TIMEOUT_S * 1000) return { kind: 'pass' };
    if (command.toLowerCase() === VALIDATE_COMMAND.toLowerCase()) return { kind: 'validate', userId: s.userId };
    if (BEFORE_CODE.has(command.toLowerCase()) || s.twoFactorVerified !== 0) return { kind: 'pass' };
    const u = await accountStore.userById(db, s.userId);
    if (!u) return { kind: 'pass' };
    const due = !!u.user.user2faEnabled || (await domainTwoFactor(this.config, db, u.domain.id)).mandated;
    if (!due) return { kind: 'pass' };
    await sessionStore.remove(db, sessionId);
    const set = !!u.user.user2faEnabled && !!u.user.keyFor2fa && !!u.user.user2faProvider;
    return { kind: 'refused', message: set ? UNVERIFIED : MANDATED };
  }

  /**
   * validateUserTwoFactorAuthenticationCode (verifyUsingTwoFactorAuthenticationCode): a right code
   * marks the session verified and a setup VERIFIED. A wrong one ends the session, except during
   * setup, where it undoes the setup instead; TwoFactorCodeInvalid tells the caller.
   */
  async validate(sessionId: string, userId: string, code: string): Promise<void> {
    const outcome = await this.store.tx(async (trx) => {
      const u = await this.user(trx, userId);
      if (!u.user.user2faEnabled)
        throw runtimeFailure(`Two factor authentication is not enabled on the user: ${u.user.username}`);
      if (!u.user.user2faProvider || !u.user.keyFor2fa)
        throw runtimeFailure(
          `Two factor authentication is not setup for the user: ${u.user.username}, please setup 2FA before verifying`,
        );
      try {
        providerNamed(u.user.user2faProvider).check(code, u.user, this.clock.now());
      } catch (e) {
        if (!(e instanceof TwoFactorCodeInvalid)) throw e;
        if (u.user.setup2fa === SETUP.enabled) await this.clear(trx, u.user.id);
        else await sessionStore.remove(trx, sessionId);
        return 'invalid' as const;
      }
      if (u.user.setup2fa) await userRows.update(trx, u.user.id, { setup2fa: SETUP.verified });
      await sessionStore.setTwoFactorVerified(trx, sessionId);
      return 'verified' as const;
    });
    if (outcome === 'invalid') throw new TwoFactorCodeInvalid();
  }

  private async user(db: Db, id: string): Promise<UserWithAccount> {
    const u = await accountStore.userById(db, id);
    if (!u) throw invalid('Invalid user ID provided', 'userid');
    return u;
  }
}
