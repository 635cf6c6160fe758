import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';

const one = async (api: Api, p: Record<string, string>) => {
  const r = await api('listConfigurations', p);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.configuration?.[0];
};

/** ConfigKey scopes as 4.18 resolves them: account → domain → parent domains → global (AccountDetailsDaoImpl, DomainDetailsDaoImpl). */
describe('settings: account and domain inheritance, types and parents', () => {
  let w: World;
  let admin: Api;
  let parent: string, child: string, account: string;
  const name = 'vmsnapshot.expire.interval';
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    parent = (await admin('createDomain', { name: 'p' })).body.domain.id;
    child = (await admin('createDomain', { name: 'c', parentdomainid: parent })).body.domain.id;
    account = (
      await admin('createAccount', {
        account: 'a',
        accounttype: 0,
        domainid: child,
        username: 'a',
        password: 'pw',
        email: 'a@x',
        firstname: 'a',
        lastname: 'a',
      })
    ).body.account.id;
  });
  after(() => w.close());

  it('an Account setting is not a domain setting until enable.account.settings.for.domain', async () => {
    assert.equal((await one(admin, { name, accountid: account })).value, '-1');
    assert.equal(await one(admin, { name, domainid: child }), undefined);
    assert.equal((await admin('updateConfiguration', { name, value: '5', domainid: child })).status, 431);
    assert.equal(
      (await admin('updateConfiguration', { name: 'enable.account.settings.for.domain', value: 'true' })).status,
      200,
    );
    assert.equal((await one(admin, { name, domainid: child })).value, '-1');
    assert.equal((await admin('updateConfiguration', { name, value: '7', domainid: child })).status, 200);
    assert.equal((await one(admin, { name, domainid: child })).value, '7');
    // AccountDetailsDaoImpl walks to the domains only when enable.domain.settings.for.child.domain is on too.
    assert.equal(
      (await one(admin, { name, accountid: account })).value,
      '-1',
      'no domain value without the child-domain flag',
    );
    await admin('updateConfiguration', { name, value: '9', accountid: account });
    assert.equal((await one(admin, { name, accountid: account })).value, '9');
    await admin('resetConfiguration', { name, accountid: account });
    assert.equal((await one(admin, { name, accountid: account })).value, '-1');
  });

  it("a removed account's or domain's setting is refused as CloudStack's findById refuses it", async () => {
    const gone = (
      await admin('createAccount', {
        account: 'gone',
        accounttype: 0,
        domainid: child,
        username: 'gone',
        password: 'pw',
        email: 'g@x',
        firstname: 'g',
        lastname: 'g',
      })
    ).body.account.id;
    assert.equal((await admin('updateConfiguration', { name, value: '3', accountid: gone })).status, 200);
    await runJob(w, admin, 'deleteAccount', { id: gone });
    const refused = await admin('updateConfiguration', { name, value: '4', accountid: gone });
    assert.equal(refused.status, 431, JSON.stringify(refused.body));
    assert.match(refused.body.errortext, /^unable to find account by id /);
  });

  it('a child domain takes its parent domain value with enable.domain.settings.for.child.domain', async () => {
    await admin('resetConfiguration', { name, domainid: child });
    await admin('updateConfiguration', { name, value: '11', domainid: parent });
    assert.equal((await one(admin, { name, accountid: account })).value, '-1');
    await admin('updateConfiguration', { name: 'enable.domain.settings.for.child.domain', value: 'true' });
    assert.equal((await one(admin, { name, domainid: child })).value, '11');
    assert.equal((await one(admin, { name, accountid: account })).value, '11');
    await admin('updateConfiguration', { name, value: '13', domainid: child });
    assert.equal((await one(admin, { name, accountid: account })).value, '13', 'its own domain first');
  });

  it('types, groups and parents as 4.18 lists them', async () => {
    const lb = await one(admin, { name: 'agent.load.threshold' });
    assert.deepEqual([lb.type, lb.defaultvalue, lb.group, lb.subgroup], ['Range', '0.7', 'Management Server', 'Agent']);
    assert.equal((await one(admin, { name: 'agent.lb.enabled' })).type, 'Boolean');
    assert.equal(
      (await one(admin, { name: 'storage.cache.replacement.interval' })).parent,
      'storage.cache.replacement.enabled',
    );
    const zone = (await admin('listZones', {})).body.zone[0].id;
    const global = (await one(admin, { name: 'enable.dynamic.scale.vm' })).value;
    assert.equal((await one(admin, { name: 'enable.dynamic.scale.vm', zoneid: zone })).value, global, 'a Zone setting');
  });
});
