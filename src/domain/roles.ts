import { invalid } from './errors.js';
import { globMatcher } from './glob.js';
import { ROLE_TYPES, type Permission, type RolePermission, type RoleType } from './organisation.js';
import type { AccountType } from './types.js';

/** A rule is an API name or a wildcard such as `list*`; '*' stands for any word characters. */
const RULE = /^[a-zA-Z0-9*]+$/;

export function validateRule(rule: string): void {
  if (!RULE.test(rule))
    throw invalid(`Only API names and wildcards are allowed, invalid rule provided: ${rule}`, 'rule');
}

// A rule's letters and digits are word characters and its stars stand for word characters, so a
// name matches only when it is all word characters; then '*' may take any run of them.
export function ruleMatches(rule: string, api: string): boolean {
  const name = api.toLowerCase();
  return /^\w*$/.test(name) && globMatcher(rule.toLowerCase())(name);
}

/** The first rule that matches decides; undefined when none does. */
export function decide(rules: RolePermission[], api: string): Permission | undefined {
  for (const r of rules) if (ruleMatches(r.rule, api)) return r.permission;
  return undefined;
}

/** RoleType.fromString: any case is recognised. */
export function parseRoleType(name: string): RoleType {
  const t = ROLE_TYPES.find((r) => r.toLowerCase() === name.toLowerCase());
  if (!t) throw invalid('Illegal RoleType name provided', 'type');
  return t;
}

export function parsePermission(p: string): Permission {
  const v = p.toLowerCase();
  if (v !== 'allow' && v !== 'deny')
    throw invalid(`Invalid rule permission provided, valid permissions are: allow, deny`, 'permission');
  return v;
}

const ACCOUNT_TYPE: Record<RoleType, AccountType> = { Admin: 1, ResourceAdmin: 3, DomainAdmin: 2, User: 0 };
export const accountTypeOf = (t: RoleType): AccountType => ACCOUNT_TYPE[t];
export function roleTypeOfAccount(type: AccountType): RoleType {
  return type === 1 ? 'Admin' : type === 2 ? 'DomainAdmin' : type === 3 ? 'ResourceAdmin' : 'User';
}
/** Lower is more privileged; a caller may only hand out roles at or below its own. */
export const privilege = (t: RoleType): number => ROLE_TYPES.indexOf(t);

export interface DefaultRole {
  seq: number;
  name: string;
  type: RoleType;
  description: string;
  /** Rules, in order; `userApis` is what the User role may call, which the read-only user role copies. */
  rules?: (userApis: string[]) => [string, Permission][];
}

const quota = ['quotaIsEnabled', 'quotaTariffList', 'quotaSummary'];
const readOnlyAdmin = (): [string, Permission][] => [
  ['list*', 'allow'],
  ['getUploadParamsFor*', 'deny'],
  ['get*', 'allow'],
  ['cloudianIsEnabled', 'allow'],
  ['queryAsyncJobResult', 'allow'],
  ...quota.map((q): [string, Permission] => [q, 'allow']),
  ['*', 'deny'],
];
const readOnlyUser = (userApis: string[]): [string, Permission][] => [
  ...userApis
    .filter((a) => /^list/.test(a) || (/^get/.test(a) && !/^getUploadParamsFor/.test(a)))
    .map((a): [string, Permission] => [a, 'allow']),
  ...['cloudianIsEnabled', 'queryAsyncJobResult', ...quota].map((a): [string, Permission] => [a, 'allow']),
  ['*', 'deny'],
];
const SUPPORT_ADMIN = [
  'prepareHostForMaintenance',
  'cancelHostMaintenance',
  'enableStorageMaintenance',
  'cancelStorageMaintenance',
  'createServiceOffering',
  'createDiskOffering',
  'createNetworkOffering',
  'createVPCOffering',
  'startVirtualMachine',
  'stopVirtualMachine',
  'rebootVirtualMachine',
  'startKubernetesCluster',
  'stopKubernetesCluster',
  'createVolume',
  'attachVolume',
  'detachVolume',
  'uploadVolume',
  'attachIso',
  'detachIso',
  'registerTemplate',
  'registerIso',
];
const SUPPORT_USER = [
  'startVirtualMachine',
  'stopVirtualMachine',
  'rebootVirtualMachine',
  'startKubernetesCluster',
  'stopKubernetesCluster',
  'createVolume',
  'attachVolume',
  'detachVolume',
  'uploadVolume',
  'attachIso',
  'detachIso',
  'registerTemplate',
  'registerIso',
  'getUploadParamsFor*',
];
/** The allow rules of `base` (minus its closing deny), then `extra`, then deny everything else. */
const extend = (base: [string, Permission][], extra: string[]): [string, Permission][] => [
  ...base.filter(([, p]) => p === 'allow'),
  ...extra.map((a): [string, Permission] => [a, 'allow']),
  ['*', 'deny'],
];

/** The roles a fresh CloudStack 4.18 has; the first four carry no rules and fall back to each command's role types. */
export const DEFAULT_ROLES: DefaultRole[] = [
  { seq: 1, name: 'Root Admin', type: 'Admin', description: 'Default root admin role' },
  { seq: 2, name: 'Resource Admin', type: 'ResourceAdmin', description: 'Default resource admin role' },
  { seq: 3, name: 'Domain Admin', type: 'DomainAdmin', description: 'Default domain admin role' },
  { seq: 4, name: 'User', type: 'User', description: 'Default user role' },
  {
    seq: 5,
    name: 'Read-Only Admin - Default',
    type: 'Admin',
    description: 'Default read-only admin role',
    rules: readOnlyAdmin,
  },
  {
    seq: 6,
    name: 'Read-Only User - Default',
    type: 'User',
    description: 'Default read-only user role',
    rules: readOnlyUser,
  },
  {
    seq: 7,
    name: 'Support Admin - Default',
    type: 'Admin',
    description: 'Default support admin role',
    rules: () => extend(readOnlyAdmin(), SUPPORT_ADMIN),
  },
  {
    seq: 8,
    name: 'Support User - Default',
    type: 'User',
    description: 'Default support user role',
    rules: (u) => extend(readOnlyUser(u), SUPPORT_USER),
  },
];
/** The default role an account of each role type gets when none is named (RoleType.getRoleByAccountType). */
export const DEFAULT_ROLE_SEQ: Record<RoleType, number> = { Admin: 1, ResourceAdmin: 2, DomainAdmin: 3, User: 4 };
