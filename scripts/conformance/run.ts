// Runs ../shared/marvin/run.sh for one zone, its files split over parallel lanes (one WORKDIR, one polystack
// and one nose process per lane), and returns the merged results.tsv rows.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { SPEC_FILES } from '../../src/cloudstack/spec.js';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeRows, readLaneRows, type ResultRow } from './results.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface MarvinPaths {
  runner: string;
  src: string;
  smoke: string;
}

/** run.sh and the CloudStack sources: env MARVIN_RUNNER / MARVIN_SRC, else ../shared beside the repo (as CI
 *  clones them); the sources default to the ones beside the runner, as run.sh's own default. */
export function marvinPaths(env = process.env): MarvinPaths {
  const runner = resolve(REPO, env['MARVIN_RUNNER'] ?? '../shared/marvin/run.sh');
  const src = resolve(REPO, env['MARVIN_SRC'] ?? join(dirname(runner), '../upstream/cloudstack-4.18.2'));
  return { runner, src, smoke: join(src, 'test/integration/smoke') };
}

/** Why Marvin cannot run here, or undefined when it can. */
export function marvinMissing(p: MarvinPaths): string | undefined {
  if (!existsSync(p.runner))
    return `no Marvin runner at ${p.runner} (set MARVIN_RUNNER, or clone shared/ beside the repo)`;
  if (!existsSync(join(p.src, 'tools/marvin/marvin'))) return `no Marvin sources at ${p.src} (set MARVIN_SRC)`;
  return undefined;
}

export function smokeFiles(p: MarvinPaths): string[] {
  return readdirSync(p.smoke)
    .filter((f) => /^test_.*\.py$/.test(f))
    .sort();
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** run.sh starts dist/: build when a source file is newer than the last build. */
export function buildIfNeeded(): void {
  const built = join(REPO, 'dist/polystack.mjs');
  const stale = !existsSync(built) || newest(join(REPO, 'src')) > statSync(built).mtimeMs;
  if (!stale) return;
  console.log('conformance: building (src is newer than dist)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** Largest file first into the lightest lane (file size stands in for run time), so lanes end together. */
export function splitLanes(files: string[], lanes: number, size: (f: string) => number): string[][] {
  const out: string[][] = Array.from({ length: Math.max(1, lanes) }, () => []);
  const load = out.map(() => 0);
  for (const f of [...files].sort((a, b) => size(b) - size(a))) {
    const i = load.indexOf(Math.min(...load));
    out[i].push(f);
    load[i] += size(f);
  }
  return out.filter((l) => l.length).map((l) => l.sort());
}

export interface ZoneRun {
  rows: ResultRow[];
  seconds: number;
  laneDirs: string[];
}

/**
 * Marvin's user API clients talk to the management server's address on port 8080, whatever port the
 * config names (cloudstackTestClient: a user that has keys gets `port = 8080`). Each lane therefore
 * serves on 8080 at a loopback address of its own (127.0.0.0/8 all reaches this machine), so every
 * lane's user clients find their own polystack. Undefined when that address and port are taken.
 */
export async function laneAddress(i: number): Promise<string | undefined> {
  // LANE_HOST_BASE: another run's lanes (the test suite's subset, say) keep theirs.
  const host = `127.0.0.${Number(process.env['LANE_HOST_BASE'] ?? 10) + i}`;
  return new Promise((ok) => {
    const probe = createServer();
    probe.once('error', () => ok(undefined));
    probe.listen(8080, host, () => probe.close(() => ok(host)));
  });
}

/**
 * The API description Marvin's code generator gets: 4.18's listApis dump and the commands of the plugins that
 * dump lacks (the simulator's, the backup framework's, which 4.18 lists only while its framework is on).
 * CloudStack's CI generates Marvin's API package from the sources, where every one of them is present.
 */
export function marvinSpec(workdir: string): string {
  const api = SPEC_FILES.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as { api: { name: string }[] }).api);
  const unique = api.filter((a, i) => api.findIndex((b) => b.name === a.name) === i);
  mkdirSync(workdir, { recursive: true });
  const file = join(workdir, 'listApis-marvin.json');
  writeFileSync(file, JSON.stringify({ count: unique.length, api: unique }));
  return file;
}

/**
 * Files that sleep longer than run.sh's 900 s per file on their own: test_vm_autoscaling waits out the
 * autoscale policies' durations and quiet times in real time (about 28 minutes in all).
 */
const LONG_FILES: Record<string, number> = { 'test_vm_autoscaling.py': 2700 };

/** run.sh's FILE_TIMEOUT for a lane: the longest any of its files needs, else the caller's or run.sh's own. */
export function laneFileTimeout(files: string[], given = process.env['FILE_TIMEOUT']): string | undefined {
  const need = Math.max(0, ...files.map((f) => LONG_FILES[f.split('/').pop()!] ?? 0));
  return need > Number(given ?? 900) ? String(need) : given;
}

/** Where sitecustomize.py lives: it shrinks Marvin's sleeps when POLYSTACK_MARVIN_SLEEP_SCALE asks. */
const PYTHON_HOOKS = join(REPO, 'scripts/conformance/python');

function runLane(
  p: MarvinPaths,
  zone: string,
  files: string[],
  workdir: string,
  opts: { quiet: boolean; sleepScale?: number },
  host: string | undefined,
): Promise<void> {
  return new Promise((ok, fail) => {
    // run.sh passes PORT to polystack and its environment (POLYSTACK_HOST) to the child it starts.
    const at = host ? { PORT: '8080', POLYSTACK_HOST: host } : {};
    const t = laneFileTimeout(files);
    const timeout = t ? { FILE_TIMEOUT: t } : {};
    const given = process.env['PYTHONPATH'];
    const sleeps = opts.sleepScale
      ? {
          PYTHONPATH: given ? `${PYTHON_HOOKS}:${given}` : PYTHON_HOOKS,
          POLYSTACK_MARVIN_SLEEP_SCALE: String(opts.sleepScale),
        }
      : {};
    // One zone, the one under test, as CloudStack's CI deploys it from setup/dev/<zone>.cfg: tests that count
    // a zone's hosts against the whole cloud's (listInfrastructure) or take the first zone listed assume it.
    const child = spawn('bash', [p.runner, zone, ...files], {
      cwd: REPO,
      stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit'],
      env: {
        ...process.env,
        WORKDIR: workdir,
        MARVIN_SRC: p.src,
        POLYSTACK_DIR: REPO,
        OUT: join(workdir, `results-${zone}`),
        POLYSTACK_DATACENTER: zone,
        API_SPEC: marvinSpec(workdir),
        ...at,
        ...timeout,
        ...sleeps,
      },
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`run.sh ${zone} (${workdir}) exited ${code}`))));
  });
}

/**
 * `weight`: a file's expected seconds (default: its size, which stands in for them). `sleepScale`: Marvin's
 * sleeps times this (python/sitecustomize.py); the conformance report runs at Marvin's own pace.
 */
export async function runZone(
  p: MarvinPaths,
  zone: string,
  files: string[],
  opts: { lanes: number; workdir: string; quiet?: boolean; weight?: (f: string) => number; sleepScale?: number },
): Promise<ZoneRun> {
  const t0 = Date.now();
  const lanes = splitLanes(files, opts.lanes, opts.weight ?? ((f) => statSync(join(p.smoke, f)).size));
  const laneDirs = lanes.map((_, i) => join(opts.workdir, `lane${i}`));
  const hosts = await Promise.all(lanes.map((_, i) => laneAddress(i)));
  const laneOpts = { quiet: opts.quiet ?? false, sleepScale: opts.sleepScale };
  await Promise.all(lanes.map((l, i) => runLane(p, zone, l, laneDirs[i]!, laneOpts, hosts[i])));
  const rows = mergeRows(laneDirs.map((d) => readLaneRows(join(d, `results-${zone}`))));
  return { rows, seconds: (Date.now() - t0) / 1000, laneDirs };
}

/**
 * A zone's rows from the lanes a previous run left in its workdir (the report can be rendered again from them),
 * with the files re-run since (`rerun-<time>/lane<i>`, oldest first) replacing that file's rows of the run.
 */
export function readZone(workdir: string, zone: string): ZoneRun {
  const lanesIn = (dir: string) =>
    readdirSync(dir)
      .filter((d) => /^lane\d+$/.test(d))
      .map((d) => join(dir, d))
      .filter((d) => existsSync(join(d, `results-${zone}`, 'results.tsv')));
  const read = (dirs: string[]) => mergeRows(dirs.map((d) => readLaneRows(join(d, `results-${zone}`))));
  const laneDirs = lanesIn(workdir);
  let rows = read(laneDirs);
  for (const r of readdirSync(workdir)
    .filter((d) => /^rerun-\d+$/.test(d))
    .sort()) {
    const again = read(lanesIn(join(workdir, r)));
    const redone = new Set(again.map((x) => x.module));
    rows = mergeRows([rows.filter((x) => !redone.has(x.module)), again]);
  }
  return { rows, seconds: NaN, laneDirs };
}

/** Seconds each file took in a lane's results dir: from the previous file's last log write (the first file:
 *  from its .collect, written after nose's collect step) to its own last log write. */
export function fileSeconds(resultsDir: string): Record<string, number> {
  const mtime = (f: string) => statSync(join(resultsDir, f)).mtimeMs;
  const names = readdirSync(resultsDir)
    .filter((x) => x.endsWith('.collect'))
    .map((f) => f.slice(0, -'.collect'.length))
    .filter((n) => existsSync(join(resultsDir, `${n}.log`)))
    .sort((a, b) => mtime(`${a}.log`) - mtime(`${b}.log`));
  const out: Record<string, number> = {};
  names.forEach((n, i) => {
    const start = i === 0 ? mtime(`${n}.collect`) : mtime(`${names[i - 1]}.log`);
    out[n] = Math.round((mtime(`${n}.log`) - start) / 1000);
  });
  return out;
}
