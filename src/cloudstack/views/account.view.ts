import type { Account, Domain, User } from '../../domain/types.js';
import type { UserWithAccount } from '../../store/account.store.js';
import { csDate } from '../encode.js';

const ROLE: Record<number, [string, string]> = { 0: ['User', 'User'], 1: ['Root Admin', 'Admin'], 2: ['Domain Admin', 'DomainAdmin'], 3: ['Resource Admin', 'ResourceAdmin'], 4: ['Read-Only Admin', 'Admin'], 5: ['User', 'User'] };

const LIMITS = ['vm', 'ip', 'volume', 'snapshot', 'template', 'network', 'vpc', 'cpu', 'memory', 'primarystorage', 'secondarystorage', 'project'];

export function userView(u: User, a: Account, d: Domain, withKeys: boolean): Record<string, unknown> {
  const [rolename, roletype] = ROLE[a.type] ?? ROLE[0]!;
  const v: Record<string, unknown> = {
    id: u.id, username: u.username, firstname: u.firstname, lastname: u.lastname, created: csDate(u.created), state: u.state,
    account: a.name, accounttype: a.type, accountid: a.id, domainid: d.id, domain: d.name, rolename, roletype,
    iscallerchilddomain: false, isdefault: u.username === 'admin' || u.username === 'system', usersource: 'native', is2faenabled: false, is2famandated: false,
  };
  if (u.email) v['email'] = u.email;
  if (u.timezone) v['timezone'] = u.timezone;
  if (withKeys && u.apiKey) {
    v['apikey'] = u.apiKey;
    v['secretkey'] = u.secretKey;
  }
  return v;
}

export function accountView(a: Account, d: Domain, users: UserWithAccount[], counts: { vms: number; running: number; stopped: number }): Record<string, unknown> {
  const [rolename, roletype] = ROLE[a.type] ?? ROLE[0]!;
  const v: Record<string, unknown> = {
    id: a.id, name: a.name, accounttype: a.type, rolename, roletype, domainid: d.id, domain: d.name, domainpath: d.path, state: a.state,
    created: csDate(a.created), isdefault: a.name === 'admin' || a.name === 'system', iscleanuprequired: false,
    vmrunning: counts.running, vmstopped: counts.stopped, groups: [],
    user: users.map((u) => userView(u.user, a, d, false)),
  };
  for (const r of LIMITS) {
    v[`${r}limit`] = 'Unlimited';
    v[`${r}available`] = 'Unlimited';
    v[`${r}total`] = r === 'vm' ? counts.vms : 0;
  }
  return v;
}

export function domainView(d: Domain, all: Domain[]): Record<string, unknown> {
  const parent = d.parentId ? all.find((x) => x.id === d.parentId) : undefined;
  const v: Record<string, unknown> = {
    id: d.id, name: d.name, level: d.level, path: d.path, haschild: all.some((x) => x.parentId === d.id), state: d.state, created: csDate(d.created),
  };
  if (parent) {
    v['parentdomainid'] = parent.id;
    v['parentdomainname'] = parent.name;
  }
  return v;
}
