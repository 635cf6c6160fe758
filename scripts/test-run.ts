// Runs the test tiers (test/tiers.ts): `test-run.ts [fast|client|slow|all]...`.
// The fast tier's files run many to a process (no start-up per file), in shards that node's runner
// runs all at once; the other tiers run a process per file, two per core. Each tier prints its
// counts and time at the end, and every failure again after all of them, where CI's log ends.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesOf, tierOf, TIERS, WAITING, type Tier } from '../test/tiers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORES = Math.max(1, Number(process.env['POLYSTACK_TEST_CONCURRENCY'] ?? availableParallelism()));
// Shards outnumber the cores: a shard waiting on a timer leaves its core to another. Round-robin
// shards measured worse here (each loads every front's clients): 103 s against 92 s for runs.
const SHARDS_PER_CORE = Number(process.env['POLYSTACK_TEST_SHARDS_PER_CORE'] ?? 2);
const PROCESS_FILES_PER_CORE = Number(process.env['POLYSTACK_TEST_FILES_PER_CORE'] ?? 2);
const GUARD = resolve(ROOT, 'test/helpers/no-processes.ts');

interface Outcome {
  tier: Tier;
  files: number;
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  seconds: number;
  failures: string[];
}

/**
 * Shard entry files: each imports a run of the tier's files (neighbours share their imports: the GCE
 * clients load once, in the GCE shard), cut at equal shares of source size, after the guard that
 * forbids processes.
 */
function shardEntries(files: string[], dir: string): string[] {
  const n = Math.min(files.length, CORES * SHARDS_PER_CORE);
  const size = files.map((f) => statSync(resolve(ROOT, f)).size);
  const share = size.reduce((a, b) => a + b, 0) / n;
  const shards: string[][] = [[]];
  let filled = 0;
  files.forEach((f, i) => {
    if (filled >= share * shards.length && shards.length < n) shards.push([]);
    shards.at(-1)!.push(f);
    filled += size[i]!;
  });
  return shards.map((list, i) => {
    const entry = join(dir, `fast-${String(i + 1).padStart(2, '0')}.mjs`);
    const lines = [
      `import ${JSON.stringify(GUARD)};`,
      // How long the shard ran, to see how evenly the tier is cut (a diagnostic line of the report).
      `import { after } from 'node:test';`,
      `after(() => console.log('shard ${i + 1} of ${n} (${list.length} files): ' + (performance.now() / 1000).toFixed(1) + ' s'));`,
      ...list.map((f) => `await import(${JSON.stringify(resolve(ROOT, f))});`),
    ];
    writeFileSync(entry, lines.join('\n') + '\n');
    return entry;
  });
}

/** Runs files of one tier under node's runner; `log` takes the spec output instead of the terminal. */
async function runFiles(tier: Tier, files: string[], log?: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), `polystack-${tier}-`));
  const tap = join(dir, 'report.tap');
  const targets = tier === 'fast' ? shardEntries(files, dir) : files.map((f) => resolve(ROOT, f));
  const started = Date.now();
  // Every fast shard at once: a shard waits on timers part of the time, and another fills the core.
  // Two files per core elsewhere: they wait on their clients and servers most of the time.
  const concurrency = tier === 'fast' ? targets.length : CORES * PROCESS_FILES_PER_CORE;
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    `--test-reporter-destination=${log ?? 'stdout'}`,
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...targets,
  ];
  const shards = tier === 'fast' ? ` in ${targets.length} shards` : '';
  console.log(
    `\n== ${tier} tier: ${files.length} files${shards}, ${concurrency} at a time${log ? ' (in the background)' : ''}`,
  );
  const code = await new Promise<number>((done) =>
    spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).once('exit', (c) => done(c ?? 1)),
  );
  const outcome = summarise(tier, files.length, readFileSync(tap, 'utf8'), (Date.now() - started) / 1000);
  if (code !== 0 && outcome.fail === 0) {
    outcome.failures.push(`${tier}: the runner exited ${code} with no failing test (a file that did not load?)`);
    outcome.fail = 1;
  }
  if (process.env['POLYSTACK_TEST_KEEP']) console.log(`${tier}: report kept in ${tap}`);
  else rmSync(dir, { recursive: true, force: true });
  return outcome;
}

/** Two outcomes of one tier as one (its waiting files ran beside the rest). */
function merged(a: Outcome, b: Outcome): Outcome {
  return {
    tier: a.tier,
    files: a.files + b.files,
    tests: a.tests + b.tests,
    pass: a.pass + b.pass,
    fail: a.fail + b.fail,
    skipped: a.skipped + b.skipped,
    seconds: Math.max(a.seconds, b.seconds),
    failures: [...a.failures, ...b.failures],
  };
}

/** Counts from the TAP report's closing lines, and each failing test's lines. */
function summarise(tier: Tier, files: number, tap: string, seconds: number): Outcome {
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap)?.[1] ?? 0);
  const failures: string[] = [];
  const lines = tap.split('\n');
  lines.forEach((line, i) => {
    // A failing leaf test (a suite fails only through its children, reported on their own lines).
    if (!/^\s*not ok /.test(line) || lines.slice(i + 1, i + 6).some((l) => l.includes("failureType: 'subtestsFailed'")))
      return;
    // The test's line and its YAML block, up to the block's closing `...`.
    const end = lines.findIndex((l, j) => j > i && /^\s*\.\.\.$/.test(l));
    failures.push(lines.slice(i, end < 0 ? i + 14 : Math.min(end, i + 24)).join('\n'));
  });
  return {
    tier,
    files,
    tests: count('tests'),
    pass: count('pass'),
    fail: count('fail') + count('cancelled'),
    skipped: count('skipped') + count('todo'),
    seconds,
    failures,
  };
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const tiers =
    asked.length === 0 || asked.includes('all')
      ? [...TIERS]
      : asked.map((t) => {
          if (!TIERS.includes(t as Tier)) throw new Error(`unknown tier ${t} (${TIERS.join(', ')}, all)`);
          return t as Tier;
        });
  // Files that mostly wait on other processes start with the run, beside the tiers before theirs.
  const waiting = tiers.length > 1 ? WAITING.filter((f) => tiers.includes(tierOf(f))) : [];
  const waitLog = waiting.length ? join(mkdtempSync(join(tmpdir(), 'polystack-waiting-')), 'spec.txt') : '';
  const background = waiting.length ? runFiles(tierOf(waiting[0]!), waiting, waitLog) : undefined;
  const outcomes: Outcome[] = [];
  for (const t of tiers) {
    const own = await runFiles(
      t,
      filesOf(t).filter((f) => !waiting.includes(f)),
    );
    const bg = background && tierOf(waiting[0]!) === t ? await background : undefined;
    if (bg) console.log(`\n== ${t} tier, the files that ran in the background\n${readFileSync(waitLog, 'utf8')}`);
    outcomes.push(bg ? merged(own, bg) : own);
  }
  console.log('\n== tiers');
  for (const o of outcomes)
    console.log(
      `${o.tier.padEnd(7)} ${String(o.files).padStart(4)} files ${String(o.tests).padStart(5)} tests ${String(o.pass).padStart(5)} pass ${String(o.fail).padStart(3)} fail ${String(o.skipped).padStart(3)} skipped ${o.seconds.toFixed(1).padStart(7)} s`,
    );
  const failures = outcomes.flatMap((o) => o.failures);
  if (failures.length) {
    console.log(`\n== ${failures.length} failing tests`);
    for (const f of failures) console.log(f + '\n');
    process.exitCode = 1;
  }
}

await main();
