import type { Volume } from '../domain/types.js';
import type { Store } from '../store/db.js';
import { volumeStore } from '../store/volume.store.js';
import type { Caller } from './context.js';
import { scopeAccounts, type ListScope } from './scope.js';

export class VolumeService {
  constructor(private store: Store) {}

  async list(caller: Caller, scope: ListScope, f: { id?: string; vmId?: string; zoneId?: string; type?: string; name?: string; keyword?: string }): Promise<Volume[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return volumeStore.list(this.store.db, { ...f, accountIds: accounts });
  }
}
