import type { ApiReply } from './exchange.js';
import type { RawPairs } from './params.js';

/** Parameters that authenticate a request but do not change its answer. */
const AUTH = new Set(['apikey', 'signature', 'signatureversion', 'expires', 'sessionkey', '_']);

/**
 * Answers of list commands, reused while the database has not been written to. The key is the
 * caller and every parameter that shapes the answer; the entry remembers the data version it was
 * computed at, so any write in between makes it stale.
 */
export class ResponseCache {
  private entries = new Map<string, { version: number; reply: ApiReply; body?: Record<string, unknown> }>();
  constructor(
    private maxEntries = 256,
    private maxBodyBytes = 16 * 1024 * 1024,
  ) {}

  static key(userId: string, pairs: RawPairs): string {
    const kept = pairs.filter(([k]) => !AUTH.has(k.toLowerCase())).map(([k, v]) => `${k.toLowerCase()}=${v}`);
    kept.sort();
    return `${userId}\n${kept.join('&')}`;
  }

  get(key: string, version: number): ApiReply | undefined {
    return this.entry(key, version)?.reply;
  }

  /** The body object the answer was encoded from, when a front in this process asked for it (it is never handed out as is). */
  body(key: string, version: number): Record<string, unknown> | undefined {
    return this.entry(key, version)?.body;
  }

  private entry(key: string, version: number) {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.version !== version) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place: a Map iterates in insertion order, so the oldest is evicted first.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, version: number, reply: ApiReply, body?: Record<string, unknown>): void {
    if (reply.body.length > this.maxBodyBytes) return;
    // Encoded once here rather than on every send.
    this.entries.set(key, {
      version,
      reply: { ...reply, bytes: Buffer.from(reply.body, 'utf8') },
      ...(body ? { body } : {}),
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
