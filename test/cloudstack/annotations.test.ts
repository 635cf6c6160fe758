import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy } from '../helpers/networking.js';

/** AnnotationManagerImpl: who may annotate what, who sees admins-only notes, listHosts' newest annotation. */
describe('annotations', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let host: string;
  let vm: string;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    await admin('createAccount', {
      account: 'noter',
      accounttype: 0,
      username: 'noter',
      password: 'pw',
      email: 'n@x',
      firstname: 'n',
      lastname: 'n',
    });
    user = await apiSession(w, 'noter', 'pw');
    host = (await admin('listHosts', { type: 'Routing' })).body.host[0].id;
    vm = (await deploy(w, user, w.zones.advanced)).id;
  });
  after(() => w.close());

  it('admins annotate a host; listHosts shows the newest; remove takes it away', async () => {
    for (const text of ['one', 'two']) {
      assert.equal(
        (await admin('addAnnotation', { entityid: host, entitytype: 'HOST', annotation: text })).status,
        200,
      );
      w.clock.advance(1000); // annotations are ordered by when they were made
    }
    const shown = (await admin('listHosts', { id: host })).body.host[0];
    assert.deepEqual([shown.annotation, shown.username, shown.hasannotations], ['two', 'admin', true]);
    const listed = (await admin('listAnnotations', { entityid: host, entitytype: 'HOST' })).body.annotation;
    assert.deepEqual(
      listed.map((a: any) => a.annotation),
      ['one', 'two'],
    );
    assert.equal(listed[0].entityname, shown.name);
    for (const a of listed) assert.equal((await admin('removeAnnotation', { id: a.id })).status, 200);
    assert.equal((await admin('listHosts', { id: host })).body.host[0].annotation, undefined);
  });

  it('an unknown type is refused; users may not annotate, list or remove infrastructure notes', async () => {
    assert.notEqual((await admin('addAnnotation', { entityid: host, entitytype: 'BLA', annotation: 'x' })).status, 200);
    // a name Object.prototype has is no entity type either (it once reached the query: 530)
    for (const entitytype of ['constructor', 'toString', '__proto__']) {
      const r = await admin('addAnnotation', { entityid: host, entitytype, annotation: 'x' });
      assert.equal(r.status, 431, JSON.stringify(r.body));
      assert.equal(
        r.body.errortext,
        `No enum constant org.apache.cloudstack.annotation.AnnotationService.EntityType.${entitytype}`,
      );
    }
    const note = (await admin('addAnnotation', { entityid: host, entitytype: 'HOST', annotation: 'infra' })).body
      .annotation;
    assert.notEqual(
      (await user('addAnnotation', { entityid: host, entitytype: 'HOST', annotation: 'mine' })).status,
      200,
    );
    assert.notEqual((await user('listAnnotations', { entityid: host, entitytype: 'HOST' })).status, 200);
    assert.notEqual((await user('removeAnnotation', { id: note.id })).status, 200);
  });

  it('an admins-only note on a user VM is hidden from the user until updateAnnotationVisibility', async () => {
    const note = (
      await admin('addAnnotation', { entityid: vm, entitytype: 'VM', annotation: 'private', adminsonly: true })
    ).body.annotation;
    assert.equal(note.adminsonly, true);
    const seen = async () =>
      (await user('listAnnotations', { entityid: vm, entitytype: 'VM', annotationfilter: 'all' })).body.annotation;
    assert.equal(await seen(), undefined);
    assert.equal((await user('updateAnnotationVisibility', { id: note.id, adminsonly: false })).status, 530);
    assert.equal((await admin('updateAnnotationVisibility', { id: note.id, adminsonly: false })).status, 200);
    assert.deepEqual(
      (await seen()).map((a: any) => a.annotation),
      ['private'],
    );
    assert.equal((await user('addAnnotation', { entityid: vm, entitytype: 'VM', annotation: 'own' })).status, 200);
  });
});
