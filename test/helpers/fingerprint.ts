import { createHash } from 'node:crypto';
import type { Store } from '../../src/store/db.js';

/**
 * A hash of everything stored, except what any request may add (jobs, events, sessions) and the
 * nodes' heartbeats. Rows are hashed in a sorted order: PostgreSQL returns them in no fixed one.
 */
export async function fingerprint(store: Store): Promise<string> {
  const h = createHash('sha256');
  const tables = (await store.db.introspection.getTables()).map((t) => t.name).filter((n) => !/^kysely_|^(jobs|events|sessions|managementServers)$/.test(n)).sort();
  for (const t of tables) {
    const rows = ((await (store.db as any).selectFrom(t).selectAll().execute()) as unknown[]).map((r) => JSON.stringify(r)).sort();
    h.update(t).update(rows.join('\n'));
  }
  return h.digest('hex');
}
