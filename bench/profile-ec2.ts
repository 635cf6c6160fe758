// Profiles EC2 DescribeInstances with 1,000 instances, in process (MAX=100: one page of that size).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { VirtualClock } from '../src/domain/clock.js';
import { createServices } from '../src/server/services.js';
import { openStore } from '../src/store/db.js';
import { LocalPort } from '../src/bridge/local.js';
import { registerEc2 } from '../src/ec2/router.js';
import { Ec2Store } from '../src/ec2/store.js';
import { seededCloud } from './lib/seeded.js';
import { seedVms } from './lib/seed-vms.js';
import { profiled } from './lib/profile.js';
import { presignedEc2 } from './lib/sigv4.js';

const file = join(mkdtempSync(join(tmpdir(), 'ps-prof-ec2-')), 'p.db');
await seededCloud(file);
await seedVms(file, 1_000);
const store = await openStore({ file });
const clock = new VirtualClock();
const services = await createServices(store, clock, pino({ level: 'silent' }));
const app = Fastify();
app.addContentTypeParser('*', { parseAs: 'string' }, (_r, b, d) => d(null, b));
registerEc2(app, { port: new LocalPort(services, 'ec2'), store: await Ec2Store.open(':memory:'), clock });
const url = presignedEc2(
  'http://127.0.0.1:1',
  { Action: 'DescribeInstances', ...(process.env.MAX ? { MaxResults: process.env.MAX } : {}) },
  'k',
  's',
).replace('http://127.0.0.1:1', '');
const inject = () => app.inject({ method: 'GET', url, headers: { host: '127.0.0.1:1' } });
const first = await inject();
if (first.statusCode !== 200) throw new Error(first.body.slice(0, 300));
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
  `${((performance.now() - t) / n).toFixed(1)} ms per DescribeInstances, ${((used.user + used.system) / 1000 / n).toFixed(1)} ms CPU`,
);
