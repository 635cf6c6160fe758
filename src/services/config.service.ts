import type { Store } from '../store/db.js';
import type { Configuration } from '../domain/types.js';
import { allRows } from '../store/repo.js';
import { setConfiguration } from '../store/catalog.store.js';
import { forbidden, invalid } from '../domain/errors.js';
import { parseDuration } from '../domain/duration.js';
import { isRootAdmin, type Caller } from './context.js';

/**
 * ConfigurationManagerImpl's configValuesForValidation that polystack has: Integer settings that
 * updateConfiguration only takes as a positive whole number.
 */
const POSITIVE_INTEGERS = new Set(['incorrect.login.attempts.allowed', 'account.cleanup.interval', 'expunge.interval', 'network.gc.interval', 'ping.interval', 'storage.cleanup.interval']);

/** Global settings, cached; every update goes through here so the cache stays true. */
export class ConfigService {
  private cache: Map<string, Configuration> | undefined;
  constructor(private store: Store) {
    // Another node's updateConfiguration: this node's cache reads the table again.
    store.signals.subscribe('settings', (_p, fromSelf) => {
      if (!fromSelf) void this.load().catch(() => {});
    });
  }

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

  /** updateConfiguration: only settings that exist, with values their kind accepts; the cache follows. */
  async update(caller: Caller, name: string, value: string | undefined): Promise<Configuration> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can update global settings');
    const current = this.cache?.get(name);
    if (!current) throw invalid(`Config parameter with name ${name} doesn't exist`, 'name');
    if (value !== undefined && value !== '' && POSITIVE_INTEGERS.has(name)) {
      if (!/^[+-]?\d+$/.test(value) || Number(value) > 2 ** 31 - 1) throw invalid(`There was an error trying to parse the integer value for:${name}`, 'value');
      if (Number(value) <= 0) throw invalid(`Please enter a positive value for the configuration parameter:${name}`, 'value');
    }
    if (value !== undefined && value !== '' && name.startsWith('polystack.delay.') && parseDuration(value) === undefined)
      throw invalid(`Value ${value} for ${name} is not a duration (e.g. 1500, 30s, 5m)`, 'value');
    if (value !== undefined && value !== '' && /^-?\d+(\.\d+)?$/.test(current.value ?? '') && !/^-?\d+(\.\d+)?$/.test(value) && !name.startsWith('polystack.delay.'))
      throw invalid(`Please enter a valid value for parameter ${name}: a number`, 'value');
    // ConfigurationManagerImpl checks a Boolean setting's value before it stores it.
    if (value !== undefined && value !== '' && ['true', 'false'].includes(current.value ?? '') && !['true', 'false'].includes(value))
      throw invalid("Please enter either 'true' or 'false'.", 'value');
    await this.store.tx(async (trx) => {
      await setConfiguration(trx, name, value ?? null);
      await this.store.signals.publishIn(trx, 'settings');
    });
    await this.load();
    return this.cache!.get(name)!;
  }
}
