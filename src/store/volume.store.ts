import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';
import { pageOf, type Page, type PageRequest } from './paging.js';
import type { Event, StoragePool, Volume } from '../domain/types.js';

export interface VolumeFilter {
  accountIds?: string[];
  id?: string;
  ids?: string[];
  vmId?: string;
  zoneId?: string;
  type?: string;
  name?: string;
  keyword?: string;
  state?: string;
  diskOfferingId?: string;
  poolId?: string;
  /** Volumes of VMs on this host / in this pod / in this cluster (admin filters). */
  hostId?: string;
  podId?: string;
  clusterId?: string;
}

/** The live volumes `f` selects, not yet ordered or paged. */
function filtered(db: Db, f: VolumeFilter) {
  let q = db.selectFrom('volumes').where('removed', 'is', null);
  if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
  if (f.id) q = q.where('id', '=', f.id);
  if (f.ids) q = q.where(inList(db, 'id', f.ids));
  if (f.vmId) q = q.where('vmId', '=', f.vmId);
  if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
  if (f.type) q = q.where('type', '=', f.type.toUpperCase());
  if (f.name) q = q.where('name', '=', f.name);
  if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.diskOfferingId) q = q.where('diskOfferingId', '=', f.diskOfferingId);
  if (f.poolId) q = q.where('poolId', '=', f.poolId);
  if (f.hostId) q = q.where('vmId', 'in', db.selectFrom('vms').select('id').where('hostId', '=', f.hostId));
  if (f.podId) q = q.where('vmId', 'in', db.selectFrom('vms').select('id').where('podId', '=', f.podId));
  if (f.clusterId) q = q.where('vmId', 'in', db.selectFrom('vms').select('id').where('clusterId', '=', f.clusterId));
  return q;
}

export const volumeStore = {
  list(db: Db, f: VolumeFilter): Promise<Volume[]> {
    return filtered(db, f).selectAll().orderBy('seq').execute();
  },
  /** One page in `seq` order and the number of matches: the rows of other pages are not read. */
  async page(db: Db, f: VolumeFilter, page: PageRequest | undefined): Promise<Page<Volume>> {
    if (!page) return pageOf(await volumeStore.list(db, f));
    const { count } = await filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const items = await filtered(db, f).selectAll().orderBy('seq').limit(page.limit).offset(page.offset).execute();
    return { items, count: Number(count) };
  },
  /** An account's volumes attached to no VM, not removed (an attached one goes with its VM). */
  detachedIdsOfAccount(db: Db, accountId: string): Promise<{ id: string }[]> {
    return db
      .selectFrom('volumes')
      .select('id')
      .where('accountId', '=', accountId)
      .where('vmId', 'is', null)
      .where('removed', 'is', null)
      .execute();
  },
  /** Pools holding the disk offering's volumes, not removed, one row per volume. */
  poolsHoldingOffering(db: Db, diskOfferingId: string): Promise<Pick<StoragePool, 'id' | 'name' | 'tags'>[]> {
    return db
      .selectFrom('volumes')
      .innerJoin('storagePools', 'storagePools.id', 'volumes.poolId')
      .select(['storagePools.id', 'storagePools.name', 'storagePools.tags'])
      .where('volumes.diskOfferingId', '=', diskOfferingId)
      .where('volumes.removed', 'is', null)
      .execute();
  },
  async getMany(db: Db, ids: string[]): Promise<Volume[]> {
    if (!ids.length) return [];
    return db.selectFrom('volumes').selectAll().where('id', 'in', ids).where('removed', 'is', null).execute();
  },
  get(db: Db, id: string): Promise<Volume | undefined> {
    return db.selectFrom('volumes').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  /** Including removed volumes: a snapshot outlives the volume it was taken of. */
  getAny(db: Db, id: string): Promise<Volume | undefined> {
    return db.selectFrom('volumes').selectAll().where('id', '=', id).executeTakeFirst();
  },
  ofVm(db: Db, vmId: string): Promise<Volume[]> {
    return db
      .selectFrom('volumes')
      .selectAll()
      .where('vmId', '=', vmId)
      .where('removed', 'is', null)
      .orderBy('deviceId')
      .execute();
  },
  async setState(db: Db, id: string, state: string): Promise<void> {
    await db.updateTable('volumes').set({ state }).where('id', '=', id).execute();
  },
  /** Data disks go with their VM only as far as being detached (VM expunge keeps them). */
  async detachAll(db: Db, vmId: string, type: string): Promise<void> {
    await db
      .updateTable('volumes')
      .set({ vmId: null, deviceId: null, attached: null })
      .where('vmId', '=', vmId)
      .where('type', '=', type)
      .where('removed', 'is', null)
      .execute();
  },
};

export const eventStore = {
  /** Events recorded at or after `since` (ms), oldest first: the feed of /_polystack/events. */
  since(db: Db, since: number): Promise<Event[]> {
    return db.selectFrom('events').selectAll().where('created', '>=', since).orderBy('created').limit(1000).execute();
  },
};

export const volumeRows = rowsOf('volumes');
