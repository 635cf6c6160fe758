import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails, refused, tenant } from '../helpers/networking.js';

/** addResourceDetail / removeResourceDetail / listResourceDetails (ResourceMetaDataManagerImpl, QueryManagerImpl). */
describe('resource details', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let vm: any;
  let volume: any;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    user = await tenant(w, admin, 'details-u');
    vm = await deploy(w, user, w.zones.advanced);
    volume = (await user('listVolumes', { virtualmachineid: vm.id })).body.volume[0];
  });
  after(() => w.close());

  const add = (type: string, id: string, details: Record<string, string>, extra: Record<string, string> = {}) => {
    const p: Record<string, string> = { resourcetype: type, resourceid: id, ...extra };
    Object.entries(details).forEach(([k, v], i) => {
      p[`details[${i}].key`] = k;
      p[`details[${i}].value`] = v;
    });
    return runJob(w, admin, 'addResourceDetail', p);
  };

  it('a root admin adds details (a key set again is replaced); listing shows them with the numeric id and the type as named', async () => {
    assert.equal((await add('volume', volume.id, { tier: 'gold', owner: 'ops' })).jobstatus, 1);
    assert.equal((await add('Volume', volume.id, { tier: 'silver' })).jobstatus, 1);
    const listed = (await admin('listResourceDetails', { resourcetype: 'Volume', resourceid: volume.id })).body;
    assert.equal(listed.count, 2);
    const byKey = Object.fromEntries(listed.resourcedetail.map((d: any) => [d.key, d]));
    assert.equal(byKey.tier.value, 'silver');
    assert.equal(byKey.owner.value, 'ops');
    assert.match(byKey.tier.resourceid, /^\d+$/);
    assert.equal(byKey.tier.resourcetype, 'Volume');
    assert.equal(byKey.tier.fordisplay, true);
    // By key, and by key and value across the type.
    assert.deepEqual(
      (
        await admin('listResourceDetails', { resourcetype: 'Volume', resourceid: volume.id, key: 'owner' })
      ).body.resourcedetail.map((d: any) => d.value),
      ['ops'],
    );
    assert.equal(
      (await admin('listResourceDetails', { resourcetype: 'Volume', key: 'tier', value: 'silver' })).body.count,
      1,
    );
  });

  it('fordisplay=false hides a detail from a normal user, not from the admin', async () => {
    assert.equal((await add('UserVm', vm.id, { secret: 's3' }, { fordisplay: 'false' })).jobstatus, 1);
    assert.equal((await admin('listResourceDetails', { resourcetype: 'UserVm', resourceid: vm.id })).body.count, 1);
    assert.deepEqual((await user('listResourceDetails', { resourcetype: 'UserVm', resourceid: vm.id })).body, {});
  });

  it('removeResourceDetail removes one key, or every detail of the resource without one', async () => {
    assert.equal(
      (await runJob(w, admin, 'removeResourceDetail', { resourcetype: 'Volume', resourceid: volume.id, key: 'owner' }))
        .jobstatus,
      1,
    );
    assert.deepEqual(
      (await admin('listResourceDetails', { resourcetype: 'Volume', resourceid: volume.id })).body.resourcedetail.map(
        (d: any) => d.key,
      ),
      ['tier'],
    );
    const r = await runJob(w, admin, 'removeResourceDetail', { resourcetype: 'Volume', resourceid: volume.id });
    assert.deepEqual([r.jobstatus, r.jobinstancetype, r.jobresult], [1, 'Volume', { success: true }]);
    assert.deepEqual((await admin('listResourceDetails', { resourcetype: 'Volume', resourceid: volume.id })).body, {});
  });

  it('refusals: unknown type, a type without details, an unknown resource, an empty value, a bare list, a user adding', async () => {
    await jobFails(
      w,
      admin,
      'addResourceDetail',
      { resourcetype: 'Gizmo', resourceid: volume.id, 'details[0].key': 'a', 'details[0].value': 'b' },
      431,
      'Invalid resource type: Gizmo',
    );
    await jobFails(
      w,
      admin,
      'removeResourceDetail',
      { resourcetype: 'Account', resourceid: volume.id },
      530,
      "ResourceType Account doesn't support metadata",
    );
    await jobFails(
      w,
      admin,
      'removeResourceDetail',
      { resourcetype: 'Volume', resourceid: vm.id },
      431,
      `Unable to find resource by uuid ${vm.id} and type Volume`,
    );
    await jobFails(
      w,
      admin,
      'addResourceDetail',
      { resourcetype: 'Volume', resourceid: volume.id, 'details[0].key': 'a', 'details[0].value': '' },
      431,
      'Value for the key a is either null or empty',
    );
    await refused(
      w,
      admin,
      'listResourceDetails',
      { resourcetype: 'Volume' },
      431,
      'Insufficient parameters passed for listing by resourceId OR key,value pair. Please check your params and try again.',
    );
    await refused(
      w,
      admin,
      'listResourceDetails',
      { resourcetype: 'Volume', value: 'x' },
      431,
      'Listing by (key, value) but key is null. Please check the params and try again',
    );
    const denied = await user('addResourceDetail', {
      resourcetype: 'Volume',
      resourceid: volume.id,
      'details[0].key': 'a',
      'details[0].value': 'b',
    });
    assert.equal(denied.status, 432);
  });
});
