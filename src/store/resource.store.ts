import type { Db } from './db.js';
import { inChunks } from './idlist.js';
import type { LimitOwner, ResourceCount, ResourceLimit } from '../domain/organisation.js';
import type { ResourceName } from '../domain/resources.js';
import { nextSeq } from './sequence.store.js';

const GONE_VM = ['Destroyed', 'Expunging', 'Error'] as const;
const GONE_VOLUME = ['Destroy', 'Expunging', 'Expunged'];

const num = (v: unknown): number => Number(v ?? 0);

export const resourceStore = {
  limitsOf(db: Db, ownerType: LimitOwner, ownerIds: string[]): Promise<ResourceLimit[]> {
    if (!ownerIds.length) return Promise.resolve([]);
    return inChunks(ownerIds, (ids) =>
      db
        .selectFrom('resourceLimits')
        .selectAll()
        .where('ownerType', '=', ownerType)
        .where('ownerId', 'in', ids)
        .orderBy('id')
        .execute(),
    );
  },
  limitById(db: Db, id: number): Promise<ResourceLimit | undefined> {
    return db.selectFrom('resourceLimits').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async setLimit(db: Db, ownerType: LimitOwner, ownerId: string, resourceType: number, max: number): Promise<void> {
    const id = await nextSeq(db, 'resourceLimit');
    await db
      .insertInto('resourceLimits')
      .values({ id, ownerType, ownerId, resourceType, max })
      .onConflict((oc) => oc.columns(['ownerType', 'ownerId', 'resourceType']).doUpdateSet({ max }))
      .execute();
  },
  async removeLimits(db: Db, ownerType: LimitOwner, ownerId: string): Promise<void> {
    await db.deleteFrom('resourceLimits').where('ownerType', '=', ownerType).where('ownerId', '=', ownerId).execute();
  },
  countsOf(db: Db, accountIds: string[]): Promise<ResourceCount[]> {
    if (!accountIds.length) return Promise.resolve([]);
    return inChunks(accountIds, (ids) =>
      db.selectFrom('resourceCounts').selectAll().where('accountId', 'in', ids).execute(),
    );
  },
  async count(db: Db, accountId: string, resourceType: number): Promise<number> {
    const r = await db
      .selectFrom('resourceCounts')
      .select('count')
      .where('accountId', '=', accountId)
      .where('resourceType', '=', resourceType)
      .executeTakeFirst();
    return num(r?.count);
  },
  /** What the live accounts of these domains hold of one type. */
  async sumOver(db: Db, domainIds: string[], resourceType: number): Promise<number> {
    if (!domainIds.length) return 0;
    const rows = await inChunks(domainIds, (ids) =>
      db
        .selectFrom('resourceCounts')
        .innerJoin('accounts', 'accounts.id', 'resourceCounts.accountId')
        .select((eb) => eb.fn.sum<number>('resourceCounts.count').as('n'))
        .where('accounts.domainId', 'in', ids)
        .where('accounts.removed', 'is', null)
        .where('resourceCounts.resourceType', '=', resourceType)
        .execute(),
    );
    return rows.reduce((s, r) => s + num(r.n), 0);
  },
  /** What the live accounts of these domains hold, by type number. */
  async sumsOver(db: Db, domainIds: string[]): Promise<Map<number, number>> {
    if (!domainIds.length) return new Map();
    const rows = await inChunks(domainIds, (ids) =>
      db
        .selectFrom('resourceCounts')
        .innerJoin('accounts', 'accounts.id', 'resourceCounts.accountId')
        .select(['resourceCounts.resourceType as t', (eb) => eb.fn.sum<number>('resourceCounts.count').as('n')])
        .where('accounts.domainId', 'in', ids)
        .where('accounts.removed', 'is', null)
        .groupBy('resourceCounts.resourceType')
        .execute(),
    );
    const m = new Map<number, number>();
    for (const r of rows) m.set(Number(r.t), (m.get(Number(r.t)) ?? 0) + num(r.n)); // one row per type per chunk
    return m;
  },
  async add(db: Db, accountId: string, resourceType: number, delta: number): Promise<void> {
    await db
      .insertInto('resourceCounts')
      .values({ accountId, resourceType, count: delta })
      .onConflict((oc) =>
        oc
          .columns(['accountId', 'resourceType'])
          .doUpdateSet((eb) => ({ count: eb('resourceCounts.count', '+', delta) })),
      )
      .execute();
  },
  /** Several counts of one account moved by one statement. */
  async addAll(db: Db, accountId: string, deltas: [resourceType: number, delta: number][]): Promise<void> {
    if (!deltas.length) return;
    await db
      .insertInto('resourceCounts')
      .values(deltas.map(([resourceType, count]) => ({ accountId, resourceType, count })))
      .onConflict((oc) =>
        oc
          .columns(['accountId', 'resourceType'])
          .doUpdateSet((eb) => ({ count: eb('resourceCounts.count', '+', eb.ref('excluded.count')) })),
      )
      .execute();
  },
  async set(db: Db, accountId: string, resourceType: number, count: number): Promise<void> {
    await db
      .insertInto('resourceCounts')
      .values({ accountId, resourceType, count })
      .onConflict((oc) => oc.columns(['accountId', 'resourceType']).doUpdateSet({ count }))
      .execute();
  },
  async removeCounts(db: Db, accountId: string): Promise<void> {
    await db.deleteFrom('resourceCounts').where('accountId', '=', accountId).execute();
  },

  /** What an account holds of a type, counted from the resources themselves (updateResourceCount). */
  async measure(db: Db, accountId: string, type: ResourceName): Promise<number> {
    switch (type) {
      case 'user_vm':
      case 'cpu':
      case 'memory': {
        const r = await db
          .selectFrom('vms')
          .select((eb) => [
            eb.fn.countAll<number>().as('n'),
            eb.fn.sum<number>('cpuNumber').as('cpu'),
            eb.fn.sum<number>('memory').as('mem'),
          ])
          .where('accountId', '=', accountId)
          .where('removed', 'is', null)
          .where('state', 'not in', [...GONE_VM])
          .executeTakeFirst();
        return num(type === 'user_vm' ? r?.n : type === 'cpu' ? r?.cpu : r?.mem);
      }
      case 'volume':
      case 'primary_storage': {
        const r = await db
          .selectFrom('volumes')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('size').as('bytes')])
          .where('accountId', '=', accountId)
          .where('removed', 'is', null)
          .where('state', 'not in', GONE_VOLUME)
          .executeTakeFirst();
        return num(type === 'volume' ? r?.n : r?.bytes);
      }
      case 'public_ip':
        return countRows(db.selectFrom('publicIps').where('accountId', '=', accountId).where('state', '!=', 'Free'));
      case 'network':
        return countRows(
          db
            .selectFrom('networks')
            .where('accountId', '=', accountId)
            .where('aclType', '=', 'Account')
            .where('removed', 'is', null),
        );
      case 'vpc':
        return countRows(db.selectFrom('vpcs').where('accountId', '=', accountId).where('removed', 'is', null));
      case 'template':
        return countRows(db.selectFrom('templates').where('accountId', '=', accountId).where('removed', 'is', null));
      case 'secondary_storage': {
        const r = await db
          .selectFrom('templates')
          .select((eb) => eb.fn.sum<number>('size').as('bytes'))
          .where('accountId', '=', accountId)
          .where('removed', 'is', null)
          .executeTakeFirst();
        return num(r?.bytes) + (await snapshotTotals(db, accountId)).bytes;
      }
      case 'snapshot':
        return (await snapshotTotals(db, accountId)).n;
      case 'project':
        return countRows(
          db
            .selectFrom('projectMembers')
            .innerJoin('projects', 'projects.id', 'projectMembers.projectId')
            .where('projectMembers.accountId', '=', accountId)
            .where('projectMembers.role', '=', 'Admin')
            .where('projects.removed', 'is', null),
        );
    }
  },
};

async function countRows(q: { select: (f: any) => any }): Promise<number> {
  const r = await q.select((eb: any) => eb.fn.countAll().as('n')).executeTakeFirst();
  return num(r?.n);
}

/** Snapshots (004_storage), read by introspection so a database without the table counts none. */
async function snapshotTotals(db: Db, accountId: string): Promise<{ n: number; bytes: number }> {
  const t = (await db.introspection.getTables()).find((x) => x.name === 'snapshots');
  const cols = t?.columns.map((c) => c.name) ?? [];
  if (!cols.includes('accountId')) return { n: 0, bytes: 0 };
  let q = (db as any).selectFrom('snapshots').where('accountId', '=', accountId);
  if (cols.includes('removed')) q = q.where('removed', 'is', null);
  // A snapshot that failed holds nothing.
  if (cols.includes('state')) q = q.where('state', 'not in', ['Error', 'Destroyed']);
  const sizeCol = ['physicalSize', 'size'].find((c) => cols.includes(c));
  const r = await q
    .select((eb: any) => [eb.fn.countAll().as('n'), ...(sizeCol ? [eb.fn.sum(sizeCol).as('bytes')] : [])])
    .executeTakeFirst();
  return { n: num(r?.n), bytes: num(r?.bytes) };
}
