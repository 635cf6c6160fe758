import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { CsClient } from '../helpers/cs-client.js';
import { startServer, type ServerProcess, type TestServer } from '../helpers/server.js';
import { httpLogin } from '../helpers/session.js';

const IMAGE = fileURLToPath(new URL('../../dist/cloud-image.db', import.meta.url));

/** What a user lists of the default cloud: its infrastructure, catalogue, accounts and the history of its build. */
const LISTS: [string, Record<string, string>][] = [
  ['listZones', {}],
  ['listPods', {}],
  ['listClusters', {}],
  ['listHosts', {}],
  ['listStoragePools', {}],
  ['listImageStores', {}],
  ['listPhysicalNetworks', {}],
  ['listVlanIpRanges', {}],
  ['listPublicIpAddresses', { listall: 'true', allocatedonly: 'false' }],
  ['listNetworks', { listall: 'true' }],
  ['listSystemVms', {}],
  ['listServiceOfferings', {}],
  ['listDiskOfferings', {}],
  ['listNetworkOfferings', {}],
  ['listVPCOfferings', {}],
  ['listTemplates', { templatefilter: 'all' }],
  ['listOsTypes', {}],
  ['listDomains', {}],
  ['listAccounts', { listall: 'true' }],
  ['listUsers', { listall: 'true' }],
  ['listRoles', {}],
  ['listSecurityGroups', { listall: 'true' }],
  ['listConfigurations', { pagesize: '500', page: '1' }],
  ['listCapacity', {}],
  ['listEvents', { listall: 'true', pagesize: '500', page: '1' }],
  ['listAsyncJobs', { listall: 'true' }],
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/;
// Fresh in every cloud however it was made: ids, keys, and when things happened.
const FRESH = /^(id|.*id|apikey|secretkey|created|lastpinged|disconnected|allocated|date|lastupdated|completed)$/;

/** An answer with what differs between any two fresh clouds (ids, keys, times) blanked, lists in a stable order. */
function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(comparable).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !FRESH.test(k))
        .map(([k, x]) => [k, comparable(x)]),
    );
  if (typeof v === 'string') return DATE.test(v) ? '<time>' : v.replace(UUID, '<uuid>');
  return v;
}

const newestEvent = async (cs: CsClient) =>
  Math.max(
    ...(await cs.call('listEvents', { listall: 'true', pagesize: '500', page: '1' })).body.event.map(
      (e: { created: string }) => Date.parse(e.created),
    ),
  );

// `npm run build` writes dist/cloud-image.db (scripts/bundle.mjs); `serve --in-memory` of that bundle opens it.
describe(
  'the default cloud shipped prebuilt in dist/',
  { skip: !existsSync(IMAGE) && 'no dist/cloud-image.db' },
  () => {
    let scratch: TestServer;
    let shipped: ServerProcess;
    let spawned: number;
    before(async () => {
      // In this process, from the sources: the first cloud is built in place, through the API.
      scratch = await startServer();
      spawned = Date.now();
      shipped = await startServer({ process: true });
    });
    after(async () => {
      await shipped?.stop();
      await scratch?.stop();
    });

    it('lists what a cloud built from scratch lists, but for ids, keys and times', async () => {
      const a = new CsClient(scratch.endpoint, scratch.apiKey, scratch.secretKey);
      const b = new CsClient(shipped.endpoint, shipped.apiKey, shipped.secretKey);
      for (const [command, params] of LISTS) {
        const [x, y] = [await a.call(command, params), await b.call(command, params)];
        assert.equal(x.status, 200, `${command} on the scratch cloud: ${x.reply.text.slice(0, 200)}`);
        assert.equal(y.status, 200, `${command} on the shipped cloud: ${y.reply.text.slice(0, 200)}`);
        assert.deepEqual(comparable(y.body), comparable(x.body), command);
      }
    });

    it('dates its history from its own start, not from the build', async () => {
      const b = new CsClient(shipped.endpoint, shipped.apiKey, shipped.secretKey);
      // Answers carry whole seconds.
      assert.ok((await newestEvent(b)) >= Math.floor(spawned / 1000) * 1000 - 1000, 'events dated at the build');
      const hosts = (await b.call('listHosts', { type: 'Routing' })).body.host as { state: string }[];
      assert.ok(hosts.length > 0 && hosts.every((h) => h.state === 'Up'));
    });

    it('never answers to the keys the build drew; started without keys, each start draws its own', async () => {
      const image = new SQLite(IMAGE, { readonly: true });
      const built = image.prepare("select apiKey, secretKey from users where username = 'admin'").get() as {
        apiKey: string;
        secretKey: string;
      };
      image.close();
      const stale = new CsClient(shipped.endpoint, built.apiKey, built.secretKey);
      assert.equal((await stale.call('listZones')).status, 401);
      const keyless = { POLYSTACK_DEV: '0', POLYSTACK_ADMIN_API_KEY: '', POLYSTACK_ADMIN_SECRET_KEY: '' };
      const keys: string[] = [];
      for (let i = 0; i < 2; i++) {
        const s = await startServer({ process: true, env: keyless });
        try {
          const session = await httpLogin(s.endpoint);
          const users = (await session.call('listUsers', { username: 'admin' })).body.user as { apikey: string }[];
          keys.push(users[0]!.apikey);
          assert.equal((await new CsClient(s.endpoint, built.apiKey, built.secretKey).call('listZones')).status, 401);
        } finally {
          await s.stop();
        }
      }
      assert.ok(keys.every((k) => k && k !== built.apiKey));
      assert.notEqual(keys[0], keys[1]);
    });
  },
);
