import { object, success, type CommandDef } from '../command.js';
import { CsError, csErrors } from '../errors.js';
import type { Services } from '../../services/services.js';

/** Both commands refuse to run while throttling is off (UNSUPPORTED_ACTION_ERROR, as the plugin does). */
function requireEnabled(services: Services): void {
  if (!services.throttle.enabled)
    throw new CsError(432, 'This api is only available when api.throttling.enabled = true.', 9999);
}

/** The rate-limit plugin's commands: what an account has left in its window, and wiping windows. */
export const apiLimitCommands: CommandDef[] = [
  {
    name: 'getApiLimit',
    async handle({ caller, services }) {
      requireEnabled(services);
      const s = services.throttle.status(caller.accountId);
      return object('apilimit', {
        accountid: caller.accountId,
        account: caller.accountName,
        apiIssued: s.issued,
        apiAllowed: s.allowed,
        expireAfter: s.expireAfterMs,
      });
    },
  },
  {
    name: 'resetApiLimit',
    admin: true,
    async handle({ services, params: p }) {
      requireEnabled(services);
      const account = p.str('account');
      // A uuid parameter named `account` is not in the shared table, where `account` is a name.
      if (account !== undefined && !(await services.entities.exists('Account', account)))
        throw csErrors.badId('resetApiLimit', 'account', account);
      services.throttle.reset(account);
      return success();
    },
  },
];
