import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';

/** What nodes tell each other: a job is waiting, rows changed, the clock moved, a global setting changed. */
export type Channel = 'jobs' | 'changes' | 'clock' | 'settings';

export interface Signals {
  /** Tells every node (this one too) now. */
  publish(channel: Channel, payload?: string): Promise<void>;
  /** Tells every node once `trx` commits, and not at all if it rolls back (outside a transaction: now). */
  publishIn(trx: Kysely<any>, channel: Channel, payload?: string): Promise<void>;
  /** `fromSelf` is true for what this process published. */
  subscribe(channel: Channel, fn: (payload: string, fromSelf: boolean) => void): () => void;
  /** False while the node cannot hear the others (PostgreSQL listener reconnecting). */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * What a transaction says is held until the store sees it commit, then told. (A NOTIFY inside the
 * transaction would do the same on PostgreSQL, but it serializes the commits of every transaction
 * that sent one.)
 */
export abstract class HeldUntilCommit {
  private held = new Map<Kysely<any>, [Channel, string][]>();
  abstract publish(channel: Channel, payload?: string): Promise<void>;
  async publishIn(db: Kysely<any>, channel: Channel, payload = ''): Promise<void> {
    if (!db.isTransaction) return this.publish(channel, payload);
    const list = this.held.get(db) ?? [];
    list.push([channel, payload]);
    this.held.set(db, list);
  }
  /** A transaction of the store ended: tell what it said if it committed, forget it if not. */
  async settle(trx: Kysely<any>, committed: boolean): Promise<void> {
    const list = this.held.get(trx) ?? [];
    this.held.delete(trx);
    if (committed) for (const [c, p] of list) await this.publish(c, p);
  }
}

/** One process, one node: signals are events. */
export class LocalSignals extends HeldUntilCommit implements Signals {
  private bus = new EventEmitter().setMaxListeners(0);
  readonly listening = true;
  async publish(channel: Channel, payload = ''): Promise<void> {
    this.bus.emit(channel, payload, true);
  }
  subscribe(channel: Channel, fn: (payload: string, fromSelf: boolean) => void): () => void {
    this.bus.on(channel, fn);
    return () => this.bus.off(channel, fn);
  }
  async close(): Promise<void> {
    this.bus.removeAllListeners();
  }
}
