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
  'enable.dynamic.scale.vm': 'Zone', // UserVmManager.EnableDynamicallyScaleVm
  'vmsnapshot.expire.interval': 'Account', // VMSnapshotManager.VMSnapshotExpireInterval
  'enable.additional.vm.configuration': 'Account', // UserVmManagerImpl.EnableAdditionalVmConfig
  'cloud.kubernetes.cluster.max.size': 'Account', // KubernetesClusterService.KubernetesMaxClusterSize
  'cluster.storage.operations.exclude': 'Cluster', // StorageManager.StorageOperationsExcludeCluster
  'ldap.basedn': 'Domain', // LdapConfiguration.ldapBaseDn
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
  {
    name: 'enable.domain.settings.for.child.domain', value: 'false', category: 'Advanced',
    description: 'Indicates whether the settings of parent domain should be applied for child domain. If true, the child domain will get value from parent domain if its not configured in child domain else global value is taken.',
  },
  { name: 'vmsnapshot.expire.interval', value: '-1', category: 'Advanced', description: 'VM Snapshot expire interval in hours' },
  { name: 'enable.additional.vm.configuration', value: 'false', category: 'Advanced', description: 'allow additional arbitrary configuration to vm' },
  { name: 'cluster.storage.operations.exclude', value: 'false', category: 'Advanced', description: 'Exclude cluster from storage operations' },
  { name: 'ldap.basedn', value: '', category: 'Advanced', description: "Sets the basedn for LDAP. Ex: 'OU=APAC,DC=company,DC=com'" },
  // Settings with a parent (ConfigKey's last argument) that listConfigurations parent= finds.
  { name: 'storage.cache.replacement.enabled', value: 'true', category: 'Storage', description: 'enable or disable cache storage replacement algorithm.' },
  { name: 'storage.cache.replacement.interval', value: '86400', category: 'Storage', description: 'time interval between cache replacement threads (in seconds).' },
  { name: 'cloud.kubernetes.service.enabled', value: 'false', category: 'Advanced', description: 'Indicates whether Kubernetes Service plugin is enabled or not. Management server restart needed on change' },
  { name: 'cloud.kubernetes.cluster.max.size', value: '10', category: 'Advanced', description: 'Maximum size of the kubernetes cluster.' },
  // ClusteredAgentManagerImpl and Config: the management servers' agent load balancing (one node here: read, never acted on).
  { name: 'agent.lb.enabled', value: 'false', category: 'Advanced', description: 'Enable agent load balancing between management server nodes' },
  { name: 'agent.load.threshold', value: '0.7', category: 'Advanced', description: 'Percentage (as a value between 0 and 1) of connected agents after which agent load balancing will start happening' },
  { name: 'endpoint.url', value: 'http://localhost:8080/client/api', category: 'Advanced', description: 'Endpoint Url' },
];

/**
 * ConfigurationManagerImpl.weightBasedParametersForValidation: settings whose type listConfigurations
 * names `Range` (a fraction between 0 and 1), among those polystack declares.
 */
export const RANGE_SETTINGS: ReadonlySet<string> = new Set([
  'cluster.cpu.allocated.capacity.notificationthreshold', 'cluster.memory.allocated.capacity.notificationthreshold', 'agent.load.threshold',
]);

const TABLES = { Zone: 'zones', Cluster: 'clusters', StoragePool: 'storagePools', Account: 'accounts', Domain: 'domains', ImageStore: 'imageStores' } as const;

/** Whether the zone, cluster, ... a scoped value is for exists (removed ones do not). */
export async function scopeExists(db: Db, t: ScopeTarget): Promise<boolean> {
  const row = await db.selectFrom(TABLES[t.scope] as 'zones').select('id').where('id', '=', t.id).executeTakeFirst();
  return !!row;
}
