import { list, object, type CommandDef } from '../command.js';
import { CsError } from '../errors.js';

/** User two-factor authentication (4.18): the providers, a user's setup, and the code check's API-key face. */
export const twoFactorCommands: CommandDef[] = [
  {
    name: 'listUserTwoFactorAuthenticatorProviders',
    async handle({ services, params: p }) {
      const name = p.str('name');
      const providers = services.twoFactor.providers().filter((x) => name === undefined || x.name === name);
      return list(
        'providers',
        providers.map((x) => ({ name: x.name, description: x.description })),
      );
    },
  },
  {
    name: 'setupUserTwoFactorAuthentication',
    async handle({ caller, services, params: p }) {
      const r = await services.twoFactor.setup(caller, {
        provider: p.str('provider'),
        enable: p.bool('enable', true),
        userId: p.uuid('userid'),
      });
      return object('setup2fa', {
        id: r.id,
        username: r.username,
        ...(r.secretCode ? { secretcode: r.secretCode } : {}),
      });
    },
  },
  {
    // An APIAuthenticator: the servlet answers it for a session (twofactor.auth.ts); reached any other way, execute() refuses.
    name: 'validateUserTwoFactorAuthenticationCode',
    async handle() {
      throw new CsError(405, 'This is an authentication api, cannot be used directly', 9999);
    },
  },
];
