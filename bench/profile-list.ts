// Profiles one uncached listVirtualMachines page of 500 out of 10,000 VMs, in process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { VirtualClock } from '../src/domain/clock.js';
import { createServices } from '../src/server/services.js';
import { openStore } from '../src/store/db.js';
import { handleApi } from '../src/cloudstack/api.js';
import { seededCloud } from './lib/seeded.js';
import { seedVms } from './lib/seed-vms.js';
import { profiled } from './lib/profile.js';
import { adminSession } from './lib/session.js';

const file = join(mkdtempSync(join(tmpdir(), 'ps-prof-')), 'p.db');
await seededCloud(file);
await seedVms(file, 10_000);
const store = await openStore({ file });
const services = await createServices(store, new VirtualClock(), pino({ level: 'silent' }), { responseCache: false });
const { sessionkey, cookies } = await adminSession(services);
const pairs: [string, string][] = [
  ['command', 'listVirtualMachines'],
  ['listall', 'true'],
  ['page', '1'],
  ['pagesize', '500'],
  ['response', 'json'],
  ['sessionkey', sessionkey],
];
for (let i = 0; i < 3; i++) await handleApi(services, { method: 'GET', pairs, cookies });
const t = performance.now();
// CPU time as well as wall time: on a shared machine the wall time is mostly other processes' turn.
const cpu = process.cpuUsage();
const n = Number(process.env.N ?? 20);
await profiled(async () => {
  for (let i = 0; i < n; i++) await handleApi(services, { method: 'GET', pairs, cookies });
});
const used = process.cpuUsage(cpu);
console.log(
  `${((performance.now() - t) / n).toFixed(1)} ms per page, ${((used.user + used.system) / 1000 / n).toFixed(1)} ms CPU`,
);
