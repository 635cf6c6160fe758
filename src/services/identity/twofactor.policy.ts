import type { UserWithAccount } from '../../store/account.store.js';
import type { Db } from '../../store/db.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { on } from './twofactor.settings.js';

/** enable.user.2fa and mandate.user.2fa as a domain reads them (ConfigKey.valueIn(domainId)). */
export async function domainTwoFactor(
  config: ConfigService,
  db: Db,
  domainId: string,
): Promise<{ enabled: boolean; mandated: boolean }> {
  const t = { scope: 'Domain' as const, id: domainId };
  const enabled = on(await config.valueIn(db, 'enable.user.2fa', t));
  return { enabled, mandated: enabled && on(await config.valueIn(db, 'mandate.user.2fa', t)) };
}

/** ApiServer.loginUser's is2faEnabled: the user turned it on, or its domain both enables and mandates it. */
export async function secondFactorDue(config: ConfigService, db: Db, u: UserWithAccount): Promise<boolean> {
  return !!u.user.user2faEnabled || (await domainTwoFactor(config, db, u.domain.id)).mandated;
}
