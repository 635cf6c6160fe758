import type { Volume } from '../domain/types.js';
import type { Store } from '../store/db.js';
import type { Caller } from './context.js';
import { isAdmin } from './context.js';
import { scopeAccounts, type ListScope } from './scope.js';

export class VolumeService {
  constructor(private store: Store) {}

  async list(caller: Caller, scope: ListScope, f: { id?: string; vmId?: string; zoneId?: string; type?: string; name?: string; keyword?: string }): Promise<Volume[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    let q = this.store.db.selectFrom('volumes').selectAll().where('removed', 'is', null);
    if (accounts) q = q.where('accountId', 'in', accounts.length ? accounts : ['']);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.vmId) q = q.where('vmId', '=', f.vmId);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.type) q = q.where('type', '=', f.type.toUpperCase());
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    void isAdmin;
    return q.orderBy('seq').execute();
  }
}
