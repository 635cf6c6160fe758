import { rowsOf, updateRow } from './repo.js';
import type { Db } from './db.js';
import { inList } from './idlist.js';
import type { Router } from '../domain/networking.js';

export const routerStore = {
  get(db: Db, id: string): Promise<Router | undefined> {
    return db.selectFrom('routers').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The live router serving a network, or (for a VPC tier) its VPC. */
  forNetwork(db: Db, networkId: string): Promise<Router | undefined> {
    return db
      .selectFrom('routers')
      .selectAll()
      .where('networkId', '=', networkId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  /** A basic zone's network has a router per pod. */
  forNetworkPod(db: Db, networkId: string, podId: string): Promise<Router | undefined> {
    return db
      .selectFrom('routers')
      .selectAll()
      .where('networkId', '=', networkId)
      .where('podId', '=', podId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  ofNetwork(db: Db, networkId: string): Promise<Router[]> {
    return db
      .selectFrom('routers')
      .selectAll()
      .where('networkId', '=', networkId)
      .where('removed', 'is', null)
      .orderBy('seq')
      .execute();
  },
  /**
   * The guest NIC a destroyed router of this network and pod left behind: it keeps the pod's router
   * address reserved for the next one (NetworkModel.getPlaceholderNicForRouter).
   */
  placeholderNic(
    db: Db,
    networkId: string,
    podId: string,
  ): Promise<{ id: string; ipAddress: string | null } | undefined> {
    return db
      .selectFrom('nics')
      .innerJoin('routers', 'routers.id', 'nics.vmId')
      .select(['nics.id as id', 'nics.ipAddress as ipAddress'])
      .where('nics.networkId', '=', networkId)
      .where('nics.removed', 'is', null)
      .where('routers.podId', '=', podId)
      .where('routers.removed', 'is not', null)
      .orderBy('routers.seq', 'desc')
      .executeTakeFirst();
  },
  async moveNic(db: Db, nicId: string, routerId: string): Promise<void> {
    await db.updateTable('nics').set({ vmId: routerId }).where('id', '=', nicId).execute();
  },
  /** The pods where user VMs with a NIC on the network are starting or running (RouterDeploymentDefinition.findDestinations). */
  async podsInUse(db: Db, networkId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('nics')
      .innerJoin('vms', 'vms.id', 'nics.vmId')
      .select('vms.podId')
      .distinct()
      .where('nics.networkId', '=', networkId)
      .where('nics.removed', 'is', null)
      .where('vms.state', 'in', ['Starting', 'Running'])
      .where('vms.podId', 'is not', null)
      .execute();
    return rows.map((r) => r.podId!);
  },
  forVpc(db: Db, vpcId: string): Promise<Router | undefined> {
    return db
      .selectFrom('routers')
      .selectAll()
      .where('vpcId', '=', vpcId)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  /** Routers on the host, removed or not, are on no host any more (the host is deleted). */
  async unplaceFromHost(db: Db, hostId: string): Promise<void> {
    await db.updateTable('routers').set({ hostId: null }).where('hostId', '=', hostId).execute();
  },
  /** Routers on the host, removed or not, move to another host and its pod. */
  async moveFromHost(db: Db, hostId: string, to: { id: string; podId: string }): Promise<void> {
    await db.updateTable('routers').set({ hostId: to.id, podId: to.podId }).where('hostId', '=', hostId).execute();
  },
  async insert(db: Db, r: Router): Promise<void> {
    await db.insertInto('routers').values(r).execute();
  },
  async update(db: Db, id: string, patch: Partial<Router>): Promise<void> {
    await updateRow(db, 'routers', id, patch);
  },
  /** A destroyed router keeps its row (its id still resolves) but loses its tags. */
  async destroy(db: Db, id: string, at: number): Promise<void> {
    await db
      .updateTable('routers')
      .set({ state: 'Destroyed', removed: at, hostId: null })
      .where('id', '=', id)
      .execute();
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
  },
  list(
    db: Db,
    f: {
      accountIds?: string[];
      id?: string;
      zoneId?: string;
      networkId?: string;
      vpcId?: string;
      state?: string;
      name?: string;
      hostId?: string;
    },
  ): Promise<Router[]> {
    let q = db.selectFrom('routers').selectAll().where('removed', 'is', null);
    if (f.accountIds) q = q.where(inList(db, 'accountId', f.accountIds));
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    if (f.vpcId) q = q.where('vpcId', '=', f.vpcId);
    if (f.state) q = q.where('state', '=', f.state as Router['state']);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.hostId) q = q.where('hostId', '=', f.hostId);
    return q.orderBy('seq').execute();
  },
};

export const routerRows = rowsOf('routers');
