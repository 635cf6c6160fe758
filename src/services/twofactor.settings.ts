import type { UserWithAccount } from '../store/account.store.js';
import type { Db } from '../store/db.js';
import type { ConfigService } from './config.service.js';

/** AccountManagerImpl's 2FA ConfigKeys (all Scope.Domain), with their 4.18 defaults and texts. */
export const TWO_FACTOR_SETTINGS = [
  { name: 'enable.user.2fa', value: 'false', category: 'Advanced', description: 'Determines whether two factor authentication is enabled or not. This can also be configured at domain level.' },
  {
    name: 'mandate.user.2fa', value: 'false', category: 'Advanced',
    description: 'Determines whether to make the two factor authentication mandatory or not. This setting is applicable only when enable.user.2fa is true. This can also be configured at domain level.',
  },
  { name: 'user.2fa.issuer', value: 'CloudStack', category: 'Advanced', description: 'Name of the issuer of two factor authentication' },
  { name: 'user.2fa.default.provider', value: 'totp', category: 'Advanced', description: 'The default user two factor authentication provider. Eg. totp, staticpin' },
];

export const on = (v: string | undefined) => v?.toLowerCase() === 'true';

/** enable.user.2fa and mandate.user.2fa as a domain reads them (ConfigKey.valueIn(domainId)). */
export async function domainTwoFactor(config: ConfigService, db: Db, domainId: string): Promise<{ enabled: boolean; mandated: boolean }> {
  const t = { scope: 'Domain' as const, id: domainId };
  const enabled = on(await config.valueIn(db, 'enable.user.2fa', t));
  return { enabled, mandated: enabled && on(await config.valueIn(db, 'mandate.user.2fa', t)) };
}

/** ApiServer.loginUser's is2faEnabled: the user turned it on, or its domain both enables and mandates it. */
export async function secondFactorDue(config: ConfigService, db: Db, u: UserWithAccount): Promise<boolean> {
  return !!u.user.user2faEnabled || (await domainTwoFactor(config, db, u.domain.id)).mandated;
}
