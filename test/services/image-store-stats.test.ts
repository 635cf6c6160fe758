import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';

/** ImageStoreResponse's disksizetotal/disksizeused (ImageStoreJoinDaoImpl), and the same figures in listCapacity. */
describe('listImageStores disk figures', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it("every store gives disksizetotal and disksizeused, and a zone's stores add up to its secondary storage capacity", async () => {
    const stores = (await admin('listImageStores', {})).body.imagestore as any[];
    assert.ok(stores.length > 0);
    for (const s of stores) {
      assert.equal(typeof s.disksizetotal, 'number', JSON.stringify(s));
      assert.equal(typeof s.disksizeused, 'number');
      assert.ok(s.disksizetotal > 0 && s.disksizeused >= 0 && s.disksizeused <= s.disksizetotal);
    }
    const zoneid = stores[0].zoneid;
    const inZone = stores.filter((s) => s.zoneid === zoneid);
    const cap = ((await admin('listCapacity', { zoneid, type: 6 })).body.capacity as any[])[0];
    assert.equal(
      cap.capacitytotal,
      inZone.reduce((a, s) => a + s.disksizetotal, 0),
    );
    assert.equal(
      cap.capacityused,
      inZone.reduce((a, s) => a + s.disksizeused, 0),
    );
  });
});
