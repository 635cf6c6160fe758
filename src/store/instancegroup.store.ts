import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { InstanceGroup } from '../domain/types.js';

export const instanceGroupStore = {
  get(db: Db, id: string): Promise<InstanceGroup | undefined> {
    return db.selectFrom('instanceGroups').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byName(db: Db, accountId: string, name: string): Promise<InstanceGroup | undefined> {
    return db
      .selectFrom('instanceGroups')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
  },
  async insert(db: Db, g: InstanceGroup): Promise<void> {
    await db.insertInto('instanceGroups').values(g).execute();
  },
  /** Renaming a group renames it on its VMs too: they carry the name. */
  async rename(db: Db, g: InstanceGroup, name: string): Promise<void> {
    await db.updateTable('instanceGroups').set({ name }).where('id', '=', g.id).execute();
    await db
      .updateTable('vms')
      .set({ groupName: name })
      .where('accountId', '=', g.accountId)
      .where('groupName', '=', g.name)
      .execute();
  },
  async remove(db: Db, g: InstanceGroup): Promise<void> {
    await db
      .updateTable('vms')
      .set({ groupName: null })
      .where('accountId', '=', g.accountId)
      .where('groupName', '=', g.name)
      .execute();
    await db.deleteFrom('instanceGroups').where('id', '=', g.id).execute();
  },
  list(db: Db, f: { accountIds?: string[]; id?: string; name?: string; keyword?: string }): Promise<InstanceGroup[]> {
    let q = db.selectFrom('instanceGroups').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').execute();
  },
};
