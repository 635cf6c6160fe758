import type { ManagementServer } from '../../domain/cluster.js';
import type { Store } from '../../store/db.js';
import { nodeStore } from '../../store/node.store.js';

/** The nodes serving this cloud (listManagementServers). */
export class NodeService {
  constructor(private store: Store) {}

  list(f: { id?: string; name?: string; keyword?: string }): Promise<ManagementServer[]> {
    return nodeStore.list(this.store.db, f);
  }
}
