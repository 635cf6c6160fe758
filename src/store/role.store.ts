import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import type { Role, RolePermission, RoleType } from '../domain/organisation.js';

export const roleStore = {
  get(db: Db, id: string): Promise<Role | undefined> {
    return db.selectFrom('roles').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  bySeq(db: Db, seq: number): Promise<Role | undefined> {
    return db.selectFrom('roles').selectAll().where('seq', '=', seq).where('removed', 'is', null).executeTakeFirst();
  },
  byName(db: Db, name: string): Promise<Role | undefined> {
    return db.selectFrom('roles').selectAll().where('name', '=', name).where('removed', 'is', null).executeTakeFirst();
  },
  list(db: Db, f: { id?: string; name?: string; type?: RoleType; keyword?: string }): Promise<Role[]> {
    let q = db.selectFrom('roles').selectAll().where('removed', 'is', null);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.type) q = q.where('type', '=', f.type);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('seq').execute();
  },
  async count(db: Db): Promise<number> {
    const r = await db
      .selectFrom('roles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  async inUse(db: Db, roleId: string): Promise<boolean> {
    return (
      (await db
        .selectFrom('accounts')
        .select('id')
        .where('roleId', '=', roleId)
        .where('removed', 'is', null)
        .executeTakeFirst()) !== undefined
    );
  },
  permissions(db: Db, roleId: string): Promise<RolePermission[]> {
    return db.selectFrom('rolePermissions').selectAll().where('roleId', '=', roleId).orderBy('sortOrder').execute();
  },
  permission(db: Db, id: string): Promise<RolePermission | undefined> {
    return db.selectFrom('rolePermissions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async nextOrder(db: Db, roleId: string): Promise<number> {
    const r = await db
      .selectFrom('rolePermissions')
      .select((eb) => eb.fn.max('sortOrder').as('m'))
      .where('roleId', '=', roleId)
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? 0 : Number(r.m) + 1;
  },
  async setOrder(db: Db, id: string, sortOrder: number): Promise<void> {
    await db.updateTable('rolePermissions').set({ sortOrder }).where('id', '=', id).execute();
  },
  /** Several rules in one multi-row INSERT. */
  async insertPermissions(db: Db, rows: RolePermission[]): Promise<void> {
    await db.insertInto('rolePermissions').values(rows).execute();
  },
  async removePermissions(db: Db, roleId: string): Promise<void> {
    await db.deleteFrom('rolePermissions').where('roleId', '=', roleId).execute();
  },
};

export const rolePermissionRows = rowsOf('rolePermissions');
export const roleRows = rowsOf('roles');
