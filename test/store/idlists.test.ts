import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { Lookup } from '../../src/services/lookup.service.js';
import { accountStore } from '../../src/store/account.store.js';
import { affinityStore } from '../../src/store/affinity.store.js';
import { eventQueries } from '../../src/store/event.store.js';
import { jobStore } from '../../src/store/job.store.js';
import { rowsByIds } from '../../src/store/lookup.store.js';
import { networkStore } from '../../src/store/network.store.js';
import { projectStore } from '../../src/store/project.store.js';
import { resourceStore } from '../../src/store/resource.store.js';
import { securityGroupStore } from '../../src/store/securitygroup.store.js';
import { snapshotStore } from '../../src/store/snapshot.store.js';
import { tagStore } from '../../src/store/tag.store.js';
import { templateStore } from '../../src/store/template.store.js';
import { vmStore } from '../../src/store/vm.store.js';
import { volumeStore } from '../../src/store/volume.store.js';
import { forEachDialect } from '../helpers/dialects.js';
import type { Db } from '../../src/store/db.js';
import { IN_CHUNK } from '../../src/store/idlist.js';
import type { KyselyPlugin } from 'kysely';

/**
 * Every store function that takes a caller-sized list of ids must never bind them all in one
 * statement: SQLite takes 32766 variables, PostgreSQL 65535, and a list the caller sizes (every VM of
 * a 50,000-VM cloud) passes both. Each is called with SOME ids, and every statement it sends is
 * counted; the end-to-end case (more ids than either database binds) is the second test.
 */
const MANY = 70_000;
const SOME = 2 * IN_CHUNK + 1;

/** Variables a query binds: each value, and each of a list's values (a JSON list parameter is one). */
function bindsOf(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + bindsOf(x), 0);
  const o = node as { kind?: string; values?: unknown[] };
  if (o.kind === 'ValueNode') return 1;
  if (o.kind === 'PrimitiveValueListNode') return o.values?.length ?? 0;
  return Object.values(o).reduce((n: number, x) => n + bindsOf(x), 0);
}

/** The store's handle, counting the variables of every statement sent through it. */
function counted(db: Db): { db: Db; most: () => number } {
  let most = 0;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      most = Math.max(most, bindsOf(node));
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { db: db.withPlugin(plugin), most: () => most };
}

const CALLS: [string, (db: Db, ids: string[]) => Promise<unknown>][] = [
  ['vmStore.list ids', (db, ids) => vmStore.list(db, { ids }, { limit: 10, offset: 0 })],
  ['vmStore.list accountIds', (db, ids) => vmStore.list(db, { accountIds: ids })],
  ['vmStore.nicsOf', (db, ids) => vmStore.nicsOf(db, ids)],
  ['vmStore.volumesOf', (db, ids) => vmStore.volumesOf(db, ids)],
  ['vmStore.groupLinks', (db, ids) => vmStore.groupLinks(db, ids)],
  ['vmStore.countsByAccount', (db, ids) => vmStore.countsByAccount(db, ids)],
  ['tagStore.ofResources', (db, ids) => tagStore.ofResources(db, ids)],
  ['tagStore.list accountIds', (db, ids) => tagStore.list(db, { accountIds: ids })],
  ['jobStore.pendingFor', (db, ids) => jobStore.pendingFor(db, ids)],
  ['affinityStore.groupsOfVm', (db, ids) => affinityStore.groupsOfVm(db, ids)],
  ['affinityStore.members', (db, ids) => affinityStore.members(db, ids)],
  ['affinityStore.byIds', (db, ids) => affinityStore.byIds(db, ids)],
  ['networkStore.natOfVms', (db, ids) => networkStore.natOfVms(db, ids)],
  ['securityGroupStore.rulesOf', (db, ids) => securityGroupStore.rulesOf(db, ids)],
  ['securityGroupStore.members', (db, ids) => securityGroupStore.members(db, ids)],
  ['securityGroupStore.list ids', (db, ids) => securityGroupStore.list(db, { ids, accountIds: ids })],
  ['rowsByIds vms', (db, ids) => rowsByIds(db, 'vms', ids)],
  ['rowsByIds securityGroups', (db, ids) => rowsByIds(db, 'securityGroups', ids)],
  ['templateStore.zonesOf', (db, ids) => templateStore.zonesOf(db, ids)],
  ['templateStore.sharedWith', (db, ids) => templateStore.sharedWith(db, ids)],
  ['accountStore.usersOfAccounts', (db, ids) => accountStore.usersOfAccounts(db, ids)],
  ['accountStore.listAccounts', (db, ids) => accountStore.listAccounts(db, { ids, domainIds: ids })],
  ['resourceStore.limitsOf', (db, ids) => resourceStore.limitsOf(db, 'account', ids)],
  ['resourceStore.countsOf', (db, ids) => resourceStore.countsOf(db, ids)],
  ['resourceStore.sumsOver', (db, ids) => resourceStore.sumsOver(db, ids)],
  ['projectStore.members', (db, ids) => projectStore.members(db, ids)],
  ['snapshotStore.busyOn', (db, ids) => snapshotStore.busyOn(db, ids)],
  ['volumeStore.list ids', (db, ids) => volumeStore.list(db, { ids, accountIds: ids })],
  ['eventQueries.list ids', (db, ids) => eventQueries.list(db, { ids, accountIds: ids })],
];

forEachDialect('store functions given more ids than one statement binds', (use) => {
  it(`answers each of ${CALLS.length} functions for ${SOME} ids, never binding them all in one statement`, () =>
    use(async (d) => {
      const s = await d.open();
      const ids = Array.from({ length: SOME }, () => randomUUID());
      const failed: string[] = [];
      for (const [name, call] of CALLS) {
        const c = counted(s.db);
        try {
          await call(c.db, ids);
          if (c.most() >= SOME) failed.push(`${name}: one statement bound ${c.most()} variables`);
          if (c.most() === 0) failed.push(`${name}: no statement counted (not sent through the handle?)`);
        } catch (e) {
          failed.push(`${name}: ${(e as Error).message.slice(0, 80)}`);
        }
      }
      assert.deepEqual(failed, []);
    }));

  it('counts the variables of a statement that binds every id (the check above can fail)', () =>
    use(async (d) => {
      const s = await d.open();
      const c = counted(s.db);
      const ids = Array.from({ length: SOME }, () => randomUUID());
      await c.db.selectFrom('vms').select('id').where('id', 'in', ids).execute();
      assert.equal(c.most(), SOME);
    }));

  it('finds rows whatever chunk their id falls in: tags of the first and the last of 70,000 ids', () =>
    use(async (d) => {
      const s = await d.open();
      const ids = Array.from({ length: MANY }, () => randomUUID());
      for (const id of [ids[0]!, ids[MANY - 1]!])
        await tagStore.insert(s.db, {
          id: randomUUID(),
          key: 'k',
          value: id,
          resourceType: 'UserVm',
          resourceId: id,
          accountId: 'a',
          domainId: 'd',
          customer: null,
        });
      const m = await tagStore.ofResources(s.db, ids);
      assert.deepEqual([...m.keys()].sort(), [ids[0]!, ids[MANY - 1]!].sort());
      const lk = await new Lookup(s).vmDetails(ids);
      assert.equal(lk.tags.size, 2);
    }));
});
