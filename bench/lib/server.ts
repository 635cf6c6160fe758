import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// POLYSTACK_BENCH_BIN: another build's bin/polystack.js, to measure two builds in one run.
const BIN = process.env['POLYSTACK_BENCH_BIN'] ?? fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));
export const KEY = 'bench-admin-api-key';
export const SECRET = 'bench-admin-secret-key';

export interface Running {
  url: string;
  child: ChildProcess;
  /** ms from spawn to the ready line */
  readyMs: number;
  spawnedAt: number;
  stop(): Promise<void>;
}

/** Starts the built polystack; resolves when it prints its ready line. */
export function startPolystack(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: {
      ...process.env,
      POLYSTACK_ADMIN_API_KEY: KEY,
      POLYSTACK_ADMIN_SECRET_KEY: SECRET,
      POLYSTACK_LOG_LEVEL: 'error',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /polystack ready on (\S+)/.exec(out);
      if (m)
        resolve({
          url: m[1]!,
          child,
          spawnedAt,
          readyMs: performance.now() - spawnedAt,
          stop: () =>
            new Promise<void>((r) =>
              child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')),
            ),
        });
    });
    child.once('exit', (code) => reject(new Error(`polystack exited with ${code}`)));
  });
}

export function rssKiB(pid: number): Promise<number> {
  return import('node:fs/promises').then(async (fs) => {
    const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  });
}

/** A polystack on a fresh data directory holding `vms` stopped VMs written straight into its database. */
export async function startSeeded(vms: number, env: Record<string, string> = {}): Promise<Running & { dir: string }> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { seedVms } = await import('./seed-vms.js');
  const dir = mkdtempSync(join(tmpdir(), 'polystack-bench-'));
  const first = await startPolystack(['--data-dir', dir]);
  await first.stop();
  await seedVms(join(dir, 'polystack.db'), vms);
  const p = await startPolystack(['--data-dir', dir], env);
  return { ...p, dir, stop: () => p.stop().then(() => rmSync(dir, { recursive: true, force: true })) };
}
