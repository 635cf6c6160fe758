// `polystack datacenter deploy FILE.cfg` over signed HTTP, and `polystack serve --datacenter FILE.cfg`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request } from '../helpers/cs-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { datacentersFor } from '../../src/server/datacenters.js';

const BIN = fileURLToPath(new URL('../../bin/polystack.js', import.meta.url));
const cfg = (name: string) => fileURLToPath(new URL(`../../specs/cloudstack/marvin/${name}`, import.meta.url));
const run = promisify(execFile);

async function call(s: TestServer, params: Record<string, string>) {
  const r = await request(
    s.endpoint,
    { ...params, response: 'json' },
    { sign: { apiKey: s.apiKey, secret: s.secretKey } },
  );
  return r.json[Object.keys(r.json)[0]!];
}

describe('polystack datacenter deploy', () => {
  let empty: TestServer;
  before(async () => {
    empty = await startServer({
      args: ['--in-memory', '--datacenter', 'none'],
      env: { POLYSTACK_AGENT_DELAY_MS: '0' },
    });
  });
  after(async () => {
    await empty?.stop();
  });

  it(
    'builds advanced.cfg through the API with a line per step, then refuses a second zone of the same name',
    { timeout: 120_000 },
    async () => {
      const args = [
        BIN,
        'datacenter',
        'deploy',
        cfg('advanced.cfg'),
        '--url',
        empty.url,
        '--api-key',
        empty.apiKey,
        '--secret-key',
        empty.secretKey,
        '--poll',
        '5',
      ];
      const { stdout } = await run(process.execPath, args);
      const lines = stdout.trim().split('\n');
      assert.match(lines[0]!, /^\[ 1\/\d+\] ok updateConfiguration network\.gc\.wait=60 \(\d+ ms\)$/);
      assert.ok(
        lines.some((l) => /ok addHost http:\/\/sim\/c1\/h0/.test(l)),
        stdout,
      );
      assert.match(
        lines.at(-1)!,
        /^deployed Sandbox-simulator \([0-9a-f-]{36}\) to http:\/\/.*\/client\/api: \d+ steps in [\d.]+ s$/,
      );
      const zones = (await call(empty, { command: 'listZones' })).zone;
      assert.deepEqual(
        zones.map((z: { name: string; allocationstate: string }) => [z.name, z.allocationstate]),
        [['Sandbox-simulator', 'Enabled']],
      );
      // Routing hosts: the zone's secondary storage VM and console proxy add hosts of their own types.
      assert.equal((await call(empty, { command: 'listHosts', type: 'Routing' })).count, 3);
      const again = await run(process.execPath, args).then(
        () => undefined,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      assert.ok(again, 'the second deploy fails');
      assert.equal(again.code, 1);
      // Checked before the first call: nothing is built, not even the global settings.
      assert.equal(again.stdout, '');
      assert.match(
        again.stderr,
        /advanced\.cfg collides with what http:\/\/\S+\/client\/api already holds, so nothing was built:/,
      );
      for (const what of [
        /- zone Sandbox-simulator exists/,
        /- primary storage PS0 \(nfs:\/\/10\.147\.28\.6:\/export\/home\/sandbox\/primary0\) is already pool PS0 in zone Sandbox-simulator/,
        /- public range 192\.168\.2\.2-192\.168\.2\.200 overlaps/,
        /--datacenter none/,
      ])
        assert.match(again.stderr, what);
      assert.equal((await call(empty, { command: 'listZones' })).count, 1);
    },
  );

  it(
    'aimed at the default cloud, whose zones hold the same storage and public range under other names, it builds nothing and says what collides',
    { timeout: 60_000 },
    async () => {
      const full = await startServer({ env: { POLYSTACK_AGENT_DELAY_MS: '0' } });
      try {
        const args = [
          BIN,
          'datacenter',
          'deploy',
          cfg('advanced.cfg'),
          '--url',
          full.url,
          '--api-key',
          full.apiKey,
          '--secret-key',
          full.secretKey,
        ];
        const r = await run(process.execPath, args).then(
          () => undefined,
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
        assert.ok(r, 'the deploy is refused');
        assert.match(r.stderr, /primary storage PS0 .* is already pool PS0 in zone Sandbox-simulator-advanced/);
        assert.match(
          r.stderr,
          /secondary storage nfs:\/\/10\.147\.28\.6:\/export\/home\/sandbox\/secondary: an image store of that name exists/,
        );
        const zones = (await call(full, { command: 'listZones' })).zone.map((z: { name: string }) => z.name).sort();
        assert.deepEqual(zones, ['Sandbox-simulator-advanced', 'Sandbox-simulator-basic']);
      } finally {
        await full.stop();
      }
    },
  );

  it('addImageStore refuses a second store of the same name, as CloudStack does', async () => {
    const zone = (await call(empty, { command: 'listZones' })).zone[0];
    const [store] = (await call(empty, { command: 'listImageStores' })).imagestore;
    const r = await request(
      empty.endpoint,
      {
        command: 'addImageStore',
        name: store.name,
        url: 'nfs://other/path',
        provider: 'NFS',
        zoneid: zone.id,
        response: 'json',
      },
      { sign: { apiKey: empty.apiKey, secret: empty.secretKey } },
    );
    assert.equal(r.status, 431);
    assert.equal(
      r.json.addimagestoreresponse.errortext,
      `The image store with name ${store.name} already exists, try creating with another name`,
    );
  });
});

describe('polystack serve --datacenter FILE.cfg', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer({ args: ['--in-memory', '--datacenter', cfg('basic.cfg')] });
  });
  after(async () => {
    await s?.stop();
  });

  it('starts with the zone of that config instead of the default two', async () => {
    const zones = (await call(s, { command: 'listZones' })).zone;
    assert.deepEqual(
      zones.map((z: { name: string; networktype: string; securitygroupsenabled: boolean }) => [
        z.name,
        z.networktype,
        z.securitygroupsenabled,
      ]),
      [['Sandbox-simulator', 'Basic', true]],
    );
    const page = (await call(s, { command: 'listConfigurations', name: 'default.page.size' })).configuration[0];
    assert.equal(page.value, '10000', "the config's global settings are applied too");
    const ranges = (await call(s, { command: 'listVlanIpRanges' })).vlaniprange;
    assert.deepEqual(
      ranges.map((r: { startip: string; endip: string; forvirtualnetwork: boolean; podname: string }) => [
        r.startip,
        r.endip,
        r.forvirtualnetwork,
        r.podname,
      ]),
      [['60.147.41.2', '60.147.41.254', false, 'POD0']],
    );
  });
});

describe('polystack serve --datacenter advanced|basic', () => {
  it('builds that simulator zone alone, under its polystack name, with its own global settings', () => {
    for (const kind of ['advanced', 'basic'] as const) {
      const [only, ...rest] = datacentersFor(kind);
      assert.equal(rest.length, 0);
      assert.deepEqual(
        only!.zones.map((z) => z.name),
        [`Sandbox-simulator-${kind}`],
      );
      assert.ok((only!.globalConfig ?? []).length > 0, `${kind} keeps the global settings of its own config`);
    }
    assert.deepEqual(
      datacentersFor(undefined).map((c) => c.zones[0]!.name),
      ['Sandbox-simulator-advanced', 'Sandbox-simulator-basic'],
    );
    assert.deepEqual(datacentersFor('none'), []);
  });
});
