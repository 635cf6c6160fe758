import type { Project, ProjectMember } from '../../domain/organisation.js';
import type { Account } from '../../domain/types.js';
import type { Services } from '../../services/services.js';
import { isAdmin, type Caller } from '../../domain/caller.js';
import type { UserWithAccount } from '../../store/account.store.js';
import type { ResultRenderer } from '../views/job.view.js';
import { accountView, roleOf, userView } from '../views/account.view.js';
import { projectAccountView, projectView } from '../views/project.view.js';

/** Accounts as listAccounts shows them, with their users, role, limits and VM counts. */
export async function accountViews(
  s: Services,
  accounts: Account[],
  withLimits = true,
): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  const [domains, roles, users, usage, vms, mandated] = await Promise.all([
    lk.table('domains'),
    lk.table('roles'),
    s.users.ofAccounts(accounts),
    s.limits.usage(accounts),
    s.vms.countsByAccount(accounts.map((a) => a.id)),
    s.twoFactor.mandatedIn(accounts.map((a) => a.domainId)),
  ]);
  return accounts.map((a) =>
    accountView(a, domains.get(a.domainId)!, {
      role: roleOf(a, roles),
      users: users.filter((u) => u.account.id === a.id),
      usage: usage.get(a.id),
      vms: vms.get(a.id) ?? { running: 0, stopped: 0 },
      withLimits,
      mandated: mandated.has(a.domainId),
    }),
  );
}

/** Keys are shown to admins and to the user itself. */
export async function userViews(
  s: Services,
  caller: Caller,
  users: UserWithAccount[],
): Promise<Record<string, unknown>[]> {
  const [roles, mandated] = await Promise.all([
    s.lookup().table('roles'),
    s.twoFactor.mandatedIn(users.map((u) => u.domain.id)),
  ]);
  return users.map((u) =>
    userView(
      u.user,
      u.account,
      u.domain,
      roleOf(u.account, roles),
      isAdmin(caller) || u.user.id === caller.userId,
      mandated.has(u.domain.id),
    ),
  );
}

export async function projectViews(
  s: Services,
  projects: Project[],
  withLimits = true,
): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  const [domains, accounts] = await Promise.all([lk.table('domains'), lk.table('accounts')]);
  const own = projects.map((p) => accounts.get(p.projectAccountId)).filter((a): a is Account => !!a);
  const [usage, vms, members] = await Promise.all([
    s.limits.usage(own),
    s.vms.countsByAccount(own.map((a) => a.id)),
    s.projects.membersOf(projects.map((p) => p.id)),
  ]);
  return projects.map((p) =>
    projectView(p, {
      domain: domains.get(p.domainId)!,
      account: accounts.get(p.projectAccountId),
      owners: members
        .filter((m) => m.projectId === p.id && m.role === 'Admin')
        .map((m) => accounts.get(m.accountId)?.name ?? ''),
      usage: usage.get(p.projectAccountId),
      vms: vms.get(p.projectAccountId) ?? { running: 0, stopped: 0 },
      withLimits,
    }),
  );
}

export async function memberViews(
  s: Services,
  project: Project,
  members: ProjectMember[],
): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  const [accounts, domains] = await Promise.all([lk.table('accounts'), lk.table('domains')]);
  const users = await s.users.ofAccounts(
    members.map((m) => accounts.get(m.accountId)).filter((a): a is Account => !!a),
  );
  const [roles, mandated] = await Promise.all([
    lk.table('roles'),
    s.twoFactor.mandatedIn(users.map((u) => u.domain.id)),
  ]);
  return members.map((m) => {
    const a = accounts.get(m.accountId)!;
    const us = users
      .filter((u) => u.account.id === a.id && (!m.userId || u.user.id === m.userId))
      .map((u) => userView(u.user, a, u.domain, roleOf(a, roles), false, mandated.has(u.domain.id)));
    return projectAccountView(project, m, a, domains.get(a.domainId)!, us);
  });
}

/** How the organisation's job results are shown. */
export function organisationRenderers(s: Services, caller: Caller): Record<string, ResultRenderer> {
  return {
    Account: async (lk, id) => {
      const a = (await lk.table('accounts')).get(id);
      return a ? ['account', (await accountViews(s, [a]))[0]!] : undefined;
    },
    User: async (lk, id) => {
      const u = (await lk.table('users')).get(id);
      const a = u && (await lk.table('accounts')).get(u.accountId);
      const d = a && (await lk.table('domains')).get(a.domainId);
      return u && a && d ? ['user', (await userViews(s, caller, [{ user: u, account: a, domain: d }]))[0]!] : undefined;
    },
    Project: async (lk, id) => {
      const p = (await lk.table('projects')).get(id);
      return p ? ['project', (await projectViews(s, [p]))[0]!] : undefined;
    },
  };
}
