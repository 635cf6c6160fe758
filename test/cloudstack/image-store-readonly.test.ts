import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

/** updateImageStore readonly (StorageManagerImpl.updateImageStoreStatus) and listImageStores readonly= (test_secondary_storage test_03). */
describe('updateImageStore read-only state', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('sets and clears readonly, and listImageStores filters on it', async () => {
    const [store] = (await admin('listImageStores', {})).body.imagestore as any[];
    assert.equal(store.readonly, false);
    const r = await admin('updateImageStore', { id: store.id, readonly: true }, 'POST');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.imagestore.id, store.id);
    assert.equal(r.body.imagestore.readonly, true);
    const ro = (await admin('listImageStores', { readonly: true })).body.imagestore as any[];
    assert.deepEqual(
      ro.map((s) => s.id),
      [store.id],
    );
    const rw = ((await admin('listImageStores', { readonly: false })).body.imagestore ?? []) as any[];
    assert.ok(!rw.some((s) => s.id === store.id));
    assert.equal((await admin('listImageStores', { id: store.id })).body.imagestore[0].readonly, true);
    await admin('updateImageStore', { id: store.id, readonly: false }, 'POST');
    assert.equal((await admin('listImageStores', { id: store.id })).body.imagestore[0].readonly, false);
  });

  it('refuses an update without readonly', async () => {
    const [store] = (await admin('listImageStores', {})).body.imagestore as any[];
    assert.equal((await admin('updateImageStore', { id: store.id }, 'POST')).status, 431);
  });
});
