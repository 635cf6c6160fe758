/**
 * listVirtualMachines, one page of 500 of 10,000 VMs written straight to the database, in this
 * process (no HTTP). Run with POLYSTACK_RESPONSE_CACHE=off to measure the work, not the answer cache.
 *   POLYSTACK_RESPONSE_CACHE=off node --import tsx bench/list-page.ts [vms] [seconds]
 */
import { apiSession, world } from '../test/helpers/inprocess.js';
import { insertVms } from '../test/helpers/bulkvms.js';

const vms = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 10);
const w = await world();
// world() builds services without the server's config: carry the answer-cache switch over.
w.s.settings.responseCache = (process.env['POLYSTACK_RESPONSE_CACHE'] ?? 'on').toLowerCase() !== 'off';
const api = await apiSession(w);
await insertVms(w, vms);
for (let i = 0; i < 3; i++) await api('listVirtualMachines', { listall: true, page: 1, pagesize: 500 }); // warm-up
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  const page = 1 + (n % Math.ceil(vms / 500));
  const r = await api('listVirtualMachines', { listall: true, page, pagesize: 500 });
  if (r.status !== 200 || r.body.virtualmachine.length === 0) throw new Error(`status ${r.status}`);
  n++;
}
const s = (performance.now() - t0) / 1000;
console.log(
  `${n} pages of 500 (of ${vms} VMs) in ${s.toFixed(1)} s: ${(n / s).toFixed(1)} req/s, ${((s * 1000) / n).toFixed(0)} ms/page`,
);
await w.close();
