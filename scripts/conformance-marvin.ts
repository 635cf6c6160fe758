// npm run conformance:marvin [advanced] [basic]: runs CloudStack 4.18.2's smoke tests (Marvin) against this
// checkout for each zone and writes CONFORMANCE.md at the repo root.
//   ZONES="advanced basic"  zones when none are given as arguments
//   LANES=2                 parallel lanes per zone (each its own polystack and WORKDIR)
//   FILES="test_a.py ..."   only these files (a partial report, for trying things out)
//   WORKDIR                 scratch (default $TMPDIR/polystack-conformance)
//   MARVIN_RUNNER, MARVIN_SRC  see scripts/conformance/run.ts
// --report: no run, CONFORMANCE.md again from what the last run left in WORKDIR.
// npm run conformance:marvin:update-subset: reruns the fixed subset and rewrites its expected passes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderReport, type ZoneResult } from './conformance/report.js';
import {
  buildIfNeeded,
  fileSeconds,
  marvinMissing,
  marvinPaths,
  readZone,
  REPO,
  runZone,
  smokeFiles,
} from './conformance/run.js';
import { updateSubset } from './conformance/subset.js';

const paths = marvinPaths();
const missing = marvinMissing(paths);
if (missing) {
  console.error(`conformance: ${missing}`);
  process.exit(2);
}
const reportOnly = process.argv.includes('--report');
// --rerun: FILES again, on this checkout, in place of their rows of the run WORKDIR holds; the report says which and when.
const rerun = process.argv.includes('--rerun');
const args = process.argv.slice(2).filter((a) => a !== '--report' && a !== '--rerun');
const workdir = process.env['WORKDIR'] ?? join(tmpdir(), 'polystack-conformance');
const lanes = Number(process.env['LANES'] ?? 2);
if (!reportOnly) buildIfNeeded();

if (args.includes('--update-subset')) {
  await updateSubset(paths, join(workdir, 'subset'));
} else {
  const zones = args.length ? args : (process.env['ZONES'] ?? 'advanced basic').split(/[\s,]+/).filter(Boolean);
  for (const z of zones)
    if (z !== 'advanced' && z !== 'basic') throw new Error(`zone must be advanced or basic, not ${z}`);
  const files = process.env['FILES']?.split(/[\s,]+/).filter(Boolean) ?? smokeFiles(paths);
  if (rerun && !process.env['FILES']) throw new Error('--rerun needs FILES: the files to run again');
  const commitNow = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  const results: ZoneResult[] = [];
  const minutes: Record<string, number> = {};
  let laneCount = 0;
  let nFiles = 0; // files the lanes ran (a report-only pass finds them in the lanes' results dirs)
  for (const zone of zones) {
    if (!reportOnly) console.log(`conformance: ${zone} zone, ${files.length} files in ${lanes} lane(s)`);
    let run = reportOnly ? readZone(join(workdir, zone), zone) : undefined;
    if (rerun) {
      const at = Date.now();
      await runZone(paths, zone, files, { lanes, workdir: join(workdir, zone, `rerun-${at}`) });
      noteRerun(join(workdir, zone), { at, commit: commitNow, files });
      run = { ...readZone(join(workdir, zone), zone), seconds: NaN };
    }
    run ??= await runZone(paths, zone, files, { lanes, workdir: join(workdir, zone) });
    if (!rerun && !reportOnly) writeFileSync(join(workdir, zone, 'run.json'), JSON.stringify({ commit: commitNow }));
    laneCount = Math.max(laneCount, run.laneDirs.length);
    const times: Record<string, number> = Object.assign(
      {},
      ...run.laneDirs.map((d) => fileSeconds(join(d, `results-${zone}`))),
    );
    nFiles = Math.max(nFiles, Object.keys(times).length);
    minutes[zone] =
      (reportOnly || rerun ? Math.max(...run.laneDirs.map((d) => laneSeconds(times, d, zone))) : run.seconds) / 60;
    writeFileSync(join(workdir, zone, 'file-seconds.json'), JSON.stringify(times, null, 2));
    console.log(
      `conformance: ${zone} took ${minutes[zone].toFixed(1)} min; the files' own times add up to ${(Object.values(times).reduce((a, b) => a + b, 0) / 60).toFixed(1)} min`,
    );
    results.push({
      zone,
      rows: run.rows,
      source: (m) => {
        try {
          return readFileSync(join(paths.smoke, `${m}.py`), 'utf8');
        } catch {
          return undefined;
        }
      },
    });
  }
  // The commit of the full run (a report or a re-run renders it again), and the re-runs on top of it.
  // Zones run apart (two lanes sets at once, say) may come from different commits: name each then.
  const commits = zones.map((z) => readJson<{ commit?: string }>(join(workdir, z, 'run.json'))?.commit ?? commitNow);
  const commit = new Set(commits).size === 1 ? commits[0]! : zones.map((z, i) => `${commits[i]} (${z})`).join(', ');
  const noted = zones.flatMap((z) =>
    (readJson<Rerun[]>(join(workdir, z, 'reruns.json')) ?? []).map((r) => ({ ...r, zone: z })),
  );
  // One re-run covers every zone asked for, each zone noting it: name it once, with its zones.
  const same = (a: Rerun, b: Rerun) => a.commit === b.commit && a.files.join() === b.files.join();
  const reruns = noted
    .filter((r, i) => noted.findIndex((x) => same(x, r)) === i)
    .map((r) => ({ ...r, zones: noted.filter((x) => same(x, r)).map((x) => x.zone) }));
  const suite = paths.src.split('/').pop() ?? 'CloudStack';
  const text = renderReport(results, {
    generated: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    commit,
    suite,
    minutes,
    files: nFiles,
    total: smokeFiles(paths).length,
    lanes: laneCount,
    reruns: reruns.map((r) => ({
      commit: r.commit,
      files: r.files,
      zones: r.zones,
      generated: new Date(r.at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    })),
  });
  writeFileSync(join(REPO, 'CONFORMANCE.md'), text);
  console.log(text.split('\n## Per file')[0]);
}

interface Rerun {
  at: number;
  commit: string;
  files: string[];
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function noteRerun(zoneDir: string, r: Rerun): void {
  writeFileSync(
    join(zoneDir, 'reruns.json'),
    JSON.stringify([...(readJson<Rerun[]>(join(zoneDir, 'reruns.json')) ?? []), r], null, 2),
  );
}

/** The seconds of the files one lane ran (a lane's wall time, near enough). */
function laneSeconds(times: Record<string, number>, laneDir: string, zone: string): number {
  const ran = readdirSync(join(laneDir, `results-${zone}`))
    .filter((f) => f.endsWith('.collect'))
    .map((f) => f.slice(0, -'.collect'.length));
  return ran.reduce((a, n) => a + (times[n] ?? 0), 0);
}
