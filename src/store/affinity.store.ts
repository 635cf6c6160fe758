import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import type { AffinityGroup, AffinityType } from '../domain/types.js';

export const affinityStore = {
  get(db: Db, id: string): Promise<AffinityGroup | undefined> {
    return db.selectFrom('affinityGroups').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byIds(db: Db, ids: string[]): Promise<AffinityGroup[]> {
    return inChunks(ids, (chunk) => db.selectFrom('affinityGroups').selectAll().where('id', 'in', chunk).execute());
  },
  byName(db: Db, accountId: string, name: string): Promise<AffinityGroup | undefined> {
    return db
      .selectFrom('affinityGroups')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('name', '=', name)
      .executeTakeFirst();
  },
  async insert(db: Db, g: AffinityGroup): Promise<void> {
    await db.insertInto('affinityGroups').values(g).execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('vmAffinityGroups').where('affinityGroupId', '=', id).execute();
    await db.deleteFrom('affinityGroups').where('id', '=', id).execute();
  },
  list(
    db: Db,
    f: { accountIds?: string[]; id?: string; name?: string; type?: string; keyword?: string; vmId?: string },
  ): Promise<AffinityGroup[]> {
    let q = db.selectFrom('affinityGroups').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.type) q = q.where('type', '=', f.type as AffinityType);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.vmId)
      q = q.where('id', 'in', db.selectFrom('vmAffinityGroups').select('affinityGroupId').where('vmId', '=', f.vmId!));
    return q.orderBy('created').execute();
  },
  async members(db: Db, groupIds: string[]): Promise<{ vmId: string; affinityGroupId: string }[]> {
    if (groupIds.length === 0) return [];
    return inChunks(groupIds, (ids) =>
      db
        .selectFrom('vmAffinityGroups')
        .innerJoin('vms', 'vms.id', 'vmAffinityGroups.vmId')
        .select(['vmAffinityGroups.vmId', 'vmAffinityGroups.affinityGroupId'])
        .where('vmAffinityGroups.affinityGroupId', 'in', ids)
        .where('vms.removed', 'is', null)
        .execute(),
    );
  },
  async groupsOfVm(db: Db, vmIds: string[]): Promise<{ vmId: string; affinityGroupId: string }[]> {
    if (vmIds.length === 0) return [];
    return inChunks(vmIds, (ids) => db.selectFrom('vmAffinityGroups').selectAll().where('vmId', 'in', ids).execute());
  },
  async link(db: Db, vmId: string, affinityGroupId: string): Promise<void> {
    await db.insertInto('vmAffinityGroups').values({ vmId, affinityGroupId }).execute();
  },
  async unlinkVm(db: Db, vmId: string): Promise<void> {
    await db.deleteFrom('vmAffinityGroups').where('vmId', '=', vmId).execute();
  },
  /** Hosts the other running members of a group are on. */
  async hostsOfMembers(db: Db, groupId: string, exceptVmId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('vmAffinityGroups')
      .innerJoin('vms', 'vms.id', 'vmAffinityGroups.vmId')
      .select('vms.hostId')
      .where('vmAffinityGroups.affinityGroupId', '=', groupId)
      .where('vms.id', '!=', exceptVmId)
      .where('vms.hostId', 'is not', null)
      .where('vms.removed', 'is', null)
      .execute();
    return [...new Set(rows.map((r) => r.hostId!))];
  },
};
