import type { Db } from './db.js';
import type { Database } from './schema.js';
import type { ResourceDetail } from '../domain/types.js';

/**
 * The types ResourceMetaDataManagerImpl keeps details for (a details DAO and resourceMetadataSupport),
 * among the resources polystack has, with the table their ids live in and whether rows carry
 * CloudStack's numeric id (`seq`).
 */
const DETAILED: Record<string, { table: keyof Database; numbered?: true }> = {
  UserVm: { table: 'vms', numbered: true },
  Template: { table: 'templates', numbered: true },
  Volume: { table: 'volumes', numbered: true },
  Zone: { table: 'zones', numbered: true },
  Network: { table: 'networks' },
  Nic: { table: 'nics' },
  ServiceOffering: { table: 'serviceOfferings' },
  Storage: { table: 'storagePools' },
  FirewallRule: { table: 'firewallRules' },
  PublicIpAddress: { table: 'publicIps' },
  PortForwardingRule: { table: 'portForwardingRules' },
  LoadBalancer: { table: 'loadBalancerRules' },
  Vpc: { table: 'vpcs' },
  NetworkACLList: { table: 'networkAcls' },
  NetworkACL: { table: 'networkAclItems' },
  DiskOffering: { table: 'diskOfferings' },
  User: { table: 'users' },
  GuestOs: { table: 'osTypes' },
  NetworkOffering: { table: 'networkOfferings' },
};

/** Key/value details of resources (the *_details tables of ResourceMetaDataManagerImpl, kept in one). */
export const resourceDetailStore = {
  /** Whether the type keeps details, and whether its rows carry a numeric id. */
  kind(type: string): { numbered: boolean } | undefined {
    return Object.hasOwn(DETAILED, type) ? { numbered: !!DETAILED[type]!.numbered } : undefined;
  },
  /** A resource of a detailed type by its uuid. */
  resourceById(db: Db, type: string, id: string): Promise<{ id: string } | undefined> {
    return (db as any).selectFrom(DETAILED[type]!.table).select('id').where('id', '=', id).executeTakeFirst();
  },
  /** A resource of a numbered detailed type by CloudStack's numeric id. */
  resourceBySeq(db: Db, type: string, seq: number): Promise<{ id: string } | undefined> {
    return (db as any).selectFrom(DETAILED[type]!.table).select('id').where('seq', '=', seq).executeTakeFirst();
  },
  /** The numeric id of a resource of a numbered detailed type (null or undefined if it has none). */
  async seqOf(db: Db, type: string, id: string): Promise<number | null | undefined> {
    const row = await (db as any)
      .selectFrom(DETAILED[type]!.table)
      .select('seq')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.seq;
  },
  list(
    db: Db,
    f: { resourceType: string; resourceId?: string; name?: string; value?: string; display?: boolean },
  ): Promise<ResourceDetail[]> {
    let q = db.selectFrom('resourceDetails').selectAll().where('resourceType', '=', f.resourceType);
    if (f.resourceId !== undefined) q = q.where('resourceId', '=', f.resourceId);
    if (f.name !== undefined) q = q.where('name', '=', f.name);
    if (f.value !== undefined) q = q.where('value', '=', f.value);
    if (f.display !== undefined) q = q.where('display', '=', f.display ? 1 : 0);
    return q.orderBy('created').orderBy('id').execute();
  },
  /** ResourceDetailsDaoBase.addDetail: a key set again replaces its row. */
  async put(db: Db, d: ResourceDetail): Promise<void> {
    await db
      .deleteFrom('resourceDetails')
      .where('resourceType', '=', d.resourceType)
      .where('resourceId', '=', d.resourceId)
      .where('name', '=', d.name)
      .execute();
    await db.insertInto('resourceDetails').values(d).execute();
  },
  async remove(db: Db, resourceType: string, resourceId: string, name?: string): Promise<void> {
    let q = db
      .deleteFrom('resourceDetails')
      .where('resourceType', '=', resourceType)
      .where('resourceId', '=', resourceId);
    if (name !== undefined) q = q.where('name', '=', name);
    await q.execute();
  },
};
