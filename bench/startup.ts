// Start-up rows alone (issue 15): `node --import tsx bench/startup.ts [runs]` prints spawn → first signed
// listZones and the idle RSS after it for `serve --in-memory`, a fresh data directory and a bare node:http
// server, medians of the same run, with the load average. `bench/run.ts` uses the same measurement.
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startPolystack, rssKiB } from './lib/server.js';
import { signedQuery } from './lib/sign.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU time (user + system, ms) a process has used so far: what a start costs however busy the machine is. */
async function cpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  // Fields 14 and 15 of /proc/PID/stat, after the command name in parentheses; clock ticks of 10 ms.
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** (a) spawn → first successful listZones, cold, N times; (b) idle RSS after it; (c) CPU time to that answer. */
export async function startup(
  args: () => string[],
  n: number,
): Promise<{ ms: number[]; rss: number[]; cpu: number[] }> {
  const ms: number[] = [];
  const rss: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = args();
    const p = await startPolystack(a);
    const r = await fetch(`${p.url}/client/api?${signedQuery({ command: 'listZones' })}`);
    const text = await r.text();
    if (r.status !== 200) throw new Error(`listZones: ${r.status} ${text}`);
    ms.push(performance.now() - p.spawnedAt);
    cpu.push(await cpuMs(p.child.pid!));
    await new Promise((res) => setTimeout(res, 200));
    rss.push(await rssKiB(p.child.pid!));
    await p.stop();
    const dir = a[a.indexOf('--data-dir') + 1];
    if (a.includes('--data-dir') && dir) rmSync(dir, { recursive: true, force: true });
  }
  return { ms, rss, cpu };
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const n = Number(process.argv[2] ?? 10);
  const { bareStartup } = await import('./issue15.js');
  const line = (name: string, r: { ms: number[]; rss: number[]; cpu: number[] }) =>
    `${name.padEnd(12)} ${median(r.ms).toFixed(0).padStart(5)} ms  ${median(r.cpu).toFixed(0).padStart(5)} ms CPU  ${(median(r.rss) / 1024).toFixed(1).padStart(6)} MiB  (${r.ms.map((x) => x.toFixed(0)).join(', ')})`;
  const before = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const memory = await startup(() => ['--in-memory'], n);
  const disk = await startup(() => ['--data-dir', mkdtempSync(join(tmpdir(), 'polystack-cold-'))], n);
  const bare = await bareStartup(n);
  console.log(line('in-memory', memory));
  console.log(line('data-dir', disk));
  console.log(
    `${'bare'.padEnd(12)} ${bare.ms.toFixed(0).padStart(5)} ms  ${(bare.rssKiB / 1024).toFixed(1).padStart(6)} MiB`,
  );
  console.log(
    `load average before ${before}, after ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}
