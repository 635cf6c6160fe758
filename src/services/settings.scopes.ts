import type { Db } from '../store/db.js';

/** ConfigKey.Scope: where a setting's value may be set besides globally. */
export type Scope = 'Zone' | 'Cluster' | 'StoragePool' | 'Account' | 'Domain' | 'ImageStore';
export interface ScopeTarget { scope: Scope; id: string }

/** updateConfiguration / listConfigurations / resetConfiguration parameter -> scope, and the scope's name in a response. */
export const SCOPE_PARAMS: [param: string, scope: Scope, label: string][] = [
  ['zoneid', 'Zone', 'zone'], ['clusterid', 'Cluster', 'cluster'], ['storageid', 'StoragePool', 'storagepool'],
  ['accountid', 'Account', 'account'], ['domainid', 'Domain', 'domain'], ['imagestoreuuid', 'ImageStore', 'imagestore'],
];
export const scopeLabel = (s: Scope): string => SCOPE_PARAMS.find(([, sc]) => sc === s)![2];

/**
 * The settings polystack declares that 4.18 declares with a scope other than Global (the scope
 * argument of their ConfigKey): every other setting can only be set globally.
 */
const SCOPES: Record<string, Scope> = {
  'cluster.cpu.allocated.capacity.notificationthreshold': 'Cluster', // AlertManager.CPUCapacityThreshold
  'cluster.memory.allocated.capacity.notificationthreshold': 'Cluster', // AlertManager.MemoryCapacityThreshold
  'backup.framework.enabled': 'Zone', // BackupManager.BackupFrameworkEnabled
  'backup.framework.provider.plugin': 'Zone', // BackupManager.BackupProviderPlugin
  'cpu.overprovisioning.factor': 'Cluster', // CapacityManager.CpuOverprovisioningFactor
  'mem.overprovisioning.factor': 'Cluster', // CapacityManager.MemOverprovisioningFactor
  'storage.overprovisioning.factor': 'StoragePool', // CapacityManager.StorageOverprovisioningFactor
  'vmware.create.full.clone': 'StoragePool', // CapacityManager.VmwareCreateCloneFull
  'use.external.dns': 'Zone', // VirtualNetworkApplianceManager.UseExternalDnsServers
  'allow.duplicate.networkname': 'Account', // NetworkServiceImpl.AllowDuplicateNetworkName
};
export const scopeOf = (name: string): Scope | 'Global' => SCOPES[name] ?? 'Global';

/** 4.18 settings Marvin's smoke tests set (some per zone, cluster, pool or account), with their ConfigKeys' defaults and texts. */
export const SCOPED_SETTINGS = [
  { name: 'cpu.overprovisioning.factor', value: '1.0', category: 'Advanced', description: 'Used for CPU overprovisioning calculation; available CPU will be (actualCpuCapacity * cpu.overprovisioning.factor)' },
  { name: 'mem.overprovisioning.factor', value: '1.0', category: 'Advanced', description: 'Used for memory overprovisioning calculation' },
  { name: 'storage.overprovisioning.factor', value: '2', category: 'Storage', description: 'Used for storage overprovisioning calculation; available storage will be (actualStorageSize * storage.overprovisioning.factor)' },
  { name: 'vmware.create.full.clone', value: 'false', category: 'Storage', description: 'If set to true, creates VMs as full clones on ESX hypervisor' },
  { name: 'use.external.dns', value: 'false', category: 'Advanced', description: 'Bypass internal dns, use external dns1 and dns2' },
  { name: 'allow.duplicate.networkname', value: 'true', category: 'Advanced', description: 'Allow creating networks with same name in account' },
  {
    name: 'enable.account.settings.for.domain', value: 'false', category: 'Advanced',
    description: 'Indicates whether to add account settings for domain. If true, account settings will be added to domain settings, all accounts in the domain will inherit the domain setting if account setting is not set.',
  },
  { name: 'backup.framework.enabled', value: 'false', category: 'Advanced', description: 'Is backup and recovery framework enabled.' },
  { name: 'backup.framework.provider.plugin', value: 'dummy', category: 'Advanced', description: 'The backup and recovery provider plugin.' },
];

const TABLES = { Zone: 'zones', Cluster: 'clusters', StoragePool: 'storagePools', Account: 'accounts', Domain: 'domains', ImageStore: 'imageStores' } as const;

/** Whether the zone, cluster, ... a scoped value is for exists (removed ones do not). */
export async function scopeExists(db: Db, t: ScopeTarget): Promise<boolean> {
  const row = await db.selectFrom(TABLES[t.scope] as 'zones').select('id').where('id', '=', t.id).executeTakeFirst();
  return !!row;
}
