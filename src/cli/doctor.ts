import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { databaseFile, resolveConfig, type Config } from '../server/config.js';
import { appliedMigrations, openStore } from '../store/db.js';

export interface Check {
  name: string;
  /** `optional` checks (client tools) are reported but never fail the doctor. */
  status: 'ok' | 'warn' | 'fail' | 'absent';
  detail: string;
  optional?: boolean;
}

/** Answers whether HOST:PORT can be bound, and if not whether a polystack is already there. */
async function checkPort(c: Config): Promise<Check> {
  const name = `port ${c.host}:${c.port}`;
  const bound = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const s = createServer();
    s.once('error', (e) => resolve(e));
    s.listen(c.port, c.host, () => s.close(() => resolve(undefined)));
  });
  if (!bound) return { name, status: 'ok', detail: 'free' };
  if (bound.code !== 'EADDRINUSE') return { name, status: 'fail', detail: bound.message };
  const host = c.host === '0.0.0.0' ? '127.0.0.1' : c.host;
  const health = await fetch(`http://${host}:${c.port}/_polystack/health`, { signal: AbortSignal.timeout(2000) })
    .then(async (r) => (await r.json()) as { version?: string })
    .catch(() => undefined);
  // Another polystack on the port is what `serve` would collide with, but not a broken setup.
  if (health?.version)
    return { name, status: 'warn', detail: `in use by polystack ${health.version} (already running?)` };
  return { name, status: 'fail', detail: 'in use by another program; pick one with --port' };
}

function checkDataDir(c: Config): Check {
  const name = 'data dir';
  if (c.inMemory) return { name, status: 'ok', detail: 'in memory, nothing on disk' };
  try {
    mkdirSync(c.dataDir, { recursive: true });
    const probe = join(c.dataDir, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
    return { name, status: 'ok', detail: `${c.dataDir} is writable` };
  } catch (e) {
    return { name, status: 'fail', detail: `${c.dataDir}: ${(e as Error).message}` };
  }
}

async function checkDatabase(c: Config): Promise<Check> {
  const name = 'database';
  const file = databaseFile(c);
  try {
    const store = await openStore({ file });
    try {
      const zones = await store.db
        .selectFrom('zones')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const migrations = (await appliedMigrations(store)).length;
      return { name, status: 'ok', detail: `${file}: ${migrations} migrations applied, ${Number(zones.n)} zones` };
    } finally {
      await store.close();
    }
  } catch (e) {
    return { name, status: 'fail', detail: `${file}: ${(e as Error).message}` };
  }
}

function checkNode(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  return {
    name: 'node',
    status: major >= 20 ? 'ok' : 'fail',
    detail: `${process.versions.node}${major >= 20 ? '' : ' (20 or newer is required)'}`,
  };
}

// The clients the docs and the tests drive; none is needed to run polystack.
const PYTHON_CLIENTS: [string, string, string][] = [
  ['cs', 'cs', 'python3-cs'],
  ['libcloud', 'libcloud.compute.drivers.cloudstack', 'python3-libcloud'],
  ['boto3', 'boto3', 'python3-boto3'],
  ['googleapiclient', 'googleapiclient.discovery', 'python3-googleapi'],
];
const COMMANDS: [string, string[], string][] = [
  ['aws', ['--version'], 'awscli'],
  ['cmk', ['version'], 'cloudmonkey'],
  ['ansible-playbook', ['--version'], 'ansible'],
  ['terraform', ['version'], 'terraform'],
];

function checkClients(python: string): Check[] {
  const out: Check[] = [];
  for (const [label, module, pkg] of PYTHON_CLIENTS) {
    const r = spawnSync(python, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 20_000 });
    out.push({
      name: `client ${label}`,
      optional: true,
      status: r.status === 0 ? 'ok' : 'absent',
      detail: r.status === 0 ? `${python} imports ${module}` : `not importable by ${python} (Debian: ${pkg})`,
    });
  }
  for (const [cmd, args, pkg] of COMMANDS) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
    const first = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    out.push({
      name: `client ${cmd}`,
      optional: true,
      status: r.status === 0 ? 'ok' : 'absent',
      detail: r.status === 0 ? first : `not on PATH (${pkg})`,
    });
  }
  return out;
}

export async function runDoctor(c: Config, opts: { clients: boolean; python: string }): Promise<Check[]> {
  const checks = [checkNode(), await checkPort(c), checkDataDir(c)];
  checks.push(
    checks[2]!.status === 'fail'
      ? { name: 'database', status: 'fail', detail: 'skipped: the data dir is not writable' }
      : await checkDatabase(c),
  );
  if (opts.clients) checks.push(...checkClients(opts.python));
  return checks;
}

export const doctorFailed = (checks: Check[]): boolean => checks.some((c) => c.status === 'fail' && !c.optional);

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check that polystack can start here: node, port, data dir, database; and which clients are installed')
    .option('-p, --port <port>', 'port serve would listen on (env POLYSTACK_PORT, default 8080)')
    .option('--host <host>', 'address serve would bind (env POLYSTACK_HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'data directory (env POLYSTACK_DATA_DIR, default ~/.polystack)')
    .option('--in-memory', 'check an in-memory database')
    .option('--no-clients', 'skip the optional client checks')
    .option('--python <path>', 'interpreter the Python clients are checked with', '/usr/bin/python3')
    .option('--json', 'print the checks as JSON')
    .action(async (o) => {
      const checks = await runDoctor(resolveConfig(o), { clients: o.clients !== false, python: o.python });
      if (o.json) process.stdout.write(JSON.stringify({ ok: !doctorFailed(checks), checks }, null, 2) + '\n');
      else
        for (const c of checks)
          process.stdout.write(
            `${c.status.padEnd(6)} ${c.name.padEnd(24)} ${c.detail}${c.optional ? ' (optional)' : ''}\n`,
          );
      if (doctorFailed(checks)) process.exitCode = 1;
    });
}
