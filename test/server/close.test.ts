// A closed cloud leaves nothing behind that keeps the process alive: an embedder (and a test shard) ends
// when its work does. The job engine's stop once left its grace timer running for 5 s after every close,
// so every test process idled 5 s after its last test.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startServer } from '../helpers/server.js';
import { CsClient } from '../helpers/cs-client.js';
import { basics } from '../helpers/cs-fixtures.js';
import { httpLogin } from '../helpers/session.js';

/** What keeps the event loop alive, by kind, counted (timers, sockets, servers). */
function holding(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** Lets closed sockets and finished callbacks leave (a few turns of the loop, no timers of our own). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('closing a served cloud', () => {
  it('leaves no timer, socket or server of its own after close, with a job run and a deploy in flight', async () => {
    await settle();
    const before = holding();
    const s = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '50' } });
    const cs = await httpLogin(s.endpoint);
    const { zone, offering, template } = await basics(new CsClient(s.endpoint, s.apiKey, s.secretKey));
    const deploy = await cs.call('deployVirtualMachine', {
      zoneid: zone,
      serviceofferingid: offering,
      templateid: template,
    });
    assert.equal(deploy.status, 200, JSON.stringify(deploy.body));
    await cs.logout();
    await s.stop();
    await settle();
    assert.deepEqual(Object.fromEntries(holding()), Object.fromEntries(before));
  });
});
