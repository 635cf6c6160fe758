import type { Cluster, Pod, Zone } from '../domain/types.js';
import type { Db } from './db.js';
import { rowsOf, updateRow } from './repo.js';
import { nextSeq } from './sequence.store.js';

/** Zones, pods and clusters: the structure hosts and storage hang from. */
export const datacenterStore = {
  /** CloudStack's numeric id of the zone (undefined if there is no such zone, null if it has none). */
  async zoneSeq(db: Db, id: string): Promise<number | null | undefined> {
    return (await db.selectFrom('zones').select('seq').where('id', '=', id).executeTakeFirst())?.seq;
  },
  /** The first zone created (lowest numeric id), if any. */
  async firstZoneId(db: Db): Promise<string | undefined> {
    return (await db.selectFrom('zones').select('id').orderBy('seq').executeTakeFirst())?.id;
  },
  zoneByName(db: Db, name: string): Promise<Zone | undefined> {
    return db.selectFrom('zones').selectAll().where('name', '=', name).executeTakeFirst();
  },
  async insertZone(db: Db, z: Zone): Promise<void> {
    await db
      .insertInto('zones')
      .values({ ...z, seq: await nextSeq(db, 'zone') })
      .execute();
  },
  async updateZone(db: Db, id: string, patch: Partial<Zone>): Promise<void> {
    await updateRow(db, 'zones', id, patch);
  },
  /** A zone goes with its address ranges (deleteZone removes the vlans) and template references. */
  async removeZone(db: Db, id: string): Promise<void> {
    await db.deleteFrom('publicIps').where('zoneId', '=', id).execute();
    await db.deleteFrom('vlanRanges').where('zoneId', '=', id).execute();
    await db.deleteFrom('zones').where('id', '=', id).execute();
  },
  /** The first thing in the zone that keeps it from being deleted, in checkIfZoneIsDeletable's order. */
  async zoneContents(
    db: Db,
    id: string,
  ): Promise<'hosts' | 'pods' | 'publicIps' | 'vms' | 'volumes' | 'physicalNetworks' | 'imageStores' | undefined> {
    const has = async (table: 'hosts' | 'pods' | 'physicalNetworks' | 'imageStores') =>
      !!(await db.selectFrom(table).select('id').where('zoneId', '=', id).executeTakeFirst());
    if (await has('hosts')) return 'hosts';
    if (await has('pods')) return 'pods';
    if (
      await db
        .selectFrom('publicIps')
        .select('id')
        .where('zoneId', '=', id)
        .where('state', '!=', 'Free')
        .executeTakeFirst()
    )
      return 'publicIps';
    if (
      await db.selectFrom('vms').select('id').where('zoneId', '=', id).where('removed', 'is', null).executeTakeFirst()
    )
      return 'vms';
    if (
      await db
        .selectFrom('volumes')
        .select('id')
        .where('zoneId', '=', id)
        .where('removed', 'is', null)
        .executeTakeFirst()
    )
      return 'volumes';
    if (await has('physicalNetworks')) return 'physicalNetworks';
    if (await has('imageStores')) return 'imageStores';
    return undefined;
  },

  pod(db: Db, id: string): Promise<Pod | undefined> {
    return db.selectFrom('pods').selectAll().where('id', '=', id).executeTakeFirst();
  },
  pods(
    db: Db,
    f: { id?: string; zoneId?: string; name?: string; keyword?: string; allocationState?: string },
  ): Promise<Pod[]> {
    let q = db.selectFrom('pods').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.allocationState) q = q.where('allocationState', '=', f.allocationState);
    return q.orderBy('seq').execute();
  },
  async insertPod(db: Db, p: Pod): Promise<void> {
    await db
      .insertInto('pods')
      .values({ ...p, seq: await nextSeq(db, 'pod') })
      .execute();
  },
  async updatePod(db: Db, id: string, patch: Partial<Pod>): Promise<void> {
    await updateRow(db, 'pods', id, patch);
  },
  /** A pod goes with its guest ranges (deletePod removes the pod's vlans). */
  async removePod(db: Db, id: string): Promise<void> {
    await db.deleteFrom('vlanRanges').where('podId', '=', id).execute();
    await db.deleteFrom('pods').where('id', '=', id).execute();
  },
  /** The first thing in the pod that keeps it from being deleted, in checkIfPodIsDeletable's order. */
  async podContents(db: Db, id: string): Promise<'volumes' | 'hosts' | 'vms' | 'clusters' | undefined> {
    const pools = db.selectFrom('storagePools').select('id').where('podId', '=', id);
    if (
      await db
        .selectFrom('volumes')
        .select('id')
        .where('poolId', 'in', pools)
        .where('removed', 'is', null)
        .executeTakeFirst()
    )
      return 'volumes';
    if (await db.selectFrom('hosts').select('id').where('podId', '=', id).executeTakeFirst()) return 'hosts';
    if (await db.selectFrom('vms').select('id').where('podId', '=', id).where('removed', 'is', null).executeTakeFirst())
      return 'vms';
    if (await db.selectFrom('clusters').select('id').where('podId', '=', id).executeTakeFirst()) return 'clusters';
    return undefined;
  },

  cluster(db: Db, id: string): Promise<Cluster | undefined> {
    return db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
  },
  clusters(
    db: Db,
    f: {
      id?: string;
      zoneId?: string;
      podId?: string;
      name?: string;
      keyword?: string;
      allocationState?: string;
      clusterType?: string;
      hypervisor?: string;
    },
  ): Promise<Cluster[]> {
    let q = db.selectFrom('clusters').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.podId) q = q.where('podId', '=', f.podId);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.keyword) q = q.where('name', 'like', `%${f.keyword}%`);
    if (f.allocationState) q = q.where('allocationState', '=', f.allocationState);
    if (f.clusterType) q = q.where('clusterType', '=', f.clusterType);
    if (f.hypervisor) q = q.where('hypervisor', '=', f.hypervisor);
    return q.orderBy('seq').execute();
  },
  async insertCluster(db: Db, c: Cluster): Promise<void> {
    await db
      .insertInto('clusters')
      .values({ ...c, seq: await nextSeq(db, 'cluster') })
      .execute();
  },
  async updateCluster(db: Db, id: string, patch: Partial<Cluster>): Promise<void> {
    await updateRow(db, 'clusters', id, patch);
  },
  async removeCluster(db: Db, id: string): Promise<void> {
    await db.deleteFrom('clusters').where('id', '=', id).execute();
  },
  async clusterContents(db: Db, id: string): Promise<'hosts' | 'storagePools' | undefined> {
    if (await db.selectFrom('hosts').select('id').where('clusterId', '=', id).executeTakeFirst()) return 'hosts';
    if (await db.selectFrom('storagePools').select('id').where('clusterId', '=', id).executeTakeFirst())
      return 'storagePools';
    return undefined;
  },
};

export const zoneRows = rowsOf('zones');
export const podRows = rowsOf('pods');
export const clusterRows = rowsOf('clusters');
