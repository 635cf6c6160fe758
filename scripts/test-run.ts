// Runs the test tiers (test/tiers.ts): `test-run.ts [fast|client|slow|all]... [--save-durations]`.
// The fast tier's files run many to a process (no start-up per file), in shards that node's runner
// runs all at once; the client and slow tiers share one pool of processes, files dealt to shards, two per core,
// longest first. Each run prints its counts and time at the end, and every failure again after all of
// them, where CI's log ends.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesOf, splitByDialect, TIERS, type Tier } from '../test/tiers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORES = Math.max(1, Number(process.env['POLYSTACK_TEST_CONCURRENCY'] ?? availableParallelism()));
// Shards outnumber the cores: a shard waiting on a timer leaves its core to another. But each loads tsx
// and src/ (~3 s of CPU), and once the tests stopped sleeping (SDK waiters, the job engine's grace timer)
// 3 shards on 2 cores beat 4: 42.8-44.3 s against 44.6-48.4 s. Round-robin shards measured worse here
// (each loads every front's clients): 103 s against 92 s for runs.
const SHARDS_PER_CORE = Number(process.env['POLYSTACK_TEST_SHARDS_PER_CORE'] ?? 1.5);
const PROCESS_FILES_PER_CORE = Number(process.env['POLYSTACK_TEST_FILES_PER_CORE'] ?? 2);
const GUARD = resolve(ROOT, 'test/helpers/no-processes.ts');
const LEAN = resolve(ROOT, 'test/helpers/lean-harness.ts');
const DURATIONS = resolve(ROOT, 'test/durations.json');
const REPORTER = resolve(ROOT, 'scripts/test-durations.mjs');
// `--save-durations`: each run file's measured time goes to test/durations.json, which cuts the shards.
const SAVE = process.argv.includes('--save-durations');

/** Each file's time in its last measured run (ms, test/durations.json); a file not in it, by its size. */
function weights(files: string[]): number[] {
  const known: Record<string, number> = existsSync(DURATIONS) ? JSON.parse(readFileSync(DURATIONS, 'utf8')) : {};
  const size = files.map((f) => statSync(resolve(ROOT, f)).size);
  const rates = files.flatMap((f, i) => (known[f] ? [known[f] / size[i]!] : [])).sort((a, b) => a - b);
  const rate = rates[Math.floor(rates.length / 2)] ?? 1;
  return files.map((f, i) => known[f] ?? size[i]! * rate);
}

/** Merges one run's measured times into test/durations.json (paths relative, whole ms, sorted). */
function saveDurations(measured: Record<string, number>): void {
  const known: Record<string, number> = existsSync(DURATIONS) ? JSON.parse(readFileSync(DURATIONS, 'utf8')) : {};
  for (const [file, ms] of Object.entries(measured)) known[relative(ROOT, file)] = Math.round(ms);
  const sorted = Object.fromEntries(Object.entries(known).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(DURATIONS, JSON.stringify(sorted, null, 2) + '\n');
}

interface Outcome {
  /** The tier, or the tiers that shared one pool (`client + slow`). */
  tier: string;
  files: number;
  tests: number;
  pass: number;
  fail: number;
  skipped: number;
  seconds: number;
  /** How busy the machine's cores were meanwhile (all processes, ours and others'), 0-1. */
  busy: number;
  failures: string[];
}

/**
 * Shard entry files: each imports a run of the tier's files (neighbours share their imports: the GCE
 * clients load once, in the GCE shard), cut at equal shares of their measured time, after the guard
 * that forbids processes.
 */
function shardEntries(files: string[], dir: string): string[] {
  const n = Math.min(files.length, Math.max(1, Math.round(CORES * SHARDS_PER_CORE)));
  const weight = weights(files);
  const share = weight.reduce((a, b) => a + b, 0) / n;
  const shards: string[][] = [[]];
  let filled = 0;
  files.forEach((f, i) => {
    // Cut before a file when that brings the shard nearer its share than keeping the file would.
    const target = share * shards.length;
    if (filled + weight[i]! / 2 > target && shards.length < n && shards.at(-1)!.length) shards.push([]);
    shards.at(-1)!.push(f);
    filled += weight[i]!;
  });
  return shards.map((list, i) => {
    const entry = join(dir, `fast-${String(i + 1).padStart(2, '0')}.mjs`);
    const lines = [
      `import ${JSON.stringify(LEAN)};`,
      `import ${JSON.stringify(GUARD)};`,
      ...list.map((f) => `await import(${JSON.stringify(resolve(ROOT, f))});`),
    ];
    writeFileSync(entry, lines.join('\n') + '\n');
    return entry;
  });
}

/**
 * The pool's entry files: the process tiers' files (longest first) dealt to twice as many shards as run at
 * once, each file to the shard with the least time so far. A process per file loaded tsx and src/ 49 times
 * (1.5-2.5 s of CPU each, on a pool that keeps both cores busy); a shard runs its files one after another.
 */
function poolEntries(files: string[], dir: string): string[] {
  const n = Math.min(files.length, 2 * CORES * PROCESS_FILES_PER_CORE);
  const weight = weights(files);
  const shards = Array.from({ length: n }, () => ({ files: [] as string[], ms: 0 }));
  files.forEach((f, i) => {
    const least = shards.reduce((a, b) => (b.ms < a.ms ? b : a));
    least.files.push(f);
    least.ms += weight[i]!;
  });
  return shards
    .filter((sh) => sh.files.length)
    .sort((a, b) => b.ms - a.ms)
    .map((sh, i) => {
      const entry = join(dir, `pool-${String(i + 1).padStart(2, '0')}.mjs`);
      const lines = [`import ${JSON.stringify(LEAN)};`, ...sh.files.map(poolImport)];
      writeFileSync(entry, lines.join('\n') + '\n');
      return entry;
    });
}

/**
 * A pool file's import; a per-dialect fast file is here for its PostgreSQL half, whose suites are
 * declared while its module runs (forEachDialect reads the variable then), so the variable is set around it.
 */
function poolImport(file: string): string {
  const load = `await import(${JSON.stringify(resolve(ROOT, file))});`;
  if (!splitByDialect(file)) return load;
  return `process.env.POLYSTACK_TEST_DIALECTS = 'postgres';\n${load}\ndelete process.env.POLYSTACK_TEST_DIALECTS;`;
}

/** How evenly the shards were cut: each shard's files and their measured time, from the durations reporter. */
function printShards(entries: string[], measured: Record<string, number>): void {
  entries.forEach((entry, i) => {
    const files = [...readFileSync(entry, 'utf8').matchAll(/await import\(("[^"]+")\)/g)].map(
      (m) => JSON.parse(m[1]!) as string,
    );
    const ms = files.reduce((sum, f) => sum + (measured[f] ?? 0), 0);
    console.log(`shard ${i + 1} of ${entries.length} (${files.length} files): ${(ms / 1000).toFixed(1)} s of tests`);
  });
}

/** Busy and total CPU time of every core so far (ms), from the kernel's counters. */
function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

/** Runs files of one tier (or of the pooled tiers) under node's runner. */
async function runFiles(tier: string, files: string[]): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), `polystack-${tier}-`));
  const tap = join(dir, 'report.tap');
  const timings = join(dir, 'durations.json');
  // A process per file elsewhere, longest first, so that no long file starts last.
  const byLength = (list: string[]) => {
    const measured = weights(list);
    const weight = new Map(list.map((f, i) => [f, measured[i]!]));
    return [...list].sort((a, b) => weight.get(b)! - weight.get(a)!);
  };
  const pooled = tier.includes('client') || tier.includes('slow');
  const targets =
    tier === 'fast'
      ? shardEntries(files, dir)
      : pooled
        ? poolEntries(byLength(files), dir)
        : byLength(files).map((f) => resolve(ROOT, f));
  const started = Date.now();
  const cpu0 = cpuTimes();
  // Every fast shard at once: a shard waits on timers part of the time, and another fills the core.
  // Two files per core elsewhere: they wait on their clients and servers most of the time.
  const concurrency = tier === 'fast' ? targets.length : CORES * PROCESS_FILES_PER_CORE;
  const args = [
    '--max-semi-space-size=32',
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    `--test-reporter=${REPORTER}`,
    `--test-reporter-destination=${timings}`,
    ...targets,
  ];
  const shards = tier === 'fast' || pooled ? ` in ${targets.length} shards` : '';
  console.log(`\n== ${tier} tier: ${files.length} files${shards}, ${concurrency} at a time`);
  // Hundreds of logins and users per run, each hash thrown away: scrypt at N=16, not 4096 (4 % of the fast
  // tier's CPU); a test of the hash itself sets its own. A larger young generation: GC was 12 % of it.
  const env = {
    ...process.env,
    POLYSTACK_PASSWORD_COST: process.env['POLYSTACK_PASSWORD_COST'] ?? '16',
    // The fast tier runs the SQLite half of the per-dialect files; the pool their PostgreSQL half.
    ...(tier === 'fast' ? { POLYSTACK_TEST_DIALECTS: 'sqlite' } : {}),
  };
  const code = await new Promise<number>((done) =>
    spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env }).once('exit', (c) => done(c ?? 1)),
  );
  const cpu1 = cpuTimes();
  const busy = (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total);
  const outcome = summarise(tier, files.length, readFileSync(tap, 'utf8'), (Date.now() - started) / 1000, busy);
  const measured: Record<string, number> = existsSync(timings) ? JSON.parse(readFileSync(timings, 'utf8')) : {};
  if (tier === 'fast' || pooled) printShards(targets, measured);
  if (SAVE) saveDurations(measured);
  if (code !== 0 && outcome.fail === 0) {
    outcome.failures.push(`${tier}: the runner exited ${code} with no failing test (a file that did not load?)`);
    outcome.fail = 1;
  }
  if (process.env['POLYSTACK_TEST_KEEP']) console.log(`${tier}: report kept in ${tap}`);
  else rmSync(dir, { recursive: true, force: true });
  return outcome;
}

/** Counts from the TAP report's closing lines, and each failing test's lines. */
function summarise(tier: string, files: number, tap: string, seconds: number, busy: number): Outcome {
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
    busy,
    failures,
  };
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const tiers =
    asked.length === 0 || asked.includes('all')
      ? [...TIERS]
      : asked.map((t) => {
          if (!TIERS.includes(t as Tier)) throw new Error(`unknown tier ${t} (${TIERS.join(', ')}, all)`);
          return t as Tier;
        });
  const outcomes: Outcome[] = [];
  // static, then fast: the quickest to fail first, each alone. Then the tiers of processes in one pool,
  // longest file first: run one after the other, each ended on its longest file with cores idle.
  const pooled = tiers.filter((t) => t === 'client' || t === 'slow');
  const runs = [...tiers.filter((t) => !pooled.includes(t)).map((t) => [t]), ...(pooled.length ? [pooled] : [])];
  for (const run of runs)
    outcomes.push(
      await runFiles(
        run.join(' + '),
        run.flatMap((t) => filesOf(t)),
      ),
    );
  console.log('\n== tiers');
  for (const o of outcomes)
    console.log(
      `${o.tier.padEnd(14)} ${String(o.files).padStart(4)} files ${String(o.tests).padStart(5)} tests ${String(o.pass).padStart(5)} pass ${String(o.fail).padStart(3)} fail ${String(o.skipped).padStart(3)} skipped ${o.seconds.toFixed(1).padStart(7)} s, cores ${Math.round(o.busy * 100)} % busy`,
    );
  const failures = outcomes.flatMap((o) => o.failures);
  if (failures.length) {
    console.log(`\n== ${failures.length} failing tests`);
    for (const f of failures) console.log(f + '\n');
    process.exitCode = 1;
  }
}

await main();
