import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { PortForwardingRule } from '../domain/types.js';

export const portForwardingStore = {
  get(db: Db, id: string): Promise<PortForwardingRule | undefined> {
    return db.selectFrom('portForwardingRules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  onIp(db: Db, publicIpId: string): Promise<PortForwardingRule[]> {
    return db.selectFrom('portForwardingRules').selectAll().where('publicIpId', '=', publicIpId).execute();
  },
  async insert(db: Db, r: PortForwardingRule): Promise<void> {
    await db.insertInto('portForwardingRules').values(r).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('portForwardingRules').where('id', '=', id).execute();
  },
  async removeForVm(db: Db, vmId: string): Promise<void> {
    await db.deleteFrom('portForwardingRules').where('vmId', '=', vmId).execute();
  },
  async removeForIp(db: Db, ipId: string): Promise<void> {
    await db.deleteFrom('portForwardingRules').where('publicIpId', '=', ipId).execute();
  },
  list(
    db: Db,
    f: { accountIds?: string[]; id?: string; ipId?: string; vmId?: string; networkId?: string },
  ): Promise<PortForwardingRule[]> {
    let q = db.selectFrom('portForwardingRules').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ipId) q = q.where('publicIpId', '=', f.ipId);
    if (f.vmId) q = q.where('vmId', '=', f.vmId);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    return q.orderBy('created').execute();
  },
};

export const portForwardingRuleRows = rowsOf('portForwardingRules');
