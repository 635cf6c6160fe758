// Runs Python client scenarios (Debian's python3-cs, python3-libcloud) against a test server.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { TestServer } from './server.js';

// Not `python3` from PATH: a pyenv interpreter there does not see Debian's dist-packages.
export const PYTHON = '/usr/bin/python3';

/** Fails (never skips) when the client library is missing, naming the fix. */
export function assertImportable(module: string): void {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').at(-1) ?? '');
  assert.ok(
    r.status === 0,
    `${PYTHON} cannot import ${module}: ${why}\nRun scripts/install-test-deps.sh (as root) to install python3-cs and python3-libcloud.`,
  );
}

/** Runs a scenario script; resolves with its exit code and combined output. */
export function runScenario(
  scriptPath: string,
  server: TestServer,
  timeoutMs: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [scriptPath], {
      // A minimal environment on purpose: no *_proxy variables (requests would
      // route 127.0.0.1 through them) and no pyenv/PYTHONPATH leaking in.
      env: {
        PATH: '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        LANG: 'C.UTF-8',
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        CLOUDSTACK_ENDPOINT: server.endpoint,
        CLOUDSTACK_KEY: server.apiKey,
        CLOUDSTACK_SECRET: server.secretKey,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test] killed after ${timeoutMs} ms\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
