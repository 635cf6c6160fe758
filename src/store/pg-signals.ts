import { EventEmitter } from 'node:events';
import pg from 'pg';
import { newId } from '../domain/ids.js';
import { HeldUntilCommit, type Channel, type Signals } from './signals.js';

// Apart from signals.ts so a SQLite process never loads the pg driver.
const PREFIX = 'polystack_';

/** LISTEN/NOTIFY on one dedicated connection, re-established when it drops. */
export class PgSignals extends HeldUntilCommit implements Signals {
  private bus = new EventEmitter().setMaxListeners(0);
  private client: pg.Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly self = newId();
  listening = false;

  private constructor(
    private config: pg.ClientConfig,
    private pool: pg.Pool,
    private onReconnect: () => void,
  ) {
    super();
  }

  static async start(config: pg.ClientConfig, pool: pg.Pool, onReconnect: () => void): Promise<PgSignals> {
    const s = new PgSignals(config, pool, onReconnect);
    await s.connect();
    return s;
  }

  private async connect(): Promise<void> {
    const c = new pg.Client(this.config);
    c.on('error', () => this.lost(c));
    c.on('end', () => this.lost(c));
    c.on('notification', (m) => {
      if (!m.channel.startsWith(PREFIX)) return;
      const raw = m.payload ?? '';
      const at = raw.indexOf(':');
      const from = at < 0 ? '' : raw.slice(0, at);
      this.bus.emit(m.channel.slice(PREFIX.length), at < 0 ? raw : raw.slice(at + 1), from === this.self);
    });
    await c.connect();
    for (const ch of ['jobs', 'changes', 'clock', 'settings'] satisfies Channel[])
      await c.query(`LISTEN ${PREFIX}${ch}`);
    this.client = c;
    this.listening = true;
    // Whatever was said while nobody listened is lost: everyone reacts as if it had been said.
    this.onReconnect();
  }

  private lost(c: pg.Client): void {
    if (this.client !== c) return;
    this.client = undefined;
    this.listening = false;
    c.removeAllListeners();
    void c.end().catch(() => {});
    this.schedule();
  }

  private schedule(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) this.connect().catch(() => this.schedule());
    }, 500);
    this.retry.unref();
  }

  /** Per message: the NOTIFY being sent, and the one that will follow it for those who asked since it left. */
  private sending = new Map<string, { current: Promise<void>; next?: Promise<void> }>();

  /**
   * The same message asked for while one is on its way is sent once more after it, for all of them
   * (a burst of commits each saying 'changes' or 'jobs' costs two NOTIFYs, not one each); every caller's
   * NOTIFY still leaves after its call.
   */
  publish(channel: Channel, payload = ''): Promise<void> {
    const key = `${channel}\n${payload}`;
    const send = () => this.notify(channel, payload);
    const slot = this.sending.get(key);
    if (!slot) {
      const current = send().finally(() => this.advance(key, current));
      this.sending.set(key, { current });
      return current;
    }
    slot.next ??= slot.current.then(send, send);
    return slot.next;
  }

  private advance(key: string, done: Promise<void>): void {
    const slot = this.sending.get(key);
    if (!slot || slot.current !== done) return;
    if (!slot.next) {
      this.sending.delete(key);
      return;
    }
    const current = slot.next;
    const follow = current.finally(() => this.advance(key, current));
    follow.catch(() => {});
    this.sending.set(key, { current });
  }

  private async notify(channel: Channel, payload: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [PREFIX + channel, `${this.self}:${payload}`]);
  }

  subscribe(channel: Channel, fn: (payload: string, fromSelf: boolean) => void): () => void {
    this.bus.on(channel, fn);
    return () => this.bus.off(channel, fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = undefined;
    this.listening = false;
    this.bus.removeAllListeners();
    if (c) {
      c.removeAllListeners();
      c.on('error', () => {});
      await c.end().catch(() => {});
    }
  }
}
