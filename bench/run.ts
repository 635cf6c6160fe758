// `npm run bench`: start-up, memory and throughput of polystack, each next to a baseline measured
// in the same run, written to BENCHMARKS.md. Run on an otherwise idle machine.
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPolystack } from './lib/server.js';
import { startup } from './startup.js';
import { signedQuery } from './lib/sign.js';
import { bareServer, load, versusBare, type LoadResult } from './lib/load.js';
import { gceInsertRate, gceList } from './gce.js';
import { webInstanceList } from './web.js';
import { seedVms } from './lib/seed-vms.js';
import { writeReport, type Figures } from './lib/report.js';
import { presignedEc2 } from './lib/sigv4.js';
import { KEY, SECRET } from './lib/server.js';
import { infraFigures } from './lib/infra.js';
import { bareStartup, ec2Page, ec2VersusMoto, listAtSize } from './issue15.js';
import { deployRate, deployRatePg } from './lib/deploy-rate.js';
import { DescribeImagesCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';

const QUICK = process.argv.includes('--quick');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, text: await r.text() };
};

// (a) and (b), spawn → first listZones and the idle RSS after it, are bench/startup.ts's.

// (c) is listAtSize's 10,000-VM page (bench/issue15.ts).

/** (e) EC2 DescribeInstances with 1,000 instances, next to a bare server sending the same bytes. */
async function ec2Describe(seconds: number, rounds: number, connections: number) {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-bench-ec2-'));
  const first = await startPolystack(['--data-dir', dir]);
  await first.stop();
  await seedVms(join(dir, 'polystack.db'), 1_000);
  const p = await startPolystack(['--data-dir', dir]);
  const url = presignedEc2(p.url, { Action: 'DescribeInstances' }, KEY, SECRET);
  const sample = await get(url);
  if (sample.status !== 200 || (sample.text.match(/<instanceId>/g) ?? []).length !== 1_000)
    throw new Error(`unexpected EC2 answer: ${sample.text.slice(0, 300)}`);
  const bodyFile = join(dir, 'body.xml');
  writeFileSync(bodyFile, sample.text);
  const { ours, base } = await versusBare(
    url,
    {},
    { file: bodyFile, contentType: 'text/xml;charset=UTF-8' },
    { connections, seconds, rounds },
  );
  await p.stop();
  rmSync(dir, { recursive: true, force: true });
  return { ours, base, bodyBytes: Buffer.byteLength(sample.text) };
}

/** (f) RunInstances to running per second through the EC2 SDK, zero simulated delay. */
async function ec2RunRate(n: number) {
  const p = await startPolystack(['--in-memory'], { POLYSTACK_AGENT_DELAY_MS: '0' });
  const ec2 = new EC2Client({
    endpoint: p.url,
    region: 'us-east-1',
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
  });
  const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
    .Images![0]!.ImageId;
  const t0 = performance.now();
  const ids: string[] = [];
  // Split like the zones' capacity: 48 in the advanced zone, 32 in the basic one.
  for (const [zone, count] of [
    ['Sandbox-simulator-advanced', Math.round(n * 0.6)],
    ['Sandbox-simulator-basic', n - Math.round(n * 0.6)],
  ] as const) {
    const r = await ec2.send(
      new RunInstancesCommand({
        ImageId: image,
        MinCount: count,
        MaxCount: count,
        InstanceType: 't2.micro',
        Placement: { AvailabilityZone: zone },
      }),
    );
    ids.push(...r.Instances!.map((i) => i.InstanceId!));
  }
  for (;;) {
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const states = d.Reservations!.flatMap((r) => r.Instances!.map((i) => i.State!.Name));
    if (states.every((s) => s === 'running')) break;
    if (states.some((s) => s === 'terminated')) throw new Error('an instance failed to launch');
  }
  const seconds = (performance.now() - t0) / 1000;
  ec2.destroy();
  await p.stop();
  return { n: ids.length, seconds, perSecond: ids.length / seconds };
}

/** (g) Whole-cloud export, reset and import with 10,000 VMs. */
async function stateOps() {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-bench-state-'));
  const first = await startPolystack(['--data-dir', dir]);
  await first.stop();
  await seedVms(join(dir, 'polystack.db'), 10_000);
  const p = await startPolystack(['--data-dir', dir]);
  const auth = { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` };
  const timed = async (f: () => Promise<Response>) => {
    const t = performance.now();
    const r = await f();
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${r.status} ${text.slice(0, 200)}`);
    return { ms: performance.now() - t, text };
  };
  const exp = await timed(() => fetch(`${p.url}/_polystack/state`, { headers: auth }));
  const reset = await timed(() =>
    fetch(`${p.url}/_polystack/reset`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{}',
    }),
  );
  const imp = await timed(() =>
    fetch(`${p.url}/_polystack/state`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: exp.text,
    }),
  );
  await p.stop();
  rmSync(dir, { recursive: true, force: true });
  return { exportMs: exp.ms, resetMs: reset.ms, importMs: imp.ms, snapshotBytes: Buffer.byteLength(exp.text) };
}

/** Each figure is also written to a side file as it comes, so a run cut short still leaves what it measured. */
const PARTIAL = join(tmpdir(), 'polystack-bench-partial.json');
const partial: Record<string, unknown> = {};
async function step<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const v = await f();
  partial[name] = v;
  writeFileSync(PARTIAL, JSON.stringify(partial, null, 1));
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  return v;
}

const page = { seconds: QUICK ? 2 : 4, rounds: QUICK ? 3 : 5, connections: 16, fullRuns: QUICK ? 2 : 5 };
// Issue 15's rows: the CloudStack page at three sizes (the 10k one is also section (c)), the full lists and RSS at 10k and 50k.
const sizes = [
  await step('size1k', () => listAtSize(1_000, { ...page, full: false })),
  await step('size10k', () => listAtSize(10_000, { ...page, full: true })),
  await step('size50k', () => listAtSize(50_000, { ...page, rounds: QUICK ? 1 : 3, full: true })),
];
const ten = sizes[1]!;
const figures: Figures = {
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? '?',
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  startupMemory: await step('startupMemory', () => startup(() => ['--in-memory'], QUICK ? 3 : 10)),
  startupDisk: await step('startupDisk', () =>
    startup(() => ['--data-dir', mkdtempSync(join(tmpdir(), 'polystack-cold-'))], QUICK ? 3 : 10),
  ),
  list: ten.cacheOn,
  listUncached: ten.cacheOff,
  deploy: await step('deploy', () => deployRate(80)),
  ec2List: await step('ec2List', () => ec2Describe(QUICK ? 2 : 4, QUICK ? 3 : 5, 8)),
  ec2Run: await step('ec2Run', () => ec2RunRate(80)),
  gceList: await step('gceList', () => gceList(QUICK ? 2 : 4, QUICK ? 3 : 5, 8)),
  issue15: {
    sizes,
    bare: await step('bare', () => bareStartup(QUICK ? 3 : 10)),
    deployPg: await step('deployPg', () => deployRatePg(80)),
    ec2Page: await step('ec2Page', () => ec2Page({ seconds: QUICK ? 2 : 4, rounds: QUICK ? 3 : 5, connections: 8 })),
    moto: await step('moto', () => ec2VersusMoto({ describeRuns: QUICK ? 5 : 11, runRounds: QUICK ? 2 : 3 })),
    gceUncached: await step('gceUncached', () => gceList(QUICK ? 2 : 4, QUICK ? 3 : 5, 8, false)),
  },
  gceInsert: await step('gceInsert', () => gceInsertRate(80)),
  state: await step('state', () => stateOps()),
  infra: await step('infra', () => infraFigures(QUICK)),
  webList: await step('webList', () => webInstanceList(QUICK ? 3 : 5)),
  median,
  quick: QUICK,
};
writeReport(figures);
