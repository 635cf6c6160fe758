import type { Db } from '../../store/db.js';
import { projectStore } from '../../store/project.store.js';
import { resourceStore } from '../../store/resource.store.js';
import * as state from '../../store/state.store.js';

/** What an account's removal keeps: its own rows (marked removed), the record of what happened, and the shared address pool. */
const KEPT = new Set(['accounts', 'users', 'publicIps', 'events', 'jobs']);

/**
 * AccountManagerImpl.cleanupAccount, in one transaction: VMs, volumes, networks and their
 * routers and rules, VPCs, groups, keys, templates and tags of the account go; its addresses and
 * VLANs return to the pool and host and storage usage is recomputed from what is left.
 */
export async function purgeAccountResources(db: Db, accountId: string): Promise<void> {
  await state.releaseAccountNetworking(db, accountId);
  await state.deleteVmLinks(db, accountId);
  for (const t of await state.ownedTables(db)) if (!KEPT.has(t)) await state.deleteOwned(db, t, accountId);
  await state.recomputeCapacity(db);
  await projectStore.removeMembersOf(db, { accountId });
  await resourceStore.removeCounts(db, accountId);
  await resourceStore.removeLimits(db, 'account', accountId);
}
