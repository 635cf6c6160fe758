import type { Db } from './db.js';
import { updateRow } from './repo.js';
import { inChunks } from './idlist.js';
import type { NetworkAcl, NetworkAclItem } from '../domain/networking.js';

export const networkAclStore = {
  get(db: Db, id: string): Promise<NetworkAcl | undefined> {
    return db.selectFrom('networkAcls').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The built-in lists have no VPC. */
  builtIn(db: Db, name: string): Promise<NetworkAcl | undefined> {
    return db
      .selectFrom('networkAcls')
      .selectAll()
      .where('vpcId', 'is', null)
      .where('name', '=', name)
      .executeTakeFirst();
  },
  async byIds(db: Db, ids: string[]): Promise<Map<string, NetworkAcl>> {
    if (ids.length === 0) return new Map();
    const rows = await inChunks(ids, (chunk) =>
      db.selectFrom('networkAcls').selectAll().where('id', 'in', chunk).execute(),
    );
    return new Map(rows.map((r) => [r.id, r]));
  },
  async insert(db: Db, a: NetworkAcl): Promise<void> {
    await db.insertInto('networkAcls').values(a).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    const items = await db.selectFrom('networkAclItems').select('id').where('aclId', '=', id).execute();
    for (const i of items) await networkAclStore.removeItem(db, i.id);
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
    await db.deleteFrom('networkAcls').where('id', '=', id).execute();
  },
  ofVpc(db: Db, vpcId: string): Promise<NetworkAcl[]> {
    return db.selectFrom('networkAcls').selectAll().where('vpcId', '=', vpcId).execute();
  },
  /** Lists of these VPCs plus the built-in ones. */
  list(db: Db, f: { vpcIds?: string[]; id?: string; name?: string; networkAclId?: string }): Promise<NetworkAcl[]> {
    let q = db.selectFrom('networkAcls').selectAll();
    if (f.vpcIds) {
      const ids = f.vpcIds;
      q = q.where((eb) => eb.or([eb('vpcId', 'is', null), eb('vpcId', 'in', ids.length ? ids : [''])]));
    }
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.networkAclId) q = q.where('id', '=', f.networkAclId);
    return q.orderBy('created').execute();
  },
  getItem(db: Db, id: string): Promise<NetworkAclItem | undefined> {
    return db.selectFrom('networkAclItems').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insertItem(db: Db, i: NetworkAclItem): Promise<void> {
    await db.insertInto('networkAclItems').values(i).execute();
  },
  async updateItem(db: Db, id: string, patch: Partial<NetworkAclItem>): Promise<void> {
    await updateRow(db, 'networkAclItems', id, patch);
  },
  async removeItem(db: Db, id: string): Promise<void> {
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
    await db.deleteFrom('networkAclItems').where('id', '=', id).execute();
  },
  itemsOf(db: Db, aclId: string): Promise<NetworkAclItem[]> {
    return db.selectFrom('networkAclItems').selectAll().where('aclId', '=', aclId).orderBy('number').execute();
  },
  listItems(
    db: Db,
    f: { aclIds: string[]; id?: string; trafficType?: string; protocol?: string; action?: string },
  ): Promise<NetworkAclItem[]> {
    let q = db
      .selectFrom('networkAclItems')
      .selectAll()
      .where('aclId', 'in', f.aclIds.length ? f.aclIds : ['']);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.trafficType) q = q.where('trafficType', '=', f.trafficType as NetworkAclItem['trafficType']);
    if (f.protocol) q = q.where('protocol', '=', f.protocol.toLowerCase());
    if (f.action) q = q.where('action', '=', f.action as NetworkAclItem['action']);
    return q.orderBy('aclId').orderBy('number').execute();
  },
  networksUsing(db: Db, aclId: string): Promise<{ id: string }[]> {
    return db.selectFrom('networks').select('id').where('aclId', '=', aclId).where('removed', 'is', null).execute();
  },
};
