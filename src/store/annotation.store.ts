import { rowsOf } from './repo.js';
import type { Annotation } from '../domain/organisation.js';
import type { Db } from './db.js';

/** Where each annotated type lives, its owner column if a user owns it, and its name column. */
export const ANNOTATED: Record<string, { table: string; owned: boolean; name?: string }> = {
  VM: { table: 'vms', owned: true, name: 'name' },
  VOLUME: { table: 'volumes', owned: true, name: 'name' },
  SNAPSHOT: { table: 'snapshots', owned: true, name: 'name' },
  VM_SNAPSHOT: { table: 'vmSnapshots', owned: true, name: 'name' },
  INSTANCE_GROUP: { table: 'instanceGroups', owned: true, name: 'name' },
  SSH_KEYPAIR: { table: 'sshKeyPairs', owned: true, name: 'name' },
  NETWORK: { table: 'networks', owned: true, name: 'name' },
  VPC: { table: 'vpcs', owned: true, name: 'name' },
  PUBLIC_IP_ADDRESS: { table: 'publicIps', owned: true },
  TEMPLATE: { table: 'templates', owned: true, name: 'name' },
  ISO: { table: 'templates', owned: true, name: 'name' },
  SERVICE_OFFERING: { table: 'serviceOfferings', owned: false, name: 'name' },
  DISK_OFFERING: { table: 'diskOfferings', owned: false, name: 'name' },
  NETWORK_OFFERING: { table: 'networkOfferings', owned: false, name: 'name' },
  ZONE: { table: 'zones', owned: false, name: 'name' },
  POD: { table: 'pods', owned: false, name: 'name' },
  CLUSTER: { table: 'clusters', owned: false, name: 'name' },
  HOST: { table: 'hosts', owned: false, name: 'name' },
  DOMAIN: { table: 'domains', owned: false, name: 'name' },
  PRIMARY_STORAGE: { table: 'storagePools', owned: false, name: 'name' },
  SECONDARY_STORAGE: { table: 'imageStores', owned: false, name: 'name' },
  VR: { table: 'routers', owned: false, name: 'name' },
  SYSTEM_VM: { table: 'systemVms', owned: false, name: 'name' },
};

export const annotationStore = {
  byId(db: Db, id: string): Promise<Annotation | undefined> {
    return db
      .selectFrom('annotations')
      .selectAll()
      .where('id', '=', id)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  /** Live annotations, oldest first, narrowed by what is given. */
  list(db: Db, f: { entityType?: string; entityId?: string; userId?: string; adminsOnly?: 0 }): Promise<Annotation[]> {
    let q = db.selectFrom('annotations').selectAll().where('removed', 'is', null);
    if (f.entityType) q = q.where('entityType', '=', f.entityType);
    if (f.entityId) q = q.where('entityId', '=', f.entityId);
    if (f.userId) q = q.where('userId', '=', f.userId);
    if (f.adminsOnly !== undefined) q = q.where('adminsOnly', '=', f.adminsOnly);
    return q.orderBy('created').orderBy('id').execute();
  },
  /** The owner account and name of an annotated entity, if it exists. */
  async entity(db: Db, type: string, id: string): Promise<{ accountId?: string | null; name?: string } | undefined> {
    const where = ANNOTATED[type];
    if (!where) return undefined;
    const cols = [...(where.owned ? ['accountId'] : []), ...(where.name ? ['name'] : []), 'id'];
    return (db as any).selectFrom(where.table).select(cols).where('id', '=', id).executeTakeFirst();
  },
};

export const annotationRows = rowsOf('annotations');
