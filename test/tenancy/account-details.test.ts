import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { refused, tenant } from '../helpers/networking.js';

/** AccountJoinDaoImpl.newAccountResponse and UserAccountJoinDaoImpl.newUserResponse. */
describe('listAccounts: details and the users it carries', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let acctId = '';
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    user = await tenant(w, admin, 'keyed');
    acctId = (await user('listAccounts', {})).body.account[0].id;
  });
  after(() => w.close());

  it('details=min leaves out the limits, totals and VM counts; all and resource keep them', async () => {
    const min = (await admin('listAccounts', { id: acctId, details: 'min' })).body.account[0];
    for (const f of [
      'vmlimit',
      'vmtotal',
      'vmavailable',
      'projectlimit',
      'primarystoragetotal',
      'vmrunning',
      'vmstopped',
    ])
      assert.ok(!(f in min), `${f} with details=min`);
    assert.equal(min.user.length, 1, 'the users are there whatever the details');
    for (const details of ['all', 'resource', 'min,resource', undefined]) {
      const a = (await admin('listAccounts', { id: acctId, ...(details ? { details } : {}) })).body.account[0];
      assert.ok('vmlimit' in a && 'vmrunning' in a && 'projectlimit' in a, `details=${details}`);
    }
    const text = 'The details parameter contains a non permitted value. The allowed values are [all, resource, min]';
    await refused(w, admin, 'listAccounts', { details: 'MIN' }, 431, text);
    await refused(w, admin, 'listDomains', { details: 'stats' }, 431, text);
    assert.ok(!('vmlimit' in (await admin('listDomains', { details: 'min' })).body.domain[0]));
  });

  it("a user's api key shows in listAccounts' user list and in listUsers once registered", async () => {
    const userId = (
      await admin('listUsers', {
        account: 'keyed',
        domainid: (await admin('listAccounts', { id: acctId })).body.account[0].domainid,
      })
    ).body.user[0].id;
    assert.ok(!('apikey' in (await admin('listAccounts', { id: acctId })).body.account[0].user[0]));
    const keys = (await admin('registerUserKeys', { id: userId })).body.userkeys;
    assert.equal((await admin('listAccounts', { id: acctId })).body.account[0].user[0].apikey, keys.apikey);
    assert.equal((await user('listAccounts', {})).body.account[0].user[0].apikey, keys.apikey);
    assert.equal((await user('listUsers', {})).body.user[0].apikey, keys.apikey);
  });
});
