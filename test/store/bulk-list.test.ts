import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { insertVms } from '../helpers/bulkvms.js';

/** Issue 15: the full list of a 50,000-VM cloud (VMs written straight to the database); POLYSTACK_TEST_DB=postgres runs it on PostgreSQL. */
const N = 50_000;
let w: World;
let api: Api;

before(async () => {
  w = await world();
  api = await apiSession(w);
  await insertVms(w, N);
});
after(() => w.close());

it(`counts all ${N} VMs with no page size (one page of default.page.size) and lists them all with pagesize=-1`, async () => {
  const first = await api('listVirtualMachines', { listall: true });
  assert.equal(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  assert.equal(first.body.count, N);
  assert.equal(first.body.virtualmachine.length, 500);
  const t0 = Date.now();
  const r = await api('listVirtualMachines', { listall: true, pagesize: -1 });
  if (process.env['BULK_TIMING']) console.log(`listVirtualMachines pagesize=-1 of ${N}: ${Date.now() - t0} ms`);
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
  assert.equal(r.body.count, N);
  assert.equal(r.body.virtualmachine.length, N);
  const one = r.body.virtualmachine.find((v: any) => v.name === `bulk-${N - 1}`);
  assert.equal(one.state, 'Stopped');
  assert.equal(one.zoneid, w.zones.advanced);
});
