import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { UserData } from '../domain/types.js';

export const userDataStore = {
  get(db: Db, id: string): Promise<UserData | undefined> {
    return db.selectFrom('userData').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byName(db: Db, accountId: string, name: string): Promise<UserData | undefined> {
    return db
      .selectFrom('userData')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
  },
  byContent(db: Db, accountId: string, userData: string): Promise<UserData | undefined> {
    return db
      .selectFrom('userData')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('userData', '=', userData)
      .executeTakeFirst();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('userData').where('id', '=', id).execute();
  },
  async removeOfAccount(db: Db, accountId: string): Promise<void> {
    await db.deleteFrom('userData').where('accountId', '=', accountId).execute();
  },
  /** Templates and ISOs (not removed) that link to this userdata. */
  async linkedTemplates(db: Db, id: string): Promise<number> {
    const r = await db
      .selectFrom('templates')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('userDataId', '=', id)
      .where('removed', 'is', null)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  },
  async linkTemplate(db: Db, templateId: string, userDataId: string | null, policy: string | null): Promise<void> {
    await db
      .updateTable('templates')
      .set({ userDataId, userDataPolicy: policy })
      .where('id', '=', templateId)
      .execute();
  },
  /** Newest first, as UserDataRegistry's listUserDatas orders by id descending. */
  list(db: Db, f: { accountIds?: string[]; id?: string; name?: string; keyword?: string }): Promise<UserData[]> {
    let q = db.selectFrom('userData').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created', 'desc').execute();
  },
};

export const userDataRows = rowsOf('userData');
