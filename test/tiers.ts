// Which tier each test file belongs to (scripts/test-run.ts runs them; docs/architecture.md, Tests, says why).
//   static: lint, formatting, import boundaries and circles: the source read, nothing run.
//   fast:   runs in the test's own process: services, fronts and in-process servers on a copied cloud.
//   client: starts processes: Python clients, the AWS CLI, Ansible, Chromium, the CLI, gateways, a server
//           as a child (signals, logs, the bundle).
//   slow:   reliability storms, shipping (package, container, doctor), clusters, the Marvin subset.
// A file may declare its tier on its first line (docs/architecture.md, Tests, says which do and why).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Tier = 'static' | 'fast' | 'client' | 'slow';
/** In the order `npm test` runs them: the quickest to fail first. */
export const TIERS: readonly Tier[] = ['static', 'fast', 'client', 'slow'];

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const SLOW_DIRS = ['test/reliability/', 'test/ship/', 'test/cluster/'];
const SLOW_FILES = ['test/conformance/marvin-subset.test.ts'];
/** What makes a file start a process: a helper that spawns, child_process itself, a server asked to be a process. */
const STARTS_PROCESSES: readonly RegExp[] = [
  /from '\.\.\/helpers\/(?:python|cli|process|cluster|ec2-gateway)\.js'/,
  /from 'node:child_process'/,
  /from '\.\/browser\.js'/,
  /\bprocess: true\b/,
  /startServer\(\{\s*args:/,
];

/** A file starting with `// tier: NAME` says its tier itself (a process started deep in src/, which no import shows). */
const DECLARED = /^\/\/ tier: (fast|client|slow|static)\b/;

/** The tier of one test file (a path relative to the repository). */
export function tierOf(file: string, source = readFileSync(join(ROOT, file), 'utf8')): Tier {
  const declared = DECLARED.exec(source)?.[1];
  if (declared) return declared as Tier;
  if (file.startsWith('test/lint/')) return 'static';
  if (SLOW_DIRS.some((d) => file.startsWith(d)) || SLOW_FILES.includes(file)) return 'slow';
  return STARTS_PROCESSES.some((re) => re.test(source)) ? 'client' : 'fast';
}

/** Every test file, relative to the repository, sorted. */
export function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts')) out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, 'test'));
  return out.sort();
}

/**
 * A fast file whose suites run once per database dialect: its SQLite half runs in the fast tier, its
 * PostgreSQL half (a server's round trips, a database made and dropped per test: a fifth of the fast
 * tier's CPU was the server's) in the slow tier. test-run sets POLYSTACK_TEST_DIALECTS for each half.
 */
export function splitByDialect(file: string, source = readFileSync(join(ROOT, file), 'utf8')): boolean {
  return tierOf(file, source) === 'fast' && /\b(?:forEachDialect|onPostgres)\(/.test(source);
}

/** The files a tier runs: its own, and for the slow tier the PostgreSQL halves of the split ones. */
export function filesOf(tier: Tier): string[] {
  const own = testFiles().filter((f) => tierOf(f) === tier);
  return tier === 'slow' ? [...own, ...testFiles().filter((f) => splitByDialect(f))] : own;
}
