import { catalogStore } from '../../store/catalog.store.js';
import type { Db } from '../../store/db.js';
import { TWO_FACTOR_SETTINGS } from '../identity/twofactor.settings.js';

/** ConfigKey.Scope: where a setting's value may be set besides globally. */
export type Scope = 'Zone' | 'Cluster' | 'StoragePool' | 'Account' | 'Domain' | 'ImageStore';
export interface ScopeTarget {
  scope: Scope;
  id: string;
}

/** updateConfiguration / listConfigurations / resetConfiguration parameter -> scope, and the scope's name in a response. */
export const SCOPE_PARAMS: [param: string, scope: Scope, label: string][] = [
  ['zoneid', 'Zone', 'zone'],
  ['clusterid', 'Cluster', 'cluster'],
  ['storageid', 'StoragePool', 'storagepool'],
  ['accountid', 'Account', 'account'],
  ['domainid', 'Domain', 'domain'],
  ['imagestoreuuid', 'ImageStore', 'imagestore'],
];
export const scopeLabel = (s: Scope): string => SCOPE_PARAMS.find(([, sc]) => sc === s)![2];

/**
 * The settings polystack declares that 4.18 declares with a scope other than Global (the scope
 * argument of their ConfigKey): every other setting can only be set globally.
 */
const SCOPES: Record<string, Scope> = {
  'cluster.cpu.allocated.capacity.notificationthreshold': 'Cluster', // AlertManager.CPUCapacityThreshold
  'cluster.memory.allocated.capacity.notificationthreshold': 'Cluster', // AlertManager.MemoryCapacityThreshold
  'cluster.storage.capacity.notificationthreshold': 'Cluster', // AlertManager.StorageCapacityThreshold
  'cluster.cpu.allocated.capacity.disablethreshold': 'Cluster', // DeploymentClusterPlanner.ClusterCPUCapacityDisableThreshold
  'cluster.memory.allocated.capacity.disablethreshold': 'Cluster', // DeploymentClusterPlanner.ClusterMemoryCapacityDisableThreshold
  'pool.storage.capacity.disablethreshold': 'Zone', // CapacityManager.StorageCapacityDisableThreshold
  'backup.framework.enabled': 'Zone', // BackupManager.BackupFrameworkEnabled
  'backup.framework.provider.plugin': 'Zone', // BackupManager.BackupProviderPlugin
  'cpu.overprovisioning.factor': 'Cluster', // CapacityManager.CpuOverprovisioningFactor
  'mem.overprovisioning.factor': 'Cluster', // CapacityManager.MemOverprovisioningFactor
  'storage.overprovisioning.factor': 'StoragePool', // CapacityManager.StorageOverprovisioningFactor
  'vmware.create.full.clone': 'StoragePool', // CapacityManager.VmwareCreateCloneFull
  'use.external.dns': 'Zone', // VirtualNetworkApplianceManager.UseExternalDnsServers
  'allow.duplicate.networkname': 'Account', // NetworkServiceImpl.AllowDuplicateNetworkName
  'use.system.guest.vlans': 'Account', // GuestNetworkGuru.UseSystemGuestVlans
  'enable.dynamic.scale.vm': 'Zone', // UserVmManager.EnableDynamicallyScaleVm
  'vmsnapshot.expire.interval': 'Account', // VMSnapshotManager.VMSnapshotExpireInterval
  'enable.additional.vm.configuration': 'Account', // UserVmManagerImpl.EnableAdditionalVmConfig
  'cloud.kubernetes.cluster.max.size': 'Account', // KubernetesClusterService.KubernetesMaxClusterSize
  'cluster.storage.operations.exclude': 'Cluster', // StorageManager.StorageOperationsExcludeCluster
  'ldap.basedn': 'Domain', // LdapConfiguration.ldapBaseDn
  'outofbandmanagement.action.timeout': 'Cluster', // OutOfBandManagementService.ActionTimeout
  'enable.user.2fa': 'Domain', // AccountManagerImpl.enableUserTwoFactorAuthentication
  'mandate.user.2fa': 'Domain', // AccountManagerImpl.mandateUserTwoFactorAuthentication
  'user.2fa.issuer': 'Domain', // AccountManagerImpl.userTwoFactorAuthenticationIssuer
  'user.2fa.default.provider': 'Domain', // AccountManagerImpl.userTwoFactorAuthenticationDefaultProvider
  'remote.access.vpn.client.iprange': 'Account', // RemoteAccessVpnManagerImpl.RemoteAccessVpnClientIpRange
};
export const scopeOf = (name: string): Scope | 'Global' => SCOPES[name] ?? 'Global';

/** The thresholds and stats settings the metrics commands read (AlertManager, DeploymentClusterPlanner, CapacityManager, StatsCollector). */
const METRICS_SETTINGS = [
  {
    name: 'cluster.storage.capacity.notificationthreshold',
    value: '0.75',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of storage utilization above which alerts will be sent about low storage available.',
  },
  {
    name: 'cluster.cpu.allocated.capacity.disablethreshold',
    value: '0.85',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of cpu utilization above which allocators will disable using the cluster for low cpu available. Keep the corresponding notification threshold lower than this to be notified beforehand.',
  },
  {
    name: 'cluster.memory.allocated.capacity.disablethreshold',
    value: '0.85',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of memory utilization above which allocators will disable using the cluster for low memory available. Keep the corresponding notification threshold lower than this to be notified beforehand.',
  },
  {
    name: 'pool.storage.capacity.disablethreshold',
    value: '0.85',
    category: 'Alert',
    description:
      'Percentage (as a value between 0 and 1) of storage utilization above which allocators will disable using the pool for low storage available.',
  },
  {
    name: 'vm.stats.interval',
    value: '60000',
    category: 'Advanced',
    description: 'The interval (in milliseconds) when vm stats are retrieved from agents.',
  },
  {
    name: 'vm.stats.max.retention.time',
    value: '720',
    category: 'Advanced',
    description:
      'The maximum time (in minutes) for keeping VM stats records in the database. The VM stats cleanup process will be disabled if this is set to 0 or less than 0.',
  },
  {
    name: 'vm.stats.increment.metrics',
    value: 'true',
    category: 'Advanced',
    description:
      "When set to 'true', VM metrics(NetworkReadKBs, NetworkWriteKBs, DiskWriteKBs, DiskReadKBs, DiskReadIOs and DiskWriteIOs) that are collected from the hypervisor are summed before being returned.On the other hand, when set to 'false', the VM metrics API will just display the latest metrics collected.",
  },
  {
    name: 'database.server.stats.interval',
    value: '60',
    category: 'Advanced',
    description:
      'Time interval in seconds, for database servers stats collection. Set to <= 0 to disable database servers stats.',
  },
  {
    name: 'database.server.stats.retention',
    value: '3',
    category: 'Advanced',
    description:
      "The number of queries/seconds values to retain in history. This will define for how many periods of 'database.server.stats.interval' seconds, the queries/seconds values will be kept in memory",
  },
];

/** 4.18 settings Marvin's smoke tests set (some per zone, cluster, pool or account), with their ConfigKeys' defaults and texts. */
export const SCOPED_SETTINGS = [
  {
    name: 'cpu.overprovisioning.factor',
    value: '1.0',
    category: 'Advanced',
    description:
      'Used for CPU overprovisioning calculation; available CPU will be (actualCpuCapacity * cpu.overprovisioning.factor)',
  },
  {
    name: 'mem.overprovisioning.factor',
    value: '1.0',
    category: 'Advanced',
    description: 'Used for memory overprovisioning calculation',
  },
  {
    name: 'storage.overprovisioning.factor',
    value: '2',
    category: 'Storage',
    description:
      'Used for storage overprovisioning calculation; available storage will be (actualStorageSize * storage.overprovisioning.factor)',
  },
  {
    name: 'vmware.create.full.clone',
    value: 'false',
    category: 'Storage',
    description: 'If set to true, creates VMs as full clones on ESX hypervisor',
  },
  {
    name: 'use.external.dns',
    value: 'false',
    category: 'Advanced',
    description: 'Bypass internal dns, use external dns1 and dns2',
  },
  {
    name: 'allow.duplicate.networkname',
    value: 'true',
    category: 'Advanced',
    description: 'Allow creating networks with same name in account',
  },
  {
    name: 'use.system.guest.vlans',
    value: 'true',
    category: 'Advanced',
    description:
      'If true, when account has dedicated guest vlan range(s), once the vlans dedicated to the account have been consumed vlans will be allocated from the system pool',
  },
  {
    name: 'enable.account.settings.for.domain',
    value: 'false',
    category: 'Advanced',
    description:
      'Indicates whether to add account settings for domain. If true, account settings will be added to domain settings, all accounts in the domain will inherit the domain setting if account setting is not set.',
  },
  {
    name: 'backup.framework.enabled',
    value: 'false',
    category: 'Advanced',
    description: 'Is backup and recovery framework enabled.',
  },
  {
    name: 'backup.framework.provider.plugin',
    value: 'dummy',
    category: 'Advanced',
    description: 'The backup and recovery provider plugin.',
  },
  // BackupManager's global keys: the poll that runs schedules, and whether a VM on an offering may change its disks.
  {
    name: 'backup.framework.sync.interval',
    value: '300',
    category: 'Advanced',
    description: 'The backup and recovery background sync task polling interval in seconds.',
  },
  {
    name: 'backup.enable.attach.detach.of.volumes',
    value: 'false',
    category: 'Advanced',
    description: 'Enable volume attach/detach operations for VMs that are assigned to Backup Offerings.',
  },
  {
    name: 'enable.domain.settings.for.child.domain',
    value: 'false',
    category: 'Advanced',
    description:
      'Indicates whether the settings of parent domain should be applied for child domain. If true, the child domain will get value from parent domain if its not configured in child domain else global value is taken.',
  },
  {
    name: 'vmsnapshot.expire.interval',
    value: '-1',
    category: 'Advanced',
    description: 'VM Snapshot expire interval in hours',
  },
  {
    name: 'enable.additional.vm.configuration',
    value: 'false',
    category: 'Advanced',
    description: 'allow additional arbitrary configuration to vm',
  },
  {
    name: 'cluster.storage.operations.exclude',
    value: 'false',
    category: 'Advanced',
    description: 'Exclude cluster from storage operations',
  },
  {
    name: 'ldap.basedn',
    value: '',
    category: 'Advanced',
    description: "Sets the basedn for LDAP. Ex: 'OU=APAC,DC=company,DC=com'",
  },
  // Settings with a parent (ConfigKey's last argument) that listConfigurations parent= finds.
  {
    name: 'storage.cache.replacement.enabled',
    value: 'true',
    category: 'Storage',
    description: 'enable or disable cache storage replacement algorithm.',
  },
  {
    name: 'storage.cache.replacement.interval',
    value: '86400',
    category: 'Storage',
    description: 'time interval between cache replacement threads (in seconds).',
  },
  {
    name: 'cloud.kubernetes.service.enabled',
    value: 'false',
    category: 'Advanced',
    description:
      'Indicates whether Kubernetes Service plugin is enabled or not. Management server restart needed on change',
  },
  {
    name: 'cloud.kubernetes.cluster.max.size',
    value: '10',
    category: 'Advanced',
    description: 'Maximum size of the kubernetes cluster.',
  },
  // ClusteredAgentManagerImpl and Config: the management servers' agent load balancing (one node here: read, never acted on).
  {
    name: 'agent.lb.enabled',
    value: 'false',
    category: 'Advanced',
    description: 'Enable agent load balancing between management server nodes',
  },
  {
    name: 'agent.load.threshold',
    value: '0.7',
    category: 'Advanced',
    description:
      'Percentage (as a value between 0 and 1) of connected agents after which agent load balancing will start happening',
  },
  {
    name: 'endpoint.url',
    value: 'http://localhost:8080/client/api',
    category: 'Advanced',
    description: 'Endpoint Url',
  },
  ...METRICS_SETTINGS,
  // OutOfBandManagementService's keys.
  {
    name: 'outofbandmanagement.action.timeout',
    value: '60',
    category: 'Advanced',
    description: 'The out of band management action timeout in seconds, configurable by cluster',
  },
  {
    name: 'outofbandmanagement.sync.poolsize',
    value: '50',
    category: 'Advanced',
    description: 'The out of band management background sync thread pool size',
  },
  ...TWO_FACTOR_SETTINGS,
  // RemoteAccessVpnManagerImpl's ConfigKey and the Config entries it reads at configure().
  {
    name: 'remote.access.vpn.client.iprange',
    value: '10.1.2.1-10.1.2.8',
    category: 'Network',
    description:
      'The range of ips to be allocated to remote access vpn clients. The first ip in the range is used by the VPN server',
  },
  {
    name: 'remote.access.vpn.psk.length',
    value: '24',
    category: 'Network',
    description: 'The length of the ipsec preshared key (minimum 8, maximum 256)',
  },
  {
    name: 'remote.access.vpn.user.limit',
    value: '8',
    category: 'Network',
    description: 'The maximum number of VPN users that can be created per account',
  },
];

/**
 * ConfigurationManagerImpl.weightBasedParametersForValidation: settings whose type listConfigurations
 * names `Range` (a fraction between 0 and 1), among those polystack declares.
 */
export const RANGE_SETTINGS: ReadonlySet<string> = new Set([
  'cluster.cpu.allocated.capacity.notificationthreshold',
  'cluster.memory.allocated.capacity.notificationthreshold',
  'agent.load.threshold',
  'cluster.storage.capacity.notificationthreshold',
  'cluster.cpu.allocated.capacity.disablethreshold',
  'cluster.memory.allocated.capacity.disablethreshold',
  'pool.storage.capacity.disablethreshold',
]);

/** Whether the zone, cluster, ... a scoped value is for exists (removed ones do not). */
export async function scopeExists(db: Db, t: ScopeTarget): Promise<boolean> {
  return catalogStore.scopeExists(db, t.scope, t.id);
}
