import type { Store } from '../store/db.js';
import type { Configuration } from '../domain/types.js';
import { allRows } from '../store/repo.js';

/** Global settings, cached; every update goes through here so the cache stays true. */
export class ConfigService {
  private cache: Map<string, Configuration> | undefined;
  constructor(private store: Store) {}

  async load(): Promise<void> {
    this.cache = new Map((await allRows(this.store.db, 'configurations')).map((c) => [c.name, c]));
  }

  /** Synchronous read of a loaded setting (load() runs at start). */
  get(name: string): string | undefined {
    return this.cache?.get(name)?.value ?? undefined;
  }
  num(name: string, dflt: number): number {
    const v = Number(this.get(name));
    return Number.isFinite(v) && this.get(name) !== undefined ? v : dflt;
  }
  bool(name: string, dflt = false): boolean {
    const v = this.get(name);
    return v === undefined ? dflt : v.toLowerCase() === 'true';
  }
  all(): Configuration[] {
    return [...(this.cache?.values() ?? [])];
  }
}
