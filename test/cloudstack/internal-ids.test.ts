import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { badIdText } from '../helpers/cs-fixtures.js';
import { deploy } from '../helpers/networking.js';

/**
 * ParamProcessWorker.translateUuidToInternalId: a uuid parameter older than 3.x (no `since`) also
 * takes the numeric internal id; a newer one takes only a uuid and drops anything else.
 */
describe('numeric internal ids in uuid parameters', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('names the default roles, the ROOT domain and the first zone by number', async () => {
    assert.deepEqual(
      (await admin('listRoles', { id: 1 })).body.role.map((r: any) => r.name),
      ['Root Admin'],
    );
    assert.deepEqual(
      (await admin('listRoles', { id: '+4' })).body.role.map((r: any) => r.name),
      ['User'],
    );
    assert.deepEqual(
      (await admin('listDomains', { id: 1 })).body.domain.map((d: any) => d.name),
      ['ROOT'],
    );
    const zones = (await admin('listZones', {})).body.zone as any[];
    assert.deepEqual(
      (await admin('listZones', { id: 1 })).body.zone.map((z: any) => z.id),
      [zones[0].id],
    );
    const pods = (await admin('listPods', { zoneid: 1 })).body.pod as any[];
    assert.ok(pods.length > 0 && pods.every((p) => p.zoneid === zones[0].id));
  });

  it('takes a number where a command acts on the entity too: createAccount roleid=4 makes a user', async () => {
    const r = await admin('createAccount', {
      account: 'numbered',
      username: 'numbered',
      password: 'pw',
      email: 'n@x',
      firstname: 'n',
      lastname: 'n',
      roleid: 4,
      domainid: 1,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.account.rolename, 'User');
    assert.equal(r.body.account.domain, 'ROOT');
  });

  it('a VM answers to its number, and access is still checked after the translation', async () => {
    const vm = await deploy(w, admin, w.zones.basic);
    const row = await w.store.db.selectFrom('vms').select('seq').where('id', '=', vm.id).executeTakeFirstOrThrow();
    assert.deepEqual(
      (await admin('listVirtualMachines', { id: Number(row.seq) })).body.virtualmachine.map((v: any) => v.id),
      [vm.id],
    );
    const user = await apiSession(w, 'numbered', 'pw');
    const stop = await user('stopVirtualMachine', { id: Number(row.seq) });
    assert.equal(stop.status, 531, JSON.stringify(stop.body));
  });

  it('a number naming nothing is refused like an unknown uuid; below 1 it is the 530 of validateNaturalNumber', async () => {
    const r = await admin('listRoles', { id: 999 });
    assert.equal(r.status, 431);
    assert.equal(r.body.errortext, badIdText('listroles', 'id', '999'));
    for (const v of ['0', '-5']) {
      const bad = await admin('listRoles', { id: v });
      assert.equal(bad.status, 530, JSON.stringify(bad.body));
      assert.equal(bad.body.errortext, 'Internal error executing API command listroles');
    }
    assert.equal((await admin('listRoles', { id: 'abc' })).body.errortext, badIdText('listroles', 'id', 'abc'));
  });

  it('a parameter added since 3.x drops what is not a uuid instead of refusing it', async () => {
    // listServiceOfferings zoneid is "since 4.13": zoneid=1 is ignored, the listing is unfiltered.
    const all = (await admin('listServiceOfferings', {})).body.serviceoffering.length;
    const r = await admin('listServiceOfferings', { zoneid: 1 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.serviceoffering.length, all);
    assert.equal((await admin('listServiceOfferings', { zoneid: 'junk' })).status, 200);
  });
});
