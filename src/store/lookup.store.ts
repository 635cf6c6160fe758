import type { Db } from './db.js';
import type { Database } from './schema.js';

/** Whole small tables keyed by id, for naming things in responses. */
export async function byId<T extends 'zones' | 'accounts' | 'domains' | 'templates' | 'serviceOfferings' | 'diskOfferings' | 'osTypes' | 'networkOfferings' | 'pods' | 'clusters' | 'storagePools'>(
  db: Db,
  table: T,
): Promise<Map<string, Database[T]>> {
  const rows = (await (db as any).selectFrom(table).selectAll().execute()) as Database[T][];
  return new Map(rows.map((r) => [(r as { id: string }).id, r]));
}

export async function rowsByIds<T extends 'networks' | 'securityGroups' | 'vms' | 'publicIps' | 'hosts'>(db: Db, table: T, ids: string[]): Promise<Map<string, Database[T]>> {
  const m = new Map<string, Database[T]>();
  const uniq = [...new Set(ids)];
  for (let i = 0; i < uniq.length; i += 500) {
    const rows = (await (db as any).selectFrom(table).selectAll().where('id', 'in', uniq.slice(i, i + 500)).execute()) as Database[T][];
    for (const r of rows) m.set((r as { id: string }).id, r);
  }
  return m;
}
