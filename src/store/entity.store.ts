import type { Db } from './db.js';
import { inChunks } from './idlist.js';

/** Kinds of rows an API id can name, and the table each lives in. */
export const ENTITY_TABLES = {
  Zone: 'zones',
  Pod: 'pods',
  Cluster: 'clusters',
  Host: 'hosts',
  StoragePool: 'storagePools',
  ImageStore: 'imageStores',
  PhysicalNetwork: 'physicalNetworks',
  VlanIpRange: 'vlanRanges',
  Template: 'templates',
  ServiceOffering: 'serviceOfferings',
  DiskOffering: 'diskOfferings',
  NetworkOffering: 'networkOfferings',
  OsType: 'osTypes',
  Network: 'networks',
  VirtualMachine: 'vms',
  Nic: 'nics',
  Volume: 'volumes',
  SecurityGroup: 'securityGroups',
  SecurityGroupRule: 'securityGroupRules',
  SSHKeyPair: 'sshKeyPairs',
  Domain: 'domains',
  Account: 'accounts',
  User: 'users',
  IpAddress: 'publicIps',
  PortForwardingRule: 'portForwardingRules',
  AffinityGroup: 'affinityGroups',
  AsyncJob: 'jobs',
  Event: 'events',
  InstanceGroup: 'instanceGroups',
  Router: 'routers',
  FirewallRule: 'firewallRules',
  LoadBalancerRule: 'loadBalancerRules',
  Vpc: 'vpcs',
  VpcOffering: 'vpcOfferings',
  NetworkAcl: 'networkAcls',
  NetworkAclItem: 'networkAclItems',
  Snapshot: 'snapshots',
  SnapshotPolicy: 'snapshotPolicies',
  VMSnapshot: 'vmSnapshots',
  TrafficType: 'trafficTypes',
  NetworkServiceProvider: 'networkServiceProviders',
  ProviderElement: 'providerElements',
  SystemVm: 'systemVms',
  UserData: 'userData',
  Project: 'projects',
  Role: 'roles',
  RolePermission: 'rolePermissions',
  Alert: 'alerts',
  Region: 'regions',
  ProjectRole: 'projectRoles',
  ProjectRolePermission: 'projectRolePermissions',
  BackupOffering: 'backupOfferings',
  Backup: 'backups',
  GuestVlanRange: 'guestVlanDedications',
  PortableIpRange: 'portableIpRanges',
  RemoteAccessVpn: 'remoteAccessVpns',
  VpnUser: 'vpnUsers',
  Counter: 'asCounters',
  Condition: 'asConditions',
  AutoScalePolicy: 'asPolicies',
  AutoScaleVmProfile: 'asVmProfiles',
  AutoScaleVmGroup: 'asVmGroups',
} as const;
export type EntityKind = keyof typeof ENTITY_TABLES;

/** Kinds whose rows carry CloudStack's numeric internal id (`seq`). */
const NUMBERED: ReadonlySet<EntityKind> = new Set([
  'Zone',
  'Pod',
  'Cluster',
  'Domain',
  'Role',
  'Project',
  'Template',
  'VirtualMachine',
  'Volume',
  'Host',
  'Snapshot',
  'SnapshotPolicy',
  'Router',
  'BackupOffering',
  'Backup',
]);

export const entityStore = {
  /** Whether a row with this id was ever created (removed rows count: their ids still resolve). */
  async exists(db: Db, kind: EntityKind, id: string): Promise<boolean> {
    const row = await (db as any).selectFrom(ENTITY_TABLES[kind]).select('id').where('id', '=', id).executeTakeFirst();
    if (row !== undefined) return true;
    // Rows an account's removal deleted outright, where CloudStack keeps them marked removed.
    return (
      (await db
        .selectFrom('tombstones')
        .select('id')
        .where('id', '=', id)
        .where('kind', '=', kind)
        .executeTakeFirst()) !== undefined
    );
  },
  /** Which of these ids no row was ever created with (exists, for a page of ids: a query per 1,000 rather than per id). */
  async missing(db: Db, kind: EntityKind, ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const table = ENTITY_TABLES[kind];
    for (const r of (await inChunks(ids, (chunk) =>
      (db as any).selectFrom(table).select('id').where('id', 'in', chunk).execute(),
    )) as { id: string }[])
      found.add(r.id);
    const rest = ids.filter((id) => !found.has(id));
    for (const r of await inChunks(rest, (chunk) =>
      db.selectFrom('tombstones').select('id').where('id', 'in', chunk).where('kind', '=', kind).execute(),
    ))
      found.add(r.id);
    return new Set(ids.filter((id) => !found.has(id)));
  },
  /**
   * The uuid of the row a numeric internal id names, removed rows included; undefined when none
   * does or the kind has no numeric id here.
   */
  async byInternalId(db: Db, kind: EntityKind, n: number): Promise<string | undefined> {
    if (!NUMBERED.has(kind)) return undefined;
    return (await (db as any).selectFrom(ENTITY_TABLES[kind]).select('id').where('seq', '=', n).executeTakeFirst())?.id;
  },
};
