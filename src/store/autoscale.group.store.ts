import type { Db } from './db.js';
import { updateRow } from './repo.js';
import { inChunks, inList } from './idlist.js';
import type { AsGroupPolicy, AsGroupState, AsGroupVm, AsStat, AsVmGroup, AsVmProfile } from '../domain/autoscale.js';

/** VM states countAvailableVmsByGroup counts. */
const AVAILABLE = ['Starting', 'Running', 'Stopping', 'Migrating'] as const;

/** VM profiles and groups (AutoScaleVmProfileDao, AutoScaleVmGroupDao and its policy and VM maps). */
export const autoScaleGroupStore = {
  profile(db: Db, id: string): Promise<AsVmProfile | undefined> {
    return db.selectFrom('asVmProfiles').selectAll().where('id', '=', id).executeTakeFirst();
  },
  profiles(
    db: Db,
    f: {
      accountIds?: string[];
      id?: string;
      templateId?: string;
      serviceOfferingId?: string;
      otherDeployParams?: string;
      zoneId?: string;
      display?: boolean;
    },
  ): Promise<AsVmProfile[]> {
    let q = db.selectFrom('asVmProfiles').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.templateId) q = q.where('templateId', '=', f.templateId);
    if (f.serviceOfferingId) q = q.where('serviceOfferingId', '=', f.serviceOfferingId);
    if (f.otherDeployParams) q = q.where('otherDeployParams', 'like', `%${f.otherDeployParams}%`);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.display !== undefined) q = q.where('display', '=', f.display ? 1 : 0);
    return q.orderBy('created').execute();
  },
  async insertProfile(db: Db, p: AsVmProfile): Promise<void> {
    await db.insertInto('asVmProfiles').values(p).execute();
  },
  async updateProfile(db: Db, id: string, patch: Partial<AsVmProfile>): Promise<void> {
    await updateRow(db, 'asVmProfiles', id, patch);
  },
  async removeProfile(db: Db, id: string): Promise<void> {
    await db.deleteFrom('asVmProfiles').where('id', '=', id).execute();
  },

  group(db: Db, id: string): Promise<AsVmGroup | undefined> {
    return db.selectFrom('asVmGroups').selectAll().where('id', '=', id).executeTakeFirst();
  },
  groups(
    db: Db,
    f: {
      accountIds?: string[];
      id?: string;
      name?: string;
      lbRuleId?: string;
      profileId?: string;
      zoneId?: string;
      policyId?: string;
      display?: boolean;
      states?: AsGroupState[];
    } = {},
  ): Promise<AsVmGroup[]> {
    let q = db.selectFrom('asVmGroups').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.lbRuleId) q = q.where('lbRuleId', '=', f.lbRuleId);
    if (f.profileId) q = q.where('profileId', '=', f.profileId);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.policyId)
      q = q.where('id', 'in', db.selectFrom('asGroupPolicies').select('groupId').where('policyId', '=', f.policyId));
    if (f.display !== undefined) q = q.where('display', '=', f.display ? 1 : 0);
    if (f.states) q = q.where('state', 'in', f.states);
    return q.orderBy('created').execute();
  },
  async insertGroup(db: Db, g: AsVmGroup): Promise<void> {
    await db.insertInto('asVmGroups').values(g).execute();
  },
  async updateGroup(db: Db, id: string, patch: Partial<AsVmGroup>): Promise<void> {
    await updateRow(db, 'asVmGroups', id, patch);
  },
  /** AutoScaleVmGroupDao.updateState: moves the group only if it is still in `from`. */
  async moveState(db: Db, id: string, from: AsGroupState, to: AsGroupState): Promise<boolean> {
    const r = await db
      .updateTable('asVmGroups')
      .set({ state: to })
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },
  /** A group goes with its policy and VM maps and its samples. */
  async removeGroup(db: Db, id: string): Promise<void> {
    await db.deleteFrom('asGroupPolicies').where('groupId', '=', id).execute();
    await db.deleteFrom('asGroupVms').where('groupId', '=', id).execute();
    await db.deleteFrom('asStats').where('groupId', '=', id).execute();
    await db.deleteFrom('annotations').where('entityId', '=', id).execute();
    await db.deleteFrom('asVmGroups').where('id', '=', id).execute();
  },
  async profileInUse(db: Db, profileId: string): Promise<boolean> {
    return !!(await db.selectFrom('asVmGroups').select('id').where('profileId', '=', profileId).executeTakeFirst());
  },
  async policyInUse(db: Db, policyId: string): Promise<boolean> {
    return !!(await db
      .selectFrom('asGroupPolicies')
      .select('groupId')
      .where('policyId', '=', policyId)
      .executeTakeFirst());
  },
  /** The groups of these policies that are not Disabled (updateCondition refuses while one is). */
  groupsNotDisabled(db: Db, policyIds: string[]): Promise<AsVmGroup[]> {
    if (policyIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('asVmGroups')
      .selectAll()
      .where('state', '!=', 'DISABLED')
      .where(
        'id',
        'in',
        db
          .selectFrom('asGroupPolicies')
          .select('groupId')
          .where(inList(db, 'policyId', policyIds)),
      )
      .execute();
  },
  groupsOfPolicy(db: Db, policyId: string): Promise<AsVmGroup[]> {
    return db
      .selectFrom('asVmGroups')
      .selectAll()
      .where('id', 'in', db.selectFrom('asGroupPolicies').select('groupId').where('policyId', '=', policyId))
      .execute();
  },

  groupPolicies(db: Db, groupIds: string[]): Promise<AsGroupPolicy[]> {
    return inChunks(groupIds, (chunk) =>
      db.selectFrom('asGroupPolicies').selectAll().where('groupId', 'in', chunk).orderBy('position').execute(),
    );
  },
  async setGroupPolicies(db: Db, group: AsVmGroup, policyIds: string[]): Promise<void> {
    await db.deleteFrom('asGroupPolicies').where('groupId', '=', group.id).execute();
    for (const [position, policyId] of policyIds.entries()) {
      await db
        .insertInto('asGroupPolicies')
        .values({ groupId: group.id, policyId, position, accountId: group.accountId })
        .execute();
    }
  },

  async addVm(db: Db, m: AsGroupVm): Promise<void> {
    await db.insertInto('asGroupVms').values(m).execute();
  },
  async removeVm(db: Db, vmId: string): Promise<void> {
    await db.deleteFrom('asGroupVms').where('vmId', '=', vmId).execute();
  },
  /** A group's VMs, oldest first. */
  groupVms(db: Db, groupId: string): Promise<AsGroupVm[]> {
    return db.selectFrom('asGroupVms').selectAll().where('groupId', '=', groupId).orderBy('created').execute();
  },
  /** The group each of these VMs belongs to. */
  groupsOfVms(db: Db, vmIds: string[]): Promise<AsGroupVm[]> {
    return inChunks(vmIds, (chunk) => db.selectFrom('asGroupVms').selectAll().where('vmId', 'in', chunk).execute());
  },
  /** countAvailableVmsByGroup: members that are starting, running, stopping or migrating. */
  async availableVms(db: Db, groupId: string): Promise<number> {
    const r = await db
      .selectFrom('asGroupVms')
      .innerJoin('vms', 'vms.id', 'asGroupVms.vmId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('asGroupVms.groupId', '=', groupId)
      .where('vms.state', 'in', [...AVAILABLE])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
  /** countByGroup: every member, whatever its state. */
  async memberCount(db: Db, groupId: string): Promise<number> {
    const r = await db
      .selectFrom('asGroupVms')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('groupId', '=', groupId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insertStat(db: Db, s: AsStat): Promise<void> {
    await db.insertInto('asStats').values(s).execute();
  },
  stats(db: Db, groupId: string, after: number): Promise<AsStat[]> {
    return db
      .selectFrom('asStats')
      .selectAll()
      .where('groupId', '=', groupId)
      .where('created', '>', after)
      .orderBy('created')
      .execute();
  },
  /** updateStateByGroup: every sample of the group and/or the policy becomes Inactive. */
  async markInactive(db: Db, f: { groupId?: string; policyId?: string }): Promise<void> {
    let q = db.updateTable('asStats').set({ state: 'INACTIVE' }).where('state', '!=', 'INACTIVE');
    if (f.groupId) q = q.where('groupId', '=', f.groupId);
    if (f.policyId) q = q.where('policyId', '=', f.policyId);
    await q.execute();
  },
  /** removeByGroupAndPolicy / removeByGroupId with a date: samples older than `before`. */
  async removeStats(db: Db, groupId: string, before: number, policyId?: string): Promise<void> {
    let q = db.deleteFrom('asStats').where('groupId', '=', groupId).where('created', '<', before);
    if (policyId !== undefined) q = q.where('policyId', '=', policyId);
    await q.execute();
  },
};
