import type { Db, Store } from '../../store/db.js';
import type { Configuration } from '../../domain/types.js';
import {
  removeScopedConfiguration,
  setConfiguration,
  setScopedConfiguration,
  configurationRows,
  scopedConfigurationRows,
} from '../../store/catalog.store.js';
import { forbidden, invalid } from '../../domain/errors.js';
import { parseDuration } from '../../domain/duration.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { DEFAULT_CONFIG } from './catalog.seed.js';
import { LIMIT_SETTINGS } from '../resources.js';
import { PROJECT_SETTINGS } from '../identity/organisation.seed.js';
import { RANGE_SETTINGS, SCOPED_SETTINGS, scopeExists, scopeOf, type ScopeTarget } from './settings.scopes.js';
import { accountStore } from '../../store/account.store.js';

/** Every declared setting's default: what resetConfiguration puts back. */
const DEFAULTS = new Map(
  [...DEFAULT_CONFIG, ...LIMIT_SETTINGS, ...PROJECT_SETTINGS, ...SCOPED_SETTINGS].map((c) => [c.name, c.value]),
);
export const defaultOf = (name: string): string | undefined => DEFAULTS.get(name);
/** ConfigurationManagerImpl.getConfigurationType: Range for the weights, else from the default's form (polystack keeps no Java type per setting). */
export function typeOf(v: string | null | undefined, name?: string): string {
  if (name && RANGE_SETTINGS.has(name)) return 'Range';
  if (v === 'true' || v === 'false') return 'Boolean';
  if (v && /^-?\d+$/.test(v)) return 'Number';
  if (v && /^-?\d*\.\d+$/.test(v)) return 'Decimal';
  return 'String';
}
const key = (name: string, t: ScopeTarget) => `${t.scope}\u0000${t.id}\u0000${name}`;

/**
 * ConfigurationManagerImpl's configValuesForValidation that polystack has: Integer settings that
 * updateConfiguration only takes as a positive whole number.
 */
const POSITIVE_INTEGERS = new Set([
  'incorrect.login.attempts.allowed',
  'account.cleanup.interval',
  'expunge.interval',
  'network.gc.interval',
  'ping.interval',
  'storage.cleanup.interval',
]);

/** Global settings, cached; every update goes through here so the cache stays true. */
export class ConfigService {
  private cache: Map<string, Configuration> | undefined;
  private scoped = new Map<string, string | null>();
  constructor(private store: Store) {
    // Another node's updateConfiguration: this node's cache reads the table again.
    store.signals.subscribe('settings', (_p, fromSelf) => {
      if (!fromSelf) void this.load().catch(() => {});
    });
  }

  async load(): Promise<void> {
    const [globals, scoped] = await Promise.all([
      configurationRows.all(this.store.db),
      scopedConfigurationRows.all(this.store.db),
    ]);
    this.cache = new Map(globals.map((c) => [c.name, c]));
    this.scoped = new Map(
      scoped.map((c) => [key(c.name, { scope: c.scope as ScopeTarget['scope'], id: c.scopeId }), c.value]),
    );
  }

  /** ConfigKey.valueIn: the value set for this zone, cluster, ... if any, else the global one. */
  in(name: string, t: ScopeTarget | undefined): string | undefined {
    if (t && scopeOf(name) === t.scope && this.scoped.has(key(name, t)))
      return this.scoped.get(key(name, t)) ?? undefined;
    return this.get(name);
  }
  numIn(name: string, t: ScopeTarget | undefined, dflt: number): number {
    const v = this.in(name, t);
    return v !== undefined && Number.isFinite(Number(v)) ? Number(v) : dflt;
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
  async update(caller: Caller, name: string, value: string | undefined, target?: ScopeTarget): Promise<Configuration> {
    const current = await this.check(caller, name, target);
    if (value !== undefined && value !== '' && POSITIVE_INTEGERS.has(name)) {
      if (!/^[+-]?\d+$/.test(value) || Number(value) > 2 ** 31 - 1)
        throw invalid(`There was an error trying to parse the integer value for:${name}`, 'value');
      if (Number(value) <= 0)
        throw invalid(`Please enter a positive value for the configuration parameter:${name}`, 'value');
    }
    if (
      value !== undefined &&
      value !== '' &&
      name.startsWith('polystack.delay.') &&
      parseDuration(value) === undefined
    )
      throw invalid(`Value ${value} for ${name} is not a duration (e.g. 1500, 30s, 5m)`, 'value');
    if (
      value !== undefined &&
      value !== '' &&
      /^-?\d+(\.\d+)?$/.test(current.value ?? '') &&
      !/^-?\d+(\.\d+)?$/.test(value) &&
      !name.startsWith('polystack.delay.')
    )
      throw invalid(`Please enter a valid value for parameter ${name}: a number`, 'value');
    // ConfigurationManagerImpl checks a Boolean setting's value before it stores it.
    if (
      value !== undefined &&
      value !== '' &&
      ['true', 'false'].includes(current.value ?? '') &&
      !['true', 'false'].includes(value)
    )
      throw invalid("Please enter either 'true' or 'false'.", 'value');
    await this.store.tx(async (trx) => {
      // A scoped value lives beside the global one, which it leaves as it was.
      if (target) await setScopedConfiguration(trx, name, target.scope, target.id, value ?? null);
      else await setConfiguration(trx, name, value ?? null);
      await this.store.signals.publishIn(trx, 'settings');
    });
    await this.load();
    return {
      ...this.cache!.get(name)!,
      value: (target ? await this.valueIn(this.store.db, name, target) : this.get(name)) ?? null,
    };
  }

  /** resetConfiguration: a global setting gets its default back; a scoped one loses its override and reads the global value. */
  async reset(caller: Caller, name: string, target?: ScopeTarget): Promise<Configuration> {
    await this.check(caller, name, target);
    const dflt = DEFAULTS.get(name) ?? null;
    await this.store.tx(async (trx) => {
      if (target) await removeScopedConfiguration(trx, name, target.scope, target.id);
      else await setConfiguration(trx, name, dflt);
      await this.store.signals.publishIn(trx, 'settings');
    });
    await this.load();
    return {
      ...this.cache!.get(name)!,
      value: (target ? await this.valueIn(this.store.db, name, target) : this.get(name)) ?? null,
    };
  }

  /** What updateConfiguration and resetConfiguration check first, with ConfigurationManagerImpl's messages. */
  private async check(caller: Caller, name: string, target: ScopeTarget | undefined): Promise<Configuration> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can update global settings');
    const current = this.cache?.get(name);
    if (!current) throw invalid(`Config parameter with name ${name} doesn't exist`, 'name');
    if (!target) return current;
    if (!this.settableIn(name, target.scope))
      throw invalid(`Invalid scope id provided for the parameter ${name}`, 'name');
    if (!(await scopeExists(this.store.db, target)))
      throw invalid(`unable to find ${target.scope.toLowerCase()} by id ${target.id}`, 'id');
    return current;
  }

  /** StorageOverprovisioningFactor.valueIn(pool), as listStoragePools prints it (Double.toString). */
  poolOverprovision(poolId: string): string {
    const n = this.numIn('storage.overprovisioning.factor', { scope: 'StoragePool', id: poolId }, 2);
    return Number.isInteger(n) ? n.toFixed(1) : String(n);
  }

  /**
   * A setting of this scope, or an Account setting at a domain once enable.account.settings.for.domain
   * is on (ConfigurationManagerImpl.validateConfigurationValue, ManagementServerImpl.searchForConfigurations).
   */
  private settableIn(name: string, scope: ScopeTarget['scope']): boolean {
    const own = scopeOf(name);
    return (
      own === scope || (scope === 'Domain' && own === 'Account' && this.bool('enable.account.settings.for.domain'))
    );
  }

  /** listConfigurations with a zone, cluster, ...: the settings of that scope, each with its value there. */
  async allIn(target: ScopeTarget): Promise<Configuration[]> {
    const out: Configuration[] = [];
    for (const c of this.all().filter((c) => this.settableIn(c.name, target.scope)))
      out.push({ ...c, value: (await this.valueIn(this.store.db, c.name, target)) ?? null });
    return out;
  }

  /**
   * ConfigKey.valueIn / valueInDomain as the details DAOs answer them: an account's own value, else
   * (enable.account.settings.for.domain and enable.domain.settings.for.child.domain both on) the value
   * of its domain or the nearest ancestor that has one; a domain's own value, else (the child-domain
   * flag on) its nearest ancestor's; else the global value.
   */
  async valueIn(db: Db, name: string, t: ScopeTarget): Promise<string | undefined> {
    if (t.scope !== 'Account' && t.scope !== 'Domain') return this.in(name, t);
    const own = this.scoped.get(key(name, t));
    if (own !== undefined && own !== null) return own;
    const walk =
      this.bool('enable.domain.settings.for.child.domain') &&
      (t.scope === 'Domain' || this.bool('enable.account.settings.for.domain'));
    if (!walk) return this.get(name);
    let d = t.scope === 'Domain' ? await accountStore.domainById(db, t.id) : await this.domainOfAccount(db, t.id);
    if (t.scope === 'Domain') d = d?.parentId ? await accountStore.domainById(db, d.parentId) : undefined;
    for (; d; d = d.parentId ? await accountStore.domainById(db, d.parentId) : undefined) {
      const v = this.scoped.get(key(name, { scope: 'Domain', id: d.id }));
      if (v !== undefined && v !== null) return v;
    }
    return this.get(name);
  }

  private async domainOfAccount(db: Db, accountId: string) {
    const acct = await accountStore.accountById(db, accountId);
    return acct ? accountStore.domainById(db, acct.domainId) : undefined;
  }
}
