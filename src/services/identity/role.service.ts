import { createHash } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Permission, Role, RolePermission, RoleType } from '../../domain/organisation.js';
import { DEFAULT_ROLES, parsePermission, parseRoleType, validateRule } from '../../domain/roles.js';
import type { Db, Store } from '../../store/db.js';
import { roleStore, roleRows, rolePermissionRows } from '../../store/role.store.js';
import { sequenceStore, nextSeq } from '../../store/sequence.store.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { VersionedCache } from '../versioned.js';

/** Roles 1-4: Root Admin, Resource Admin, Domain Admin, User. */
const BUILT_IN_ROLES = 4;

/** A uuid-shaped id that is the same for the same name. */
function derivedId(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Seeds the roles a fresh CloudStack has; a database that has roles keeps them. `userApis` is what the User role may call. */
export async function ensureDefaultRoles(db: Db, now: number, userApis: string[]): Promise<void> {
  if ((await roleStore.count(db)) > 0) return;
  for (const r of DEFAULT_ROLES) {
    const role: Role = {
      id: newId(),
      seq: r.seq,
      name: r.name,
      type: r.type,
      description: r.description,
      isDefault: 1,
      created: now,
      removed: null,
    };
    await roleRows.insert(db, role);
    const rows = (r.rules?.(userApis) ?? []).map(([rule, permission], i) => ({
      id: newId(),
      roleId: role.id,
      rule,
      permission,
      description: null,
      sortOrder: i,
    }));
    // Hundreds of rules per read-only role: a few multi-row inserts instead of one statement each (start-up time).
    for (let i = 0; i < rows.length; i += 100) await roleStore.insertPermissions(db, rows.slice(i, i + 100));
  }
  await sequenceStore.set(db, 'role', DEFAULT_ROLES.length);
}

export interface NewRole {
  name: string;
  type?: string;
  cloneOf?: string;
  description?: string;
}

/** Dynamic roles (RoleManagerImpl): roles, their ordered allow/deny rules, and who may see them. */
export class RoleService {
  constructor(
    private store: Store,
    private clock: Clock,
    /** What a built-in role of this type may call by the rules CloudStack seeds it with (kept implicit here). */
    private implicitApis: (type: RoleType) => string[] = () => [],
  ) {}

  private rulesCache = new VersionedCache<string, RolePermission[]>(1000);

  /** A role's rules in order; reused until the rules are written, as the API checker asks on every request. */
  rulesOf(roleId: string): Promise<RolePermission[]> {
    return this.rulesCache.get(roleId, this.store.versionOf(['rolePermissions']), () =>
      roleStore.permissions(this.store.db, roleId),
    );
  }

  /** Non-root callers do not see Admin roles (removeRootAdminRolesIfNeeded). */
  async list(caller: Caller, f: { id?: string; name?: string; type?: string; keyword?: string }): Promise<Role[]> {
    const roles = await roleStore.list(this.store.db, {
      id: f.id,
      name: f.name,
      type: f.type ? parseRoleType(f.type) : undefined,
      keyword: f.keyword,
    });
    return isRootAdmin(caller) ? roles : roles.filter((r) => r.type !== 'Admin');
  }

  async get(db: Db, id: string, param = 'id'): Promise<Role> {
    const r = await roleStore.get(db, id);
    if (!r) throw notFound('Role', id, param);
    return r;
  }

  async create(caller: Caller, r: NewRole): Promise<Role> {
    if (!r.type && !r.cloneOf) throw invalid('Neither role type nor role ID is provided', 'type');
    if (r.type && r.cloneOf) throw invalid('Both role type and role ID should not be specified', 'type');
    return this.store.tx(async (trx) => {
      if (await roleStore.byName(trx, r.name)) throw invalid(`Role with name ${r.name} already exists`, 'name');
      const source = r.cloneOf ? await this.get(trx, r.cloneOf, 'roleid') : undefined;
      const type: RoleType = source?.type ?? parseRoleType(r.type!);
      const role: Role = {
        id: newId(),
        seq: await nextSeq(trx, 'role'),
        name: r.name,
        type,
        description: r.description ?? null,
        isDefault: 0,
        created: this.clock.now(),
        removed: null,
      };
      await roleRows.insert(trx, role);
      for (const p of source ? await this.effectiveRules(trx, source) : [])
        await rolePermissionRows.insert(trx, { ...p, id: newId(), roleId: role.id });
      await this.event(trx, caller, 'ROLE.CREATE', `Created role ${role.name}`, role.id);
      return role;
    });
  }

  /**
   * A role's rules. The built-in roles 1-4 keep none in the database here; they show (and clones
   * copy) the ones 4.18 seeds them with: `*` allowed for Root Admin, an allow rule per API of its
   * type for the others. Their ids are derived from the role and the rule, so they stay the same.
   */
  private async effectiveRules(db: Db, role: Role): Promise<RolePermission[]> {
    const stored = await roleStore.permissions(db, role.id);
    if (stored.length || !role.isDefault || role.seq > BUILT_IN_ROLES) return stored;
    const apis = role.seq === 1 ? ['*'] : this.implicitApis(role.type);
    return apis.map((rule, i) => ({
      id: derivedId(`${role.id}:${rule}`),
      roleId: role.id,
      rule,
      permission: 'allow' as const,
      description: null,
      sortOrder: i,
    }));
  }

  /** importRole: a role and its rules in one step; `forced` replaces a role of the same name. */
  async importRole(
    caller: Caller,
    r: { name: string; type?: string; description?: string; forced: boolean },
    rules: { rule: string; permission: string; description?: string }[],
  ): Promise<Role> {
    if (!r.type) throw invalid('Invalid role type provided', 'type');
    const type = parseRoleType(r.type);
    const parsed = rules.map((x) => {
      validateRule(x.rule);
      return { rule: x.rule, permission: parsePermission(x.permission), description: x.description ?? null };
    });
    return this.store.tx(async (trx) => {
      const existing = await roleStore.byName(trx, r.name);
      if (existing && !r.forced) throw invalid('Role already exists', 'name');
      if (existing) this.assertEditable(existing);
      const role: Role = existing
        ? { ...existing, type, description: r.description ?? existing.description }
        : {
            id: newId(),
            seq: await nextSeq(trx, 'role'),
            name: r.name,
            type,
            description: r.description ?? null,
            isDefault: 0,
            created: this.clock.now(),
            removed: null,
          };
      if (existing) {
        await roleRows.update(trx, role.id, { type, description: role.description });
        await roleStore.removePermissions(trx, role.id);
      } else await roleRows.insert(trx, role);
      for (const [i, x] of parsed.entries())
        await rolePermissionRows.insert(trx, { id: newId(), roleId: role.id, ...x, sortOrder: i });
      await this.event(trx, caller, 'ROLE.IMPORT', `Imported role ${role.name} with ${parsed.length} rules`, role.id);
      return role;
    });
  }

  async update(caller: Caller, id: string, u: { name?: string; type?: string; description?: string }): Promise<Role> {
    return this.store.tx(async (trx) => {
      const role = await this.get(trx, id);
      this.assertEditable(role);
      const patch: Partial<Role> = {};
      if (u.name !== undefined && u.name !== role.name) {
        if (!u.name.trim()) throw invalid('Role name cannot be empty', 'name');
        if (await roleStore.byName(trx, u.name)) throw invalid(`Role with name ${u.name} already exists`, 'name');
        patch.name = u.name;
      }
      if (u.type !== undefined) {
        const type = parseRoleType(u.type);
        if (type !== role.type && (await roleStore.inUse(trx, id)))
          throw invalid('Role type cannot be changed while accounts use the role', 'type');
        patch.type = type;
      }
      if (u.description !== undefined) patch.description = u.description;
      await roleRows.update(trx, id, patch);
      await this.event(trx, caller, 'ROLE.UPDATE', `Updated role ${role.name}`, id);
      return { ...role, ...patch };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const role = await this.get(trx, id);
      if (role.isDefault) throw forbidden('Default roles cannot be deleted', 'Role', id);
      if (await roleStore.inUse(trx, id))
        throw forbidden("Found accounts that have role in use, won't allow to delete role", 'Role', id);
      await roleStore.removePermissions(trx, id);
      await roleRows.update(trx, id, { removed: this.clock.now() });
      await this.event(trx, caller, 'ROLE.DELETE', `Deleted role ${role.name}`, id);
    });
  }

  /** listRolePermissions: one role's rules, or every role's. */
  async permissions(roleId: string | undefined): Promise<{ role: Role; rules: RolePermission[] }[]> {
    const db = this.store.db;
    const roles = roleId ? [await this.get(db, roleId, 'roleid')] : await roleStore.list(db, {});
    return Promise.all(roles.map(async (role) => ({ role, rules: await this.effectiveRules(db, role) })));
  }

  async addPermission(
    caller: Caller,
    roleId: string,
    rule: string,
    permission: string,
    description?: string,
  ): Promise<RolePermission> {
    validateRule(rule);
    const perm = parsePermission(permission);
    return this.store.tx(async (trx) => {
      const role = await this.get(trx, roleId, 'roleid');
      this.assertEditable(role);
      if ((await roleStore.permissions(trx, roleId)).some((p) => p.rule.toLowerCase() === rule.toLowerCase()))
        throw invalid(`Rule ${rule} already exists in role ${role.name}`, 'rule');
      const p: RolePermission = {
        id: newId(),
        roleId,
        rule,
        permission: perm,
        description: description ?? null,
        sortOrder: await roleStore.nextOrder(trx, roleId),
      };
      await rolePermissionRows.insert(trx, p);
      await this.event(
        trx,
        caller,
        'ROLE.PERMISSION.CREATE',
        `Added rule ${rule} (${perm}) to role ${role.name}`,
        roleId,
      );
      return p;
    });
  }

  /** updateRolePermission: a new order for all of a role's rules, or a new permission for one. */
  async updatePermission(
    caller: Caller,
    roleId: string,
    u: { order?: string[]; ruleId?: string; permission?: string },
  ): Promise<void> {
    if (!u.order && !(u.ruleId && u.permission))
      throw invalid('Provide either a rule order, or a rule id and a permission', 'ruleorder');
    await this.store.tx(async (trx) => {
      const role = await this.get(trx, roleId, 'roleid');
      this.assertEditable(role);
      const rules = await roleStore.permissions(trx, roleId);
      if (u.order) {
        const known = new Set(rules.map((r) => r.id));
        if (
          u.order.length !== rules.length ||
          u.order.some((id) => !known.has(id)) ||
          new Set(u.order).size !== u.order.length
        )
          throw invalid('The rule order must list every permission of the role exactly once', 'ruleorder');
        for (const [i, id] of u.order.entries()) await roleStore.setOrder(trx, id, i);
      } else {
        const rule = rules.find((r) => r.id === u.ruleId);
        if (!rule) throw invalid("Role permission doesn't exist in the role", 'ruleid');
        await rolePermissionRows.update(trx, rule.id, { permission: parsePermission(u.permission!) as Permission });
      }
      await this.event(trx, caller, 'ROLE.PERMISSION.UPDATE', `Updated the rules of role ${role.name}`, roleId);
    });
  }

  async removePermission(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await roleStore.permission(trx, id);
      if (!p) throw notFound('RolePermission', id);
      const role = await this.get(trx, p.roleId);
      this.assertEditable(role);
      await rolePermissionRows.remove(trx, id);
      await this.event(trx, caller, 'ROLE.PERMISSION.DELETE', `Removed rule ${p.rule} from role ${role.name}`, role.id);
    });
  }

  private assertEditable(role: Role): void {
    if (role.isDefault)
      throw new DomainError('Forbidden', 'Default roles cannot be updated', { kind: 'Role', id: role.id });
  }

  private event(db: Db, caller: Caller, type: string, description: string, roleId: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: roleId,
      resourceType: 'Role',
    });
  }
}
