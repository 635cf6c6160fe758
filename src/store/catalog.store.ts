import { joinRowsOf, rowsOf } from './repo.js';
import type { Db } from './db.js';
import type {
  Configuration,
  DiskOffering,
  NetworkOffering,
  OsType,
  ServiceOffering,
  Template,
  Zone,
} from '../domain/types.js';

/** Where the ids of each scope a setting may be set for (ConfigKey.Scope) live. */
const SCOPE_TABLES = {
  Zone: 'zones',
  Cluster: 'clusters',
  StoragePool: 'storagePools',
  Account: 'accounts',
  Domain: 'domains',
  ImageStore: 'imageStores',
} as const;

export const catalogStore = {
  zones(db: Db): Promise<Zone[]> {
    return db.selectFrom('zones').selectAll().orderBy('seq').execute();
  },
  zone(db: Db, id: string): Promise<Zone | undefined> {
    return db.selectFrom('zones').selectAll().where('id', '=', id).executeTakeFirst();
  },
  serviceOfferings(db: Db): Promise<ServiceOffering[]> {
    return db.selectFrom('serviceOfferings').selectAll().where('state', '=', 'Active').orderBy('created').execute();
  },
  serviceOffering(db: Db, id: string): Promise<ServiceOffering | undefined> {
    return db.selectFrom('serviceOfferings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  diskOfferings(db: Db): Promise<DiskOffering[]> {
    return db.selectFrom('diskOfferings').selectAll().where('state', '=', 'Active').orderBy('created').execute();
  },
  diskOffering(db: Db, id: string): Promise<DiskOffering | undefined> {
    return db.selectFrom('diskOfferings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  networkOfferings(db: Db): Promise<NetworkOffering[]> {
    return db.selectFrom('networkOfferings').selectAll().orderBy('created').execute();
  },
  osTypes(db: Db): Promise<OsType[]> {
    return db.selectFrom('osTypes').selectAll().orderBy('description').execute();
  },
  /** The `max.*` settings (resource limit defaults), name and value. */
  limitSettings(db: Db): Promise<Pick<Configuration, 'name' | 'value'>[]> {
    return db.selectFrom('configurations').select(['name', 'value']).where('name', 'like', 'max.%').execute();
  },
  /**
   * Whether the zone, cluster, ... a scoped setting names exists. Accounts and domains keep their rows when
   * removed; CloudStack's findById does not see those (zones, clusters, pools and stores are deleted outright).
   */
  async scopeExists(db: Db, scope: keyof typeof SCOPE_TABLES, id: string): Promise<boolean> {
    if (scope === 'Account' || scope === 'Domain') {
      const kept = await db
        .selectFrom(SCOPE_TABLES[scope])
        .select('id')
        .where('id', '=', id)
        .where('removed', 'is', null)
        .executeTakeFirst();
      return !!kept;
    }
    const row = await db
      .selectFrom(SCOPE_TABLES[scope] as 'zones')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return !!row;
  },
  template(db: Db, id: string): Promise<Template | undefined> {
    return db.selectFrom('templates').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
};

/** Adds a global setting a newer polystack knows and this database lacks; an existing one keeps its value. */
export async function addConfiguration(db: Db, c: Configuration): Promise<void> {
  await db
    .insertInto('configurations')
    .values(c)
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function setConfiguration(db: Db, name: string, value: string | null): Promise<void> {
  await db.updateTable('configurations').set({ value }).where('name', '=', name).execute();
}

/** A setting's value for one scope (zone, cluster, ...), replacing any earlier one. */
export async function setScopedConfiguration(
  db: Db,
  name: string,
  scope: string,
  scopeId: string,
  value: string | null,
): Promise<void> {
  await db
    .deleteFrom('scopedConfigurations')
    .where('name', '=', name)
    .where('scope', '=', scope)
    .where('scopeId', '=', scopeId)
    .execute();
  await db.insertInto('scopedConfigurations').values({ name, scope, scopeId, value }).execute();
}

/** resetConfiguration for one scope: the scope reads the global value again. */
export async function removeScopedConfiguration(db: Db, name: string, scope: string, scopeId: string): Promise<void> {
  await db
    .deleteFrom('scopedConfigurations')
    .where('name', '=', name)
    .where('scope', '=', scope)
    .where('scopeId', '=', scopeId)
    .execute();
}

export const configurationRows = joinRowsOf('configurations');
export const diskOfferingRows = rowsOf('diskOfferings');
export const scopedConfigurationRows = joinRowsOf('scopedConfigurations');
export const serviceOfferingRows = rowsOf('serviceOfferings');
