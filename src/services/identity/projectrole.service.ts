import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Project, ProjectMember, ProjectRolePermission, ProjectRoleRow } from '../../domain/organisation.js';
import { parsePermission, ruleMatches, validateRule } from '../../domain/roles.js';
import type { Db, Store } from '../../store/db.js';
import { projectStore } from '../../store/project.store.js';
import { projectRoleStore, projectRoleRows, projectRolePermissionRows } from '../../store/projectrole.store.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

/** How the project-role checker answers one call made in a project. */
export type ProjectVerdict = 'allowed' | 'denied' | 'not-member';

/**
 * Project roles (ProjectRoleManagerImpl): a project's own roles with ordered allow/deny rules. A
 * Regular member given one may call only what its rules do not deny
 * (ProjectRoleBasedApiAccessChecker); project Admins, root and domain admins are not held to them.
 */
export class ProjectRoleService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  /** ProjectRoleManagerImpl.checkAccess: root and domain admins, or an Admin member (the user's own row first). */
  private async checkAccess(db: Db, caller: Caller, projectId: string): Promise<Project> {
    const p = await projectStore.get(db, projectId);
    if (!p) throw invalid('Invalid project id provided', 'projectid');
    if (isRootAdmin(caller) || caller.accountType === 2) return p;
    const m = await this.membership(db, p.id, caller);
    if (!m) throw forbidden('User/Account not part of project', 'Project', p.id);
    if (m.role !== 'Admin') throw forbidden('User unauthorized to perform operation in the project', 'Project', p.id);
    return p;
  }

  /** The caller's membership: its user's own row (addUserToProject), else its account's. */
  private async membership(db: Db, projectId: string, caller: Caller): Promise<ProjectMember | undefined> {
    const rows = await projectStore.memberships(db, projectId, caller.accountId);
    return rows.find((r) => r.userId === caller.userId) ?? rows.find((r) => !r.userId) ?? undefined;
  }

  /** ProjectRoleBasedApiAccessChecker.checkAccess for a call naming project `projectId`. */
  async verdict(caller: Caller, projectId: string, api: string): Promise<ProjectVerdict> {
    if (isRootAdmin(caller) || caller.accountType === 2) return 'allowed';
    const db = this.store.db;
    if (!(await projectStore.get(db, projectId))) return 'allowed';
    const m = await this.membership(db, projectId, caller);
    if (!m) return api === 'updateProjectInvitation' ? 'allowed' : 'not-member';
    if (m.role === 'Admin' || !m.projectRoleId) return 'allowed';
    const role = await projectRoleStore.get(db, m.projectRoleId);
    if (!role || role.projectId !== projectId) return 'allowed';
    const rules = await projectRoleStore.permissions(db, projectId, role.id);
    const first = rules.find((r) => ruleMatches(r.rule, api));
    return first?.permission === 'deny' ? 'denied' : 'allowed';
  }

  async create(caller: Caller, projectId: string, name: string, description?: string): Promise<ProjectRoleRow> {
    return this.store.tx(async (trx) => {
      const p = await this.checkAccess(trx, caller, projectId);
      const role: ProjectRoleRow = {
        id: newId(),
        projectId,
        name,
        description: description ?? null,
        created: this.clock.now(),
      };
      await projectRoleRows.insert(trx, role);
      await this.event(trx, caller, p, 'PROJECT.ROLE.CREATE', `Created project role ${name}`, role.id);
      return role;
    });
  }

  /** findProjectRole: a role of this project, else none. */
  async find(db: Db, roleId: string, projectId: string): Promise<ProjectRoleRow | undefined> {
    const r = await projectRoleStore.get(db, roleId);
    return r && r.projectId === projectId ? r : undefined;
  }

  async list(projectId: string, f: { id?: string; name?: string; keyword?: string }): Promise<ProjectRoleRow[]> {
    const db = this.store.db;
    if (!(await projectStore.get(db, projectId))) throw invalid('Failed to find project by ID.', 'projectid');
    // With an id the name and keyword are not looked at; with a name the keyword is not.
    if (f.id) return projectRoleStore.list(db, projectId, { id: f.id });
    if (f.name?.trim()) return projectRoleStore.list(db, projectId, { name: f.name });
    return projectRoleStore.list(db, projectId, { keyword: f.keyword });
  }

  async update(
    caller: Caller,
    projectId: string,
    id: string,
    u: { name?: string; description?: string },
  ): Promise<ProjectRoleRow> {
    return this.store.tx(async (trx) => {
      const role = await this.find(trx, id, projectId);
      if (!role) throw invalid('Invalid project role ID provided', 'id');
      const p = await this.checkAccess(trx, caller, projectId);
      const patch: Partial<ProjectRoleRow> = {};
      if (u.name) patch.name = u.name;
      if (u.description) patch.description = u.description;
      if (Object.keys(patch).length) await projectRoleRows.update(trx, id, patch);
      await this.event(trx, caller, p, 'PROJECT.ROLE.UPDATE', `Updated project role ${role.name}`, id);
      return { ...role, ...patch };
    });
  }

  async remove(caller: Caller, projectId: string, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await this.checkAccess(trx, caller, projectId);
      const role = await projectRoleStore.get(trx, id);
      if (!role) throw invalid('Cannot find the role with provided id', 'id');
      if (role.projectId !== projectId)
        throw forbidden('Not authorized to delete the given project role', 'ProjectRole', id);
      if ((await projectRoleStore.holders(trx, id)).length)
        throw forbidden(
          'Found users that have the project role in use, cannot delete the Project Role',
          'ProjectRole',
          id,
        );
      await projectRoleStore.remove(trx, id);
      await this.event(trx, caller, p, 'PROJECT.ROLE.DELETE', `Deleted project role ${role.name}`, id);
    });
  }

  async addPermission(
    caller: Caller,
    r: { projectId: string; roleId: string; rule: string; permission: string; description?: string },
  ): Promise<ProjectRolePermission> {
    validateRule(r.rule);
    const permission = parsePermission(r.permission);
    return this.store.tx(async (trx) => {
      const role = await this.find(trx, r.roleId, r.projectId);
      if (!role) throw invalid('Invalid project role ID provided', 'projectroleid');
      const p = await this.checkAccess(trx, caller, r.projectId);
      if ((await projectRoleStore.permissions(trx, r.projectId, role.id)).some((x) => x.rule === r.rule))
        throw invalid(`Project role permission for ${r.rule} seems to already exist.`, 'rule');
      const row: ProjectRolePermission = {
        id: newId(),
        projectId: r.projectId,
        projectRoleId: role.id,
        rule: r.rule,
        permission,
        description: r.description ?? null,
        sortOrder: await projectRoleStore.nextOrder(trx, role.id),
      };
      await projectRolePermissionRows.insert(trx, row);
      await this.event(
        trx,
        caller,
        p,
        'PROJECT.ROLE.PERMISSION.CREATE',
        `Added rule ${r.rule} (${permission}) to project role ${role.name}`,
        role.id,
      );
      return row;
    });
  }

  async permissions(
    projectId: string,
    roleId?: string,
  ): Promise<{ rules: ProjectRolePermission[]; roles: Map<string, ProjectRoleRow> }> {
    const db = this.store.db;
    const roles = new Map((await projectRoleStore.list(db, projectId, {})).map((r) => [r.id, r]));
    if (roleId && !roles.has(roleId)) return { rules: [], roles };
    return { rules: await projectRoleStore.permissions(db, projectId, roleId), roles };
  }

  /** updateProjectRolePermission: a new order of the role's rules, or one rule's permission. */
  async updatePermission(
    caller: Caller,
    r: { projectId: string; roleId: string; order?: string[]; ruleId?: string; permission?: string },
  ): Promise<boolean> {
    const permission = r.permission === undefined ? undefined : parseNewPermission(r.permission);
    return this.store.tx(async (trx) => {
      const role = await this.find(trx, r.roleId, r.projectId);
      if (!role) throw invalid('Invalid role id provided', 'projectroleid');
      if (r.order) {
        if (r.ruleId || permission)
          throw invalid('Parameters permission and ruleid must be mutually exclusive with ruleorder', 'ruleorder');
        const rules = await Promise.all(r.order.map((id) => projectRoleStore.permission(trx, id)));
        if (rules.some((x) => !x)) throw invalid('Provided project role permission(s) do not exist', 'ruleorder');
        const p = await this.checkAccess(trx, caller, r.projectId);
        const own = await projectRoleStore.permissions(trx, r.projectId, role.id);
        // ProjectRolePermissionsDao.update: the new order must name exactly the role's rules.
        if (own.length !== r.order.length || !own.every((x) => r.order!.includes(x.id))) return false;
        for (const [i, id] of r.order.entries()) await projectRoleStore.setOrder(trx, id, i);
        await this.event(
          trx,
          caller,
          p,
          'PROJECT.ROLE.PERMISSION.UPDATE',
          `Reordered the rules of project role ${role.name}`,
          role.id,
        );
        return true;
      }
      if (!r.ruleId && !permission) return false;
      const rule = r.ruleId ? await projectRoleStore.permission(trx, r.ruleId) : undefined;
      if (!rule || rule.projectId !== r.projectId)
        throw invalid(
          "Role permission doesn't exist in the project, probably because of invalid rule id",
          'projectrolepermissionid',
        );
      if (!permission) throw invalid('Values for permission parameter should be: allow or deny', 'permission');
      const p = await this.checkAccess(trx, caller, r.projectId);
      if (rule.projectRoleId !== role.id) return false;
      await projectRoleStore.setPermission(trx, rule.id, permission);
      await this.event(
        trx,
        caller,
        p,
        'PROJECT.ROLE.PERMISSION.UPDATE',
        `Updated rule ${rule.rule} of project role ${role.name} to ${permission}`,
        role.id,
      );
      return true;
    });
  }

  async removePermission(caller: Caller, projectId: string, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const rule = await projectRoleStore.permission(trx, id);
      if (!rule || rule.projectId !== projectId) throw invalid('Invalid role permission id provided', 'id');
      const p = await this.checkAccess(trx, caller, rule.projectId);
      await projectRoleStore.removePermission(trx, id);
      await this.event(
        trx,
        caller,
        p,
        'PROJECT.ROLE.PERMISSION.DELETE',
        `Removed rule ${rule.rule} from its project role`,
        rule.projectRoleId,
      );
    });
  }

  private event(
    db: Db,
    caller: Caller,
    p: Project,
    type: string,
    description: string,
    resourceId: string,
  ): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: p.projectAccountId,
      domainId: p.domainId,
      userId: caller.userId,
      resourceId,
      resourceType: 'ProjectRole',
    });
  }
}

/** UpdateProjectRolePermissionCmd.getProjectRolePermission: allow or deny in any case. */
function parseNewPermission(p: string): 'allow' | 'deny' {
  const v = p.toLowerCase();
  if (v !== 'allow' && v !== 'deny')
    throw invalid('Values for permission parameter should be: allow or deny', 'permission');
  return v;
}
