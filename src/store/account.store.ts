import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { Account, Domain, User } from '../domain/types.js';
import type { Role } from '../domain/organisation.js';
import { DEFAULT_ROLE_SEQ, roleTypeOfAccount } from '../domain/roles.js';

/** What a caller may reach beyond its own account: resolved once when the caller is. */
export interface Access {
  role: Role | undefined;
  /** Domains a domain admin administers (its own and every one below); empty for others. */
  domainIds: string[];
  /** Accounts of the active projects the account is a member of. */
  projectAccountIds: string[];
}

export interface UserWithAccount {
  user: User;
  account: Account;
  domain: Domain;
  access?: Access;
}

/**
 * Every table a caller (user, account, domain, role, projects) is read from here: a cache of callers keeps
 * its entries while none of these is written (`Store.versionOf`). A table read below must be listed
 * (test/lint/caller-tables.test.ts reads this file to check).
 */
export const CALLER_TABLES = ['users', 'accounts', 'domains', 'roles', 'projectMembers', 'projects'] as const;

async function withAccount(db: Db, user: User | undefined): Promise<UserWithAccount | undefined> {
  if (!user) return undefined;
  const account = await db.selectFrom('accounts').selectAll().where('id', '=', user.accountId).executeTakeFirst();
  if (!account) return undefined;
  const domain = await db.selectFrom('domains').selectAll().where('id', '=', account.domainId).executeTakeFirst();
  return domain && { user, account, domain, access: await accessOf(db, account, domain) };
}

async function accessOf(db: Db, account: Account, domain: Domain): Promise<Access> {
  const role = account.roleId
    ? await db.selectFrom('roles').selectAll().where('id', '=', account.roleId).executeTakeFirst()
    : await db
        .selectFrom('roles')
        .selectAll()
        .where('seq', '=', DEFAULT_ROLE_SEQ[roleTypeOfAccount(account.type)])
        .where('removed', 'is', null)
        .executeTakeFirst();
  const domainIds =
    account.type === 2 || account.type === 3 ? (await accountStore.subtree(db, domain.path)).map((d) => d.id) : [];
  const projects = await db
    .selectFrom('projectMembers')
    .innerJoin('projects', 'projects.id', 'projectMembers.projectId')
    .select('projects.projectAccountId')
    .where('projectMembers.accountId', '=', account.id)
    .where('projects.removed', 'is', null)
    .execute();
  return { role, domainIds, projectAccountIds: projects.map((p) => p.projectAccountId) };
}

export const accountStore = {
  async userByApiKey(db: Db, apiKey: string): Promise<UserWithAccount | undefined> {
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('apiKey', '=', apiKey)
      .where('removed', 'is', null)
      .executeTakeFirst();
    return withAccount(db, user);
  },
  async userById(db: Db, id: string): Promise<UserWithAccount | undefined> {
    const user = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('removed', 'is', null)
      .executeTakeFirst();
    return withAccount(db, user);
  },
  async userByName(db: Db, username: string, domainId: string): Promise<UserWithAccount | undefined> {
    const user = await db
      .selectFrom('users')
      .innerJoin('accounts', 'accounts.id', 'users.accountId')
      .selectAll('users')
      .where('users.username', '=', username)
      .where('accounts.domainId', '=', domainId)
      .where('users.removed', 'is', null)
      .where('accounts.removed', 'is', null)
      .executeTakeFirst();
    return withAccount(db, user);
  },
  /** A user's login state, its row locked to the end of the transaction so nodes count in turn. */
  loginStateForUpdate(db: Db, id: string): Promise<Pick<User, 'state' | 'loginAttempts'> | undefined> {
    return db
      .selectFrom('users')
      .select(['state', 'loginAttempts'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  },
  /** AccountManagerImpl.updateLoginAttempts: the count, and the user disabled when it runs out. */
  async setLoginAttempts(db: Db, id: string, attempts: number, disable: boolean): Promise<void> {
    await db
      .updateTable('users')
      .set(disable ? { loginAttempts: attempts, state: 'disabled' } : { loginAttempts: attempts })
      .where('id', '=', id)
      .execute();
  },
  domainByPath(db: Db, path: string): Promise<Domain | undefined> {
    return db
      .selectFrom('domains')
      .selectAll()
      .where('path', '=', path)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  domainById(db: Db, id: string): Promise<Domain | undefined> {
    return db.selectFrom('domains').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  rootDomain(db: Db): Promise<Domain | undefined> {
    return db.selectFrom('domains').selectAll().where('parentId', 'is', null).executeTakeFirst();
  },
  /** A domain and every live domain below it, in creation order. */
  subtree(db: Db, path: string): Promise<Domain[]> {
    return (
      db
        .selectFrom('domains')
        .selectAll()
        // LIKE may over-match when a name holds '%' or '_'; the filter below keeps the exact subtree.
        .where((eb) => eb.or([eb('path', '=', path), eb('path', 'like', `${path}/%`)]))
        .where('removed', 'is', null)
        .orderBy('seq')
        .execute()
        .then((ds) => ds.filter((d) => d.path === path || d.path.startsWith(`${path}/`)))
    );
  },
  childByName(db: Db, parentId: string, name: string): Promise<Domain | undefined> {
    return db
      .selectFrom('domains')
      .selectAll()
      .where('parentId', '=', parentId)
      .where('name', '=', name)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  accountByName(db: Db, name: string, domainId: string): Promise<Account | undefined> {
    return db
      .selectFrom('accounts')
      .selectAll()
      .where('name', '=', name)
      .where('domainId', '=', domainId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  accountById(db: Db, id: string): Promise<Account | undefined> {
    return db.selectFrom('accounts').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  usernameTaken(db: Db, username: string, domainId: string): Promise<{ id: string } | undefined> {
    return db
      .selectFrom('users')
      .innerJoin('accounts', 'accounts.id', 'users.accountId')
      .select('users.id')
      .where('users.username', '=', username)
      .where('accounts.domainId', '=', domainId)
      .where('users.removed', 'is', null)
      .where('accounts.removed', 'is', null)
      .executeTakeFirst();
  },
  usersOfAccounts(db: Db, accountIds: string[]): Promise<User[]> {
    if (accountIds.length === 0) return Promise.resolve([]);
    return inChunks(accountIds, (ids) =>
      db
        .selectFrom('users')
        .selectAll()
        .where('accountId', 'in', ids)
        .where('removed', 'is', null)
        .orderBy('created')
        .execute(),
    );
  },
  userRow(db: Db, id: string): Promise<User | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  /** Live accounts, projects' own accounts excluded unless asked for. */
  listAccounts(
    db: Db,
    f: {
      ids?: string[];
      domainIds?: string[];
      name?: string;
      keyword?: string;
      type?: number;
      state?: string;
      withProjects?: boolean;
    },
  ): Promise<Account[]> {
    let q = db.selectFrom('accounts').selectAll().where('removed', 'is', null);
    if (!f.withProjects) q = q.where('type', '!=', 5);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.domainIds) q = q.where(inList(db, 'domainId', f.domainIds));
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.type !== undefined) q = q.where('type', '=', f.type as Account['type']);
    if (f.state) q = q.where('state', '=', f.state);
    return q.orderBy('created').execute();
  },
  /** Whether any live project account exists: listings skip project resources only when there are some. */
  async hasProjectAccounts(db: Db): Promise<boolean> {
    return (
      (await db
        .selectFrom('accounts')
        .select('id')
        .where('type', '=', 5)
        .where('removed', 'is', null)
        .executeTakeFirst()) !== undefined
    );
  },
  listDomains(db: Db): Promise<Domain[]> {
    return db.selectFrom('domains').selectAll().where('removed', 'is', null).orderBy('seq').execute();
  },
  async lockAccount(db: Db, id: string, state: string): Promise<void> {
    await db.updateTable('accounts').set({ state }).where('id', '=', id).execute();
  },
  async setUsersState(db: Db, accountId: string, state: string, from?: string): Promise<void> {
    let q = db.updateTable('users').set({ state }).where('accountId', '=', accountId).where('removed', 'is', null);
    if (from) q = q.where('state', '=', from);
    await q.execute();
  },
  async removeUsers(db: Db, accountId: string, at: number): Promise<void> {
    await db
      .updateTable('users')
      .set({ removed: at, apiKey: null, secretKey: null })
      .where('accountId', '=', accountId)
      .where('removed', 'is', null)
      .execute();
  },
};

export const accountRows = rowsOf('accounts');
export const domainRows = rowsOf('domains');
export const userRows = rowsOf('users');
