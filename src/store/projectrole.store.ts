import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import type { ProjectMember, ProjectRolePermission, ProjectRoleRow } from '../domain/organisation.js';

/** Project roles and their rules (ProjectRoleDao, ProjectRolePermissionsDao). */
export const projectRoleStore = {
  get(db: Db, id: string): Promise<ProjectRoleRow | undefined> {
    return db.selectFrom('projectRoles').selectAll().where('id', '=', id).executeTakeFirst();
  },
  list(db: Db, projectId: string, f: { id?: string; name?: string; keyword?: string }): Promise<ProjectRoleRow[]> {
    let q = db.selectFrom('projectRoles').selectAll().where('projectId', '=', projectId);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').orderBy('id').execute();
  },
  /** The role's id and project, or undefined if there is no such role. */
  projectOf(db: Db, id: string): Promise<Pick<ProjectRoleRow, 'id' | 'projectId'> | undefined> {
    return db.selectFrom('projectRoles').select(['id', 'projectId']).where('id', '=', id).executeTakeFirst();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('projectRolePermissions').where('projectRoleId', '=', id).execute();
    await db.deleteFrom('projectRoles').where('id', '=', id).execute();
  },
  /** Members held to the role (ProjectAccountDao.listUsersOrAccountsByRole). */
  holders(db: Db, roleId: string): Promise<ProjectMember[]> {
    return db.selectFrom('projectMembers').selectAll().where('projectRoleId', '=', roleId).execute();
  },
  permissions(db: Db, projectId: string, roleId?: string): Promise<ProjectRolePermission[]> {
    let q = db.selectFrom('projectRolePermissions').selectAll().where('projectId', '=', projectId);
    if (roleId) q = q.where('projectRoleId', '=', roleId);
    return q.orderBy('projectRoleId').orderBy('sortOrder').execute();
  },
  permission(db: Db, id: string): Promise<ProjectRolePermission | undefined> {
    return db.selectFrom('projectRolePermissions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async nextOrder(db: Db, roleId: string): Promise<number> {
    const r = await db
      .selectFrom('projectRolePermissions')
      .select((eb) => eb.fn.max('sortOrder').as('m'))
      .where('projectRoleId', '=', roleId)
      .executeTakeFirst();
    return r?.m === null || r?.m === undefined ? 0 : Number(r.m) + 1;
  },
  async setOrder(db: Db, id: string, sortOrder: number): Promise<void> {
    await db.updateTable('projectRolePermissions').set({ sortOrder }).where('id', '=', id).execute();
  },
  async setPermission(db: Db, id: string, permission: ProjectRolePermission['permission']): Promise<void> {
    await db.updateTable('projectRolePermissions').set({ permission }).where('id', '=', id).execute();
  },
  async removePermission(db: Db, id: string): Promise<void> {
    await db.deleteFrom('projectRolePermissions').where('id', '=', id).execute();
  },
  /** A project's roles and rules go with it. */
  async removeOfProject(db: Db, projectId: string): Promise<void> {
    await db.deleteFrom('projectRolePermissions').where('projectId', '=', projectId).execute();
    await db.deleteFrom('projectRoles').where('projectId', '=', projectId).execute();
  },
};

export const projectRolePermissionRows = rowsOf('projectRolePermissions');
export const projectRoleRows = rowsOf('projectRoles');
