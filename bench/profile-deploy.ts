// Profiles deployVirtualMachine to Running with zero agent delay, in process, through the CloudStack pipeline:
// `PROFILE=out.cpuprofile node --import tsx bench/profile-deploy.ts` profiles the rounds only (not the seeding);
// N deploys a round (default 80), ROUNDS (default 3), PG=postgres://… for PostgreSQL.
import pino from 'pino';
import { VirtualClock } from '../src/domain/clock.js';
import { buildPendingDatacenters, defaultDatacenters } from '../src/server/datacenters.js';
import { createServices } from '../src/server/services.js';
import { seed } from '../src/services/seed.js';
import { openStore } from '../src/store/db.js';
import { adminSession } from './lib/session.js';
import { profiled } from './lib/profile.js';

const store = await openStore(process.env.PG ? { url: process.env.PG } : { file: ':memory:' });
await seed(store, { now: Date.now(), adminApiKey: 'k', adminSecretKey: 's' });
const services = await createServices(store, new VirtualClock(), pino({ level: 'silent' }), {
  agentDelayMs: 0,
  responseCache: false,
});
await services.jobs.start({});
await buildPendingDatacenters(services, defaultDatacenters());
await store.db
  .updateTable('hosts')
  .set({ memory: 256 * 2 ** 30, cpuNumber: 64 })
  .where('type', '=', 'Routing')
  .execute();

const { api } = await adminSession(services);
const zones = (await api({ command: 'listZones' })).listzonesresponse.zone as { id: string; name: string }[];
const offering = (await api({ command: 'listServiceOfferings', name: 'Small Instance' })).listserviceofferingsresponse
  .serviceoffering[0].id;
const template = (
  await api({ command: 'listTemplates', templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
).listtemplatesresponse.template[0].id;
const advanced = zones.find((z) => z.name.includes('advanced'))!.id;
const basic = zones.find((z) => z.name.includes('basic'))!.id;

const n = Number(process.env.N ?? 80);
await profiled(async () => {
  for (let round = 0; round < Number(process.env.ROUNDS ?? 3); round++) {
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const q0 = store.queries();
    let polls = 0;
    let pollQueries = 0;
    const jobs: string[] = await Promise.all(
      Array.from(
        { length: n },
        async (_, i) =>
          (
            await api({
              command: 'deployVirtualMachine',
              zoneid: i % 5 < 3 ? advanced : basic,
              serviceofferingid: offering,
              templateid: template,
            })
          ).deployvirtualmachineresponse.jobid,
      ),
    );
    const pending = new Set(jobs);
    let failed = 0;
    while (pending.size) {
      for (const j of [...pending]) {
        const qb = store.queries();
        const r = (await api({ command: 'queryAsyncJobResult', jobid: j })).queryasyncjobresultresponse;
        polls++;
        pollQueries += store.queries() - qb;
        if (r.jobstatus === 0) continue;
        pending.delete(j);
        if (r.jobstatus !== 1) failed++;
      }
    }
    const s = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const perDeploy = (store.queries() - q0 - pollQueries) / n;
    console.log(
      `round ${round}: ${n} deploys in ${s.toFixed(2)} s (CPU ${cpuS.toFixed(2)} s), ${(n / s).toFixed(1)} VMs/s` +
        ` (${(n / cpuS).toFixed(1)} per CPU s), ${failed} failed;` +
        ` ${perDeploy.toFixed(1)} statements a deploy (call and job), ${polls} polls of ${(pollQueries / polls).toFixed(1)}`,
    );
  }
});
await services.jobs.stop?.();
await store.close();
