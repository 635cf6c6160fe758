import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { FirewallPurpose, FirewallRule, TrafficDirection } from '../domain/networking.js';

/** Firewall (ingress and egress) and static NAT rules. */
export const firewallStore = {
  get(db: Db, id: string): Promise<FirewallRule | undefined> {
    return db.selectFrom('firewallRules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insert(db: Db, r: FirewallRule): Promise<void> {
    await db.insertInto('firewallRules').values(r).execute();
  },
  async update(db: Db, id: string, patch: Partial<FirewallRule>): Promise<void> {
    await db.updateTable('firewallRules').set(patch).where('id', '=', id).execute();
  },
  async setState(db: Db, id: string, state: string): Promise<void> {
    await db.updateTable('firewallRules').set({ state }).where('id', '=', id).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
    await db.deleteFrom('firewallRules').where('id', '=', id).execute();
  },
  onIp(db: Db, publicIpId: string, purpose?: FirewallPurpose): Promise<FirewallRule[]> {
    let q = db.selectFrom('firewallRules').selectAll().where('publicIpId', '=', publicIpId);
    if (purpose) q = q.where('purpose', '=', purpose);
    return q.execute();
  },
  async removeForIp(db: Db, publicIpId: string, purpose?: FirewallPurpose): Promise<void> {
    const ids = (await firewallStore.onIp(db, publicIpId, purpose)).map((r) => r.id);
    for (const id of ids) await firewallStore.remove(db, id);
  },
  list(
    db: Db,
    f: {
      accountIds?: string[];
      id?: string;
      ipId?: string;
      networkId?: string;
      purpose: FirewallPurpose;
      trafficType?: TrafficDirection;
      vmIpIds?: string[];
    },
  ): Promise<FirewallRule[]> {
    let q = db.selectFrom('firewallRules').selectAll().where('purpose', '=', f.purpose);
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ipId) q = q.where('publicIpId', '=', f.ipId);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    if (f.trafficType) q = q.where('trafficType', '=', f.trafficType);
    if (f.vmIpIds) q = q.where(inList(db, 'publicIpId', f.vmIpIds));
    return q.orderBy('created').execute();
  },
};
