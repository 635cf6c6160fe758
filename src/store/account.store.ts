import type { Db } from './db.js';
import type { Account, Domain, User } from '../domain/types.js';

export interface UserWithAccount {
  user: User;
  account: Account;
  domain: Domain;
}

async function withAccount(db: Db, user: User | undefined): Promise<UserWithAccount | undefined> {
  if (!user) return undefined;
  const account = await db.selectFrom('accounts').selectAll().where('id', '=', user.accountId).executeTakeFirst();
  if (!account) return undefined;
  const domain = await db.selectFrom('domains').selectAll().where('id', '=', account.domainId).executeTakeFirst();
  return domain && { user, account, domain };
}

export const accountStore = {
  async userByApiKey(db: Db, apiKey: string): Promise<UserWithAccount | undefined> {
    const user = await db.selectFrom('users').selectAll().where('apiKey', '=', apiKey).where('removed', 'is', null).executeTakeFirst();
    return withAccount(db, user);
  },
  async userById(db: Db, id: string): Promise<UserWithAccount | undefined> {
    const user = await db.selectFrom('users').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
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
  domainByPath(db: Db, path: string): Promise<Domain | undefined> {
    return db.selectFrom('domains').selectAll().where('path', '=', path).executeTakeFirst();
  },
  domainById(db: Db, id: string): Promise<Domain | undefined> {
    return db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  },
  rootDomain(db: Db): Promise<Domain | undefined> {
    return db.selectFrom('domains').selectAll().where('parentId', 'is', null).executeTakeFirst();
  },
  accountByName(db: Db, name: string, domainId: string): Promise<Account | undefined> {
    return db.selectFrom('accounts').selectAll().where('name', '=', name).where('domainId', '=', domainId).where('removed', 'is', null).executeTakeFirst();
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
      .executeTakeFirst();
  },
  usersOfAccounts(db: Db, accountIds: string[]): Promise<User[]> {
    if (accountIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('users').selectAll().where('accountId', 'in', accountIds).where('removed', 'is', null).orderBy('created').execute();
  },
  listAccounts(db: Db, f: { ids?: string[]; domainIds?: string[]; name?: string; keyword?: string }): Promise<Account[]> {
    let q = db.selectFrom('accounts').selectAll().where('removed', 'is', null);
    if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
    if (f.domainIds) q = q.where('domainId', 'in', f.domainIds.length ? f.domainIds : ['']);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').execute();
  },
  listDomains(db: Db): Promise<Domain[]> {
    return db.selectFrom('domains').selectAll().orderBy('path').execute();
  },
};
