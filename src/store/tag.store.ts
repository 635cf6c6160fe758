import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { Tag } from '../domain/types.js';

/** Resource types that can carry tags, and the table holding them. */
export const TAGGABLE = {
  UserVm: 'vms',
  Template: 'templates',
  ISO: 'templates',
  Volume: 'volumes',
  Network: 'networks',
  PublicIpAddress: 'publicIps',
  SecurityGroup: 'securityGroups',
  Vpc: 'vpcs',
  FirewallRule: 'firewallRules',
  LoadBalancer: 'loadBalancerRules',
  PortForwardingRule: 'portForwardingRules',
  ServiceOffering: 'serviceOfferings',
  Snapshot: 'snapshots',
  SnapshotPolicy: 'snapshotPolicies',
  VMSnapshot: 'vmSnapshots',
} as const;

/** Resources that belong to the cloud, not an account: only root admins tag them. */
const CLOUD_OWNED = new Set<string>(['serviceOfferings']);
export type TaggableType = keyof typeof TAGGABLE;

export const tagStore = {
  async ownerOf(
    db: Db,
    type: TaggableType,
    id: string,
  ): Promise<{ accountId: string | null; domainId: string | null } | undefined> {
    const table = TAGGABLE[type];
    if (CLOUD_OWNED.has(table)) {
      const found = await (db as any).selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
      return found ? { accountId: null, domainId: null } : undefined;
    }
    const row = await (db as any)
      .selectFrom(table)
      .select(['accountId', 'domainId'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    if (
      ['vms', 'volumes', 'vpcs', 'snapshots', 'vmSnapshots', 'templates'].includes(table) &&
      (await (db as any).selectFrom(table).select('removed').where('id', '=', id).executeTakeFirst())?.removed
    )
      return undefined;
    return row;
  },
  async insert(db: Db, t: Tag): Promise<void> {
    await db.insertInto('tags').values(t).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('tags').where('id', '=', id).execute();
  },
  /** Every tag of one resource (it is being deleted). */
  async removeOf(db: Db, resourceId: string): Promise<void> {
    await db.deleteFrom('tags').where('resourceId', '=', resourceId).execute();
  },
  byKey(db: Db, resourceId: string, key: string): Promise<Tag | undefined> {
    return db
      .selectFrom('tags')
      .selectAll()
      .where('resourceId', '=', resourceId)
      .where('key', '=', key)
      .executeTakeFirst();
  },
  /** The tags with `key` on any of a few resources (not a caller's list: no chunking). */
  byKeyOn(db: Db, resourceIds: string[], key: string): Promise<Tag[]> {
    return db.selectFrom('tags').selectAll().where('resourceId', 'in', resourceIds).where('key', '=', key).execute();
  },
  ofResource(db: Db, resourceId: string): Promise<Tag[]> {
    return db.selectFrom('tags').selectAll().where('resourceId', '=', resourceId).execute();
  },
  async ofResources(db: Db, ids: string[]): Promise<Map<string, Tag[]>> {
    const m = new Map<string, Tag[]>();
    if (ids.length === 0) return m;
    for (const r of await inChunks(ids, (chunk) =>
      db.selectFrom('tags').selectAll().where('resourceId', 'in', chunk).execute(),
    )) {
      const l = m.get(r.resourceId);
      if (l) l.push(r);
      else m.set(r.resourceId, [r]);
    }
    return m;
  },
  list(
    db: Db,
    f: {
      accountIds?: string[];
      resourceType?: string;
      resourceId?: string;
      key?: string;
      value?: string;
      customer?: string;
    },
  ): Promise<Tag[]> {
    let q = db.selectFrom('tags').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.resourceType) q = q.where('resourceType', '=', f.resourceType);
    if (f.resourceId) q = q.where('resourceId', '=', f.resourceId);
    if (f.key) q = q.where('key', '=', f.key);
    if (f.value) q = q.where('value', '=', f.value);
    if (f.customer) q = q.where('customer', '=', f.customer);
    return q.orderBy('key').execute();
  },
  async matching(db: Db, tags: { key?: string; value?: string }[]): Promise<string[]> {
    let ids: Set<string> | undefined;
    for (const t of tags) {
      let q = db.selectFrom('tags').select('resourceId');
      if (t.key) q = q.where('key', '=', t.key);
      if (t.value !== undefined) q = q.where('value', '=', t.value);
      const found = new Set((await q.execute()).map((r) => r.resourceId));
      ids = ids ? new Set([...ids].filter((i) => found.has(i))) : found;
    }
    return [...(ids ?? [])];
  },
};
