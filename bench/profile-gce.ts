// Profiles GCE instances.list (maxResults=500 of 1,000 instances), in process, answer cache off (CACHE=on for on), FILTER to filter.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { VirtualClock } from '../src/domain/clock.js';
import { createServices } from '../src/server/services.js';
import { openStore } from '../src/store/db.js';
import { LocalPort } from '../src/bridge/local.js';
import { registerGce } from '../src/gce/router.js';
import { GceStore } from '../src/gce/store/store.js';
import { seededCloud } from './lib/seeded.js';
import { seedVms } from './lib/seed-vms.js';
import { profiled } from './lib/profile.js';

const file = join(mkdtempSync(join(tmpdir(), 'ps-prof-gce-')), 'p.db');
await seededCloud(file);
await seedVms(file, 1_000);
const store = await openStore({ file });
const clock = new VirtualClock();
const services = await createServices(store, clock, pino({ level: 'silent' }), {
  responseCache: process.env.CACHE === 'on',
});
const admin = await store.db
  .selectFrom('users')
  .select(['apiKey', 'secretKey'])
  .where('username', '=', 'admin')
  .executeTakeFirstOrThrow();
const app = Fastify();
registerGce(app, new LocalPort(services, 'gce'), {
  store: await GceStore.open(':memory:'),
  clock,
  devTokens: new Map([['t', { apiKey: admin.apiKey!, secretKey: admin.secretKey! }]]),
});
await app.ready();
// FILTER=<list filter> profiles a filtered list (the seeded VMs are bench-0 ... bench-999).
const filter = process.env.FILTER ? `&filter=${encodeURIComponent(process.env.FILTER)}` : '';
const url = `/compute/v1/projects/admin/zones/sandbox-simulator-advanced/instances?maxResults=${process.env.MAX ?? 500}${filter}`;
const inject = () => app.inject({ method: 'GET', url, headers: { authorization: 'Bearer t' } });
const first = await inject();
if (first.statusCode !== 200 || (JSON.parse(first.body).items ?? []).length === 0)
  throw new Error(first.body.slice(0, 300));
for (let i = 0; i < 3; i++) await inject();
const n = Number(process.env.N ?? 10);
const t = performance.now();
// CPU time as well as wall time: on a shared machine the wall time is mostly other processes' turn.
const cpu = process.cpuUsage();
await profiled(async () => {
  for (let i = 0; i < n; i++) await inject();
});
const used = process.cpuUsage(cpu);
console.log(
  `${((performance.now() - t) / n).toFixed(1)} ms per instances.list page, ${((used.user + used.system) / 1000 / n).toFixed(1)} ms CPU`,
);
