import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

const person = (name: string) => ({
  username: name,
  password: 'pw',
  email: `${name}@x`,
  firstname: name,
  lastname: name,
});

/** Identity commands as CloudStack 4.18 answers them (AccountManagerImpl, RegionManagerImpl, ProjectManagerImpl). */
describe('identity: users, accounts', () => {
  let w: World;
  let admin: Api;
  let domainId: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    domainId = (await admin('createDomain', { name: 'movers' })).body.domain.id;
    for (const a of ['from', 'to'])
      await admin('createAccount', { account: a, accounttype: 0, domainid: domainId, ...person(a) });
  });
  after(() => w.close());

  it('moveUser moves a user to another account of its domain, by id or by name, keeping its id', async () => {
    const u = (await admin('createUser', { account: 'from', domainid: domainId, ...person('mover') })).body.user;
    const to = (await admin('listAccounts', { name: 'to', domainid: domainId })).body.account[0];
    const r = await admin('moveUser', { id: u.id, accountid: to.id });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((await admin('listUsers', { id: u.id })).body.user[0].account, 'to');
    assert.equal((await admin('moveUser', { id: u.id, account: 'from' })).status, 200);
    assert.equal((await admin('listUsers', { id: u.id })).body.user[0].account, 'from');
  });

  it('moveUser refuses another domain, an unknown account and a missing target', async () => {
    const u = (await admin('createUser', { account: 'from', domainid: domainId, ...person('stayer') })).body.user;
    const other = (await admin('createDomain', { name: 'elsewhere', parentdomainid: domainId })).body.domain.id;
    const far = (await admin('createAccount', { account: 'far', accounttype: 0, domainid: other, ...person('far') }))
      .body.account;
    const across = await admin('moveUser', { id: u.id, accountid: far.id });
    assert.equal(across.status, 431, JSON.stringify(across.body));
    assert.match(across.body.errortext, /annother domain is not supported/);
    assert.notEqual((await admin('moveUser', { id: u.id, account: 'nobody' })).status, 200);
    assert.notEqual((await admin('moveUser', { id: u.id })).status, 200);
    assert.equal((await admin('listUsers', { id: u.id })).body.user[0].account, 'from');
  });

  it('updateAccount newname= (empty) is refused, as a given empty value reaches the command', async () => {
    const acct = (await admin('listAccounts', { name: 'to', domainid: domainId })).body.account[0];
    const r = await admin('updateAccount', { id: acct.id, newname: '' });
    assert.equal(r.status, 431, JSON.stringify(r.body));
    assert.match(r.body.errortext, /is empty string/);
  });

  it('regions: Local is region 1; add, list by id or name, update, remove (RegionManagerImpl)', async () => {
    assert.deepEqual(
      (await admin('listRegions', {})).body.region.map((r: any) => [r.id, r.name]),
      [[1, 'Local']],
    );
    const r = await admin('addRegion', { id: 7, name: 'seven', endpoint: 'http://seven:8080/client' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.region.id, r.body.region.endpoint], [7, 'http://seven:8080/client']);
    assert.equal(
      (await admin('addRegion', { id: 7, name: 'other', endpoint: 'http://x' })).body.errortext,
      'Region with id: 7 already exists',
    );
    assert.equal(
      (await admin('addRegion', { id: 8, name: 'seven', endpoint: 'http://x' })).body.errortext,
      'Region with name: seven already exists',
    );
    assert.equal((await admin('updateRegion', { id: 7, name: 'Local' })).status, 431);
    assert.equal(
      (await admin('updateRegion', { id: 7, name: 'seventh', endpoint: 'http://7' })).body.region.name,
      'seventh',
    );
    assert.deepEqual(
      (await admin('listRegions', { id: 7 })).body.region.map((x: any) => x.endpoint),
      ['http://7'],
    );
    assert.deepEqual(
      (await admin('listRegions', { name: 'seventh' })).body.region.map((x: any) => x.id),
      [7],
    );
    assert.equal((await admin('removeRegion', { id: 7 })).status, 200);
    assert.equal((await admin('listRegions', { id: 7 })).body.region, undefined);
    assert.equal(
      (await admin('removeRegion', { id: 7 })).body.errortext,
      'Failed to delete Region: 7, Region not found',
    );
  });

  it('listProjects details=min leaves out the limits and counts; without details they are there', async () => {
    const project = (await admin('createProject', { name: 'detailed', displaytext: 'detailed' })).body;
    const id = project.project?.id ?? project.id;
    const full = (await admin('listProjects', { id, listall: true })).body.project[0];
    assert.ok('cpulimit' in full && 'vmrunning' in full, JSON.stringify(full));
    const min = (await admin('listProjects', { id, listall: true, details: 'min' })).body.project[0];
    assert.equal(min.id, full.id);
    assert.ok(!('cpulimit' in min) && !('vmrunning' in min), JSON.stringify(min));
  });
});
