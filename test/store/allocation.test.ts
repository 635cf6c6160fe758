import assert from 'node:assert/strict';
import { it } from 'node:test';
import { newId } from '../../src/domain/ids.js';
import type { Job, PublicIp } from '../../src/domain/types.js';
import { jobStore } from '../../src/store/job.store.js';
import { networkStore } from '../../src/store/network.store.js';
import { insertRow } from '../../src/store/repo.js';
import { nextSeq } from '../../src/store/sequence.store.js';
import { forEachDialect } from '../helpers/dialects.js';

const job = (i: number): Job => ({
  id: newId(),
  accountId: 'a',
  userId: 'u',
  domainId: 'd',
  cmd: 'test',
  kind: 'test',
  params: '{}',
  status: 0,
  resultCode: 0,
  result: null,
  instanceType: null,
  instanceId: null,
  created: i,
  completed: null,
  owner: null,
  heartbeat: null,
});

forEachDialect('allocation between concurrent writers', (use) => {
  it('numbers from a sequence are never given twice, from two stores at once', () =>
    use(async (d) => {
      const [a, b] = [await d.open(), await d.peer()];
      const got = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).tx((trx) => nextSeq(trx, 'vm'))),
      );
      assert.equal(new Set(got).size, 60);
      assert.deepEqual(
        [...got].sort((x, y) => x - y),
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
    }));

  it('hands each free public address to one claimer, whichever store asks', () =>
    use(async (d) => {
      const s = await d.seeded();
      const other = await d.peer();
      const zone = (
        await s.db.selectFrom('zones').select('id').where('networkType', '=', 'Advanced').executeTakeFirstOrThrow()
      ).id;
      const free = (
        await s.db.selectFrom('publicIps').select('id').where('zoneId', '=', zone).where('state', '=', 'Free').execute()
      ).length;
      const claims = await Promise.all(
        Array.from({ length: free + 5 }, (_, i) =>
          (i % 2 ? s : other).tx((trx) =>
            networkStore.claimPublicIp(trx, zone, { accountId: `acct${i}`, domainId: 'd', allocated: 1 }),
          ),
        ),
      );
      const won = claims.filter((c): c is PublicIp => !!c);
      assert.equal(won.length, free, 'every free address is handed out, and five claims find none left');
      assert.equal(new Set(won.map((c) => c.address)).size, free, 'no address twice');
      const rows = await s.db
        .selectFrom('publicIps')
        .select(['address', 'accountId'])
        .where('zoneId', '=', zone)
        .where('state', '=', 'Allocated')
        .execute();
      for (const w of won)
        assert.equal(
          rows.find((r) => r.address === w.address)?.accountId,
          w.accountId,
          'the row names the claimer that was told it won',
        );
    }));

  it('lets each pending job be claimed by one runner only, across stores', () =>
    use(async (d) => {
      const [a, b] = [await d.open(), await d.peer()];
      for (let i = 0; i < 40; i++) await jobStore.insert(a.db, job(i));
      const claimed: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, r) => {
          for (;;) {
            const j = await jobStore.claimNext((r % 2 ? a : b).db, `runner${r}`, 1);
            if (!j) return;
            claimed.push(j.id);
          }
        }),
      );
      assert.equal(claimed.length, 40);
      assert.equal(new Set(claimed).size, 40);
    }));

  it('claims pending jobs in batches, oldest first, each by one runner only, across stores', () =>
    use(async (d) => {
      const [a, b] = [await d.open(), await d.peer()];
      for (let i = 0; i < 100; i++) await jobStore.insert(a.db, job(i));
      const claimed: number[] = [];
      await Promise.all(
        Array.from({ length: 6 }, async (_, r) => {
          for (;;) {
            const batch = await jobStore.claimBatch((r % 2 ? a : b).db, `runner${r}`, 1, 7);
            if (!batch.length) return;
            const created = batch.map((j) => j.created);
            assert.deepEqual(
              created,
              [...created].sort((x, y) => x - y),
              'a batch comes oldest first',
            );
            assert.ok(batch.every((j) => j.owner === `runner${r}`));
            claimed.push(...created);
          }
        }),
      );
      assert.equal(claimed.length, 100);
      assert.equal(new Set(claimed).size, 100);
    }));

  it('completes a job only for the owner that holds it', () =>
    use(async (d) => {
      const s = await d.open();
      const j = job(1);
      await jobStore.insert(s.db, j);
      await jobStore.claimNext(s.db, 'first', 1);
      assert.equal(await jobStore.complete(s.db, j.id, 'second', 1, '{}', 2), false, 'not its job');
      assert.equal(await jobStore.complete(s.db, j.id, 'first', 1, '{}', 2), true);
      assert.equal(
        await jobStore.complete(s.db, j.id, 'first', 1, '{}', 3),
        false,
        'a finished job is not finished twice',
      );
    }));

  it('refuses a guest VLAN or a live NIC address given twice, and frees the address with its NIC', () =>
    use(async (d) => {
      const s = await d.open();
      await networkStore.takeVlan(s.db, 'z', 101, 'n1');
      await assert.rejects(networkStore.takeVlan(s.db, 'z', 101, 'n2'));
      await networkStore.takeVlan(s.db, 'other-zone', 101, 'n3');
      const nic = (vmId: string) => ({
        id: newId(),
        vmId,
        networkId: 'n1',
        ipAddress: '10.1.1.5',
        ipNum: 167837957,
        netmask: '255.255.255.0',
        gateway: '10.1.1.1',
        macAddress: '02:00:00:00:00:01',
        isDefault: 1 as const,
        deviceId: 0,
        broadcastUri: null,
        removed: null,
      });
      const first = nic('vm1');
      await insertRow(s.db, 'nics', first);
      await assert.rejects(insertRow(s.db, 'nics', nic('vm2')));
      await s.db.updateTable('nics').set({ removed: 5 }).where('id', '=', first.id).execute();
      await insertRow(s.db, 'nics', nic('vm3'));
    }));
});
