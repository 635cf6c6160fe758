import type { Clock } from '../../domain/clock.js';
import {
  actionOf,
  COUNTER_SOURCES,
  DEFAULT_QUIET_TIME,
  operatorOf,
  type AsPolicy,
  type Condition,
  type Counter,
  type CounterSource,
} from '../../domain/autoscale.js';
import { forbidden, inUse, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { providerName } from '../../domain/netoffering.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { autoScaleGroupStore as groups } from '../../store/autoscale.group.store.js';
import { autoScaleRuleStore as rules } from '../../store/autoscale.store.js';
import type { Db, Store } from '../../store/db.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const AS_RULE_JOBS = {
  created: 'autoscale.rule.created',
  deleteCounter: 'autoscale.counter.delete',
  updateCondition: 'autoscale.condition.update',
  deleteCondition: 'autoscale.condition.delete',
  updatePolicy: 'autoscale.policy.update',
  deletePolicy: 'autoscale.policy.delete',
} as const;

export interface NewCounter {
  name: string;
  source: string;
  provider: string;
  value: string;
}
export interface NewCondition extends OwnerRequest {
  counterId: string;
  operator: string;
  threshold: number;
}
export interface PolicyChange {
  name?: string;
  action?: string;
  duration?: number;
  quietTime?: number;
  conditionIds?: string[];
}

type Owned = { id: string; accountId: string; domainId: string };

/**
 * AccountManager.checkAccess with sameOwner: every entity must be the caller's to use, and all of
 * them one account's.
 */
export function sameOwner(caller: Caller, entities: (Owned & { kind: string })[]): void {
  for (const e of entities) assertAccess(caller, e, e.kind, e.id);
  const first = entities[0];
  const other = entities.find((e) => e.accountId !== first?.accountId);
  if (first && other)
    throw forbidden(
      `Entity ${other.kind} ${other.id} and entity ${first.kind} ${first.id} belong to different accounts`,
      other.kind,
      other.id,
    );
}

/** Counters, conditions and policies: the rules half of AutoScaleManagerImpl. */
export class AutoScaleRuleService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string; kind: string }>(AS_RULE_JOBS.created, async ({ params }) => ({
      type: 'object',
      instanceType: params.kind,
      id: params.id,
    }));
    const inTx = <P extends { id: string }>(kind: string, run: (db: Db, caller: Caller, p: P) => Promise<JobResult>) =>
      jobs.register<P>(kind, ({ caller, params }) => this.store.tx((trx) => run(trx, caller, params)));
    inTx<{ id: string }>(AS_RULE_JOBS.deleteCounter, (db, caller, p) => this.deleteCounter(db, caller, p.id));
    inTx<{ id: string; operator: string; threshold: number }>(AS_RULE_JOBS.updateCondition, (db, caller, p) =>
      this.updateCondition(db, caller, p),
    );
    inTx<{ id: string }>(AS_RULE_JOBS.deleteCondition, (db, caller, p) => this.deleteCondition(db, caller, p.id));
    inTx<{ id: string } & PolicyChange>(AS_RULE_JOBS.updatePolicy, (db, caller, p) => this.updatePolicy(db, caller, p));
    inTx<{ id: string }>(AS_RULE_JOBS.deletePolicy, (db, caller, p) => this.deletePolicy(db, caller, p.id));
  }

  /** The asynchronous update and delete commands: the entity must be the caller's; the job does the rest. */
  async submit(
    caller: Caller,
    cmd: string,
    kind: (typeof AS_RULE_JOBS)[keyof typeof AS_RULE_JOBS],
    params: { id: string } & Record<string, unknown>,
  ): Promise<string> {
    const type =
      kind === AS_RULE_JOBS.deleteCounter
        ? 'Counter'
        : kind === AS_RULE_JOBS.updatePolicy || kind === AS_RULE_JOBS.deletePolicy
          ? 'AutoScalePolicy'
          : 'Condition';
    // Counters are the admins' (the command says so) and nobody's own.
    const owned =
      type === 'AutoScalePolicy'
        ? await rules.policy(this.store.db, params.id)
        : type === 'Condition'
          ? await rules.condition(this.store.db, params.id)
          : undefined;
    if (owned) assertAccess(caller, owned, type, owned.id);
    return this.jobs.run(caller, { cmd, kind, params, instanceType: type, instanceId: params.id });
  }

  findCondition(id: string): Promise<Condition | undefined> {
    return rules.condition(this.store.db, id);
  }

  findPolicy(id: string): Promise<AsPolicy | undefined> {
    return rules.policy(this.store.db, id);
  }

  /** Each policy's conditions, in the order they were given. */
  async conditionsOfPolicies(policyIds: string[]): Promise<Map<string, Condition[]>> {
    const links = await rules.policyConditions(this.store.db, policyIds);
    const byId = new Map(
      (
        await rules.conditionsByIds(
          this.store.db,
          links.map((l) => l.conditionId),
        )
      ).map((c) => [c.id, c]),
    );
    const out = new Map<string, Condition[]>();
    for (const l of links) {
      const c = byId.get(l.conditionId);
      if (c) out.set(l.policyId, [...(out.get(l.policyId) ?? []), c]);
    }
    return out;
  }

  // ---- counters

  /** listCounters: by id, name, source (any case) and provider (a known one, by its canonical name). */
  async counters(f: {
    id?: string;
    name?: string;
    source?: string;
    provider?: string;
    keyword?: string;
  }): Promise<Counter[]> {
    let provider: string | undefined;
    if (f.provider !== undefined) {
      provider = providerName(f.provider);
      if (!provider) throw invalid(`The Provider ${f.provider} does not exist; Unable to list Counter`, 'provider');
    }
    return rules.counters(this.store.db, { ...f, source: f.source?.toUpperCase(), provider });
  }

  /** createCounter (admins): a known source and provider. */
  async createCounter(caller: Caller, c: NewCounter, cmd: string): Promise<{ counter: Counter; jobId: string }> {
    const source = c.source.toUpperCase();
    if (!(COUNTER_SOURCES as readonly string[]).includes(source))
      throw invalid(`The Source ${source} does not exist; Unable to create Counter`, 'source');
    const provider = providerName(c.provider);
    if (!provider) throw invalid(`The Provider ${c.provider} does not exist; Unable to create Counter`, 'provider');
    return this.create(caller, cmd, 'Counter', async (db) => {
      // The unique key on provider, source and value (uc_counter__provider__source__value).
      if ((await rules.counters(db, { provider, source })).some((x) => x.value === c.value))
        throw invalid(
          `A counter with provider ${provider}, source ${source} and value ${c.value} already exists`,
          'value',
        );
      const counter: Counter = {
        id: newId(),
        name: c.name,
        source: source as CounterSource,
        value: c.value,
        provider,
        created: this.clock.now(),
      };
      await rules.insertCounter(db, counter);
      await eventLog(db, this.clock, {
        type: 'COUNTER.CREATE',
        description: `Counter Id: ${counter.id} Name: ${c.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: counter.id,
        resourceType: 'Counter',
      });
      return { counter, id: counter.id };
    }).then((out) => ({ counter: out.value.counter, jobId: out.jobId }));
  }

  private async deleteCounter(db: Db, caller: Caller, id: string): Promise<JobResult> {
    const counter = await rules.counter(db, id);
    if (!counter) throw invalid('Unable to find Counter', 'id');
    if (await rules.counterInUse(db, id)) throw inUse('Counter is in use.', 'Counter', id);
    await rules.removeCounter(db, id);
    await eventLog(db, this.clock, {
      type: 'COUNTER.DELETE',
      description: `Deleted counter ${counter.name}`,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'Counter',
    });
    return { type: 'success' };
  }

  // ---- conditions

  async createCondition(
    caller: Caller,
    r: NewCondition,
    cmd: string,
  ): Promise<{ condition: Condition; jobId: string }> {
    const out = await this.create(caller, cmd, 'Condition', async (db) => {
      const owner = await resolveOwner(db, caller, r);
      const operator = operatorOf(r.operator, 'create');
      if (r.threshold < 0)
        throw invalid(`The threshold ${r.threshold} must be equal to or greater than 0.`, 'threshold');
      if (!(await rules.counter(db, r.counterId))) throw invalid('Unable to find counter', 'counterid');
      const condition: Condition = {
        id: newId(),
        counterId: r.counterId,
        threshold: r.threshold,
        operator,
        accountId: owner.id,
        domainId: owner.domainId,
        created: this.clock.now(),
      };
      await rules.insertCondition(db, condition);
      await eventLog(db, this.clock, {
        type: 'CONDITION.CREATE',
        description: `Condition Id: ${condition.id}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: condition.id,
        resourceType: 'Condition',
      });
      return { condition, id: condition.id };
    });
    return { condition: out.value.condition, jobId: out.jobId };
  }

  async conditions(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; counterId?: string; policyId?: string },
  ): Promise<Condition[]> {
    const accountIds = await scopeAccounts(this.store.db, caller, scope);
    return rules.conditions(this.store.db, { ...f, accountIds });
  }

  /** updateCondition: refused while a group using one of its policies is not Disabled; the policies' samples go Inactive. */
  private async updateCondition(
    db: Db,
    caller: Caller,
    p: { id: string; operator: string; threshold: number },
  ): Promise<JobResult> {
    const c = await this.condition(db, caller, p.id);
    const operator = operatorOf(p.operator, 'update');
    if (p.threshold < 0) throw invalid(`The threshold ${p.threshold} must be equal to or greater than 0.`, 'threshold');
    const policyIds = await rules.policiesOfCondition(db, c.id);
    const live = await groups.groupsNotDisabled(db, policyIds);
    if (live.length)
      throw inUse(
        `Cannot update condition ${c.id} as it is being used in ${live.length} vm groups NOT in Disabled state.`,
        'Condition',
        c.id,
      );
    await rules.updateCondition(db, c.id, { operator, threshold: p.threshold });
    for (const policyId of policyIds) await groups.markInactive(db, { policyId });
    await eventLog(db, this.clock, {
      type: 'CONDITION.UPDATE',
      description: `Updated condition ${c.id}`,
      accountId: c.accountId,
      domainId: c.domainId,
      userId: caller.userId,
      resourceId: c.id,
      resourceType: 'Condition',
    });
    return { type: 'success' };
  }

  private async deleteCondition(db: Db, caller: Caller, id: string): Promise<JobResult> {
    const c = await this.condition(db, caller, id);
    if (await rules.conditionInUse(db, id))
      throw inUse('Cannot delete Condition when it is in use by one or more AutoScale Policies.', 'Condition', id);
    await rules.removeCondition(db, id);
    await eventLog(db, this.clock, {
      type: 'CONDITION.DELETE',
      description: `Deleted condition ${id}`,
      accountId: c.accountId,
      domainId: c.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'Condition',
    });
    return { type: 'success' };
  }

  private async condition(db: Db, caller: Caller, id: string): Promise<Condition> {
    const c = await rules.condition(db, id);
    if (!c) throw invalid('Unable to find Condition', 'id');
    assertAccess(caller, c, 'Condition', id);
    return c;
  }

  // ---- policies

  /**
   * createAutoScalePolicy: owned by the account of its first condition (CreateAutoScalePolicyCmd's
   * entity owner); every condition must be the caller's to use and that account's.
   */
  async createPolicy(
    caller: Caller,
    r: PolicyChange & { action: string; duration: number; conditionIds: string[] },
    cmd: string,
  ): Promise<{ policy: AsPolicy; jobId: string }> {
    const action = actionOf(r.action);
    const out = await this.create(caller, cmd, 'AutoScalePolicy', async (db) => {
      const first = r.conditionIds[0] ? await rules.condition(db, r.conditionIds[0]) : undefined;
      const policy: AsPolicy = {
        id: newId(),
        name: r.name ?? null,
        action,
        duration: r.duration,
        quietTime: r.quietTime ?? DEFAULT_QUIET_TIME,
        lastQuietTime: null,
        accountId: first?.accountId ?? caller.accountId,
        domainId: first?.domainId ?? caller.domainId,
        created: this.clock.now(),
      };
      await this.persistPolicy(db, caller, policy, r.conditionIds, true);
      await eventLog(db, this.clock, {
        type: 'AUTOSCALEPOLICY.CREATE',
        description: `creating autoscale policy ${policy.id}`,
        accountId: policy.accountId,
        domainId: policy.domainId,
        userId: caller.userId,
        resourceId: policy.id,
        resourceType: 'AutoScalePolicy',
      });
      return { policy, id: policy.id };
    });
    return { policy: out.value.policy, jobId: out.jobId };
  }

  async policies(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; action?: string; conditionId?: string; groupId?: string },
  ): Promise<AsPolicy[]> {
    const action = f.action !== undefined ? actionOf(f.action) : undefined;
    const accountIds = await scopeAccounts(this.store.db, caller, scope);
    return rules.policies(this.store.db, { ...f, action, accountIds });
  }

  private async updatePolicy(db: Db, caller: Caller, p: { id: string } & PolicyChange): Promise<JobResult> {
    const current = await rules.policy(db, p.id);
    if (!current) throw invalid('Unable to find Auto Scale Policy', 'id');
    assertAccess(caller, current, 'AutoScalePolicy', p.id);
    const policy: AsPolicy = {
      ...current,
      name: p.name ?? current.name,
      duration: p.duration ?? current.duration,
      quietTime: p.quietTime ?? current.quietTime,
    };
    for (const g of await groups.groupsOfPolicy(db, p.id)) {
      if (g.state !== 'DISABLED')
        throw invalid(
          'The AutoScale Policy can be updated only if the Vm Group it is associated with is disabled in state',
          'id',
        );
      if (policy.duration < g.interval)
        throw invalid("duration is less than the associated AutoScaleVmGroup's interval", 'duration');
    }
    await this.persistPolicy(db, caller, policy, p.conditionIds, false);
    if (p.conditionIds?.length) await groups.markInactive(db, { policyId: p.id });
    await eventLog(db, this.clock, {
      type: 'AUTOSCALEPOLICY.UPDATE',
      description: `updating autoscale policy ${p.id}`,
      accountId: policy.accountId,
      domainId: policy.domainId,
      userId: caller.userId,
      resourceId: p.id,
      resourceType: 'AutoScalePolicy',
    });
    return { type: 'object', instanceType: 'AutoScalePolicy', id: p.id };
  }

  /** checkValidityAndPersist (policy): durations, then the conditions (one per counter, all the policy owner's). */
  private async persistPolicy(
    db: Db,
    caller: Caller,
    policy: AsPolicy,
    conditionIds: string[] | undefined,
    isNew: boolean,
  ): Promise<void> {
    if (policy.duration < 0) throw invalid(`duration is an invalid value: ${policy.duration}`, 'duration');
    if (policy.quietTime < 0) throw invalid(`quietTime is an invalid value: ${policy.quietTime}`, 'quiettime');
    if (isNew) await rules.insertPolicy(db, policy);
    else
      await rules.updatePolicy(db, policy.id, {
        name: policy.name,
        duration: policy.duration,
        quietTime: policy.quietTime,
      });
    if (conditionIds === undefined) return;
    if (conditionIds.length === 0) throw invalid('AutoScale policy must have at least one condition', 'conditionids');
    const found = await rules.conditionsByIds(db, conditionIds);
    sameOwner(caller, [...found.map((c) => ({ ...c, kind: 'Condition' })), { ...policy, kind: 'AutoScalePolicy' }]);
    if (found.length !== new Set(conditionIds).size)
      throw invalid('Unable to find the condition specified', 'conditionids');
    const counters = new Set<string>();
    for (const c of found) {
      if (counters.has(c.counterId))
        throw invalid(
          'at least two conditions in the conditionids have the same counter. It is not right to apply two different conditions for the same counter',
          'conditionids',
        );
      counters.add(c.counterId);
    }
    await rules.setPolicyConditions(db, policy, conditionIds);
  }

  private async deletePolicy(db: Db, caller: Caller, id: string): Promise<JobResult> {
    const p = await rules.policy(db, id);
    if (!p) throw invalid('Unable to find AutoScale Policy', 'id');
    assertAccess(caller, p, 'AutoScalePolicy', id);
    if (await groups.policyInUse(db, id))
      throw invalid('Cannot delete AutoScale Policy when it is in use by one or more AutoScale Vm Groups', 'id');
    await rules.removePolicy(db, id);
    await eventLog(db, this.clock, {
      type: 'AUTOSCALEPOLICY.DELETE',
      description: `deleting autoscale policy ${id}`,
      accountId: p.accountId,
      domainId: p.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'AutoScalePolicy',
    });
    return { type: 'success' };
  }

  /** A create command's first phase: the row is written and checked at once; its job reports it. */
  private async create<T extends { id: string }>(
    caller: Caller,
    cmd: string,
    kind: string,
    write: (db: Db) => Promise<T>,
  ): Promise<{ value: T; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const value = await write(trx);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: AS_RULE_JOBS.created,
        params: { id: value.id, kind },
        instanceType: kind,
        instanceId: value.id,
      });
      return { value, jobId };
    });
    this.jobs.kick();
    return out;
  }
}
