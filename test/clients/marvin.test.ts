// Marvin's deployDataCenter call order, replayed through the real `cs` client (Debian python3-cs)
// for advanced.cfg and basic.cfg against a polystack started without zones, then used by a tenant.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertImportable, runScenario } from '../helpers/python.js';

const TIMEOUT_MS = 240_000;
const cfg = (name: string) => fileURLToPath(new URL(`../../specs/cloudstack/marvin/${name}`, import.meta.url));

describe('Marvin data centers built through the API with cs', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      args: ['--in-memory', '--datacenter', 'none'],
      env: { POLYSTACK_AGENT_DELAY_MS: '20' },
    });
  });
  after(async () => {
    await server?.stop();
  });

  it(
    'deploys advanced.cfg and basic.cfg in Marvin order, then VMs with networking and security groups',
    { timeout: TIMEOUT_MS + 10_000 },
    async (t) => {
      assertImportable('cs');
      const script = fileURLToPath(new URL('marvin_scenario.py', import.meta.url));
      const { code, output } = await runScenario(script, server, TIMEOUT_MS, {
        MARVIN_CFGS: `${cfg('advanced.cfg')}:${cfg('basic.cfg')}`,
      });
      assert.equal(code, 0, `marvin_scenario.py exited with ${code}; its output:\n${output}`);
      for (const line of output.trim().split('\n')) t.diagnostic(line);
    },
  );
});
