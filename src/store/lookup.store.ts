import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inChunks } from './idlist.js';
import type { Database } from './schema.js';

/** Whole small tables keyed by id, for naming things in responses. */
export async function byId<
  T extends
    | 'zones'
    | 'accounts'
    | 'domains'
    | 'templates'
    | 'serviceOfferings'
    | 'diskOfferings'
    | 'hosts'
    | 'osTypes'
    | 'networkOfferings'
    | 'pods'
    | 'clusters'
    | 'storagePools'
    | 'roles'
    | 'projects'
    | 'users'
    | 'backupOfferings',
>(db: Db, table: T): Promise<Map<string, Database[T]>> {
  const rows = (await (db as any).selectFrom(table).selectAll().execute()) as Database[T][];
  return new Map(rows.map((r) => [(r as { id: string }).id, r]));
}

export async function rowsByIds<
  T extends
    | 'networks'
    | 'securityGroups'
    | 'vms'
    | 'publicIps'
    | 'hosts'
    | 'userData'
    | 'loadBalancerRules'
    | 'asVmGroups'
    | 'zones'
    | 'accounts'
    | 'domains'
    | 'templates'
    | 'serviceOfferings'
    | 'osTypes',
>(db: Db, table: T, ids: string[]): Promise<Map<string, Database[T]>> {
  const m = new Map<string, Database[T]>();
  const rows = await inChunks(
    ids,
    (chunk) => (db as any).selectFrom(table).selectAll().where('id', 'in', chunk).execute() as Promise<Database[T][]>,
  );
  for (const r of rows) m.set((r as { id: string }).id, r);
  return m;
}

export const osTypeRows = rowsOf('osTypes');
