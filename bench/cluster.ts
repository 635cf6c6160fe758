// `npm run bench:cluster`: one node on SQLite, one node on PostgreSQL and two nodes on one
// PostgreSQL database, measured in one run on the same data: deploys to Running per second and
// listVirtualMachines requests per second. Writes its section of BENCHMARKS.md.
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type OpenOptions } from '../src/store/db.js';
import { freshDatabase } from '../test/helpers/pg.js';
import { load, type LoadResult } from './lib/load.js';
import { writeSection } from './lib/report.js';
import { seedVms } from './lib/seed-vms.js';
import { startPolystack, type Running } from './lib/server.js';
import { signedQuery } from './lib/sign.js';

const QUICK = process.argv.includes('--quick');
const LIST_VMS = 10_000;
const DEPLOYS = QUICK ? 200 : 600;
const SECONDS = QUICK ? 2 : 4;
const ROUNDS = QUICK ? 1 : 3;
const CONNECTIONS = 16;

interface Setup {
  name: string;
  nodes: number;
  /** Arguments that put a node on this setup's database. */
  args: string[];
  store: OpenOptions;
  drop(): Promise<void>;
}

async function sqliteSetup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-bench-cluster-'));
  return {
    name: 'one node, SQLite',
    nodes: 1,
    args: ['--data-dir', dir],
    store: { file: join(dir, 'polystack.db') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresSetup(nodes: number): Promise<Setup> {
  const db = await freshDatabase();
  return {
    name: nodes === 1 ? 'one node, PostgreSQL' : `${nodes} nodes, one PostgreSQL database`,
    nodes,
    args: ['--in-memory', '--database', db.url],
    store: { url: db.url },
    drop: () => db.drop(),
  };
}

/** Seeds the database through a first start, adds the VMs to list, and makes the hosts big enough for the deploys. */
async function prepare(s: Setup): Promise<void> {
  const first = await startPolystack(s.args);
  await first.stop();
  await seedVms(s.store, LIST_VMS);
  const store = await openStore(s.store);
  // Memory for every deploy of the run (the seeded hosts hold about 80 Small Instances).
  await store.db
    .updateTable('hosts')
    .set({ memory: 256 * 2 ** 30, cpuNumber: 64 })
    .where('type', '=', 'Routing')
    .execute();
  await store.close();
}

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
};

/** Closed-loop listVirtualMachines (page of 500 of 10,000) spread over the nodes; the median round. */
async function listRate(nodes: Running[]): Promise<LoadResult> {
  const urls = nodes.map(
    (n) =>
      `${n.url}/client/api?${signedQuery({ command: 'listVirtualMachines', listall: 'true', page: '1', pagesize: '500' })}`,
  );
  for (const u of urls) {
    const r = await get(u);
    if (r.status !== 200 || JSON.parse(r.text).listvirtualmachinesresponse.count !== LIST_VMS)
      throw new Error(`unexpected answer: ${r.text.slice(0, 200)}`);
  }
  const per = Math.max(1, Math.floor(CONNECTIONS / urls.length));
  await Promise.all(urls.map((u) => load(u, per, 1)));
  const runs: LoadResult[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const parts = await Promise.all(urls.map((u) => load(u, per, SECONDS)));
    const requests = parts.reduce((a, p) => a + p.requests, 0);
    runs.push({
      requests,
      errors: parts.reduce((a, p) => a + p.errors, 0),
      seconds: SECONDS,
      perSecond: parts.reduce((a, p) => a + p.perSecond, 0),
      p50ms: Math.max(...parts.map((p) => p.p50ms)),
      p99ms: Math.max(...parts.map((p) => p.p99ms)),
      bytes: parts.reduce((a, p) => a + p.bytes, 0),
    });
  }
  return [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
}

/** `DEPLOYS` deployVirtualMachine calls, 64 in flight, spread over the nodes; time until every job finished. */
async function deployRate(
  nodes: Running[],
): Promise<{ done: number; failed: number; seconds: number; perSecond: number }> {
  const api = async (node: Running, params: Record<string, string>) =>
    JSON.parse((await get(`${node.url}/client/api?${signedQuery(params)}`)).text);
  const n0 = nodes[0]!;
  const zone = (await api(n0, { command: 'listZones', name: 'Sandbox-simulator-advanced' })).listzonesresponse.zone[0]
    .id as string;
  const offering = (await api(n0, { command: 'listServiceOfferings', name: 'Small Instance' }))
    .listserviceofferingsresponse.serviceoffering[0].id as string;
  const template = (
    await api(n0, {
      command: 'listTemplates',
      templatefilter: 'featured',
      name: 'CentOS 5.3(64-bit) no GUI (Simulator)',
    })
  ).listtemplatesresponse.template[0].id as string;
  const t0 = performance.now();
  const jobs: { node: Running; id: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < DEPLOYS) {
        const node = nodes[next++ % nodes.length]!;
        const r = await api(node, {
          command: 'deployVirtualMachine',
          zoneid: zone,
          serviceofferingid: offering,
          templateid: template,
        });
        jobs.push({ node, id: r.deployvirtualmachineresponse.jobid });
      }
    }),
  );
  let done = 0;
  let failed = 0;
  const pending = new Set(jobs);
  while (pending.size) {
    for (const j of [...pending]) {
      const r = (await api(j.node, { command: 'queryAsyncJobResult', jobid: j.id })).queryasyncjobresultresponse;
      if (r.jobstatus === 0) continue;
      pending.delete(j);
      if (r.jobstatus === 1) done++;
      else failed++;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { done, failed, seconds, perSecond: done / seconds };
}

interface Row {
  setup: string;
  cached: LoadResult;
  uncached: LoadResult;
  deploy: Awaited<ReturnType<typeof deployRate>>;
}

async function measure(s: Setup): Promise<Row> {
  await prepare(s);
  const start = (env: Record<string, string>) =>
    Promise.all(Array.from({ length: s.nodes }, () => startPolystack(s.args, env)));
  let nodes = await start({});
  const cached = await listRate(nodes);
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = await start({ POLYSTACK_RESPONSE_CACHE: 'off' });
  const uncached = await listRate(nodes);
  await Promise.all(nodes.map((n) => n.stop()));
  nodes = await start({ POLYSTACK_AGENT_DELAY_MS: '0' });
  const deploy = await deployRate(nodes);
  await Promise.all(nodes.map((n) => n.stop()));
  await s.drop();
  return { setup: s.name, cached, uncached, deploy };
}

const rows: Row[] = [];
for (const make of [sqliteSetup, () => postgresSetup(1), () => postgresSetup(2)]) {
  const s = await make();
  process.stderr.write(`bench:cluster: ${s.name}\n`);
  rows.push(await measure(s));
}

const f0 = (n: number) => n.toFixed(0);
const f1 = (n: number) => n.toFixed(1);
const body = `## (m) One node on SQLite, one on PostgreSQL, two nodes on one PostgreSQL database

Measured by \`npm run bench:cluster\`${QUICK ? ' (quick run)' : ''} on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; PostgreSQL on the same machine. Every process (nodes, database, load generator) shares these cores, so a second node adds no CPU: its row shows what coordination costs, not what a second machine would add.

\`listVirtualMachines\`, a page of 500 out of ${LIST_VMS.toLocaleString('en')} VMs, ${CONNECTIONS} keep-alive connections spread over the nodes, median of ${ROUNDS} × ${SECONDS} s:

| setup | answer cache on: requests/s | p99 ms | cache off: requests/s | p99 ms | errors |
| --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.setup} | ${f0(r.cached.perSecond)} | ${f1(r.cached.p99ms)} | ${f0(r.uncached.perSecond)} | ${f1(r.uncached.p99ms)} | ${r.cached.errors + r.uncached.errors} |`).join('\n')}

Deploys to Running, zero simulated delay: ${DEPLOYS} \`deployVirtualMachine\` calls, 64 in flight, spread over the nodes, until every job finished:

| setup | VMs running | failed | seconds | VMs/s |
| --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r.setup} | ${r.deploy.done} | ${r.deploy.failed} | ${f1(r.deploy.seconds)} | ${f1(r.deploy.perSecond)} |`).join('\n')}

Reproduce: \`npm run build && npm run bench:cluster\` (uses the PostgreSQL server the tests use: POLYSTACK_TEST_PG_URL, else 127.0.0.1:5432, else an embedded one).
`;
writeSection('cluster', body);
process.stdout.write(body);
process.exit(0);
