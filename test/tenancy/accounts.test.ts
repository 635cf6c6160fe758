import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, refused, tenant } from '../helpers/networking.js';

const loginFails = async (w: World, username: string, password = 'pw') => {
  await assert.rejects(apiSession(w, username, password), /login as/);
};

describe('accounts and users: lifecycle, states and what they own', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let acct: any;

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    user = await tenant(w, admin, 'acme');
    acct = (await user('listAccounts', {})).body.account[0];
  });
  after(() => w.close());

  it('createAccount needs a type or a role; duplicates get the real texts', async () => {
    const base = { username: 'u1', password: 'pw', email: 'e@x', firstname: 'f', lastname: 'l' };
    await refused(w, admin, 'createAccount', base, 431, 'Neither account type and role ID are not provided');
    await refused(
      w,
      admin,
      'createAccount',
      { ...base, account: 'acme', accounttype: 0 },
      431,
      'The specified account: acme already exists',
    );
    await refused(
      w,
      admin,
      'createAccount',
      { ...base, username: 'acme', account: 'other', accounttype: 0 },
      530,
      'The user acme already exists in domain 1',
    );
    await refused(
      w,
      admin,
      'createAccount',
      { ...base, accounttype: 7 },
      431,
      'Invalid account type 7 given; unable to create user',
    );
  });

  it('users: create, update (own password needs the current one), keys, delete', async () => {
    const u = (
      await admin('createUser', {
        account: 'acme',
        username: 'acme2',
        password: 'pw',
        email: 'a2@x',
        firstname: 'A',
        lastname: 'Two',
      })
    ).body.user;
    assert.deepEqual([u.account, u.username, u.state, u.roletype], ['acme', 'acme2', 'enabled', 'User']);
    const second = await apiSession(w, 'acme2', 'pw');
    await refused(
      w,
      second,
      'updateUser',
      { id: u.id, password: 'new' },
      431,
      'To set a new password the current password must be provided.',
    );
    await refused(
      w,
      second,
      'updateUser',
      { id: u.id, password: 'new', currentpassword: 'wrong' },
      431,
      'Current password is incorrect.',
    );
    assert.equal(
      (await second('updateUser', { id: u.id, password: 'new', currentpassword: 'pw', firstname: 'Ann' })).body.user
        .firstname,
      'Ann',
    );
    await loginFails(w, 'acme2', 'pw');
    await apiSession(w, 'acme2', 'new');
    const keys = (await admin('registerUserKeys', { id: u.id })).body.userkeys;
    assert.deepEqual((await second('getUserKeys', { id: u.id })).body.userkeys, keys);
    const outsider = await tenant(w, admin, 'outsider');
    await refused(w, outsider, 'getUserKeys', { id: u.id }, 531, /does not have permission to access user/);
    // Another user of the same account may renew them (checkAccess(caller, null, true, account)), as Marvin's test_user_key_renew_same_account does.
    const renewed = (await user('registerUserKeys', { id: u.id })).body.userkeys;
    assert.notEqual(renewed.apikey, keys.apikey);
    assert.deepEqual((await second('getUserKeys', { id: u.id })).body.userkeys, renewed);
    const adminUser = (await admin('listUsers', { username: 'admin' })).body.user[0];
    await refused(w, admin, 'deleteUser', { id: adminUser.id }, 431, "The user is default and can't be removed");
    assert.deepEqual((await admin('deleteUser', { id: u.id })).body, { success: true });
    await loginFails(w, 'acme2', 'new');
  });

  it('disableUser (async) keeps a user out; enableUser lets it back; lockUser locks the account with its last user', async () => {
    const u = (await user('listUsers', {})).body.user[0];
    const r = await runJob(w, admin, 'disableUser', { id: u.id });
    assert.equal(r.jobresult.user.state, 'disabled');
    await loginFails(w, 'acme');
    assert.equal((await admin('enableUser', { id: u.id })).body.user.state, 'enabled');
    assert.equal((await admin('lockUser', { id: u.id })).body.user.state, 'locked');
    assert.equal(
      (await admin('listAccounts', { name: 'acme' })).body.account[0].state,
      'locked',
      'no enabled user left',
    );
    assert.equal((await admin('enableUser', { id: u.id })).body.user.state, 'enabled');
    assert.equal(
      (await admin('listAccounts', { name: 'acme' })).body.account[0].state,
      'enabled',
      'enabling a user enables its account',
    );
    user = await apiSession(w, 'acme', 'pw');
  });

  it('disableAccount stops its running VMs and keeps its users out until enableAccount', async () => {
    const vm = await deploy(w, user, w.zones.basic);
    const r = await runJob(w, admin, 'disableAccount', { account: 'acme', domainid: acct.domainid, lock: false });
    assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
    assert.equal(r.jobresult.account.state, 'disabled');
    assert.equal(
      (await admin('listVirtualMachines', { id: vm.id, listall: true })).body.virtualmachine[0].state,
      'Stopped',
    );
    const refusedNow = await user('listVirtualMachines', {});
    assert.equal(refusedNow.status, 401, 'the session of a disabled account is refused');
    await loginFails(w, 'acme');
    assert.equal((await admin('enableAccount', { id: acct.id })).body.account.state, 'enabled');
    assert.equal(
      (await admin('lockAccount', { account: 'acme', domainid: acct.domainid })).body.account.state,
      'locked',
    );
    await loginFails(w, 'acme');
    await admin('enableAccount', { account: 'acme', domainid: acct.domainid });
    user = await apiSession(w, 'acme', 'pw');
    await refused(
      w,
      admin,
      'disableAccount',
      { account: 'system', domainid: acct.domainid, lock: true },
      531,
      /is a system account, lock is not allowed$/,
    );
  });

  it('updateAccount renames and changes the role; the default accounts stay', async () => {
    const roles = Object.fromEntries((await admin('listRoles', {})).body.role.map((r: any) => [r.name, r.id]));
    const r = await admin('updateAccount', {
      id: acct.id,
      newname: 'acme-corp',
      roleid: roles['Read-Only User - Default'],
    });
    assert.deepEqual([r.body.account.name, r.body.account.rolename], ['acme-corp', 'Read-Only User - Default']);
    assert.equal(
      (
        await user('deployVirtualMachine', {
          zoneid: w.zones.basic,
          serviceofferingid: w.small,
          templateid: w.template,
        })
      ).status,
      432,
      'the new role applies at once',
    );
    await admin('updateAccount', { id: acct.id, roleid: roles['User'] });
    await refused(
      w,
      admin,
      'updateAccount',
      { id: acct.id, newname: 'outsider' },
      431,
      /^The account with the proposed name 'outsider' exists in the domain/,
    );
    const adminAcct = (await admin('listAccounts', { name: 'admin' })).body.account[0];
    await refused(w, admin, 'deleteAccount', { id: adminAcct.id }, 431, /^Deletion of your own account is not allowed/);
  });

  it('deleteAccount (async) removes the account, its users and everything it owns', async () => {
    const vm = (await user('listVirtualMachines', {})).body.virtualmachine[0];
    const sg = (await user('createSecurityGroup', { name: 'web' })).body.securitygroup;
    const r = await runJob(w, admin, 'deleteAccount', { id: acct.id });
    assert.deepEqual([r.jobstatus, r.jobresult], [1, { success: true }]);
    assert.ok(!(await admin('listAccounts', { listall: true })).body.account.some((a: any) => a.id === acct.id));
    // CloudStack keeps a removed VM's row (its id still resolves: the list is empty); security groups go outright.
    const vms = await admin('listVirtualMachines', { id: vm.id, listall: true });
    assert.deepEqual([vms.status, vms.body], [200, {}], 'its VM is gone');
    assert.equal(
      (await admin('listSecurityGroups', { id: sg.id, listall: true })).status,
      431,
      'its security group is gone',
    );
    await loginFails(w, 'acme');
    const event = (await admin('listEvents', { type: 'ACCOUNT.DELETE' })).body.event[0];
    assert.equal(event.resourceid, acct.id);
  });
});
