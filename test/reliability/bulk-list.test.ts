import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { insertVms } from '../helpers/bulkvms.js';
import { freshDatabase, type FreshDatabase } from '../helpers/pg.js';

/**
 * Issue 15: the full list of a 50,000-VM cloud works on both databases. The VMs are written straight
 * into the database (building them through the API would take longer than the list); the full list
 * once failed with `too many SQL variables` (every id in one IN list, src/store/idlist.ts chunks now).
 * Slow (minutes on a busy machine): it lives with the reliability tests and says so in its timeout.
 */
const N = 50_000;
const TIMEOUT = 20 * 60_000;

for (const database of ['SQLite', 'PostgreSQL'] as const) {
  describe(`${N} VMs on ${database}`, { timeout: TIMEOUT }, () => {
    let w: World;
    let api: Api;
    let fresh: FreshDatabase | undefined;
    let ids: string[] = [];

    before(
      async () => {
        fresh = database === 'PostgreSQL' ? await freshDatabase() : undefined;
        w = await world(fresh ? { url: fresh.url } : { file: ':memory:' });
        api = await apiSession(w);
        ids = await insertVms(w, N);
      },
      { timeout: TIMEOUT },
    );
    after(async () => {
      await w?.close();
      await fresh?.drop();
    });

    it('counts them all on the default page (default.page.size, 500)', { timeout: TIMEOUT }, async () => {
      const first = await api('listVirtualMachines', { listall: true });
      assert.equal(first.status, 200, JSON.stringify(first.body).slice(0, 300));
      assert.equal(first.body.count, N);
      assert.equal(first.body.virtualmachine.length, 500);
    });

    it('lists every one of them with pagesize=-1, each once', { timeout: TIMEOUT }, async () => {
      const r = await api('listVirtualMachines', { listall: true, pagesize: -1 });
      assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
      assert.equal(r.body.count, N);
      const listed: { id: string; name: string; state: string; zoneid: string }[] = r.body.virtualmachine;
      assert.equal(listed.length, N);
      assert.deepEqual(new Set(listed.map((v) => v.id)), new Set(ids));
      const last = listed.find((v) => v.name === `bulk-${N - 1}`)!;
      assert.deepEqual([last.state, last.zoneid], ['Stopped', w.zones.advanced]);
    });

    it(
      'lists them all by id too (ids= with every id goes to the store as one list)',
      { timeout: TIMEOUT },
      async () => {
        const r = await api('listVirtualMachines', { listall: true, pagesize: -1, ids: ids.join(',') }, 'POST');
        assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
        assert.equal(r.body.count, N);
      },
    );
  });
}
