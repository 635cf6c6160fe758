import type { Role, RolePermission } from '../../domain/organisation.js';
import { list, object, success, type CommandDef } from '../command.js';
import { paging, slice, uuidList } from './common.js';

const roleView = (r: Role) => ({
  id: r.id,
  name: r.name,
  type: r.type,
  ...(r.description ? { description: r.description } : {}),
  isdefault: r.isDefault === 1,
});
const permissionView = (p: RolePermission, r: Role) => ({
  id: p.id,
  roleid: r.id,
  rolename: r.name,
  rule: p.rule,
  permission: p.permission,
  ...(p.description ? { description: p.description } : {}),
});

export const roleCommands: CommandDef[] = [
  {
    name: 'listRoles',
    authorized: ['Admin', 'ResourceAdmin', 'DomainAdmin'],
    annotated: ['Admin', 'ResourceAdmin', 'DomainAdmin'],
    async handle({ caller, services, params: p }) {
      const roles = await services.roles.list(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        type: p.str('type'),
        keyword: p.str('keyword'),
      });
      return list('role', slice(roles, paging(p, services)).map(roleView), roles.length);
    },
  },
  {
    name: 'createRole',
    admin: true,
    async handle({ caller, services, params: p }) {
      const r = await services.roles.create(caller, {
        name: p.req('name'),
        type: p.str('type'),
        cloneOf: p.uuid('roleid'),
        description: p.str('description'),
      });
      return object('role', roleView(r));
    },
  },
  {
    name: 'importRole',
    admin: true,
    async handle({ caller, services, params: p }) {
      const rules = (p.map('rules') ?? []).map((r) => ({
        rule: r['rule'] ?? '',
        permission: r['permission'] ?? '',
        description: r['description'],
      }));
      const r = await services.roles.importRole(
        caller,
        {
          name: p.req('name'),
          type: p.str('type'),
          description: p.str('description'),
          forced: p.bool('forced', false),
        },
        rules,
      );
      return object('role', roleView(r));
    },
  },
  {
    name: 'updateRole',
    admin: true,
    async handle({ caller, services, params: p }) {
      const r = await services.roles.update(caller, p.req('id'), {
        name: p.str('name'),
        type: p.str('type'),
        description: p.str('description'),
      });
      return object('role', roleView(r));
    },
  },
  {
    name: 'deleteRole',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.roles.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listRolePermissions',
    admin: true,
    async handle({ services, params: p }) {
      const all = (await services.roles.permissions(p.uuid('roleid'))).flatMap(({ role, rules }) =>
        rules.map((r) => permissionView(r, role)),
      );
      return list('rolepermission', all);
    },
  },
  {
    name: 'createRolePermission',
    admin: true,
    async handle({ caller, services, params: p }) {
      const perm = await services.roles.addPermission(
        caller,
        p.req('roleid'),
        p.req('rule'),
        p.req('permission'),
        p.str('description'),
      );
      const [{ role }] = await services.roles.permissions(perm.roleId);
      return object('rolepermission', permissionView(perm, role!));
    },
  },
  {
    name: 'updateRolePermission',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.roles.updatePermission(caller, p.req('roleid'), {
        order: p.has('ruleorder') ? uuidList(p, 'ruleorder') : undefined,
        ruleId: p.uuid('ruleid'),
        permission: p.str('permission'),
      });
      return success();
    },
  },
  {
    name: 'deleteRolePermission',
    admin: true,
    async handle({ caller, services, params: p }) {
      await services.roles.removePermission(caller, p.req('id'));
      return success();
    },
  },
];
