// Issue 15's deploy rows: VMs deployed to Running per second with zero simulated delay, on SQLite and PostgreSQL.
import { startPolystack } from './server.js';
import { signedQuery } from './sign.js';
import { freshDatabase } from '../../test/helpers/pg.js';

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
};

/** (d) VMs deployed to Running per second with zero simulated delay, as many as the zones hold. */
export async function deployRate(vms: number, args: string[] = ['--in-memory']) {
  const p = await startPolystack(args, { POLYSTACK_AGENT_DELAY_MS: '0' });
  const api = async (params: Record<string, string>) =>
    JSON.parse((await get(`${p.url}/client/api?${signedQuery(params)}`)).text);
  const zones = (await api({ command: 'listZones' })).listzonesresponse.zone as { id: string; name: string }[];
  const offering = (await api({ command: 'listServiceOfferings', name: 'Small Instance' })).listserviceofferingsresponse
    .serviceoffering[0].id;
  const template = (
    await api({ command: 'listTemplates', templatefilter: 'featured', name: 'CentOS 5.3(64-bit) no GUI (Simulator)' })
  ).listtemplatesresponse.template[0].id;
  const advanced = zones.find((z) => z.name.includes('advanced'))!.id;
  const basic = zones.find((z) => z.name.includes('basic'))!.id;
  const zoneFor = (i: number) => (i % 5 < 3 ? advanced : basic);
  const t0 = performance.now();
  const jobs = await Promise.all(
    // Three of every five go to the advanced zone (three hosts), two to the basic one (two hosts).
    Array.from(
      { length: vms },
      async (_, i) =>
        (
          await api({
            command: 'deployVirtualMachine',
            zoneid: zoneFor(i),
            serviceofferingid: offering,
            templateid: template,
          })
        ).deployvirtualmachineresponse.jobid as string,
    ),
  );
  let done = 0;
  let failed = 0;
  const pending = new Set(jobs);
  while (pending.size) {
    for (const j of [...pending]) {
      const r = (await api({ command: 'queryAsyncJobResult', jobid: j })).queryasyncjobresultresponse;
      if (r.jobstatus === 0) continue;
      pending.delete(j);
      if (r.jobstatus === 1) done++;
      else failed++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  await p.stop();
  return { vms, done, failed, seconds, perSecond: done / seconds };
}

/** (d) on PostgreSQL: the same deploys with the node on a fresh database of the test server. */
export async function deployRatePg(vms: number) {
  const db = await freshDatabase();
  try {
    return await deployRate(vms, ['--in-memory', '--database', db.url]);
  } finally {
    await db.drop();
  }
}
