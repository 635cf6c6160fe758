import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { jobFails, refused } from '../helpers/networking.js';

const NO_DESTINATION =
  'No destination valid store(s) available to migrate. Couldbe due to invalid store ID(s) or store(s) are read-only. Terminating Migration of data';

/** migrateSecondaryStorageData (ImageStoreServiceImpl.migrateData, StorageOrchestrator.migrateData; test_secondary_storage test_04). */
describe('migrateSecondaryStorageData', () => {
  let w: World;
  let admin: Api;
  let src: any;
  let dest: any;
  let otherZone: any;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    const stores = (await admin('listImageStores', {})).body.imagestore as any[];
    src = stores.find((s) => s.zoneid === w.zones.advanced);
    otherZone = stores.find((s) => s.zoneid === w.zones.basic);
    const added = await admin('addImageStore', {
      name: 'sec-2',
      url: 'nfs://10.147.28.7/export/sec2',
      provider: 'NFS',
      zoneid: w.zones.advanced,
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    dest = added.body.imagestore;
  });
  after(() => w.close());

  const readonlyOf = async (id: string) => (await admin('listImageStores', { id })).body.imagestore[0].readonly;

  it('fails the job when the only destination is read-only, for a complete and a balanced migration alike', async () => {
    await admin('updateImageStore', { id: dest.id, readonly: true }, 'POST');
    for (const migrationtype of ['complete', 'balance'])
      await jobFails(
        w,
        admin,
        'migrateSecondaryStorageData',
        { srcpool: src.id, destpools: dest.id, migrationtype },
        530,
        NO_DESTINATION,
      );
    assert.equal(await readonlyOf(src.id), false);
    await admin('updateImageStore', { id: dest.id, readonly: false }, 'POST');
  });

  it('skips the source itself and a store of another zone as destinations', async () => {
    await jobFails(
      w,
      admin,
      'migrateSecondaryStorageData',
      { srcpool: src.id, destpools: src.id },
      530,
      NO_DESTINATION,
    );
    await jobFails(
      w,
      admin,
      'migrateSecondaryStorageData',
      { srcpool: src.id, destpools: otherZone.id },
      530,
      NO_DESTINATION,
    );
  });

  it('fails the job on an unknown policy, and refuses an unknown store before any job', async () => {
    await jobFails(
      w,
      admin,
      'migrateSecondaryStorageData',
      { srcpool: src.id, destpools: dest.id, migrationtype: 'sideways' },
      530,
      'Not a valid migration policy',
    );
    const ghost = '0b7c6f1e-6d1f-4f55-9d7e-1f2a3b4c5d6e';
    await refused(
      w,
      admin,
      'migrateSecondaryStorageData',
      { srcpool: ghost, destpools: dest.id },
      431,
      `Unable to execute API command migratesecondarystoragedata due to invalid value. Invalid parameter srcpool value=${ghost} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
    );
  });

  it('answers a MigrationResponse when a writable destination remains: a source holding no files of its own stays writable', async () => {
    for (const [migrationtype, policy] of [
      [undefined, 'COMPLETE'],
      ['balance', 'BALANCE'],
    ] as const) {
      const r = await runJob(w, admin, 'migrateSecondaryStorageData', {
        srcpool: src.id,
        destpools: `${dest.id},${otherZone.id}`,
        ...(migrationtype ? { migrationtype } : {}),
      });
      assert.equal(r.jobstatus, 1, JSON.stringify(r.jobresult));
      assert.deepEqual(r.jobresult.imagestore, {
        message: `No files in Image store ${src.id} to migrate`,
        migrationtype: policy,
        success: true,
      });
      assert.equal(r.jobinstancetype, undefined);
      assert.equal(r.cmd, 'org.apache.cloudstack.api.command.admin.storage.MigrateSecondaryStorageDataCmd');
    }
    assert.equal(await readonlyOf(src.id), false);
    const events = (await admin('listEvents', { type: 'IMAGE.STORE.DATA.MIGRATE' })).body.event as any[];
    assert.equal(events.length, 2);
  });
});
