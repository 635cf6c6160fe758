import type { Wire, WireAccount, WireUser } from '../wire.js';
import type { Role } from '../../domain/organisation.js';
import { FIELD_STEM, GiB, RESOURCE_TYPES, type ResourceName } from '../../domain/resources.js';
import { DEFAULT_ROLE_SEQ, roleTypeOfAccount } from '../../domain/roles.js';
import type { Account, Domain, User } from '../../domain/types.js';
import type { Usage } from '../../services/identity/limit.service.js';
import type { UserWithAccount } from '../../store/account.store.js';
import { csDate } from '../encode.js';

/** The role an account has: its own, or its type's default. */
export function roleOf(a: Account, roles: Map<string, Role>): Role | undefined {
  if (a.roleId) return roles.get(a.roleId);
  const seq = DEFAULT_ROLE_SEQ[roleTypeOfAccount(a.type)];
  return [...roles.values()].find((r) => r.seq === seq);
}

function roleFields(a: Account, role: Role | undefined): Record<string, unknown> {
  const type = role?.type ?? roleTypeOfAccount(a.type);
  return role ? { roleid: role.id, rolename: role.name, roletype: type } : { roletype: type };
}

/**
 * The `<r>limit` / `<r>total` / `<r>available` triplets (ResourceLimitAndCountResponse): limits
 * and what is left are strings, "Unlimited" for none; storage in GiB. `full` shows everything
 * unlimited, as CloudStack does for root admin accounts and the ROOT domain.
 */
export function limitFields(
  usage: Usage | undefined,
  full: boolean,
  types: readonly ResourceName[] = RESOURCE_TYPES,
): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const t of types) {
    const { limit, total } = usage?.get(t) ?? { limit: -1, total: 0 };
    const storage = t === 'primary_storage' || t === 'secondary_storage';
    const unit = (n: number) => (storage ? Math.floor(n / GiB) : n);
    const stem = FIELD_STEM[t];
    const unlimited = full || limit === -1;
    v[`${stem}limit`] = unlimited ? 'Unlimited' : String(unit(limit));
    v[`${stem}total`] = t === 'secondary_storage' ? total / GiB : unit(total);
    v[`${stem}available`] = unlimited ? 'Unlimited' : String(unit(Math.max(0, limit - total)));
  }
  return v;
}

/** `mandated`: the user's domain both enables and mandates 2FA (UserAccountJoinDaoImpl.newUserResponse). */
export function userView(
  u: User,
  a: Account,
  d: Domain,
  role: Role | undefined,
  withKeys: boolean,
  mandated: boolean,
): Wire<WireUser> {
  const v: Wire<WireUser> = {
    id: u.id,
    username: u.username,
    firstname: u.firstname,
    lastname: u.lastname,
    created: csDate(u.created),
    state: u.state,
    account: a.name,
    accounttype: a.type,
    accountid: a.id,
    domainid: d.id,
    domain: d.name,
    ...roleFields(a, role),
    iscallerchilddomain: false,
    isdefault: (u.username === 'admin' || u.username === 'system') && d.parentId === null,
    usersource: 'native',
    is2faenabled: !!u.user2faEnabled,
    is2famandated: mandated,
  };
  if (u.email) v['email'] = u.email;
  if (u.timezone) v['timezone'] = u.timezone;
  // UserAccountJoinDaoImpl.newUserResponse: the api key in every user answer, listAccounts' included.
  if (u.apiKey) v['apikey'] = u.apiKey;
  // CloudStack drops the secret key unless use.secret.key.in.response; polystack still shows it to
  // admins and the user itself (the bridge reads it through getUser).
  if (withKeys && u.apiKey) v['secretkey'] = u.secretKey;
  return v;
}

export interface AccountExtras {
  role: Role | undefined;
  users: UserWithAccount[];
  usage: Usage | undefined;
  vms: { running: number; stopped: number };
  /** `details` asked for the limits and counts (setResourceLimits: the VM counts are among them). */
  withLimits: boolean;
  /** Whether the account's domain mandates 2FA (each user's is2famandated). */
  mandated: boolean;
}

export function accountView(a: Account, d: Domain, x: AccountExtras): Wire<WireAccount> {
  const v: Wire<WireAccount> = {
    id: a.id,
    name: a.name,
    accounttype: a.type,
    ...roleFields(a, x.role),
    domainid: d.id,
    domain: d.name,
    domainpath: d.path,
    state: a.state,
    created: csDate(a.created),
    isdefault: a.type === 1 && (a.name === 'admin' || a.name === 'system'),
    iscleanuprequired: false,
    ...(x.withLimits ? { vmrunning: x.vms.running, vmstopped: x.vms.stopped } : {}),
    groups: [],
    user: x.users.map((u) => userView(u.user, a, d, x.role, false, x.mandated)),
    ...(x.withLimits ? limitFields(x.usage, a.type === 1) : {}),
  };
  if (a.networkDomain) v['networkdomain'] = a.networkDomain;
  return v;
}

export function domainView(d: Domain, all: Domain[], usage?: Usage): Record<string, unknown> {
  const parent = d.parentId ? all.find((x) => x.id === d.parentId) : undefined;
  const v: Record<string, unknown> = {
    id: d.id,
    name: d.name,
    level: d.level,
    path: d.path,
    haschild: all.some((x) => x.parentId === d.id),
    state: d.state,
    created: csDate(d.created),
  };
  if (parent) {
    v['parentdomainid'] = parent.id;
    v['parentdomainname'] = parent.name;
  }
  if (d.networkDomain) v['networkdomain'] = d.networkDomain;
  if (usage) Object.assign(v, limitFields(usage, !d.parentId));
  return v;
}
