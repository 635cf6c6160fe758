// Drives polystack with the real Python CloudStack clients (Debian's python3-cs
// and python3-libcloud) through the scenarios in this folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startServer, type TestServer } from '../helpers/server.js';
import { assertImportable, runScenario } from '../helpers/python.js';

const SCENARIO_TIMEOUT_MS = 180_000;

const scenarios = [
  { client: 'cs', module: 'cs', script: 'cs_scenario.py' },
  {
    client: 'cs (organisation: domains, roles, projects, limits, events, alerts)',
    module: 'cs',
    script: 'cs_organisation.py',
  },
  { client: 'libcloud', module: 'libcloud.compute.drivers.cloudstack', script: 'libcloud_scenario.py' },
  { client: 'cs (storage and images)', module: 'cs', script: 'cs_storage_scenario.py' },
  {
    client: 'libcloud (volumes and snapshots)',
    module: 'libcloud.compute.drivers.cloudstack',
    script: 'libcloud_storage_scenario.py',
  },
];

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
      const { code, output } = await runScenario(
        fileURLToPath(new URL(s.script, import.meta.url)),
        server,
        SCENARIO_TIMEOUT_MS,
      );
      assert.equal(code, 0, `${s.script} exited with ${code}; its output:\n${output}`);
      t.diagnostic(output.trim().split('\n').at(-1) ?? '');
    });
  }
});
