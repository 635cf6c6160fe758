import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

/**
 * QueryManagerImpl.searchForTemplatesInternal: with an id the template filter's owner rule is
 * ignored and an access check decides (test_templates test_01_create_template lists, as root
 * admin, a template it made for another account with templatefilter=self id=).
 */
describe('listTemplates by id', () => {
  let w: World;
  let admin: Api;
  let alice: Api;
  let bob: Api;
  let aliceTemplate: string;
  const user = async (name: string) => {
    const r = await admin(
      'createAccount',
      {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: name,
        accounttype: 0,
      },
      'POST',
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return apiSession(w, name, 'pw');
  };
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    alice = await user('alice');
    bob = await user('bob');
    const osType = (await admin('listOsTypes', {})).body.ostype[0].id;
    const r = await alice(
      'registerTemplate',
      {
        name: 'alice-tpl',
        displaytext: 'alice-tpl',
        url: 'http://example.com/a.qcow2',
        format: 'QCOW2',
        hypervisor: 'Simulator',
        ostypeid: osType,
        zoneid: w.zones.advanced,
      },
      'POST',
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    aliceTemplate = r.body.template[0].id;
  });
  after(() => w.close());

  it("a root admin finds another account's private template with templatefilter=self", async () => {
    const r = await admin('listTemplates', { templatefilter: 'self', id: aliceTemplate });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      (r.body.template ?? []).map((t: any) => t.id),
      [aliceTemplate],
    );
    // Without the id, self is still the caller's own.
    const own = (await admin('listTemplates', { templatefilter: 'self' })).body.template ?? [];
    assert.ok(!own.some((t: any) => t.id === aliceTemplate));
  });

  it('the owner finds it by id under any filter, another user is refused', async () => {
    const r = await alice('listTemplates', { templatefilter: 'featured', id: aliceTemplate });
    assert.deepEqual(
      (r.body.template ?? []).map((t: any) => t.id),
      [aliceTemplate],
    );
    const denied = await bob('listTemplates', { templatefilter: 'self', id: aliceTemplate });
    assert.equal(denied.status, 531, JSON.stringify(denied.body));
  });

  it('an ISO id is refused by listTemplates', async () => {
    const iso = (await admin('listIsos', { isofilter: 'all' })).body.iso[0].id;
    const r = await admin('listTemplates', { templatefilter: 'all', id: iso });
    assert.equal(r.status, 431, JSON.stringify(r.body));
  });
});
