import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const SCENARIO = fileURLToPath(new URL('./googleapiclient_scenario.py', import.meta.url));

/** google-api-python-client 1.x from Debian (python3-googleapi), through the discovery document. */
describe('GCE front through google-api-python-client (discovery)', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '30' } });
  });
  after(() => s.stop());

  it('runs the scenario with a refresh token from the authorization-code grant', async () => {
    const consent = await fetch(
      `${s.url}/oauth2/auth?${new URLSearchParams({ response_type: 'code', client_id: s.apiKey, redirect_uri: 'urn:ietf:wg:oauth:2.0:oob' })}`,
    );
    const code = (await consent.text()).trim();
    const tokens = await fetch(`${s.url}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: s.apiKey,
        client_secret: s.secretKey,
        redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      }),
    }).then((r) => r.json() as Promise<{ refresh_token: string }>);
    try {
      const r = await run('/usr/bin/python3', [SCENARIO], {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: process.env['HOME'] ?? '/tmp',
          GCE_URL: s.url,
          GCE_REFRESH_TOKEN: tokens.refresh_token,
          GCE_CLIENT_ID: s.apiKey,
          GCE_CLIENT_SECRET: s.secretKey,
        },
        timeout: 180_000,
      });
      assert.match(r.stdout, /PASS$/m);
    } catch (e: any) {
      assert.fail(
        `google-api-python-client scenario failed (scripts/install-test-deps.sh installs python3-googleapi):\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
  });
});
