import { createHash } from 'node:crypto';
import type { Store } from '../../src/store/db.js';

/** A hash of everything stored, except what any request may add (jobs, events, sessions). */
export async function fingerprint(store: Store): Promise<string> {
  const h = createHash('sha256');
  const tables = (await store.db.introspection.getTables()).map((t) => t.name).filter((n) => !/^kysely_|^(jobs|events|sessions)$/.test(n)).sort();
  for (const t of tables) h.update(t).update(JSON.stringify(await (store.db as any).selectFrom(t).selectAll().execute()));
  return h.digest('hex');
}
