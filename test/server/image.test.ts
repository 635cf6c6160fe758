import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startPolystack, type Polystack } from '../../src/server/app.js';
import { resolveConfig } from '../../src/server/config.js';
import { CsClient } from '../helpers/cs-client.js';

/** An in-memory cloud on a free port with its own admin keys. */
async function cloud(n: number): Promise<{ ps: Polystack; cs: CsClient }> {
  const env = {
    POLYSTACK_ADMIN_API_KEY: `image-test-key-${n}`,
    POLYSTACK_ADMIN_SECRET_KEY: `image-test-secret-${n}`,
    POLYSTACK_LOG_LEVEL: 'silent',
  };
  const ps = await startPolystack(resolveConfig({ inMemory: true, port: 0 }, env));
  return { ps, cs: new CsClient(`${ps.url}/client/api`, env.POLYSTACK_ADMIN_API_KEY, env.POLYSTACK_ADMIN_SECRET_KEY) };
}

// From the second in-memory cloud of a process on, each is a copy of one build (src/server/image.ts).
describe('in-memory clouds copied from one build', () => {
  it('are the same data center, each with its own keys, its own node and its own writes', async () => {
    const clouds = [await cloud(1), await cloud(2), await cloud(3)];
    try {
      const zones = await Promise.all(
        clouds.map(async (c) =>
          (await c.cs.call('listZones', {})).body.zone.map((z: { name: string }) => z.name).sort(),
        ),
      );
      assert.deepEqual(zones[1], zones[0]);
      assert.deepEqual(zones[2], zones[0]);
      // A copy answers to its own keys, not to the keys the build or an earlier cloud had.
      const foreign = new CsClient(`${clouds[2]!.ps.url}/client/api`, 'image-test-key-2', 'image-test-secret-2');
      assert.equal((await foreign.call('listZones', {})).status, 401);
      for (const c of clouds) {
        const nodes = (await c.cs.call('listManagementServers', {})).body.managementserver;
        assert.deepEqual(
          nodes.map((m: { state: string }) => m.state),
          ['Up'],
          'only the node serving it, not the one that built the image',
        );
      }
      assert.equal((await clouds[1]!.cs.call('createSecurityGroup', { name: 'only-in-two' }, 'POST')).status, 200);
      const names = async (c: { cs: CsClient }) =>
        ((await c.cs.call('listSecurityGroups', {})).body.securitygroup ?? []).map((g: { name: string }) => g.name);
      assert.ok((await names(clouds[1]!)).includes('only-in-two'));
      assert.ok(!(await names(clouds[2]!)).includes('only-in-two'), 'a copy shares nothing with another');
    } finally {
      for (const c of clouds) await c.ps.close();
    }
  });
});
