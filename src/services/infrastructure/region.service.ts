import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid } from '../../domain/errors.js';
import type { Region } from '../../domain/organisation.js';
import type { Store } from '../../store/db.js';
import { regionStore, regionRows } from '../../store/region.store.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

/** RegionManagerImpl: the regions this cloud knows of, each an id, a unique name and an API endpoint. */
export class RegionService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async add(caller: Caller, r: { id: number; name: string; endpoint: string }): Promise<Region> {
    this.rootOnly(caller);
    return this.store.tx(async (trx) => {
      if (await regionStore.byId(trx, r.id)) throw invalid(`Region with id: ${r.id} already exists`, 'id');
      if (await regionStore.byName(trx, r.name)) throw invalid(`Region with name: ${r.name} already exists`, 'name');
      const row: Region = {
        id: String(r.id),
        name: r.name,
        endpoint: r.endpoint,
        gslbEnabled: 1,
        portableIpEnabled: 0,
      };
      await regionRows.insert(trx, row);
      await this.event(trx, caller, 'REGION.ADD', `Added region ${r.name}`);
      return row;
    });
  }

  async update(caller: Caller, id: number, u: { name?: string; endpoint?: string }): Promise<Region> {
    this.rootOnly(caller);
    return this.store.tx(async (trx) => {
      const region = await regionStore.byId(trx, id);
      if (!region) throw invalid(`Region with id: ${id} does not exist`, 'id');
      const twin = u.name !== undefined ? await regionStore.byName(trx, u.name) : undefined;
      if (twin && twin.id !== region.id) throw invalid(`Region with name: ${u.name} already exists`, 'name');
      const patch: Partial<Region> = {
        ...(u.name !== undefined ? { name: u.name } : {}),
        ...(u.endpoint !== undefined ? { endpoint: u.endpoint } : {}),
      };
      await regionRows.update(trx, region.id, patch);
      return { ...region, ...patch };
    });
  }

  async remove(caller: Caller, id: number): Promise<void> {
    this.rootOnly(caller);
    await this.store.tx(async (trx) => {
      const region = await regionStore.byId(trx, id);
      if (!region) throw invalid(`Failed to delete Region: ${id}, Region not found`, 'id');
      await regionRows.remove(trx, region.id);
      await this.event(trx, caller, 'REGION.DELETE', `Removed region ${region.name}`);
    });
  }

  /** listRegions: by id, else by name (each at most one), else all. */
  async list(f: { id?: number; name?: string }): Promise<Region[]> {
    const db = this.store.db;
    if (f.id !== undefined) return [await regionStore.byId(db, f.id)].filter((r): r is Region => !!r);
    if (f.name !== undefined) return [await regionStore.byName(db, f.name)].filter((r): r is Region => !!r);
    return regionStore.all(db);
  }

  private rootOnly(caller: Caller): void {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can manage regions');
  }

  private event(db: Parameters<typeof eventLog>[0], caller: Caller, type: string, description: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
    });
  }
}
