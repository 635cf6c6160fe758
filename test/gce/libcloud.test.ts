import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SCENARIO = fileURLToPath(new URL('./libcloud_scenario.py', import.meta.url));

/** libcloud's GCE driver (Debian python3-libcloud): zones, sizes, nodes, create, reboot, stop, start, destroy. */
describe('GCE front through libcloud', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
  });
  after(() => s.stop());

  it('runs the libcloud scenario, with a token libcloud gets itself at its default (legacy) OAuth paths', async () => {
    const u = new URL(s.url);
    try {
      const r = await run('/usr/bin/python3', [SCENARIO], {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: process.env['HOME'] ?? '/tmp',
          GCE_HOST: u.hostname,
          GCE_PORT: u.port,
          GCE_KEY: s.apiKey,
          GCE_SECRET: s.secretKey,
        },
        timeout: 180_000,
      });
      assert.match(r.stdout, /PASS$/m);
    } catch (e: any) {
      assert.fail(`libcloud GCE scenario failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  });
});
