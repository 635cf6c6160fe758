import type { Db } from './db.js';
import { updateRow } from './repo.js';
import { inChunks, inList } from './idlist.js';
import type { AsPolicy, Condition, Counter, CounterSource, AsPolicyCondition } from '../domain/autoscale.js';

/** Counters, conditions and policies (CounterDao, ConditionDao, AutoScalePolicyDao and its condition map). */
export const autoScaleRuleStore = {
  counter(db: Db, id: string): Promise<Counter | undefined> {
    return db.selectFrom('asCounters').selectAll().where('id', '=', id).executeTakeFirst();
  },
  counters(
    db: Db,
    f: { id?: string; name?: string; source?: string; provider?: string; keyword?: string; ids?: string[] } = {},
  ): Promise<Counter[]> {
    let q = db.selectFrom('asCounters').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.name) q = q.where('name', '=', f.name);
    if (f.source) q = q.where('source', '=', f.source as CounterSource);
    if (f.provider) q = q.where('provider', '=', f.provider);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').orderBy('name').execute();
  },
  /** What makes a counter the same one: its provider, source and value, for every counter. */
  counterKeys(db: Db): Promise<Pick<Counter, 'provider' | 'source' | 'value'>[]> {
    return db.selectFrom('asCounters').select(['provider', 'source', 'value']).execute();
  },
  async insertCounter(db: Db, c: Counter): Promise<void> {
    await db.insertInto('asCounters').values(c).execute();
  },
  async removeCounter(db: Db, id: string): Promise<void> {
    await db.deleteFrom('asCounters').where('id', '=', id).execute();
  },

  condition(db: Db, id: string): Promise<Condition | undefined> {
    return db.selectFrom('asConditions').selectAll().where('id', '=', id).executeTakeFirst();
  },
  conditionsByIds(db: Db, ids: string[]): Promise<Condition[]> {
    return inChunks(ids, (chunk) => db.selectFrom('asConditions').selectAll().where('id', 'in', chunk).execute());
  },
  conditions(
    db: Db,
    f: { accountIds?: string[]; id?: string; counterId?: string; policyId?: string },
  ): Promise<Condition[]> {
    let q = db.selectFrom('asConditions').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.counterId) q = q.where('counterId', '=', f.counterId);
    if (f.policyId)
      q = q.where(
        'id',
        'in',
        db.selectFrom('asPolicyConditions').select('conditionId').where('policyId', '=', f.policyId),
      );
    return q.orderBy('created').execute();
  },
  async counterInUse(db: Db, counterId: string): Promise<boolean> {
    return !!(await db.selectFrom('asConditions').select('id').where('counterId', '=', counterId).executeTakeFirst());
  },
  async insertCondition(db: Db, c: Condition): Promise<void> {
    await db.insertInto('asConditions').values(c).execute();
  },
  async updateCondition(db: Db, id: string, patch: Partial<Condition>): Promise<void> {
    await updateRow(db, 'asConditions', id, patch);
  },
  async removeCondition(db: Db, id: string): Promise<void> {
    await db.deleteFrom('asConditions').where('id', '=', id).execute();
  },
  /** The policies a condition is part of. */
  async policiesOfCondition(db: Db, conditionId: string): Promise<string[]> {
    return (
      await db.selectFrom('asPolicyConditions').select('policyId').where('conditionId', '=', conditionId).execute()
    ).map((r) => r.policyId);
  },

  policy(db: Db, id: string): Promise<AsPolicy | undefined> {
    return db.selectFrom('asPolicies').selectAll().where('id', '=', id).executeTakeFirst();
  },
  policiesByIds(db: Db, ids: string[]): Promise<AsPolicy[]> {
    return inChunks(ids, (chunk) => db.selectFrom('asPolicies').selectAll().where('id', 'in', chunk).execute());
  },
  policies(
    db: Db,
    f: { accountIds?: string[]; id?: string; name?: string; action?: string; conditionId?: string; groupId?: string },
  ): Promise<AsPolicy[]> {
    let q = db.selectFrom('asPolicies').selectAll();
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.action) q = q.where('action', '=', f.action as AsPolicy['action']);
    if (f.conditionId)
      q = q.where(
        'id',
        'in',
        db.selectFrom('asPolicyConditions').select('policyId').where('conditionId', '=', f.conditionId),
      );
    if (f.groupId)
      q = q.where('id', 'in', db.selectFrom('asGroupPolicies').select('policyId').where('groupId', '=', f.groupId));
    return q.orderBy('created').execute();
  },
  async insertPolicy(db: Db, p: AsPolicy): Promise<void> {
    await db.insertInto('asPolicies').values(p).execute();
  },
  async updatePolicy(db: Db, id: string, patch: Partial<AsPolicy>): Promise<void> {
    await updateRow(db, 'asPolicies', id, patch);
  },
  async removePolicy(db: Db, id: string): Promise<void> {
    await db.deleteFrom('asPolicyConditions').where('policyId', '=', id).execute();
    await db.deleteFrom('asPolicies').where('id', '=', id).execute();
  },
  /** Each policy's condition links, in the order they were given. */
  policyConditions(db: Db, policyIds: string[]): Promise<AsPolicyCondition[]> {
    return inChunks(policyIds, (chunk) =>
      db.selectFrom('asPolicyConditions').selectAll().where('policyId', 'in', chunk).orderBy('position').execute(),
    );
  },
  /** For update: the existing mappings go and fresh ones are made (checkValidityAndPersist). */
  async setPolicyConditions(db: Db, policy: AsPolicy, conditionIds: string[]): Promise<void> {
    await db.deleteFrom('asPolicyConditions').where('policyId', '=', policy.id).execute();
    for (const [position, conditionId] of conditionIds.entries()) {
      await db
        .insertInto('asPolicyConditions')
        .values({ policyId: policy.id, conditionId, position, accountId: policy.accountId })
        .execute();
    }
  },
  async conditionInUse(db: Db, conditionId: string): Promise<boolean> {
    return !!(await db
      .selectFrom('asPolicyConditions')
      .select('policyId')
      .where('conditionId', '=', conditionId)
      .executeTakeFirst());
  },
};
