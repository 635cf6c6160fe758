import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { SecurityGroup, SecurityGroupRule } from '../domain/types.js';

export const securityGroupStore = {
  get(db: Db, id: string): Promise<SecurityGroup | undefined> {
    return db.selectFrom('securityGroups').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byName(db: Db, accountId: string, name: string): Promise<SecurityGroup | undefined> {
    return db
      .selectFrom('securityGroups')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
  },
  list(
    db: Db,
    f: { accountIds?: string[]; ids?: string[]; name?: string; keyword?: string },
  ): Promise<SecurityGroup[]> {
    let q = db.selectFrom('securityGroups').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').execute();
  },
  rulesOf(db: Db, groupIds: string[]): Promise<SecurityGroupRule[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return inChunks(groupIds, (ids) =>
      db.selectFrom('securityGroupRules').selectAll().where('securityGroupId', 'in', ids).orderBy('created').execute(),
    );
  },
  rule(db: Db, id: string): Promise<SecurityGroupRule | undefined> {
    return db.selectFrom('securityGroupRules').selectAll().where('id', '=', id).executeTakeFirst();
  },
  members(db: Db, groupIds: string[]): Promise<{ vmId: string; securityGroupId: string }[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return inChunks(groupIds, (ids) =>
      db
        .selectFrom('vmSecurityGroups')
        .innerJoin('vms', 'vms.id', 'vmSecurityGroups.vmId')
        .select(['vmSecurityGroups.vmId', 'vmSecurityGroups.securityGroupId'])
        .where('vmSecurityGroups.securityGroupId', 'in', ids)
        .where('vms.removed', 'is', null)
        .execute(),
    );
  },
  async removeRule(db: Db, id: string): Promise<void> {
    await db.deleteFrom('securityGroupRules').where('id', '=', id).execute();
  },
  async groupIdsOfVm(db: Db, vmId: string): Promise<string[]> {
    const rows = await db.selectFrom('vmSecurityGroups').select('securityGroupId').where('vmId', '=', vmId).execute();
    return rows.map((r) => r.securityGroupId);
  },
  /** Rules of any group that allow traffic from (or to) this group. */
  async referencing(db: Db, groupId: string): Promise<SecurityGroupRule[]> {
    return db.selectFrom('securityGroupRules').selectAll().where('refGroupId', '=', groupId).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('securityGroupRules').where('securityGroupId', '=', id).execute();
    await db.deleteFrom('securityGroups').where('id', '=', id).execute();
  },
};

export const securityGroupRuleRows = rowsOf('securityGroupRules');
export const securityGroupRows = rowsOf('securityGroups');
