import { rowsOf, updateRow } from './repo.js';
import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { Vpc, VpcOffering } from '../domain/networking.js';

export const vpcStore = {
  get(db: Db, id: string): Promise<Vpc | undefined> {
    return db.selectFrom('vpcs').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  /** VPCs by id, deleted ones included (for naming what refers to them). */
  /** An account's VPCs, not removed. */
  idsOfAccount(db: Db, accountId: string): Promise<{ id: string }[]> {
    return db.selectFrom('vpcs').select('id').where('accountId', '=', accountId).where('removed', 'is', null).execute();
  },
  /** The offering's VPCs, not removed. */
  idsOfOffering(db: Db, vpcOfferingId: string): Promise<{ id: string }[]> {
    return db
      .selectFrom('vpcs')
      .select('id')
      .where('vpcOfferingId', '=', vpcOfferingId)
      .where('removed', 'is', null)
      .execute();
  },
  async byIds(db: Db, ids: string[]): Promise<Map<string, Vpc>> {
    if (ids.length === 0) return new Map();
    const rows = await inChunks(ids, (chunk) => db.selectFrom('vpcs').selectAll().where('id', 'in', chunk).execute());
    return new Map(rows.map((r) => [r.id, r]));
  },
  async insert(db: Db, v: Vpc): Promise<void> {
    await db.insertInto('vpcs').values(v).execute();
  },
  async update(db: Db, id: string, patch: Partial<Vpc>): Promise<void> {
    await updateRow(db, 'vpcs', id, patch);
  },
  /** A deleted VPC keeps its row (its id still resolves), Inactive and removed, without its tags. */
  async remove(db: Db, id: string, at: number): Promise<void> {
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
    await db.updateTable('vpcs').set({ state: 'Inactive', removed: at }).where('id', '=', id).execute();
  },
  list(
    db: Db,
    f: {
      accountIds?: string[];
      id?: string;
      zoneId?: string;
      name?: string;
      state?: string;
      cidr?: string;
      vpcOfferingId?: string;
    },
  ): Promise<Vpc[]> {
    let q = db.selectFrom('vpcs').selectAll().where('removed', 'is', null);
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.name) q = q.where('name', 'like', `%${f.name}%`);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.cidr) q = q.where('cidr', '=', f.cidr);
    if (f.vpcOfferingId) q = q.where('vpcOfferingId', '=', f.vpcOfferingId);
    return q.orderBy('created').execute();
  },
  offering(db: Db, id: string): Promise<VpcOffering | undefined> {
    return db.selectFrom('vpcOfferings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  offerings(db: Db, f: { id?: string; name?: string; state?: string; isDefault?: boolean }): Promise<VpcOffering[]> {
    let q = db.selectFrom('vpcOfferings').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.isDefault !== undefined) q = q.where('isDefault', '=', f.isDefault ? 1 : 0);
    return q.orderBy('created').execute();
  },
};

export const vpcOfferingRows = rowsOf('vpcOfferings');
