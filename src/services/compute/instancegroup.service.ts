import type { Clock } from '../../domain/clock.js';
import { invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Account, InstanceGroup } from '../../domain/types.js';
import type { Db, Store } from '../../store/db.js';
import { instanceGroupStore } from '../../store/instancegroup.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

/** Instance groups: named sets of an account's VMs (the `group` of deployVirtualMachine). */
export class InstanceGroupService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async create(caller: Caller, name: string, owner: OwnerRequest): Promise<InstanceGroup> {
    return this.store.tx(async (trx) => {
      const acct = await resolveOwner(trx, caller, owner);
      if (await instanceGroupStore.byName(trx, acct.id, name))
        throw invalid(
          `Unable to create vm group, a group with name ${name} already exists for account ${acct.name}`,
          'name',
        );
      return this.insert(trx, acct, name);
    });
  }

  /** The group a deploy names, created on first use as CloudStack does. */
  async ensure(db: Db, acct: Account, name: string): Promise<InstanceGroup> {
    return (await instanceGroupStore.byName(db, acct.id, name)) ?? this.insert(db, acct, name);
  }

  private async insert(db: Db, acct: Account, name: string): Promise<InstanceGroup> {
    const g = { id: newId(), name, accountId: acct.id, domainId: acct.domainId, created: this.clock.now() };
    await instanceGroupStore.insert(db, g);
    return g;
  }

  private async owned(db: Db, caller: Caller, id: string): Promise<InstanceGroup> {
    const g = await instanceGroupStore.get(db, id);
    if (!g) throw notFound('InstanceGroup', id);
    assertAccess(caller, g, 'InstanceGroup', id);
    return g;
  }

  async rename(caller: Caller, id: string, name: string | undefined): Promise<InstanceGroup> {
    return this.store.tx(async (trx) => {
      const g = await this.owned(trx, caller, id);
      if (!name || name === g.name) return g;
      if (await instanceGroupStore.byName(trx, g.accountId, name))
        throw invalid(`Unable to update vm group, a group with name ${name} already exists for account`, 'name');
      await instanceGroupStore.rename(trx, g, name);
      return { ...g, name };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => instanceGroupStore.remove(trx, await this.owned(trx, caller, id)));
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; keyword?: string },
  ): Promise<InstanceGroup[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return instanceGroupStore.list(this.store.db, { ...f, accountIds: accounts });
  }
}
