import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import type { InstanceListFigures } from './browser.js';
import type { LoadResult } from './load.js';
import { infraSection, type InfraFigures } from './infra.js';
import { issue15Section, type Issue15Figures } from './report15.js';

export interface Figures {
  machine: { cpus: number; model: string; memGiB: number; node: string };
  startupMemory: { ms: number[]; rss: number[] };
  startupDisk: { ms: number[]; rss: number[] };
  list: { ours: LoadResult; base: LoadResult; bodyBytes: number };
  listUncached: { ours: LoadResult; base: LoadResult; bodyBytes: number };
  deploy: { vms: number; done: number; failed: number; seconds: number; perSecond: number };
  ec2List: { ours: LoadResult; base: LoadResult; bodyBytes: number };
  ec2Run: { n: number; seconds: number; perSecond: number };
  gceList: { ours: LoadResult; base: LoadResult; bodyBytes: number };
  gceInsert: { n: number; failed: number; seconds: number; perSecond: number };
  state: { exportMs: number; resetMs: number; importMs: number; snapshotBytes: number };
  infra: InfraFigures;
  /** Absent when chromium is not installed. */
  webList?: InstanceListFigures & { vms: number; browser: string };
  issue15: Issue15Figures;
  median: (xs: number[]) => number;
  quick: boolean;
}

const OUT = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
const f1 = (n: number) => n.toFixed(1);
const f0 = (n: number) => n.toFixed(0);

export function writeReport(f: Figures): void {
  const m = f.median;
  const row = (name: string, r: LoadResult) =>
    `| ${name} | ${f0(r.perSecond)} | ${f1(r.p50ms)} | ${f1(r.p99ms)} | ${r.errors} |`;
  const md = `# polystack benchmarks

Measured by \`npm run bench\`${f.quick ? ' (quick run)' : ''} on ${new Date().toISOString().slice(0, 10)}: ${f.machine.cpus} × ${f.machine.model}, ${f.machine.memGiB} GiB, Node ${f.machine.node};
load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')} when the run ended (other work on the machine slows both sides of each ratio).
Every figure stands next to a baseline measured in the same run on the same machine. Load comes
from a separate Node process (16 keep-alive connections, closed loop, after a 2-second warm-up);
throughput rounds alternate between polystack and its baseline and the median round is shown.

${issue15Section(f.issue15, {
  startupMs: m(f.startupMemory.ms),
  idleRssKiB: m(f.startupMemory.rss),
  deploySqlite: f.deploy.perSecond,
  ec2All: f.ec2List,
  gceCached: f.gceList,
})}
## (a) Start-up: process spawn to the first successful \`listZones\`

| database | median | all runs (ms) |
| --- | --- | --- |
| in memory | ${f0(m(f.startupMemory.ms))} ms | ${f.startupMemory.ms.map(f0).join(', ')} |
| fresh data directory (SQLite file created and seeded) | ${f0(m(f.startupDisk.ms))} ms | ${f.startupDisk.ms.map(f0).join(', ')} |

Target: under 500 ms. The time includes Node starting, loading the 4 MB CloudStack API spec,
migrating and seeding the database, building the two zones (five hosts) through the CloudStack API
in Marvin's order, and the signed request.

## (b) Idle memory

Resident set size after start-up and one \`listZones\`: ${f0(m(f.startupMemory.rss) / 1024)} MiB in memory, ${f0(m(f.startupDisk.rss) / 1024)} MiB with a data directory (median).

## (c) \`listVirtualMachines\`, a page of 500 out of 10,000 VMs

Response: ${(f.list.bodyBytes / 1024).toFixed(0)} KiB of JSON. The baseline is a bare \`node:http\` server in its own process returning the same bytes.

| server | requests/s | p50 ms | p99 ms | errors |
| --- | --- | --- | --- | --- |
${row('polystack', f.list.ours)}
${row('bare node:http, same bytes', f.list.base)}
${row('polystack, answer cache off', f.listUncached.ours)}
${row('bare node:http (second run)', f.listUncached.base)}

Ratio to the bare server: **${(f.list.ours.perSecond / f.list.base.perSecond).toFixed(2)}** (target ≥ 0.5); with the answer cache off:
${(f.listUncached.ours.perSecond / f.listUncached.base.perSecond).toFixed(3)}. polystack reuses a list answer for the same caller and parameters until the
next write to the database (\`src/store/version.ts\` counts writes; \`src/cloudstack/cache.ts\`); the
cache-off row is the cost of building the page: queries, the view of 500 VMs and JSON encoding.

## (d) Deploys to Running per second, zero simulated delay

${f.deploy.done} of ${f.deploy.vms} VMs deployed concurrently (\`deployVirtualMachine\` + polling \`queryAsyncJobResult\`) in ${f.deploy.seconds.toFixed(2)} s:
**${f1(f.deploy.perSecond)} VMs/s**${f.deploy.failed ? ` (${f.deploy.failed} failed)` : ''}. The sample is bounded by the seeded zones' capacity (five 8 GiB
simulator hosts hold about 80 Small Instances).

## (e) EC2 \`DescribeInstances\` with 1,000 instances

Response: ${(f.ec2List.bodyBytes / 1024).toFixed(0)} KiB of XML (a presigned SigV4 GET, 8 connections). The EC2 front translates each request
into \`listVirtualMachines\` through the CloudStack port and renders every instance.

| server | requests/s | p50 ms | p99 ms | errors |
| --- | --- | --- | --- | --- |
${row('polystack EC2 front', f.ec2List.ours)}
${row('bare node:http, same bytes', f.ec2List.base)}

Ratio: ${(f.ec2List.ours.perSecond / f.ec2List.base.perSecond).toFixed(3)}.

## (f) EC2 \`RunInstances\` to running, zero simulated delay

${f.ec2Run.n} instances (two RunInstances calls through @aws-sdk/client-ec2, then DescribeInstances until all run) in ${f.ec2Run.seconds.toFixed(2)} s:
**${f1(f.ec2Run.perSecond)} instances/s**.

## (g) Whole-cloud state with 10,000 VMs

| operation | time |
| --- | --- |
| export (\`GET /_polystack/state\`, ${(f.state.snapshotBytes / 2 ** 20).toFixed(1)} MiB of JSON) | ${f0(f.state.exportMs)} ms |
| reset to the seed (\`POST /_polystack/reset\`) | ${f0(f.state.resetMs)} ms |
| import (\`POST /_polystack/state\`) | ${f0(f.state.importMs)} ms |

## (h) GCE \`instances.list\` with 1,000 instances

A page of 500 (\`maxResults=500\`, the API's largest) out of 1,000 instances in one zone:
${(f.gceList.bodyBytes / 1024).toFixed(0)} KiB of JSON, 8 connections, a bearer token. The GCE front lists the zone's VM names
(\`listVirtualMachines details=min\`), then asks the CloudStack port for the page's VMs only and renders those.

| server | requests/s | p50 ms | p99 ms | errors |
| --- | --- | --- | --- | --- |
${row('polystack GCE front', f.gceList.ours)}
${row('bare node:http, same bytes', f.gceList.base)}

Ratio: ${(f.gceList.ours.perSecond / f.gceList.base.perSecond).toFixed(3)}.

## (i) GCE \`instances.insert\` to a DONE operation, zero simulated delay

${f.gceInsert.n} concurrent inserts over HTTP, then \`zoneOperations.get\` until each is DONE, in ${f.gceInsert.seconds.toFixed(2)} s:
**${f1(f.gceInsert.perSecond)} instances/s**${f.gceInsert.failed ? ` (${f.gceInsert.failed} operations ended with an error)` : ''}.

${infraSection(f.infra)}

${webSection(f)}## Reproduce

\`\`\`sh
npm ci && npm run bench          # a few minutes; --quick for fewer rounds: npm run bench -- --quick
npm run bench:infra              # only (j) and (k)
npm run bench:cluster            # only (m): SQLite, PostgreSQL, two nodes (needs PostgreSQL)
\`\`\`
`;
  // Sections other scripts measure (bench/cluster.ts) are kept as they were.
  const kept = keptSections();
  writeFileSync(OUT, kept ? `${md}\n${kept}\n` : md);
  process.stdout.write(md);
}

function webSection(f: Figures): string {
  const w = f.webList;
  if (!w)
    return '## (l) Web console: the instance list with 10,000 VMs\n\nNot measured: chromium is not installed (`bash scripts/install-test-deps.sh`).\n\n';
  return `## (l) Web console: the instance list with ${w.vms.toLocaleString('en-US')} VMs, in the browser

${w.browser} (headless, Debian's package) drives the console; the VMs are written into the database
before start and the list answer cache is **off**, so every page is built from the database. Time
runs in the page until the table shows its first 20 rows and the total.

| what | runs (ms) | median |
| --- | --- | --- |
| click on *Instances* in the menu (from the dashboard) to the first page | ${w.fromMenuMs.join(', ')} | ${f.median(w.fromMenuMs)} ms |
| fresh load of \`/client/#/instances\` (HTML, scripts, first page) from navigation start | ${w.coldLoadMs.join(', ')} | ${f.median(w.coldLoadMs)} ms |
| *Next page* to rows 21–40 | ${w.nextPageMs} | |

Target: under 1 s (\`test/web/instances-10k.test.ts\` fails above it). The console asks
\`listVirtualMachines\` for one page (\`page\`/\`pagesize\`), never the whole list, and keeps \`listApis\`
(800 KB) with the session instead of asking again on each load.

`;
}

const SECTION = /<!-- section:([a-z-]+) -->[\s\S]*?<!-- \/section:\1 -->/g;

function keptSections(): string {
  return existsSync(OUT) ? [...readFileSync(OUT, 'utf8').matchAll(SECTION)].map((m) => m[0]).join('\n\n') : '';
}

/** Writes (or replaces) one marked section of BENCHMARKS.md, leaving the rest as it is. */
export function writeSection(name: string, body: string): void {
  const block = `<!-- section:${name} -->\n${body.trim()}\n<!-- /section:${name} -->`;
  const old = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '# polystack benchmarks\n';
  const re = new RegExp(`<!-- section:${name} -->[\\s\\S]*?<!-- /section:${name} -->`);
  writeFileSync(OUT, re.test(old) ? old.replace(re, block) : `${old.trimEnd()}\n\n${block}\n`);
}
