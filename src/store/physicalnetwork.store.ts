import type { ElementType, NetworkServiceProvider, ProviderElement, TrafficType } from '../domain/infra.js';
import type { PhysicalNetwork } from '../domain/types.js';
import type { Db } from './db.js';
import { updateRow } from './repo.js';
import { inChunks } from './idlist.js';

/** Physical networks with their traffic types, service providers and provider elements. */
export const physicalNetworkStore = {
  get(db: Db, id: string): Promise<PhysicalNetwork | undefined> {
    return db.selectFrom('physicalNetworks').selectAll().where('id', '=', id).executeTakeFirst();
  },
  list(db: Db, f: { id?: string; zoneId?: string; name?: string; keyword?: string }): Promise<PhysicalNetwork[]> {
    let q = db.selectFrom('physicalNetworks').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.name) q = q.where('name', 'like', `%${f.name}%`);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').orderBy('id').execute();
  },
  async insert(db: Db, p: PhysicalNetwork): Promise<void> {
    await db.insertInto('physicalNetworks').values(p).execute();
  },
  async update(db: Db, id: string, patch: Partial<PhysicalNetwork>): Promise<void> {
    await updateRow(db, 'physicalNetworks', id, patch);
  },
  /** A physical network goes with its traffic types, providers and their elements. */
  async remove(db: Db, id: string): Promise<void> {
    const nsps = db.selectFrom('networkServiceProviders').select('id').where('physicalNetworkId', '=', id);
    await db.deleteFrom('providerElements').where('nspId', 'in', nsps).execute();
    await db.deleteFrom('networkServiceProviders').where('physicalNetworkId', '=', id).execute();
    await db.deleteFrom('trafficTypes').where('physicalNetworkId', '=', id).execute();
    await db.deleteFrom('physicalNetworks').where('id', '=', id).execute();
  },

  trafficTypes(db: Db, physicalNetworkIds: string[]): Promise<TrafficType[]> {
    if (!physicalNetworkIds.length) return Promise.resolve([]);
    return inChunks(physicalNetworkIds, (ids) =>
      db
        .selectFrom('trafficTypes')
        .selectAll()
        .where('physicalNetworkId', 'in', ids)
        .orderBy('created')
        .orderBy('id')
        .execute(),
    );
  },
  /** Physical networks of a zone carrying a traffic type. */
  withTraffic(db: Db, zoneId: string, trafficType: string): Promise<PhysicalNetwork[]> {
    return db
      .selectFrom('physicalNetworks')
      .innerJoin('trafficTypes', 'trafficTypes.physicalNetworkId', 'physicalNetworks.id')
      .selectAll('physicalNetworks')
      .where('physicalNetworks.zoneId', '=', zoneId)
      .where('trafficTypes.trafficType', '=', trafficType)
      .orderBy('physicalNetworks.created')
      .execute();
  },
  async insertTrafficType(db: Db, t: TrafficType): Promise<void> {
    await db.insertInto('trafficTypes').values(t).execute();
  },
  trafficType(db: Db, id: string): Promise<TrafficType | undefined> {
    return db.selectFrom('trafficTypes').selectAll().where('id', '=', id).executeTakeFirst();
  },

  providers(
    db: Db,
    f: { physicalNetworkId?: string; name?: string; state?: string; keyword?: string },
  ): Promise<NetworkServiceProvider[]> {
    let q = db.selectFrom('networkServiceProviders').selectAll();
    if (f.physicalNetworkId) q = q.where('physicalNetworkId', '=', f.physicalNetworkId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.state) q = q.where('state', '=', f.state);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    return q.orderBy('created').orderBy('id').execute();
  },
  provider(db: Db, id: string): Promise<NetworkServiceProvider | undefined> {
    return db.selectFrom('networkServiceProviders').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insertProvider(db: Db, p: NetworkServiceProvider): Promise<void> {
    await db.insertInto('networkServiceProviders').values(p).execute();
  },
  async updateProvider(db: Db, id: string, patch: Partial<NetworkServiceProvider>): Promise<void> {
    await updateRow(db, 'networkServiceProviders', id, patch);
  },
  /** Whether the zone has an Enabled provider of this name on any of its physical networks. */
  async providerEnabled(db: Db, zoneId: string, name: string): Promise<boolean> {
    const row = await db
      .selectFrom('networkServiceProviders')
      .innerJoin('physicalNetworks', 'physicalNetworks.id', 'networkServiceProviders.physicalNetworkId')
      .select('networkServiceProviders.id')
      .where('physicalNetworks.zoneId', '=', zoneId)
      .where('networkServiceProviders.name', '=', name)
      .where('networkServiceProviders.state', '=', 'Enabled')
      .executeTakeFirst();
    return !!row;
  },

  elements(
    db: Db,
    f: { id?: string; nspId?: string; types: ElementType[]; enabled?: boolean },
  ): Promise<ProviderElement[]> {
    let q = db.selectFrom('providerElements').selectAll().where('type', 'in', f.types);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.nspId) q = q.where('nspId', '=', f.nspId);
    if (f.enabled !== undefined) q = q.where('enabled', '=', f.enabled ? 1 : 0);
    return q.orderBy('created').orderBy('id').execute();
  },
  element(db: Db, id: string): Promise<ProviderElement | undefined> {
    return db.selectFrom('providerElements').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insertElement(db: Db, e: ProviderElement): Promise<void> {
    await db.insertInto('providerElements').values(e).execute();
  },
  async setElementEnabled(db: Db, id: string, enabled: boolean): Promise<void> {
    await db
      .updateTable('providerElements')
      .set({ enabled: enabled ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  },

  /**
   * What keeps a physical network from being deleted (checkIfPhysicalNetworkIsDeletable). Guest networks
   * created without a physical network belong to the zone's guest one.
   */
  async inUse(db: Db, p: PhysicalNetwork, carriesGuest: boolean): Promise<'vnets' | 'networks' | 'ips' | undefined> {
    if (carriesGuest && p.vlan) {
      const vnet = await db.selectFrom('guestVlans').select('vlan').where('zoneId', '=', p.zoneId).executeTakeFirst();
      if (vnet) return 'vnets';
    }
    const net = await db
      .selectFrom('networks')
      .select('id')
      .where('removed', 'is', null)
      .where((eb) =>
        eb.or([
          eb('physicalNetworkId', '=', p.id),
          ...(carriesGuest ? [eb.and([eb('physicalNetworkId', 'is', null), eb('zoneId', '=', p.zoneId)])] : []),
        ]),
      )
      .executeTakeFirst();
    if (net) return 'networks';
    const ip = await db
      .selectFrom('publicIps')
      .innerJoin('vlanRanges', 'vlanRanges.id', 'publicIps.vlanRangeId')
      .select('publicIps.id')
      .where('vlanRanges.physicalNetworkId', '=', p.id)
      .where('publicIps.state', '!=', 'Free')
      .executeTakeFirst();
    return ip ? 'ips' : undefined;
  },
};
