// A database from before the infrastructure API: its zones keep working once 003 has run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { openStore } from '../../src/store/db.js';
import * as m001 from '../../src/store/migrations/001_init.js';
import * as m002 from '../../src/store/migrations/002_port_forwarding.js';
import * as m005 from '../../src/store/migrations/005_networking.js';

it('003 gives zones built before it traffic-type rows, enabled providers and ranges tied to their physical network', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'polystack-m003-'));
  const file = join(dir, 'old.db');
  const old = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
  const before: Record<string, Migration> = { '001_init': m001, '002_port_forwarding': m002, '005_networking': m005 };
  const { error } = await new Migrator({
    db: old,
    allowUnorderedMigrations: true,
    provider: { getMigrations: async () => before },
  }).migrateToLatest();
  assert.ifError(error);
  await old
    .insertInto('physicalNetworks')
    .values({
      id: 'p1',
      zoneId: 'z1',
      name: 'pnet',
      vlan: '100-200',
      isolationMethods: 'VLAN',
      broadcastDomainRange: 'ZONE',
      state: 'Enabled',
      trafficTypes: 'Guest,Management,Public',
      created: 1,
    })
    .execute();
  await old
    .insertInto('vlanRanges')
    .values({
      id: 'r1',
      zoneId: 'z1',
      podId: null,
      networkId: null,
      vlan: 'vlan://50',
      gateway: '192.168.2.1',
      netmask: '255.255.255.0',
      startIp: '192.168.2.2',
      endIp: '192.168.2.9',
      forVirtualNetwork: 1,
      created: 1,
    })
    .execute();
  await old.destroy();

  const store = await openStore({ file });
  const types = await store.db
    .selectFrom('trafficTypes')
    .select('trafficType')
    .where('physicalNetworkId', '=', 'p1')
    .execute();
  assert.deepEqual(types.map((t) => t.trafficType).sort(), ['Guest', 'Management', 'Public']);
  const nsps = await store.db
    .selectFrom('networkServiceProviders')
    .selectAll()
    .where('physicalNetworkId', '=', 'p1')
    .execute();
  assert.deepEqual(nsps.map((n) => [n.name, n.state]).sort(), [
    ['ConfigDrive', 'Enabled'],
    ['InternalLbVm', 'Enabled'],
    ['SecurityGroupProvider', 'Enabled'],
    ['VirtualRouter', 'Enabled'],
    ['VpcVirtualRouter', 'Enabled'],
  ]);
  const elements = await store.db.selectFrom('providerElements').selectAll().execute();
  assert.deepEqual(elements.map((e) => [e.type, Number(e.enabled)]).sort(), [
    ['InternalLbVm', 1],
    ['VPCVirtualRouter', 1],
    ['VirtualRouter', 1],
  ]);
  const range = await store.db.selectFrom('vlanRanges').selectAll().where('id', '=', 'r1').executeTakeFirstOrThrow();
  assert.equal(range.physicalNetworkId, 'p1');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
