import type { Db } from './db.js';
import { updateRow } from './repo.js';
import { inChunks, inList } from './idlist.js';
import type { LbMember, LoadBalancerRule } from '../domain/networking.js';

export const loadBalancerStore = {
  get(db: Db, id: string): Promise<LoadBalancerRule | undefined> {
    return db.selectFrom('loadBalancerRules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insert(db: Db, r: LoadBalancerRule): Promise<void> {
    await db.insertInto('loadBalancerRules').values(r).execute();
  },
  async update(db: Db, id: string, patch: Partial<LoadBalancerRule>): Promise<void> {
    await updateRow(db, 'loadBalancerRules', id, patch);
  },
  /** A rule goes with its members and tags. */
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('lbMembers').where('ruleId', '=', id).execute();
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
    await db.deleteFrom('loadBalancerRules').where('id', '=', id).execute();
  },
  onIp(db: Db, publicIpId: string): Promise<LoadBalancerRule[]> {
    return db.selectFrom('loadBalancerRules').selectAll().where('publicIpId', '=', publicIpId).execute();
  },
  members(db: Db, ruleIds: string[]): Promise<LbMember[]> {
    if (ruleIds.length === 0) return Promise.resolve([]);
    return inChunks(ruleIds, (ids) => db.selectFrom('lbMembers').selectAll().where('ruleId', 'in', ids).execute());
  },
  async addMember(db: Db, m: LbMember): Promise<void> {
    await db.insertInto('lbMembers').values(m).execute();
  },
  async removeMember(db: Db, ruleId: string, vmId: string): Promise<void> {
    await db.deleteFrom('lbMembers').where('ruleId', '=', ruleId).where('vmId', '=', vmId).execute();
  },
  list(
    db: Db,
    f: {
      accountIds?: string[];
      id?: string;
      ipId?: string;
      networkId?: string;
      name?: string;
      zoneIpIds?: string[];
      vmId?: string;
    },
  ): Promise<LoadBalancerRule[]> {
    let q = db.selectFrom('loadBalancerRules').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ipId) q = q.where('publicIpId', '=', f.ipId);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.zoneIpIds) q = q.where(inList(db, 'publicIpId', f.zoneIpIds));
    if (f.vmId) q = q.where('id', 'in', db.selectFrom('lbMembers').select('ruleId').where('vmId', '=', f.vmId));
    return q.orderBy('created').execute();
  },
};
