// (j) a 1,000-host zone built through the API; (k) listHosts/listVirtualMachines with 10,000 hosts
// and 100,000 VMs. Each figure stands next to a baseline measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { RemotePort } from '../../src/bridge/remote.js';
import { CsApi } from '../../src/datacenter/client.js';
import { runDeployment } from '../../src/datacenter/deploy.js';
import type { MarvinConfig } from '../../src/datacenter/marvin.js';
import { bareServer } from './load.js';
import { seedHostsAndVms } from './seed-infra.js';
import { KEY, SECRET, startPolystack } from './server.js';
import { signedQuery } from './sign.js';

export interface ZoneBuild {
  hosts: number;
  clusters: number;
  steps: number;
  seconds: number;
  perHostMs: number;
  callMs: number;
}
export interface ListLatency {
  name: string;
  count: number;
  items: number;
  bytes: number;
  oursMs: number;
  baseMs: number;
  runs: number;
}
export interface InfraFigures {
  build: ZoneBuild;
  lists: ListLatency[];
  hosts: number;
  vms: number;
  seedSeconds: number;
  load: { avg: number; cpus: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A Marvin config of one advanced zone with `hosts` simulated hosts, 100 to a cluster. */
function bigZone(hosts: number): MarvinConfig {
  const clusters = Array.from({ length: Math.ceil(hosts / 100) }, (_, c) => ({
    clustername: `C${c}`,
    hypervisor: 'simulator',
    clustertype: 'CloudManaged',
    hosts: Array.from({ length: Math.min(100, hosts - c * 100) }, (_, i) => ({
      url: `http://sim/c${c}/h${i}`,
      username: 'root',
      password: 'password',
    })),
    primaryStorages: [{ name: `PS${c}`, url: `nfs://10.147.28.6:/export/bench/primary${c}` }],
  }));
  return {
    zones: [
      {
        name: 'bench-1k',
        networktype: 'Advanced',
        dns1: '8.8.8.8',
        internaldns1: '8.8.8.8',
        guestcidraddress: '10.1.0.0/16',
        physical_networks: [
          {
            name: 'bench-pnet',
            vlan: '100-999',
            isolationmethods: ['VLAN'],
            traffictypes: [{ typ: 'Guest' }, { typ: 'Management' }, { typ: 'Public' }],
            providers: [{ name: 'VirtualRouter' }],
          },
        ],
        ipranges: [
          {
            startip: '192.168.0.2',
            endip: '192.168.3.254',
            netmask: '255.255.252.0',
            gateway: '192.168.0.1',
            vlan: '50',
          },
        ],
        // A /20 pod: room for a thousand host addresses besides its reserved range.
        pods: [
          {
            name: 'POD0',
            gateway: '172.16.0.1',
            netmask: '255.255.240.0',
            startip: '172.16.0.2',
            endip: '172.16.0.200',
            clusters,
          },
        ],
        secondaryStorages: [{ url: 'nfs://10.147.28.6:/export/bench/secondary', provider: 'NFS' }],
      },
    ],
  };
}

async function timed(url: string): Promise<{ ms: number; text: string }> {
  const t = performance.now();
  const r = await fetch(url);
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${r.status} ${text.slice(0, 200)}`);
  return { ms: performance.now() - t, text };
}

/** (j) `polystack datacenter deploy`'s walk over signed HTTP, against a polystack with no zones. */
export async function zoneBuild(hosts: number): Promise<ZoneBuild> {
  const p = await startPolystack(['--in-memory', '--datacenter', 'none']);
  const api = new CsApi(new RemotePort(`${p.url}/client/api`), { apiKey: KEY, secretKey: SECRET }, 10);
  const t0 = performance.now();
  const done = await runDeployment(api, bigZone(hosts));
  const seconds = (performance.now() - t0) / 1000;
  // Baseline: the same number of the cheapest signed call, one after the other, on the same server.
  const calls: number[] = [];
  for (let i = 0; i < 200; i++)
    calls.push((await timed(`${p.url}/client/api?${signedQuery({ command: 'listCapabilities', n: String(i) })}`)).ms);
  const listed = JSON.parse(
    (await timed(`${p.url}/client/api?${signedQuery({ command: 'listHosts', pagesize: '1', page: '1' })}`)).text,
  ).listhostsresponse;
  if (listed.count !== hosts) throw new Error(`expected ${hosts} hosts, listHosts counts ${listed.count}`);
  await p.stop();
  return {
    hosts,
    clusters: Math.ceil(hosts / 100),
    steps: done.steps,
    seconds,
    perHostMs: (seconds * 1000) / hosts,
    callMs: median(calls),
  };
}

/** (k) list latency on a big cloud, answer cache off, each request sequential; baseline a bare server with the same bytes. */
export async function bigLists(
  hosts: number,
  vms: number,
  runs: number,
): Promise<{ lists: ListLatency[]; seedSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-bench-infra-'));
  const first = await startPolystack(['--data-dir', dir]);
  await first.stop();
  const t0 = performance.now();
  await seedHostsAndVms(join(dir, 'polystack.db'), hosts, vms);
  const seedSeconds = (performance.now() - t0) / 1000;
  const p = await startPolystack(['--data-dir', dir], { POLYSTACK_RESPONSE_CACHE: 'off' });
  const cases: [string, Record<string, string>, string, string][] = [
    ['listHosts (default page: 500)', { command: 'listHosts' }, 'listhostsresponse', 'host'],
    ['listHosts pagesize=-1 (all)', { command: 'listHosts', pagesize: '-1' }, 'listhostsresponse', 'host'],
    [
      'listVirtualMachines listall (default page: 500)',
      { command: 'listVirtualMachines', listall: 'true' },
      'listvirtualmachinesresponse',
      'virtualmachine',
    ],
  ];
  const lists: ListLatency[] = [];
  for (const [name, params, key, item] of cases) {
    const url = `${p.url}/client/api?${signedQuery(params)}`;
    const sample = await timed(url);
    const body = JSON.parse(sample.text)[key];
    const file = join(dir, 'body.json');
    writeFileSync(file, sample.text);
    const bare = await bareServer(file, 'application/json; charset=UTF-8');
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < runs; i++) {
      ours.push((await timed(url)).ms);
      base.push((await timed(bare.url)).ms);
    }
    await bare.close();
    lists.push({
      name,
      count: body.count,
      items: body[item].length,
      bytes: Buffer.byteLength(sample.text),
      oursMs: median(ours),
      baseMs: median(base),
      runs,
    });
  }
  await p.stop();
  rmSync(dir, { recursive: true, force: true });
  return { lists, seedSeconds };
}

export async function infraFigures(quick: boolean): Promise<InfraFigures> {
  const build = await zoneBuild(1000);
  const { lists, seedSeconds } = await bigLists(10_000, 100_000, quick ? 5 : 15);
  return { build, lists, hosts: 10_000, vms: 100_000, seedSeconds, load: { avg: loadavg()[1]!, cpus: cpus().length } };
}

/** The BENCHMARKS.md section for these figures. */
export function infraSection(f: InfraFigures): string {
  const b = f.build;
  const row = (l: ListLatency) =>
    `| ${l.name} | ${l.items} of ${l.count} | ${(l.bytes / 2 ** 20).toFixed(1)} MiB | ${l.oursMs.toFixed(0)} ms | ${l.baseMs.toFixed(1)} ms | ${(l.oursMs / l.baseMs).toFixed(1)} |`;
  return `## (j) A zone of ${b.hosts.toLocaleString('en')} simulated hosts, built through the API

\`polystack datacenter deploy\`'s walk in Marvin's order over signed HTTP (one advanced zone, one pod, ${b.clusters} clusters of 100 hosts
with a primary storage each, public range, image store; ${b.steps} steps) against a polystack started with \`--datacenter none\`:
**${b.seconds.toFixed(1)} s**, ${b.perHostMs.toFixed(1)} ms per host. Baseline in the same run: a signed \`listCapabilities\` round trip on the same
server takes ${b.callMs.toFixed(1)} ms (median of 200), so one \`addHost\` costs about ${(b.perHostMs / b.callMs).toFixed(1)} bare calls.

## (k) \`listHosts\` and \`listVirtualMachines\` with ${f.hosts.toLocaleString('en')} hosts and ${f.vms.toLocaleString('en')} VMs

The hosts and running VMs (each with a NIC and a ROOT volume) are written straight into the database (${f.seedSeconds.toFixed(1)} s):
building them through the API would take longer than the measurement. Answer cache off, one request at a time, median of ${f.lists[0]?.runs ?? 0};
the baseline is a bare \`node:http\` server returning the same bytes, measured alternately.

| request | items | response | polystack | bare server | ratio |
| --- | --- | --- | --- | --- | --- |
${f.lists.map(row).join('\n')}

Load average over the last 5 minutes of this run: ${f.load.avg.toFixed(1)} on ${f.load.cpus} CPUs${f.load.avg > f.load.cpus ? ' (a busy machine: the baselines slowed down as much, the ratios are the figures to read)' : ''}.
For scale: CloudStack 4.20 took 7.6 s (listHosts) and 11.8 s (listVirtualMachines) on average with 25,000 hosts and 25,000 VMs
(ShapeBlue, "Pushing the Limits: CloudStack at 25k hosts", one 2-vCPU management server and MySQL).
`;
}
