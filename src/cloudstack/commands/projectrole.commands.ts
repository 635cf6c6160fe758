import type { ProjectRolePermission, ProjectRoleRow } from '../../domain/organisation.js';
import { fields, list, object, success, type CommandDef } from '../command.js';
import { paging, slice, uuidList } from './common.js';

/** The roles of every type may call the project role commands (their APICommand.authorized); the manager checks the project. */
const ALL = ['Admin', 'ResourceAdmin', 'DomainAdmin', 'User'] as const;

const roleView = (r: ProjectRoleRow) => ({
  id: r.id,
  name: r.name,
  projectid: r.projectId,
  ...(r.description ? { description: r.description } : {}),
});
const permissionView = (p: ProjectRolePermission, role: ProjectRoleRow | undefined) => ({
  id: p.id,
  projectid: p.projectId,
  projectroleid: p.projectRoleId,
  ...(role ? { projectrolename: role.name } : {}),
  rule: p.rule,
  permission: p.permission,
  ...(p.description ? { description: p.description } : {}),
});

export const projectRoleCommands: CommandDef[] = [
  {
    name: 'createProjectRole',
    authorized: ALL,
    annotated: ALL,
    async handle({ caller, services, params: p }) {
      return object(
        'projectrole',
        roleView(await services.projectRoles.create(caller, p.req('projectid'), p.req('name'), p.str('description'))),
      );
    },
  },
  {
    name: 'listProjectRoles',
    authorized: ALL,
    annotated: ALL,
    async handle({ services, params: p }) {
      const roles = await services.projectRoles.list(p.req('projectid'), {
        id: p.uuid('projectroleid'),
        name: p.str('name'),
        keyword: p.str('keyword'),
      });
      return list('projectrole', slice(roles, paging(p, services)).map(roleView), roles.length);
    },
  },
  {
    name: 'updateProjectRole',
    authorized: ALL,
    annotated: ALL,
    async handle({ caller, services, params: p }) {
      const r = await services.projectRoles.update(caller, p.req('projectid'), p.req('id'), {
        name: p.str('name'),
        description: p.str('description'),
      });
      return object('projectrole', roleView(r));
    },
  },
  {
    name: 'deleteProjectRole',
    authorized: ALL,
    annotated: ALL,
    async handle({ caller, services, params: p }) {
      await services.projectRoles.remove(caller, p.req('projectid'), p.req('id'));
      return success();
    },
  },
  {
    name: 'createProjectRolePermission',
    authorized: ALL,
    annotated: ALL,
    async handle({ caller, services, params: p }) {
      const projectId = p.req('projectid');
      const perm = await services.projectRoles.addPermission(caller, {
        projectId,
        roleId: p.req('projectroleid'),
        rule: p.req('rule'),
        permission: p.req('permission'),
        description: p.str('description'),
      });
      const { roles } = await services.projectRoles.permissions(projectId, perm.projectRoleId);
      return object('projectrolepermission', permissionView(perm, roles.get(perm.projectRoleId)));
    },
  },
  {
    name: 'listProjectRolePermissions',
    authorized: ALL,
    annotated: ALL,
    async handle({ services, params: p }) {
      const { rules, roles } = await services.projectRoles.permissions(p.req('projectid'), p.uuid('projectroleid'));
      return list(
        'projectrolepermission',
        rules.map((r) => permissionView(r, roles.get(r.projectRoleId))),
      );
    },
  },
  {
    name: 'updateProjectRolePermission',
    authorized: ALL,
    annotated: ALL,
    async handle({ caller, services, params: p }) {
      const done = await services.projectRoles.updatePermission(caller, {
        projectId: p.req('projectid'),
        roleId: p.req('projectroleid'),
        order: p.has('ruleorder') ? uuidList(p, 'ruleorder') : undefined,
        ruleId: p.uuid('projectrolepermissionid'),
        permission: p.str('permission'),
      });
      return done ? success() : fields({ success: false });
    },
  },
  {
    name: 'deleteProjectRolePermission',
    authorized: ALL,
    annotated: ALL,
    async handle({ caller, services, params: p }) {
      await services.projectRoles.removePermission(caller, p.req('projectid'), p.req('id'));
      return success();
    },
  },
];
