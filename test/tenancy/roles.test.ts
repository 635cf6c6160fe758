import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { refused } from '../helpers/networking.js';

const UNAVAILABLE = (c: string) => `The given command '${c}' either does not exist, is not available for user.`;

describe('dynamic roles decide which commands a caller may call', () => {
  let w: World;
  let admin: Api;
  let roles: Record<string, any>;

  const account = async (name: string, roleid: string): Promise<Api> => {
    const r = await admin('createAccount', {
      account: name,
      username: name,
      password: 'pw',
      email: `${name}@x`,
      firstname: name,
      lastname: 't',
      roleid,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return apiSession(w, name, 'pw');
  };

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    roles = Object.fromEntries((await admin('listRoles', {})).body.role.map((r: any) => [r.name, r]));
  });
  after(() => w.close());

  it('seeds the roles a fresh 4.18 has', () => {
    assert.deepEqual(
      Object.values(roles).map((r: any) => [r.name, r.type, r.isdefault]),
      [
        ['Root Admin', 'Admin', true],
        ['Resource Admin', 'ResourceAdmin', true],
        ['Domain Admin', 'DomainAdmin', true],
        ['User', 'User', true],
        ['Read-Only Admin - Default', 'Admin', true],
        ['Read-Only User - Default', 'User', true],
        ['Support Admin - Default', 'Admin', true],
        ['Support User - Default', 'User', true],
      ],
    );
  });

  it('a User-role account cannot call admin commands, and listApis shows only what it may call', async () => {
    const user = await account('plain', roles['User'].id);
    for (const c of [
      'createDomain',
      'createAccount',
      'listConfigurations',
      'updateResourceLimit',
      'createRole',
      'listAlerts',
    ]) {
      const r = await user(c, {});
      assert.equal(r.status, 432, c);
      assert.equal(r.body.errortext, UNAVAILABLE(c));
      assert.equal(r.body.cserrorcode, 4555);
    }
    const apis = (await user('listApis', {})).body.api.map((a: any) => a.name);
    assert.ok(
      apis.includes('deployVirtualMachine') && apis.includes('listResourceLimits') && apis.includes('createProject'),
    );
    assert.ok(
      !apis.includes('createDomain') &&
        !apis.includes('createAccount') &&
        !apis.includes('configureSimulator') &&
        !apis.includes('listRoles'),
    );
    const all = (await admin('listApis', {})).body.api.length;
    assert.ok(apis.length < all, `${apis.length} of ${all}`);
    const acc = (await user('listAccounts', {})).body.account[0];
    assert.deepEqual([acc.roleid, acc.rolename, acc.roletype], [roles['User'].id, 'User', 'User']);
  });

  it('a custom role: its rules decide in order; what none names only APICommand.authorized admits', async () => {
    const r = await admin('createRole', { name: 'no-deploy', type: 'User', description: 'cannot deploy' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const role = r.body.role;
    assert.deepEqual([role.name, role.type, role.isdefault], ['no-deploy', 'User', false]);
    const deny = await admin('createRolePermission', { roleid: role.id, rule: 'deploy*', permission: 'deny' });
    assert.deepEqual(
      [deny.body.rolepermission.rule, deny.body.rolepermission.permission, deny.body.rolepermission.rolename],
      ['deploy*', 'deny', 'no-deploy'],
    );
    const allow = await admin('createRolePermission', {
      roleid: role.id,
      rule: 'deployVirtualMachine',
      permission: 'allow',
    });
    const u = await account('limited', role.id);
    let d = await u('deployVirtualMachine', {
      zoneid: w.zones.basic,
      serviceofferingid: w.small,
      templateid: w.template,
    });
    assert.equal(d.status, 432, 'the first matching rule (deny deploy*) wins');
    // DynamicRoleBasedAPIAccessChecker: no rule and no annotation is a denial (ListVMsCmd declares no `authorized`).
    assert.equal((await u('listVirtualMachines', {})).status, 432, 'without a matching rule a custom role is refused');
    const lists = await admin('createRolePermission', { roleid: role.id, rule: 'list*', permission: 'allow' });
    assert.equal((await u('listVirtualMachines', {})).status, 200);
    assert.ok(!(await u('listApis', {})).body.api.some((a: any) => a.name === 'deployVirtualMachine'));
    // Moving the allow rule first changes the answer.
    assert.equal(
      (
        await admin('updateRolePermission', {
          roleid: role.id,
          ruleorder: `${allow.body.rolepermission.id},${deny.body.rolepermission.id},${lists.body.rolepermission.id}`,
        })
      ).status,
      200,
    );
    d = await u('deployVirtualMachine', { zoneid: w.zones.basic, serviceofferingid: w.small, templateid: w.template });
    assert.equal(d.status, 200, JSON.stringify(d.body));
    const listed = (await admin('listRolePermissions', { roleid: role.id })).body.rolepermission.map(
      (p: any) => p.rule,
    );
    assert.deepEqual(listed, ['deployVirtualMachine', 'deploy*', 'list*']);
    // A rule can also grant an admin command to a User-type role.
    await admin('createRolePermission', { roleid: role.id, rule: 'listConfigurations', permission: 'allow' });
    assert.equal((await u('listConfigurations', {})).status, 200);
  });

  it('the read-only user role may list but not change anything', async () => {
    const ro = await account('reader', roles['Read-Only User - Default'].id);
    assert.equal((await ro('listVirtualMachines', {})).status, 200);
    assert.equal((await ro('listZones', {})).status, 200);
    for (const c of ['deployVirtualMachine', 'createSecurityGroup', 'createTags'])
      assert.equal((await ro(c, {})).status, 432, c);
    const rules = (await admin('listRolePermissions', { roleid: roles['Read-Only User - Default'].id })).body
      .rolepermission;
    assert.deepEqual(rules.at(-1), { ...rules.at(-1), rule: '*', permission: 'deny' });
    assert.ok(!rules.some((p: any) => p.rule === 'listConfigurations'), 'only what the User role may list');
  });

  it('refuses what CloudStack refuses, with its texts', async () => {
    const role = (await admin('listRoles', { name: 'no-deploy' })).body.role[0];
    await refused(
      w,
      admin,
      'deleteRole',
      { id: role.id },
      531,
      "Found accounts that have role in use, won't allow to delete role",
    );
    await refused(w, admin, 'deleteRole', { id: roles['User'].id }, 531, 'Default roles cannot be deleted');
    await refused(
      w,
      admin,
      'createRolePermission',
      { roleid: roles['User'].id, rule: 'list*', permission: 'allow' },
      531,
      'Default roles cannot be updated',
    );
    await refused(
      w,
      admin,
      'createRolePermission',
      { roleid: role.id, rule: 'list-things', permission: 'allow' },
      431,
      'Only API names and wildcards are allowed, invalid rule provided: list-things',
    );
    await refused(w, admin, 'createRole', { name: 'x' }, 431, 'Neither role type nor role ID is provided');
    await refused(w, admin, 'createRole', { name: 'x', type: 'Wizard' }, 431, 'Illegal RoleType name provided');
    await refused(
      w,
      admin,
      'createRole',
      { name: 'no-deploy', type: 'User' },
      431,
      'Role with name no-deploy already exists',
    );
    const clone = await admin('createRole', { name: 'copy', roleid: role.id });
    assert.equal(
      (await admin('listRolePermissions', { roleid: clone.body.role.id })).body.rolepermission.length,
      4,
      'the clone has the rules',
    );
    assert.equal((await admin('deleteRole', { id: clone.body.role.id })).status, 200);
    assert.deepEqual((await admin('listRoles', { name: 'copy' })).body, {});
  });

  it('the built-in roles list the rules 4.18 seeds them with: * for Root Admin, an allow per API for the others', async () => {
    const rulesOf = async (name: string) =>
      (await admin('listRolePermissions', { roleid: roles[name].id })).body.rolepermission as any[];
    assert.deepEqual(
      (await rulesOf('Root Admin')).map((r) => [r.rule, r.permission]),
      [['*', 'allow']],
    );
    const user = await rulesOf('User');
    assert.ok(user.some((r) => r.rule === 'deployVirtualMachine') && !user.some((r) => r.rule === 'createDomain'));
    assert.ok(user.every((r) => r.permission === 'allow' && r.rolename === 'User'));
    assert.ok((await rulesOf('Domain Admin')).some((r) => r.rule === 'createAccount'));
    assert.deepEqual(
      (await rulesOf('User')).map((r) => r.id),
      user.map((r) => r.id),
      'the same ids every time',
    );
  });

  it('a clone of a built-in role carries the rules 4.18 seeds it with, so it can call what the original can', async () => {
    const clone = await admin('createRole', { name: 'user-copy', roleid: roles['User'].id });
    assert.equal(clone.status, 200, JSON.stringify(clone.body));
    const rules = (await admin('listRolePermissions', { roleid: clone.body.role.id })).body.rolepermission as any[];
    assert.ok(rules.some((r) => r.rule === 'listVirtualMachines' && r.permission === 'allow'));
    assert.ok(!rules.some((r) => r.rule === 'createDomain'));
    const u = await account('cloned-user', clone.body.role.id);
    assert.equal((await u('listVirtualMachines', {})).status, 200);
    assert.equal((await u('createDomain', { name: 'nope' })).status, 432);
    // A custom DomainAdmin role without rules still lists roles: ListRolesCmd's annotation admits the type.
    const bare = (await admin('createRole', { name: 'bare-da', type: 'DomainAdmin' })).body.role;
    const da = await account('bare-da', bare.id);
    assert.equal((await da('listRoles', {})).status, 200);
    assert.equal((await da('listZones', {})).status, 432);
  });

  it('a domain admin does not see Admin roles and cannot hand out more than it has', async () => {
    const dom = await admin('createDomain', { name: 'sub' });
    await admin('createAccount', {
      account: 'sub-admin',
      username: 'sub-admin',
      password: 'pw',
      email: 's@x',
      firstname: 's',
      lastname: 'a',
      accounttype: 2,
      domainid: dom.body.domain.id,
    });
    const da = await apiSession(w, 'sub-admin', 'pw', '/sub');
    const types = new Set((await da('listRoles', {})).body.role.map((r: any) => r.type));
    assert.ok(!types.has('Admin') && types.has('User') && types.has('DomainAdmin'));
    await refused(
      w,
      da,
      'createAccount',
      {
        account: 'boss',
        username: 'boss',
        password: 'pw',
        email: 'b@x',
        firstname: 'b',
        lastname: 'b',
        roleid: roles['Root Admin'].id,
      },
      531,
      /can not create an account with access to more privileges they have themself\.$/,
    );
  });
});
