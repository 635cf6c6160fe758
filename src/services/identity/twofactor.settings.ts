/** AccountManagerImpl's 2FA ConfigKeys (all Scope.Domain), with their 4.18 defaults and texts. */
export const TWO_FACTOR_SETTINGS = [
  {
    name: 'enable.user.2fa',
    value: 'false',
    category: 'Advanced',
    description:
      'Determines whether two factor authentication is enabled or not. This can also be configured at domain level.',
  },
  {
    name: 'mandate.user.2fa',
    value: 'false',
    category: 'Advanced',
    description:
      'Determines whether to make the two factor authentication mandatory or not. This setting is applicable only when enable.user.2fa is true. This can also be configured at domain level.',
  },
  {
    name: 'user.2fa.issuer',
    value: 'CloudStack',
    category: 'Advanced',
    description: 'Name of the issuer of two factor authentication',
  },
  {
    name: 'user.2fa.default.provider',
    value: 'totp',
    category: 'Advanced',
    description: 'The default user two factor authentication provider. Eg. totp, staticpin',
  },
];

export const on = (v: string | undefined) => v?.toLowerCase() === 'true';
