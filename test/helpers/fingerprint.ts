import { createHash } from 'node:crypto';
import type { Store } from '../../src/store/db.js';

/**
 * A hash of everything stored, except what any request may add (jobs, events, sessions), the
 * numbers a create draws before its transaction (sequences: a refused one leaves a gap, as
 * CloudStack's ids do) and the nodes' heartbeats. Rows are hashed in a sorted order: PostgreSQL returns them in no fixed one.
 */
export async function fingerprint(store: Store): Promise<string> {
  const h = createHash('sha256');
  const tables = await tablesOf(store);
  for (const t of tables) {
    const rows = ((await (store.db as any).selectFrom(t).selectAll().execute()) as unknown[])
      .map((r) => JSON.stringify(r))
      .sort();
    h.update(t).update(rows.join('\n'));
  }
  return h.digest('hex');
}

/** The write counts of the fingerprinted tables: equal counts, equal contents (store.writesByTable sees every write). */
function writesTo(store: Store, tables: readonly string[]): string {
  const by = store.writesByTable();
  return tables.map((t) => by.get(t) ?? 0).join(',');
}

/**
 * `fingerprint`, hashed again only after a write to a fingerprinted table: for tests that compare it
 * around thousands of refused requests, which write nothing. A write that was rolled back still
 * makes it hash again, so a half-written state is still seen.
 */
export function fingerprinter(store: Store): () => Promise<string> {
  let last: { writes: string; hash: string } | undefined;
  return async () => {
    const writes = writesTo(store, await tablesOf(store));
    if (last?.writes !== writes) last = { writes, hash: await fingerprint(store) };
    return last.hash;
  };
}

/** The tables of a store, read once: introspection reads every table's columns, and no test changes the schema. */
const TABLES = new WeakMap<Store, Promise<string[]>>();
function tablesOf(store: Store): Promise<string[]> {
  let t = TABLES.get(store);
  if (!t) {
    t = store.db.introspection.getTables().then((ts) =>
      ts
        .map((x) => x.name)
        .filter((n) => !/^kysely_|^(jobs|events|sessions|sequences|managementServers)$/.test(n))
        .sort(),
    );
    TABLES.set(store, t);
  }
  return t;
}
