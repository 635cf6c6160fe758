import { isRootAdmin, type Caller } from '../../domain/caller.js';

/** The rate-limit plugin's global settings, with CloudStack's defaults. */
export const THROTTLING_CONFIG = [
  {
    name: 'api.throttling.enabled',
    value: 'false',
    category: 'Advanced',
    description: 'Enable/disable Api rate limit',
  },
  {
    name: 'api.throttling.interval',
    value: '1',
    category: 'Advanced',
    description: 'Time interval (in seconds) to reset API count',
  },
  {
    name: 'api.throttling.max',
    value: '25',
    category: 'Advanced',
    description: 'Max allowed number of APIs within fixed interval',
  },
  {
    name: 'api.throttling.cachesize',
    value: '50000',
    category: 'Advanced',
    description: 'Account based API count cache size',
  },
];

/** The api.throttling.* values a start-up setting overrides (the rest keep what updateConfiguration stored). */
export function throttlingSettings(t: {
  enabled?: boolean;
  intervalS?: number;
  max?: number;
}): [name: string, value: string][] {
  const out: [string, string][] = [];
  if (t.enabled !== undefined) out.push(['api.throttling.enabled', String(t.enabled)]);
  if (t.intervalS !== undefined) out.push(['api.throttling.interval', String(t.intervalS)]);
  if (t.max !== undefined) out.push(['api.throttling.max', String(t.max)]);
  return out;
}

export interface Settings {
  get(name: string): string | undefined;
  num(name: string, dflt: number): number;
  bool(name: string, dflt?: boolean): boolean;
}

interface Window {
  expiry: number;
  count: number;
}

/** What getApiLimit reports for an account. */
export interface ApiLimit {
  issued: number;
  allowed: number;
  expireAfterMs: number;
}

/**
 * API calls per account per fixed window, as CloudStack's ApiRateLimitServiceImpl counts them: a
 * window opens at an account's first call and lasts api.throttling.interval seconds; every call
 * in it counts, and calls past api.throttling.max are refused until it closes. Root admins are
 * never limited. Counts live in this process, as they live in each management server's cache.
 * Settings are read at every call, so updateConfiguration takes effect at once.
 */
export class ApiThrottle {
  private windows = new Map<string, Window>();

  constructor(
    private settings: Settings,
    private now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.settings.bool('api.throttling.enabled');
  }

  /** Counts one call; undefined when it may go ahead, else the ms until the window closes. */
  hit(caller: Caller): number | undefined {
    if (!this.enabled || isRootAdmin(caller)) return undefined;
    const w = this.window(caller.accountId);
    w.count++;
    return w.count <= this.settings.num('api.throttling.max', 25) ? undefined : Math.max(0, w.expiry - this.now());
  }

  status(accountId: string): ApiLimit {
    const w = this.window(accountId);
    return {
      issued: w.count,
      allowed: this.settings.num('api.throttling.max', 25) - w.count,
      expireAfterMs: Math.max(0, w.expiry - this.now()),
    };
  }

  /** resetApiLimit: one account's window, or every window. */
  reset(accountId?: string): void {
    if (accountId === undefined) this.windows.clear();
    else this.windows.delete(accountId);
  }

  private window(accountId: string): Window {
    const now = this.now();
    let w = this.windows.get(accountId);
    if (!w || w.expiry <= now) {
      // The cache holds at most api.throttling.cachesize accounts; an evicted one starts afresh, as in Ehcache.
      if (!w && this.windows.size >= this.settings.num('api.throttling.cachesize', 50000)) this.evict(now);
      w = { expiry: now + this.settings.num('api.throttling.interval', 1) * 1000, count: 0 };
      this.windows.set(accountId, w);
    }
    return w;
  }

  private evict(now: number): void {
    for (const [k, w] of this.windows) if (w.expiry <= now) this.windows.delete(k);
    if (this.windows.size >= this.settings.num('api.throttling.cachesize', 50000))
      this.windows.delete(this.windows.keys().next().value!);
  }
}
