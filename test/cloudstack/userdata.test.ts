import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

/** registerUserData / listUserData / deleteUserData / linkUserDataToTemplate (4.18's userdata registry). */
describe('registered userdata', () => {
  let w: World;
  let admin: Api;
  let templateId: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    await admin('createAccount', {
      account: 'uda',
      username: 'uda',
      password: 'pw',
      email: 'u@x',
      firstname: 'u',
      lastname: 'u',
      accounttype: 0,
    });
    templateId = (await admin('listTemplates', { templatefilter: 'featured' })).body.template[0].id;
  });
  after(() => w.close());

  it('registers for another account, lists it by id with listall, refuses a second with the same name or content, deletes it', async () => {
    const domainid = (await admin('listDomains', { name: 'ROOT' })).body.domain[0].id;
    const r = await admin('registerUserData', {
      name: 'one',
      userdata: 'VGVzdFVzZXJEYXRh',
      account: 'uda',
      domainid,
      params: 'a,b',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const ud = r.body.userdata;
    assert.equal(ud.account, 'uda');
    assert.equal(ud.userdata, 'VGVzdFVzZXJEYXRh');
    assert.equal(ud.params, 'a,b');
    assert.equal(
      (await admin('listUserData', { id: ud.id })).body.count,
      undefined,
      'without listall an admin sees only its own',
    );
    assert.deepEqual(
      (await admin('listUserData', { id: ud.id, listall: true })).body.userdata.map((u: any) => u.id),
      [ud.id],
    );
    const sameName = await admin('registerUserData', { name: 'one', userdata: 'b3RoZXI=', account: 'uda', domainid });
    assert.equal(sameName.status, 431);
    assert.match(sameName.body.errortext, /A userdata with name one already exists for this account/);
    const sameContent = await admin('registerUserData', {
      name: 'two',
      userdata: 'VGVzdFVzZXJEYXRh',
      account: 'uda',
      domainid,
    });
    assert.equal(sameContent.status, 431);
    assert.match(sameContent.body.errortext, /Userdata one with same content already exists/);
    const user = await apiSession(w, 'uda', 'pw');
    assert.deepEqual(
      (await user('listUserData', {})).body.userdata.map((u: any) => u.name),
      ['one'],
    );
    assert.equal((await admin('deleteUserData', { id: ud.id })).status, 200);
    assert.equal((await admin('listUserData', { listall: true })).body.count, undefined);
  });

  it('links userdata to a template with the default policy, refuses deleting it while linked, and unlinks it', async () => {
    const ud = (await admin('registerUserData', { name: 'linked', userdata: 'bGlua2Vk' })).body.userdata;
    const linked = await admin('linkUserDataToTemplate', { templateid: templateId, userdataid: ud.id });
    assert.equal(linked.status, 200, JSON.stringify(linked.body));
    assert.equal(linked.body.template.userdataid, ud.id);
    assert.equal(linked.body.template.userdataname, 'linked');
    assert.equal(linked.body.template.userdatapolicy, 'ALLOWOVERRIDE');
    const listed = (await admin('listTemplates', { templatefilter: 'featured', id: templateId })).body.template[0];
    assert.equal(listed.userdataid, ud.id);
    const busy = await admin('deleteUserData', { id: ud.id });
    assert.equal(busy.status, 530);
    assert.match(busy.body.errortext, /cannot be removed as it is linked to active template/);
    const unlinked = await admin('linkUserDataToTemplate', { templateid: templateId });
    assert.equal(unlinked.body.template.userdataid, undefined);
    assert.equal((await admin('deleteUserData', { id: ud.id })).status, 200);
  });

  it('refuses a link naming neither or both images, or an unknown policy, as a 530', async () => {
    const none = await admin('linkUserDataToTemplate', {});
    assert.equal(none.status, 530);
    assert.match(
      none.body.errortext,
      /Failed to link userdata to template, due to: At least one of Template ID or ISO ID needs to be passed/,
    );
    const policy = await admin('linkUserDataToTemplate', { templateid: templateId, userdatapolicy: 'sometimes' });
    assert.equal(policy.status, 530);
  });
});
