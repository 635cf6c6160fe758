import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, refused, tenant } from '../helpers/networking.js';

describe('project roles: a Regular member held to its project role, Admins not', () => {
  let w: World;
  let admin: Api;
  let owner: Api;
  let regular: Api;
  let boss: Api;
  let outsider: Api;
  let project: any;
  let role: any;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    owner = await tenant(w, admin, 'pr-owner');
    regular = await tenant(w, admin, 'pr-regular');
    boss = await tenant(w, admin, 'pr-boss');
    outsider = await tenant(w, admin, 'pr-outsider');
    project = (await created(w, owner, 'createProject', { name: 'roles', displaytext: 'Roles' })).job.jobresult.project;
  });
  after(() => w.close());

  it('the project Admin creates a role and a deny rule; both list with the project and role names', async () => {
    const r = await owner('createProjectRole', {
      projectid: project.id,
      name: 'no-ips',
      description: 'cannot list addresses',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    role = r.body.projectrole;
    assert.deepEqual([role.name, role.projectid, role.description], ['no-ips', project.id, 'cannot list addresses']);
    const perm = (
      await owner('createProjectRolePermission', {
        projectid: project.id,
        projectroleid: role.id,
        rule: 'listPublicIpAddresses',
        permission: 'deny',
      })
    ).body.projectrolepermission;
    assert.deepEqual(
      [perm.rule, perm.permission, perm.projectroleid, perm.projectrolename, perm.projectid],
      ['listPublicIpAddresses', 'deny', role.id, 'no-ips', project.id],
    );
    assert.deepEqual(
      (await owner('listProjectRoles', { projectid: project.id })).body.projectrole.map((x: any) => x.id),
      [role.id],
    );
    assert.deepEqual(
      (
        await owner('listProjectRolePermissions', { projectid: project.id, projectroleid: role.id })
      ).body.projectrolepermission.map((x: any) => x.rule),
      ['listPublicIpAddresses'],
    );
    await refused(
      w,
      owner,
      'createProjectRolePermission',
      { projectid: project.id, projectroleid: role.id, rule: 'list Things', permission: 'allow' },
      431,
      'Only API names and wildcards are allowed, invalid rule provided: list Things',
    );
  });

  it('a Regular member given the role is refused what it denies, and may call the rest', async () => {
    assert.equal(
      (
        await runJob(w, owner, 'addAccountToProject', {
          projectid: project.id,
          account: 'pr-regular',
          projectroleid: role.id,
        })
      ).jobstatus,
      1,
    );
    const members = (await owner('listProjectAccounts', { projectid: project.id, projectroleid: role.id })).body
      .projectaccount;
    assert.deepEqual(
      members.map((m: any) => [m.account, m.role, m.projectroleid]),
      [['pr-regular', 'Regular', role.id]],
    );
    await refused(
      w,
      regular,
      'listPublicIpAddresses',
      { projectid: project.id },
      401,
      "The given command 'listPublicIpAddresses' either does not exist, is not available for user.",
    );
    assert.equal((await regular('listVirtualMachines', { projectid: project.id })).status, 200);
    // Outside the project the role does not apply.
    assert.equal((await regular('listPublicIpAddresses', {})).status, 200);
    // A Regular member may not change the project's roles.
    await refused(
      w,
      regular,
      'createProjectRole',
      { projectid: project.id, name: 'mine' },
      531,
      'User unauthorized to perform operation in the project',
    );
  });

  it('an Admin member given the same role is not held to it; an outsider naming the project gets 432', async () => {
    assert.equal(
      (
        await runJob(w, owner, 'addAccountToProject', {
          projectid: project.id,
          account: 'pr-boss',
          projectroleid: role.id,
          roletype: 'Admin',
        })
      ).jobstatus,
      1,
    );
    assert.equal((await boss('listPublicIpAddresses', { projectid: project.id })).status, 200);
    await refused(
      w,
      outsider,
      'listPublicIpAddresses',
      { projectid: project.id },
      432,
      `The API [listPublicIpAddresses] does not exist or is not available for this account/user in project [${project.id}].`,
    );
  });

  it('turning the rule to allow lets the member call it; a role in use cannot be deleted', async () => {
    const rule = (await owner('listProjectRolePermissions', { projectid: project.id })).body.projectrolepermission[0];
    const u = await owner('updateProjectRolePermission', {
      projectid: project.id,
      projectroleid: role.id,
      projectrolepermissionid: rule.id,
      permission: 'allow',
    });
    assert.equal(u.body.success, true, JSON.stringify(u.body));
    assert.equal((await regular('listPublicIpAddresses', { projectid: project.id })).status, 200);
    await refused(
      w,
      owner,
      'deleteProjectRole',
      { projectid: project.id, id: role.id },
      531,
      'Found users that have the project role in use, cannot delete the Project Role',
    );
  });

  it('addUserToProject adds one user with a role; a role of another project is refused', async () => {
    await tenant(w, admin, 'pr-user');
    const other = (await created(w, owner, 'createProject', { name: 'other', displaytext: 'Other' })).job.jobresult
      .project;
    const foreign = (await owner('createProjectRole', { projectid: other.id, name: 'foreign' })).body.projectrole;
    const bad = await runJob(w, owner, 'addUserToProject', {
      projectid: project.id,
      username: 'pr-user',
      projectroleid: foreign.id,
    });
    assert.equal(bad.jobstatus, 2);
    assert.equal(bad.jobresult.errortext, 'Invalid project role ID for the given project');
    assert.equal(
      (
        await runJob(w, owner, 'addUserToProject', {
          projectid: project.id,
          username: 'pr-user',
          projectroleid: role.id,
        })
      ).jobstatus,
      1,
    );
    const m = (await owner('listProjectAccounts', { projectid: project.id, account: 'pr-user' })).body
      .projectaccount[0];
    assert.equal(m.projectroleid, role.id);
    assert.ok(m.userid);
  });
});
