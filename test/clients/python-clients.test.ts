// Drives polystack with the real Python CloudStack clients (Debian's python3-cs
// and python3-libcloud) through the scenarios in this folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, type TestServer } from '../helpers/server.js';

// Not `python3` from PATH: a pyenv interpreter there does not see Debian's dist-packages.
const PYTHON = '/usr/bin/python3';
const SCENARIO_TIMEOUT_MS = 180_000;

const scenarios = [
  { client: 'cs', module: 'cs', script: 'cs_scenario.py' },
  { client: 'cs (organisation: domains, roles, projects, limits, events, alerts)', module: 'cs', script: 'cs_organisation.py' },
  { client: 'libcloud', module: 'libcloud.compute.drivers.cloudstack', script: 'libcloud_scenario.py' },
];

/** Fails (never skips) when the client library is missing, naming the fix. */
function assertImportable(module: string): void {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').at(-1) ?? '');
  assert.ok(
    r.status === 0,
    `${PYTHON} cannot import ${module}: ${why}\nRun scripts/install-test-deps.sh (as root) to install python3-cs and python3-libcloud.`,
  );
}

/** Runs a scenario script; resolves with its exit code and combined output. */
function runScenario(script: string, server: TestServer): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [fileURLToPath(new URL(script, import.meta.url))], {
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[test] killed after ${SCENARIO_TIMEOUT_MS} ms\n`;
      child.kill('SIGKILL');
    }, SCENARIO_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('real Python CloudStack clients', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '50' } });
  });
  after(async () => {
    await server?.stop();
  });

  for (const s of scenarios) {
    it(`${s.client} scenario passes`, { timeout: SCENARIO_TIMEOUT_MS + 10_000 }, async (t) => {
      assertImportable(s.module);
      const { code, output } = await runScenario(s.script, server);
      assert.equal(code, 0, `${s.script} exited with ${code}; its output:\n${output}`);
      t.diagnostic(output.trim().split('\n').at(-1) ?? '');
    });
  }
});
