// The rows of issue 15's table that the older sections do not measure: CloudStack pages at 1k, 10k and
// 50k VMs, the full lists, RSS with 50k VMs, EC2 against moto, a bare node start-up. Each stands next
// to a baseline from the same run (a bare node:http server replaying the same bytes, or moto's server).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { openStore, type OpenOptions } from '../src/store/db.js';
import { bareServer, versusBare, type LoadResult } from './lib/load.js';
import { startMoto } from './lib/moto.js';
import { KEY, rssKiB, SECRET, startPolystack } from './lib/server.js';
import { seedVms } from './lib/seed-vms.js';
import { signedQuery } from './lib/sign.js';
import { presignedEc2 } from './lib/sigv4.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
type Versus = { ours: LoadResult; base: LoadResult; bodyBytes: number };

/** A data directory that `serve` seeded, with `vms` VMs written into it (and hosts big enough for launches when asked). */
async function seededDir(vms: number, bigHosts = false): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-bench15-'));
  const first = await startPolystack(['--data-dir', dir]);
  await first.stop();
  const target: OpenOptions = { file: join(dir, 'polystack.db') };
  if (vms) await seedVms(target, vms);
  if (bigHosts) await enlargeHosts(target);
  return dir;
}

/** Memory for every launch of the run (the seeded hosts hold about 80 Small Instances). */
export async function enlargeHosts(target: OpenOptions): Promise<void> {
  const store = await openStore(target);
  await store.db
    .updateTable('hosts')
    .set({ memory: 256 * 2 ** 30, cpuNumber: 64 })
    .where('type', '=', 'Routing')
    .execute();
  await store.close();
}

/** Sequential GETs, the median of `n` after one warm-up, and the body of the last. */
export async function timedGets(url: string, n: number): Promise<{ ms: number; status: number; text: string }> {
  let last = { status: 0, text: '' };
  const ms: number[] = [];
  for (let i = 0; i <= n; i++) {
    const t = performance.now();
    try {
      // A new connection each time: a kept-alive one can be closed by the server as the next request goes out.
      const r = await fetch(url, { headers: { connection: 'close' } });
      last = { status: r.status, text: await r.text() };
    } catch (e) {
      return {
        ms: NaN,
        status: 0,
        text: `request failed: ${(e as Error).message} (${String((e as { cause?: unknown }).cause ?? '')})`,
      };
    }
    if (i > 0) ms.push(performance.now() - t);
  }
  return { ms: median(ms), ...last };
}

export interface SizeFigures {
  vms: number;
  cacheOff: Versus;
  cacheOn: Versus;
  /** listVirtualMachines pagesize=-1, one request at a time: polystack and the bare server replaying its bytes. */
  full?: { status: number; ms: number; bareMs: number; bytes: number; error?: string };
  /** polystack's RSS right after the full list. */
  rssKiB?: number;
}

/** Row 1–4: a page of 500 with the answer cache off and on, the full list and the RSS, at `vms` VMs. */
export async function listAtSize(
  vms: number,
  o: { seconds: number; rounds: number; connections: number; full: boolean; fullRuns: number },
): Promise<SizeFigures> {
  const dir = await seededDir(vms);
  const page = async (cache: boolean): Promise<Versus> => {
    const p = await startPolystack(['--data-dir', dir], { POLYSTACK_RESPONSE_CACHE: cache ? 'on' : 'off' });
    const url = `${p.url}/client/api?${signedQuery({ command: 'listVirtualMachines', listall: 'true', page: '1', pagesize: '500' })}`;
    const r = await fetch(url);
    const text = await r.text();
    const parsed = JSON.parse(text).listvirtualmachinesresponse;
    if (r.status !== 200 || parsed.count !== vms || parsed.virtualmachine.length !== 500)
      throw new Error(`unexpected answer: ${text.slice(0, 300)}`);
    const file = join(dir, 'page.json');
    writeFileSync(file, text);
    const v = await versusBare(url, {}, { file, contentType: 'application/json; charset=UTF-8' }, o);
    await p.stop();
    return { ...v, bodyBytes: Buffer.byteLength(text) };
  };
  const out: SizeFigures = { vms, cacheOff: await page(false), cacheOn: await page(true) };
  if (o.full) {
    const p = await startPolystack(['--data-dir', dir]);
    const url = `${p.url}/client/api?${signedQuery({ command: 'listVirtualMachines', listall: 'true', pagesize: '-1' })}`;
    const ours = await timedGets(url, o.fullRuns);
    out.rssKiB = await rssKiB(p.child.pid!);
    await p.stop();
    const count = ours.status === 200 ? JSON.parse(ours.text).listvirtualmachinesresponse.count : undefined;
    if (ours.status !== 200 || count !== vms) {
      out.full = {
        status: ours.status,
        ms: ours.ms,
        bareMs: NaN,
        bytes: Buffer.byteLength(ours.text),
        error: ours.text.slice(0, 200),
      };
    } else {
      const file = join(dir, 'full.json');
      writeFileSync(file, ours.text);
      const bare = await bareServer(file, 'application/json; charset=UTF-8');
      const base = await timedGets(bare.url, o.fullRuns);
      await bare.close();
      out.full = { status: ours.status, ms: ours.ms, bareMs: base.ms, bytes: Buffer.byteLength(ours.text) };
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Row 5: DescribeInstances MaxResults=100 out of 1,000 instances, against the bare server. */
export async function ec2Page(o: { seconds: number; rounds: number; connections: number }): Promise<Versus> {
  const dir = await seededDir(1_000);
  const p = await startPolystack(['--data-dir', dir]);
  const url = presignedEc2(p.url, { Action: 'DescribeInstances', MaxResults: '100' }, KEY, SECRET);
  const r = await fetch(url);
  const text = await r.text();
  if (r.status !== 200 || (text.match(/<instanceId>/g) ?? []).length !== 100 || !text.includes('<nextToken>'))
    throw new Error(`unexpected EC2 page: ${text.slice(0, 300)}`);
  const file = join(dir, 'page.xml');
  writeFileSync(file, text);
  const v = await versusBare(url, {}, { file, contentType: 'text/xml;charset=UTF-8' }, o);
  await p.stop();
  rmSync(dir, { recursive: true, force: true });
  return { ...v, bodyBytes: Buffer.byteLength(text) };
}

export type MotoFigures =
  | { skipped: string }
  | {
      describe: { oursMs: number; motoMs: number; instances: number };
      run: { oursMs: number; motoMs: number; batch: number; rounds: number };
    };

const client = (endpoint: string, key: string, secret: string) =>
  new EC2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: key, secretAccessKey: secret } });

async function runUntilRunning(
  ec2: EC2Client,
  image: string,
  type: _InstanceType,
  n: number,
  zone?: string,
): Promise<number> {
  const t = performance.now();
  const r = await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      MinCount: n,
      MaxCount: n,
      InstanceType: type,
      ...(zone ? { Placement: { AvailabilityZone: zone } } : {}),
    }),
  );
  const ids = r.Instances!.map((i) => i.InstanceId!);
  for (;;) {
    const d = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const states = d.Reservations!.flatMap((x) => x.Instances!.map((i) => i.State!.Name));
    if (states.length === n && states.every((s) => s === 'running')) return performance.now() - t;
    if (states.some((s) => s === 'terminated')) throw new Error('an instance failed to launch');
  }
}

/** Rows 6–7: the same @aws-sdk/client-ec2 against polystack and moto: DescribeInstances of 1,000, RunInstances 100 at a time. */
export async function ec2VersusMoto(o: { describeRuns: number; runRounds: number }): Promise<MotoFigures> {
  const moto = await startMoto();
  if ('missing' in moto) return { skipped: moto.missing };
  const dir = await seededDir(1_000, true);
  const p = await startPolystack(['--data-dir', dir], { POLYSTACK_AGENT_DELAY_MS: '0' });
  const ours = client(p.url, KEY, SECRET);
  const them = client(moto.url, 'testing', 'testing');
  try {
    const motoImage = (await them.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images![0]!.ImageId!;
    for (let i = 0; i < 10; i++)
      await them.send(
        new RunInstancesCommand({ ImageId: motoImage, MinCount: 100, MaxCount: 100, InstanceType: 't2.micro' }),
      );
    const count = async (ec2: EC2Client) =>
      (await ec2.send(new DescribeInstancesCommand({}))).Reservations!.reduce((a, r) => a + r.Instances!.length, 0);
    const [n1, n2] = [await count(ours), await count(them)];
    if (n1 !== 1_000 || n2 !== 1_000)
      throw new Error(`DescribeInstances counted ${n1} (polystack) and ${n2} (moto), not 1,000`);
    const timed = async (ec2: EC2Client) => {
      const t = performance.now();
      await count(ec2);
      return performance.now() - t;
    };
    const [dOurs, dMoto]: number[][] = [[], []];
    for (let i = 0; i < o.describeRuns; i++) {
      dOurs.push(await timed(ours));
      dMoto.push(await timed(them));
    }
    const ourImage = (await ours.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['CentOS*'] }] })))
      .Images![0]!.ImageId!;
    const [rOurs, rMoto]: number[][] = [[], []];
    for (let i = 0; i < o.runRounds; i++) {
      rOurs.push(await runUntilRunning(ours, ourImage, 't2.micro', 100, 'Sandbox-simulator-advanced'));
      rMoto.push(await runUntilRunning(them, motoImage, 't2.micro', 100));
    }
    return {
      describe: { oursMs: median(dOurs), motoMs: median(dMoto), instances: 1_000 },
      run: { oursMs: median(rOurs), motoMs: median(rMoto), batch: 100, rounds: o.runRounds },
    };
  } finally {
    ours.destroy();
    them.destroy();
    await p.stop();
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows 10–11's baseline: a bare node:http server, spawn to its first answer, and its RSS then. */
export async function bareStartup(n: number): Promise<{ ms: number; rssKiB: number }> {
  const ms: number[] = [];
  const rss: number[] = [];
  const code =
    "require('node:http').createServer((q,s)=>s.end('{}')).listen(0,'127.0.0.1',function(){console.log('ready '+this.address().port)})";
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /ready (\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
    });
    await (await fetch(`http://127.0.0.1:${port}/`)).text();
    ms.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 200));
    rss.push(await rssKiB(child.pid!));
    await new Promise((r) => (child.once('exit', r), child.kill('SIGTERM')));
  }
  return { ms: median(ms), rssKiB: median(rss) };
}
