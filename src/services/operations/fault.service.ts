import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { FaultEffect, FaultRule } from '../../domain/types.js';
import type { Store } from '../../store/db.js';
import { faultStore } from '../../store/fault.store.js';
import { accountRows } from '../../store/account.store.js';
import { zoneRows } from '../../store/datacenter.store.js';
import { hostRows } from '../../store/host.store.js';
import { VersionedCache } from '../versioned.js';

export const FRONTS = ['cloudstack', 'ec2', 'gce', '*'] as const;

export interface NewFault {
  front?: string;
  /** Command, action or method name; '*' for all. */
  operation?: string;
  accountId?: string;
  zoneId?: string;
  hostId?: string;
  effect: FaultEffect;
  /** For `error`: the HTTP status the front answers with (its own error shape). */
  status?: number;
  message?: string;
  delayMs?: number;
  probability?: number;
  count?: number;
}

/** What a front must do for a request a fault rule caught. */
export type FaultOutcome =
  | { effect: 'error'; status: number; message: string; rule: string }
  | { effect: 'delay'; delayMs: number; rule: string };

/**
 * One fault engine for every front: rules match by front, operation, account, zone or host, fire
 * with a probability and at most `count` times, and either fail the request, delay it, or make
 * the allocator report no capacity (each front then answers in its own shape).
 */
export class FaultService {
  private random: () => number = Math.random;
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  /** Operation names each front serves (lower-cased), so a rule naming none of them is refused. */
  private operations = new Map<string, Set<string>>();

  /** Tests make probabilities repeatable. */
  useRandom(r: () => number): void {
    this.random = r;
  }

  /** A front announces what it serves: CloudStack commands, EC2 actions, GCE method ids. */
  knowOperations(front: string, names: Iterable<string>): void {
    this.operations.set(front, new Set([...names].map((n) => n.toLowerCase())));
  }

  /** A rule that could never fire is a mistake the caller wants to hear about, not a silent no-op. */
  private async assertMatchable(front: string, f: NewFault): Promise<void> {
    const op = f.operation ?? '*';
    if (op !== '*' && this.operations.size > 0) {
      const fronts = front === '*' ? [...this.operations.keys()] : [front];
      if (!fronts.some((fr) => this.operations.get(fr)?.has(op.toLowerCase())))
        throw invalid(
          `operation ${op} matches nothing: ${front === '*' ? 'no front' : `the ${front} front`} serves no command, action or method of that name`,
          'operation',
        );
    }
    for (const [rows, table, id, name] of [
      [zoneRows, 'zones', f.zoneId, 'zoneId'],
      [hostRows, 'hosts', f.hostId, 'hostId'],
      [accountRows, 'accounts', f.accountId, 'accountId'],
    ] as const)
      if (id !== undefined && !(await rows.get(this.store.db, id)))
        throw invalid(`${name} ${id} matches nothing: no such ${table.slice(0, -1)}`, name);
  }

  async add(f: NewFault): Promise<FaultRule> {
    const front = (f.front ?? '*').toLowerCase();
    if (!(FRONTS as readonly string[]).includes(front))
      throw invalid(`unknown front ${f.front}; expected one of ${FRONTS.join(', ')}`, 'front');
    if (!['error', 'delay', 'capacity'].includes(f.effect))
      throw invalid(`unknown effect ${f.effect}; expected error, delay or capacity`, 'effect');
    const probability = f.probability ?? 1;
    if (!(probability > 0 && probability <= 1)) throw invalid('probability must be in (0, 1]', 'probability');
    if (f.count !== undefined && !(Number.isInteger(f.count) && f.count > 0))
      throw invalid('count must be a positive integer', 'count');
    if (f.effect === 'error' && f.status !== undefined && !(f.status >= 400 && f.status <= 599))
      throw invalid('status must be an HTTP error status (400-599)', 'status');
    if (f.effect === 'delay' && !(typeof f.delayMs === 'number' && f.delayMs > 0))
      throw invalid('a delay needs delayMs > 0', 'delayMs');
    if (f.effect === 'capacity' && !f.zoneId && !f.hostId && (f.operation ?? '*') !== '*')
      throw invalid(
        'a capacity fault is raised by the allocator: scope it by zone, host or account, not by operation',
        'operation',
      );
    await this.assertMatchable(front, f);
    const rule: FaultRule = {
      id: newId(),
      front,
      operation: f.operation ?? '*',
      accountId: f.accountId ?? null,
      zoneId: f.zoneId ?? null,
      hostId: f.hostId ?? null,
      effect: f.effect,
      status: f.effect === 'error' ? (f.status ?? 530) : null,
      message: f.message ?? null,
      delayMs: f.delayMs ?? null,
      probability,
      remaining: f.count ?? null,
      hits: 0,
      created: this.clock.now(),
    };
    await this.store.tx((trx) => faultStore.insert(trx, rule));
    return rule;
  }

  list(): Promise<FaultRule[]> {
    return faultStore.list(this.store.db);
  }

  async remove(id: string): Promise<void> {
    if (!(await this.store.tx((trx) => faultStore.remove(trx, id))))
      throw new DomainError('NotFound', `No fault rule ${id}`, { kind: 'FaultRule', id });
  }

  async clear(): Promise<void> {
    await this.store.tx((trx) => faultStore.clear(trx));
  }

  /** The first error or delay rule that fires for a request at a front. */
  private liveCache = new VersionedCache<string, FaultRule[]>();

  /** Live rules of a front, re-read only after the rules are written (asked on every request). */
  private liveRules(front: string): Promise<FaultRule[]> {
    return this.liveCache.get(front, this.store.versionOf(['faultRules']), () => faultStore.live(this.store.db, front));
  }

  async atFront(front: string, operation: string, accountId: string | undefined): Promise<FaultOutcome | undefined> {
    const rules = (await this.liveRules(front)).filter(
      (r) =>
        r.effect !== 'capacity' &&
        !r.zoneId &&
        !r.hostId &&
        (r.operation === '*' || r.operation.toLowerCase() === operation.toLowerCase()) &&
        (!r.accountId || r.accountId === accountId),
    );
    for (const r of rules) {
      if (!(await this.fires(r))) continue;
      if (r.effect === 'delay') return { effect: 'delay', delayMs: Number(r.delayMs), rule: r.id };
      return {
        effect: 'error',
        status: Number(r.status ?? 530),
        message: r.message ?? `polystack fault rule ${r.id}`,
        rule: r.id,
      };
    }
    return undefined;
  }

  /**
   * Capacity faults, asked by the allocator for one placement: whether the whole zone is refused
   * (zone or account rules), and which candidate hosts are (host rules). Whatever front the
   * request came through, its own insufficient-capacity error follows.
   */
  async capacity(
    placement: () => Promise<{ zoneId: string; accountId: string; hostIds: string[] }>,
  ): Promise<{ zone: boolean; hosts: Set<string> }> {
    const hosts = new Set<string>();
    const live = (await faultStore.list(this.store.db)).filter(
      (r) => r.effect === 'capacity' && (r.remaining === null || r.remaining > 0),
    );
    if (!live.length) return { zone: false, hosts };
    const { zoneId, accountId, hostIds } = await placement();
    const rules = live.filter((r) => (!r.zoneId || r.zoneId === zoneId) && (!r.accountId || r.accountId === accountId));
    for (const r of rules) {
      if (r.hostId && !hostIds.includes(r.hostId)) continue;
      if (!(await this.fires(r))) continue;
      if (!r.hostId) return { zone: true, hosts };
      hosts.add(r.hostId);
    }
    return { zone: false, hosts };
  }

  /** Counted in its own transaction: never call from inside another one (one SQLite connection would wait on itself). */
  private async fires(r: FaultRule): Promise<boolean> {
    if (r.probability < 1 && this.random() >= r.probability) return false;
    return this.store.tx((trx) => faultStore.hit(trx, r));
  }
}
