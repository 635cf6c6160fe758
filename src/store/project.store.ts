import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { Project, ProjectMember, ProjectRole } from '../domain/organisation.js';

export interface ProjectFilter {
  ids?: string[];
  domainIds?: string[];
  /** Only projects these accounts are members of. */
  memberIds?: string[];
  name?: string;
  displayText?: string;
  state?: string;
  keyword?: string;
}

export const projectStore = {
  get(db: Db, id: string): Promise<Project | undefined> {
    return db.selectFrom('projects').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  byAccount(db: Db, projectAccountId: string): Promise<Project | undefined> {
    return db
      .selectFrom('projects')
      .selectAll()
      .where('projectAccountId', '=', projectAccountId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  byName(db: Db, name: string, domainId: string): Promise<Project | undefined> {
    return db
      .selectFrom('projects')
      .selectAll()
      .where('name', '=', name)
      .where('domainId', '=', domainId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  list(db: Db, f: ProjectFilter): Promise<Project[]> {
    let q = db.selectFrom('projects').selectAll().where('removed', 'is', null);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.domainIds) q = q.where(inList(db, 'domainId', f.domainIds));
    if (f.memberIds)
      q = q.where(
        'id',
        'in',
        db
          .selectFrom('projectMembers')
          .select('projectId')
          .where('accountId', 'in', f.memberIds.length ? f.memberIds : ['']),
      );
    if (f.name) q = q.where('name', '=', f.name);
    if (f.displayText) q = q.where('displayText', '=', f.displayText);
    if (f.state) q = q.where('state', '=', f.state as Project['state']);
    if (f.keyword)
      q = q.where((eb) => eb.or([eb('name', 'like', `%${f.keyword}%`), eb('displayText', 'like', `%${f.keyword}%`)]));
    return q.orderBy('seq').execute();
  },
  members(db: Db, projectIds: string[]): Promise<ProjectMember[]> {
    if (!projectIds.length) return Promise.resolve([]);
    return inChunks(projectIds, (ids) =>
      db
        .selectFrom('projectMembers')
        .selectAll()
        .where('projectId', 'in', ids)
        .orderBy('created')
        .orderBy('role')
        .execute(),
    ); // same instant: the owner (Admin) was added first
  },
  /** The account's own membership (not one of its users'). */
  member(db: Db, projectId: string, accountId: string): Promise<ProjectMember | undefined> {
    return db
      .selectFrom('projectMembers')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('accountId', '=', accountId)
      .where('userId', 'is', null)
      .executeTakeFirst();
  },
  /** Every membership row of an account in a project: its own and its users'. */
  memberships(db: Db, projectId: string, accountId: string): Promise<ProjectMember[]> {
    return db
      .selectFrom('projectMembers')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('accountId', '=', accountId)
      .execute();
  },
  /** Projects in which the account is an Admin. */
  administered(db: Db, accountId: string): Promise<Project[]> {
    return db
      .selectFrom('projects')
      .innerJoin('projectMembers', 'projectMembers.projectId', 'projects.id')
      .selectAll('projects')
      .where('projectMembers.accountId', '=', accountId)
      .where('projectMembers.role', '=', 'Admin')
      .where('projects.removed', 'is', null)
      .execute();
  },
  async setRole(db: Db, id: string, role: ProjectRole): Promise<void> {
    await db.updateTable('projectMembers').set({ role }).where('id', '=', id).execute();
  },
  async removeMember(db: Db, id: string): Promise<void> {
    await db.deleteFrom('projectMembers').where('id', '=', id).execute();
  },
  async removeMembersOf(db: Db, f: { projectId?: string; accountId?: string }): Promise<void> {
    let q = db.deleteFrom('projectMembers');
    if (f.projectId) q = q.where('projectId', '=', f.projectId);
    if (f.accountId) q = q.where('accountId', '=', f.accountId);
    await q.execute();
  },
};

export const projectMemberRows = rowsOf('projectMembers');
export const projectRows = rowsOf('projects');
