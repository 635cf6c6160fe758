import type { EntityKind } from '../store/entity.store.js';

/**
 * What a uuid parameter names. CloudStack's ParamProcessWorker turns every such uuid into a
 * database id before the command runs and answers 431 "Invalid parameter <name> value=<uuid> due
 * to incorrect long value format, or entity does not exist ..." when there is none; Terraform's
 * provider relies on that text to tell a resource is gone.
 */
export const PARAM_ENTITIES: Record<string, EntityKind> = {
  zoneid: 'Zone',
  podid: 'Pod',
  clusterid: 'Cluster',
  hostid: 'Host',
  storageid: 'StoragePool',
  templateid: 'Template',
  isoid: 'Template',
  serviceofferingid: 'ServiceOffering',
  diskofferingid: 'DiskOffering',
  networkofferingid: 'NetworkOffering',
  ostypeid: 'OsType',
  networkid: 'Network',
  networkids: 'Network',
  associatednetworkid: 'Network',
  virtualmachineid: 'VirtualMachine',
  volumeid: 'Volume',
  volumeids: 'Volume',
  securitygroupid: 'SecurityGroup',
  securitygroupids: 'SecurityGroup',
  domainid: 'Domain',
  accountid: 'Account',
  userid: 'User',
  ipaddressid: 'IpAddress',
  jobid: 'AsyncJob',
  affinitygroupid: 'AffinityGroup',
  affinitygroupids: 'AffinityGroup',
  physicalnetworkid: 'PhysicalNetwork',
  nicid: 'Nic',
  groupid: 'InstanceGroup',
  vpcid: 'Vpc',
  vpcofferingid: 'VpcOffering',
  aclid: 'NetworkAcl',
  publicipid: 'IpAddress',
  virtualmachineids: 'VirtualMachine',
  nspid: 'NetworkServiceProvider',
  destinationphysicalnetworkid: 'PhysicalNetwork',
  snapshotid: 'Snapshot',
  vmsnapshotid: 'VMSnapshot',
  vmsnapshotids: 'VMSnapshot',
  destzoneid: 'Zone',
  destzoneids: 'Zone',
  sourcezoneid: 'Zone',
  zoneids: 'Zone',
  projectid: 'Project',
  roleid: 'Role',
  parentdomainid: 'Domain',
  ruleid: 'RolePermission',
  userdataid: 'UserData',
  projectroleid: 'ProjectRole',
  projectrolepermissionid: 'ProjectRolePermission',
  backupofferingid: 'BackupOffering',
  backupid: 'Backup',
};

/** What `id` (and `ids`) names, per command. */
export const ID_ENTITIES: Record<string, EntityKind> = {
  ...Object.fromEntries(
    [
      'startVirtualMachine',
      'stopVirtualMachine',
      'rebootVirtualMachine',
      'destroyVirtualMachine',
      'expungeVirtualMachine',
      'recoverVirtualMachine',
      'listVirtualMachines',
      'updateVMAffinityGroup',
      'updateVirtualMachine',
      'changeServiceForVirtualMachine',
      'scaleVirtualMachine',
      'resetPasswordForVirtualMachine',
      'resetSSHKeyForVirtualMachine',
      'getVMPassword',
    ].map((c) => [c, 'VirtualMachine' as const]),
  ),
  listSecurityGroups: 'SecurityGroup',
  deleteSecurityGroup: 'SecurityGroup',
  revokeSecurityGroupIngress: 'SecurityGroupRule',
  revokeSecurityGroupEgress: 'SecurityGroupRule',
  listZones: 'Zone',
  listServiceOfferings: 'ServiceOffering',
  listDiskOfferings: 'DiskOffering',
  listNetworkOfferings: 'NetworkOffering',
  listTemplates: 'Template',
  listIsos: 'Template',
  listOsTypes: 'OsType',
  listNetworks: 'Network',
  listPublicIpAddresses: 'IpAddress',
  disassociateIpAddress: 'IpAddress',
  enableStaticNat: 'IpAddress',
  disableStaticNat: 'IpAddress',
  listPortForwardingRules: 'PortForwardingRule',
  deletePortForwardingRule: 'PortForwardingRule',
  updateInstanceGroup: 'InstanceGroup',
  deleteInstanceGroup: 'InstanceGroup',
  listInstanceGroups: 'InstanceGroup',
  listVolumes: 'Volume',
  listEvents: 'Event',
  listSSHKeyPairs: 'SSHKeyPair',
  listUserData: 'UserData',
  deleteUserData: 'UserData',
  listAccounts: 'Account',
  listUsers: 'User',
  registerUserKeys: 'User',
  listDomains: 'Domain',
  listAffinityGroups: 'AffinityGroup',
  deleteAffinityGroup: 'AffinityGroup',
  updateNetwork: 'Network',
  deleteNetwork: 'Network',
  restartNetwork: 'Network',
  ...Object.fromEntries(
    ['listRouters', 'startRouter', 'stopRouter', 'rebootRouter', 'destroyRouter'].map((c) => [c, 'Router' as const]),
  ),
  ...Object.fromEntries(
    [
      'listFirewallRules',
      'deleteFirewallRule',
      'listEgressFirewallRules',
      'deleteEgressFirewallRule',
      'listIpForwardingRules',
      'deleteIpForwardingRule',
    ].map((c) => [c, 'FirewallRule' as const]),
  ),
  ...Object.fromEntries(
    [
      'listLoadBalancerRules',
      'deleteLoadBalancerRule',
      'updateLoadBalancerRule',
      'assignToLoadBalancerRule',
      'removeFromLoadBalancerRule',
      'listLoadBalancerRuleInstances',
    ].map((c) => [c, 'LoadBalancerRule' as const]),
  ),
  listVPCOfferings: 'VpcOffering',
  listVPCs: 'Vpc',
  updateVPC: 'Vpc',
  restartVPC: 'Vpc',
  deleteVPC: 'Vpc',
  listNetworkACLLists: 'NetworkAcl',
  deleteNetworkACLList: 'NetworkAcl',
  listNetworkACLs: 'NetworkAclItem',
  deleteNetworkACL: 'NetworkAclItem',
  updateNetworkACLItem: 'NetworkAclItem',
  updateZone: 'Zone',
  deleteZone: 'Zone',
  // The offering commands' id parameters name their entity type (ServiceOfferingResponse, …) in 4.18.
  updateServiceOffering: 'ServiceOffering',
  deleteServiceOffering: 'ServiceOffering',
  updateDiskOffering: 'DiskOffering',
  deleteDiskOffering: 'DiskOffering',
  updateNetworkOffering: 'NetworkOffering',
  deleteNetworkOffering: 'NetworkOffering',
  updateVPCOffering: 'VpcOffering',
  deleteVPCOffering: 'VpcOffering',
  ...Object.fromEntries(
    ['listPhysicalNetworks', 'updatePhysicalNetwork', 'deletePhysicalNetwork'].map((c) => [
      c,
      'PhysicalNetwork' as const,
    ]),
  ),
  updateNetworkServiceProvider: 'NetworkServiceProvider',
  ...Object.fromEntries(
    [
      'listVirtualRouterElements',
      'configureVirtualRouterElement',
      'listInternalLoadBalancerElements',
      'configureInternalLoadBalancerElement',
    ].map((c) => [c, 'ProviderElement' as const]),
  ),
  listPods: 'Pod',
  updatePod: 'Pod',
  deletePod: 'Pod',
  listClusters: 'Cluster',
  updateCluster: 'Cluster',
  deleteCluster: 'Cluster',
  ...Object.fromEntries(
    [
      'listHosts',
      'updateHost',
      'deleteHost',
      'prepareHostForMaintenance',
      'cancelHostMaintenance',
      'reconnectHost',
    ].map((c) => [c, 'Host' as const]),
  ),
  ...Object.fromEntries(
    [
      'listStoragePools',
      'updateStoragePool',
      'deleteStoragePool',
      'enableStorageMaintenance',
      'cancelStorageMaintenance',
    ].map((c) => [c, 'StoragePool' as const]),
  ),
  findStoragePoolsForMigration: 'Volume',
  listImageStores: 'ImageStore',
  updateImageStore: 'ImageStore',
  deleteImageStore: 'ImageStore',
  listVlanIpRanges: 'VlanIpRange',
  deleteVlanIpRange: 'VlanIpRange',
  ...Object.fromEntries(
    ['attachVolume', 'detachVolume', 'resizeVolume', 'deleteVolume', 'extractVolume'].map((c) => [
      c,
      'Volume' as const,
    ]),
  ),
  ...Object.fromEntries(['listSnapshots', 'deleteSnapshot', 'revertSnapshot'].map((c) => [c, 'Snapshot' as const])),
  ...Object.fromEntries(
    ['listSnapshotPolicies', 'updateSnapshotPolicy', 'deleteSnapshotPolicies'].map((c) => [
      c,
      'SnapshotPolicy' as const,
    ]),
  ),
  listRemoteAccessVpns: 'RemoteAccessVpn',
  updateRemoteAccessVpn: 'RemoteAccessVpn',
  listVpnUsers: 'VpnUser',
  // IPv6 firewall rules are firewall rules (FirewallRuleResponse) of a dual-stack network.
  ...Object.fromEntries(['updateIpv6FirewallRule', 'deleteIpv6FirewallRule'].map((c) => [c, 'FirewallRule' as const])),
  ...Object.fromEntries(
    [
      'updateTemplate',
      'updateIso',
      'deleteTemplate',
      'deleteIso',
      'copyTemplate',
      'copyIso',
      'extractTemplate',
      'extractIso',
      'updateTemplatePermissions',
      'updateIsoPermissions',
      'listTemplatePermissions',
      'listIsoPermissions',
      'attachIso',
    ].map((c) => [c, 'Template' as const]),
  ),
  ...Object.fromEntries(['listDomainChildren', 'updateDomain', 'deleteDomain'].map((c) => [c, 'Domain' as const])),
  ...Object.fromEntries(
    ['updateAccount', 'deleteAccount', 'disableAccount', 'enableAccount'].map((c) => [c, 'Account' as const]),
  ),
  ...Object.fromEntries(
    ['updateUser', 'deleteUser', 'disableUser', 'enableUser', 'lockUser', 'getUserKeys'].map((c) => [
      c,
      'User' as const,
    ]),
  ),
  ...Object.fromEntries(['listRoles', 'updateRole', 'deleteRole'].map((c) => [c, 'Role' as const])),
  ...Object.fromEntries(['listRegions', 'updateRegion', 'removeRegion'].map((c) => [c, 'Region' as const])),
  deleteRolePermission: 'RolePermission',
  listDedicatedGuestVlanRanges: 'GuestVlanRange',
  releaseDedicatedGuestVlanRange: 'GuestVlanRange',
  listPortableIpRanges: 'PortableIpRange',
  deletePortableIpRange: 'PortableIpRange',
  ...Object.fromEntries(
    ['listProjects', 'updateProject', 'deleteProject', 'activateProject', 'suspendProject'].map((c) => [
      c,
      'Project' as const,
    ]),
  ),
  ...Object.fromEntries(['listAlerts', 'archiveAlerts', 'deleteAlerts'].map((c) => [c, 'Alert' as const])),
  archiveEvents: 'Event',
  deleteEvents: 'Event',
  updateProjectRole: 'ProjectRole',
  deleteProjectRole: 'ProjectRole',
  deleteProjectRolePermission: 'ProjectRolePermission',
  ...Object.fromEntries(
    ['listBackupOfferings', 'deleteBackupOffering', 'updateBackupOffering'].map((c) => [c, 'BackupOffering' as const]),
  ),
  ...Object.fromEntries(['listBackups', 'deleteBackup', 'restoreBackup'].map((c) => [c, 'Backup' as const])),
  ...Object.fromEntries(
    ['listSystemVms', 'startSystemVm', 'stopSystemVm', 'rebootSystemVm', 'destroySystemVm'].map((c) => [
      c,
      'SystemVm' as const,
    ]),
  ),
  listCounters: 'Counter',
  deleteCounter: 'Counter',
  ...Object.fromEntries(['listConditions', 'updateCondition', 'deleteCondition'].map((c) => [c, 'Condition' as const])),
  ...Object.fromEntries(
    ['listAutoScalePolicies', 'updateAutoScalePolicy', 'deleteAutoScalePolicy'].map((c) => [
      c,
      'AutoScalePolicy' as const,
    ]),
  ),
  ...Object.fromEntries(
    ['listAutoScaleVmProfiles', 'updateAutoScaleVmProfile', 'deleteAutoScaleVmProfile'].map((c) => [
      c,
      'AutoScaleVmProfile' as const,
    ]),
  ),
  ...Object.fromEntries(
    [
      'listAutoScaleVmGroups',
      'updateAutoScaleVmGroup',
      'enableAutoScaleVmGroup',
      'disableAutoScaleVmGroup',
      'deleteAutoScaleVmGroup',
    ].map((c) => [c, 'AutoScaleVmGroup' as const]),
  ),
};

/** Parameters that name another kind in one command: CloudStack's VirtualMachine covers system VMs (vm_instance). */
const COMMAND_PARAM_ENTITIES: Record<string, Record<string, EntityKind>> = {
  migrateSystemVm: { virtualmachineid: 'SystemVm' },
  // The autoscale commands' parameters (policyid names other things in other commands).
  createCondition: { counterid: 'Counter' },
  listConditions: { counterid: 'Counter', policyid: 'AutoScalePolicy' },
  createAutoScalePolicy: { conditionids: 'Condition' },
  updateAutoScalePolicy: { conditionids: 'Condition' },
  listAutoScalePolicies: { conditionid: 'Condition', vmgroupid: 'AutoScaleVmGroup' },
  createAutoScaleVmProfile: { autoscaleuserid: 'User' },
  updateAutoScaleVmProfile: { autoscaleuserid: 'User' },
  createAutoScaleVmGroup: {
    lbruleid: 'LoadBalancerRule',
    vmprofileid: 'AutoScaleVmProfile',
    scaleuppolicyids: 'AutoScalePolicy',
    scaledownpolicyids: 'AutoScalePolicy',
  },
  updateAutoScaleVmGroup: { scaleuppolicyids: 'AutoScalePolicy', scaledownpolicyids: 'AutoScalePolicy' },
  listAutoScaleVmGroups: {
    lbruleid: 'LoadBalancerRule',
    vmprofileid: 'AutoScaleVmProfile',
    policyid: 'AutoScalePolicy',
  },
  listVirtualMachines: { autoscalevmgroupid: 'AutoScaleVmGroup' },
  deployVirtualMachine: { overridediskofferingid: 'DiskOffering' },
  listVirtualMachinesMetrics: { autoscalevmgroupid: 'AutoScaleVmGroup' },
  updateProjectRolePermission: { ruleorder: 'ProjectRolePermission' },
  migrateSecondaryStorageData: { srcpool: 'ImageStore', destpools: 'ImageStore' },
};

/** The (param, kind, value) triples of a request that must resolve. */
export function idsToResolve(
  command: string,
  params: { name: string; values: string[] }[],
): { name: string; kind: EntityKind; value: string }[] {
  const out: { name: string; kind: EntityKind; value: string }[] = [];
  for (const { name, values } of params) {
    const kind =
      name === 'id' || name === 'ids'
        ? ID_ENTITIES[command]
        : (COMMAND_PARAM_ENTITIES[command]?.[name] ?? PARAM_ENTITIES[name]);
    if (kind) for (const value of values) out.push({ name, kind, value });
  }
  return out;
}
