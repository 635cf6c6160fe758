/**
 * The records the cloud is made of. Field names are the stored column names; booleans are
 * stored as 0/1 so the same rows work on SQLite and PostgreSQL; times are epoch milliseconds.
 */
export type Flag = 0 | 1;

export type AccountType = 0 | 1 | 2 | 3 | 4 | 5; // user, root admin, domain admin, resource admin, read-only admin, project
export type VmState =
  'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Destroyed' | 'Expunging' | 'Migrating' | 'Error';

export interface Domain {
  id: string;
  name: string;
  path: string;
  parentId: string | null;
  level: number;
  state: string;
  created: number;
  /** CloudStack's numeric domain id (ROOT is 1), which its error texts print (010_organisation). */
  seq?: number | null;
  networkDomain?: string | null;
  removed?: number | null;
}
export interface Account {
  id: string;
  name: string;
  type: AccountType;
  domainId: string;
  state: string;
  created: number;
  removed: number | null;
  /** The account's role; null means the default role of its type (010_organisation). */
  roleId?: string | null;
  networkDomain?: string | null;
}
export interface User {
  id: string;
  accountId: string;
  username: string;
  passwordHash: string;
  firstname: string;
  lastname: string;
  email: string | null;
  apiKey: string | null;
  secretKey: string | null;
  state: string;
  created: number;
  timezone: string | null;
  removed: number | null;
  /** Wrong passwords since the last good one (CloudStack's user.login_attempts). */
  loginAttempts: number;
  /** Two-factor authentication (041_user_two_factor): on, by which provider, its key, and ENABLED/VERIFIED while set up. */
  user2faEnabled?: number | null;
  user2faProvider?: string | null;
  keyFor2fa?: string | null;
  setup2fa?: string | null;
}
export interface Session {
  id: string;
  sessionKey: string;
  userId: string;
  created: number;
  lastAccess: number;
  /** 0 while a login that needs a second factor waits for its code (null: made before 041, verified). */
  twoFactorVerified?: number | null;
}

export interface Zone {
  id: string;
  name: string;
  description: string | null;
  networkType: 'Basic' | 'Advanced';
  securityGroupsEnabled: Flag;
  localStorageEnabled: Flag;
  dns1: string | null;
  dns2: string | null;
  internalDns1: string | null;
  internalDns2: string | null;
  guestCidr: string | null;
  networkDomain: string | null;
  allocationState: string;
  guestVlanStart: number | null;
  guestVlanEnd: number | null;
  created: number;
  /** CloudStack's numeric internal id, in creation order (028_creation_order). */
  seq?: number | null;
}
export interface Pod {
  id: string;
  zoneId: string;
  name: string;
  gateway: string;
  netmask: string;
  startIp: string;
  endIp: string;
  allocationState: string;
  created: number;
  seq?: number | null;
}
export interface Cluster {
  id: string;
  zoneId: string;
  podId: string;
  name: string;
  hypervisor: string;
  clusterType: string;
  allocationState: string;
  created: number;
  seq?: number | null;
}
export interface Host {
  id: string;
  zoneId: string;
  podId: string;
  clusterId: string;
  name: string;
  url: string;
  ipAddress: string;
  type: string;
  cpuNumber: number;
  cpuSpeed: number;
  memory: number;
  cpuUsed: number;
  memoryUsed: number;
  state: string;
  resourceState: string;
  created: number;
  lastPinged: number;
  /** Creation order and the tags given to addHost (003_infrastructure). */
  seq?: number | null;
  hostTags?: string | null;
}
export interface StoragePool {
  id: string;
  zoneId: string;
  podId: string | null;
  clusterId: string | null;
  name: string;
  url: string;
  scope: string;
  capacityBytes: number;
  usedBytes: number;
  state: string;
  created: number;
  /** Storage tags (003_infrastructure). */
  tags?: string | null;
}
/** `readonly` (022_image_store_readonly): set by updateImageStore; such a store takes no new data. */
export interface ImageStore {
  id: string;
  zoneId: string;
  name: string;
  url: string;
  provider: string;
  created: number;
  readonly?: Flag | null;
}
export interface PhysicalNetwork {
  id: string;
  zoneId: string;
  name: string;
  vlan: string | null;
  isolationMethods: string;
  broadcastDomainRange: string;
  state: string;
  /** Unused since 003_infrastructure keeps traffic types in their own table; kept for older snapshots. */
  trafficTypes: string;
  created: number;
  networkSpeed?: string | null;
  tags?: string | null;
  domainId?: string | null;
}
export interface VlanRange {
  /** gateway, netmask, startIp and endIp are null on an IPv6-only public range (044_ipv6). */
  id: string;
  zoneId: string;
  podId: string | null;
  networkId: string | null;
  vlan: string;
  gateway: string | null;
  netmask: string | null;
  startIp: string | null;
  endIp: string | null;
  forVirtualNetwork: Flag;
  created: number;
  /** The physical network carrying it and the account/domain it is dedicated to (003_infrastructure). */
  physicalNetworkId?: string | null;
  ownerAccountId?: string | null;
  ownerDomainId?: string | null;
  /** Set aside for system VMs (014_vlan_for_system_vms). */
  forSystemVms?: Flag | null;
  /** The IPv6 side of a public range: its gateway, CIDR and optional `start-end` (044_ipv6). */
  ip6Gateway?: string | null;
  ip6Cidr?: string | null;
  ip6Range?: string | null;
}
/** A VlanRange with IPv4 addresses (every range but an IPv6-only public one). */
type Ipv4Fields = { gateway: string; netmask: string; startIp: string; endIp: string };
export type Ipv4Range = VlanRange & Ipv4Fields;
export const hasIpv4 = <T extends VlanRange>(r: T): r is T & Ipv4Fields =>
  r.startIp !== null && r.endIp !== null && r.gateway !== null && r.netmask !== null;
export interface PublicIp {
  id: string;
  zoneId: string;
  vlanRangeId: string;
  address: string;
  addressNum: number;
  state: string;
  accountId: string | null;
  domainId: string | null;
  networkId: string | null;
  isSourceNat: Flag;
  vmId: string | null;
  allocated: number | null;
  /** Set when the address was acquired for a VPC (005_networking). */
  vpcId?: string | null;
  /** The zone's stand-in for a region's portable address (042): it and its one-address range go when released. */
  isPortable?: Flag | null;
}
export interface ServiceOffering {
  id: string;
  name: string;
  displayText: string;
  cpuNumber: number;
  cpuSpeed: number;
  memory: number;
  storageType: string;
  offerHa: Flag;
  limitCpuUse: Flag;
  isSystem: Flag;
  isCustomized: Flag;
  rootDiskSize: number | null;
  state: string;
  created: number;
  /** Added by 015_offerings (null on rows written before it, read as CloudStack's default). */
  diskOfferingId?: string | null;
  hostTags?: string | null;
  isVolatile?: Flag | null;
  dynamicScaling?: Flag | null;
  diskOfferingStrictness?: Flag | null;
  systemVmType?: string | null;
  networkRate?: number | null;
  deploymentPlanner?: string | null;
  /** JSON object of serviceofferingdetails, with the custom offering's min/max cpu and memory. */
  details?: string | null;
  /** Comma-separated domain and zone ids the offering is limited to; null or empty for all. */
  domainIds?: string | null;
  zoneIds?: string | null;
  sortKey?: number | null;
  defaultUse?: Flag | null;
  removed?: number | null;
}
export interface DiskOffering {
  id: string;
  name: string;
  displayText: string;
  diskSize: number;
  isCustomized: Flag;
  storageType: string;
  state: string;
  created: number;
  /** Added by 015_offerings. `computeOnly` marks the disk half of a service offering, which listDiskOfferings never shows. */
  tags?: string | null;
  provisioningType?: string | null;
  computeOnly?: Flag | null;
  customizedIops?: Flag | null;
  minIops?: number | null;
  maxIops?: number | null;
  /** JSON object of the bytes/iops read/write rates that were set. */
  rates?: string | null;
  cacheMode?: string | null;
  encrypt?: Flag | null;
  diskSizeStrictness?: Flag | null;
  displayOffering?: Flag | null;
  hypervisorSnapshotReserve?: number | null;
  details?: string | null;
  domainIds?: string | null;
  zoneIds?: string | null;
  sortKey?: number | null;
  removed?: number | null;
}
export interface NetworkOffering {
  id: string;
  name: string;
  displayText: string;
  guestIpType: string;
  trafficType: string;
  state: string;
  availability: string;
  isDefault: Flag;
  specifyVlan: Flag;
  specifyIpRanges: Flag;
  conserveMode: Flag;
  egressDefaultPolicy: Flag;
  forVpc: Flag;
  /** JSON: { [service]: provider[] } */
  services: string;
  created: number;
  /** Added by 015_offerings. `capabilities` is JSON { [service]: { [capability]: value } }; the id lists are comma-separated. */
  tags?: string | null;
  isPersistent?: Flag | null;
  networkRate?: number | null;
  serviceOfferingId?: string | null;
  capabilities?: string | null;
  details?: string | null;
  maxConnections?: number | null;
  keepAlive?: Flag | null;
  internetProtocol?: string | null;
  domainIds?: string | null;
  zoneIds?: string | null;
  sortKey?: number | null;
  removed?: number | null;
}
export interface OsType {
  id: string;
  description: string;
  categoryId: string;
  categoryName: string;
}
export interface Template {
  id: string;
  seq: number;
  name: string;
  displayText: string;
  isPublic: Flag;
  isFeatured: Flag;
  isReady: Flag;
  format: string;
  hypervisor: string;
  osTypeId: string;
  zoneId: string | null;
  templateType: string;
  passwordEnabled: Flag;
  sshKeyEnabled: Flag;
  size: number;
  accountId: string;
  domainId: string;
  bootable: Flag;
  crossZones: Flag;
  isIso: Flag;
  url: string | null;
  created: number;
  removed: number | null;
  /** Added by 004_storage (null on rows written before it). */
  isExtractable?: Flag | null;
  isDynamicallyScalable?: Flag | null;
  sourceTemplateId?: string | null;
  sourceSnapshotId?: string | null;
  checksum?: string | null;
  templateTag?: string | null;
  /** The registered userdata linked to it and how a deploy's own userdata may override it (020_user_data). */
  userDataId?: string | null;
  userDataPolicy?: string | null;
}
export interface Network {
  id: string;
  zoneId: string;
  name: string;
  displayText: string;
  type: string;
  state: string;
  cidr: string | null;
  gateway: string | null;
  netmask: string | null;
  vlan: string | null;
  networkOfferingId: string;
  physicalNetworkId: string | null;
  accountId: string | null;
  domainId: string;
  aclType: string;
  isDefault: Flag;
  networkDomain: string | null;
  created: number;
  removed: number | null;
  /** A VPC tier's VPC and network ACL list (005_networking). */
  vpcId?: string | null;
  aclId?: string | null;
  /** A private VLAN network's secondary (isolated) VLAN and its type, lower case (042). */
  isolatedPvlan?: string | null;
  isolatedPvlanType?: string | null;
  /**
   * A dual-stack isolated network's /64 from the zone's guest prefixes and its gateway, and the
   * public IPv6 address of the router serving it (CloudStack's placeholder NIC), 044_ipv6.
   */
  ip6Gateway?: string | null;
  ip6Cidr?: string | null;
  publicIp6?: string | null;
}
/** The hypervisor every user VM here runs on (the simulator's). */
export const VM_HYPERVISOR = 'Simulator';

export interface Vm {
  id: string;
  seq: number;
  name: string;
  displayName: string;
  instanceName: string;
  accountId: string;
  domainId: string;
  userId: string;
  zoneId: string;
  podId: string | null;
  clusterId: string | null;
  hostId: string | null;
  lastHostId: string | null;
  templateId: string;
  serviceOfferingId: string;
  cpuNumber: number;
  cpuSpeed: number;
  memory: number;
  state: VmState;
  haEnable: Flag;
  userData: string | null;
  keyPairs: string | null;
  password: string | null;
  groupName: string | null;
  created: number;
  updated: number;
  destroyedAt: number | null;
  removed: number | null;
  /** The ISO in the VM's CD-ROM drive (004_storage). */
  isoId?: string | null;
  /** Whether it may be scaled while running (021_vm_dynamic_scaling). */
  dynamicallyScalable?: Flag | null;
  /** Its backup offering, the provider's id for it there, and the Backup.VolumeInfo JSON of its volumes then (045_backup_recovery). */
  backupOfferingId?: string | null;
  backupExternalId?: string | null;
  backupVolumes?: string | null;
}
export interface Nic {
  /** ipAddress, ipNum, netmask and gateway are null on an L2 network (019_l2_nics). */
  id: string;
  vmId: string;
  networkId: string;
  ipAddress: string | null;
  ipNum: number | null;
  netmask: string | null;
  gateway: string | null;
  macAddress: string;
  isDefault: Flag;
  deviceId: number;
  broadcastUri: string | null;
  removed: number | null;
}
export interface Volume {
  id: string;
  seq: number;
  name: string;
  vmId: string | null;
  type: string;
  state: string;
  size: number;
  zoneId: string;
  poolId: string | null;
  diskOfferingId: string | null;
  templateId: string | null;
  accountId: string;
  domainId: string;
  deviceId: number | null;
  created: number;
  attached: number | null;
  removed: number | null;
  /** The snapshot a volume was created from (004_storage). */
  snapshotId?: string | null;
}
export interface SecurityGroup {
  id: string;
  name: string;
  description: string | null;
  accountId: string;
  domainId: string;
  created: number;
}
export interface SecurityGroupRule {
  id: string;
  securityGroupId: string;
  direction: 'ingress' | 'egress';
  protocol: string;
  startPort: number | null;
  endPort: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  cidr: string | null;
  refGroupId: string | null;
  created: number;
}
/** Registered userdata (registerUserData): base64 content and the names of its variables. */
export interface UserData {
  id: string;
  name: string;
  accountId: string;
  domainId: string;
  userData: string;
  params: string | null;
  created: number;
}
export interface SshKeyPair {
  id: string;
  name: string;
  fingerprint: string;
  publicKey: string;
  accountId: string;
  domainId: string;
  created: number;
}
export interface Tag {
  id: string;
  key: string;
  value: string;
  resourceType: string;
  resourceId: string;
  accountId: string;
  domainId: string;
  customer: string | null;
}
export interface Event {
  id: string;
  type: string;
  level: string;
  description: string;
  state: string;
  accountId: string;
  userId: string | null;
  domainId: string;
  resourceId: string | null;
  resourceType: string | null;
  created: number;
  /** Set by archiveEvents (010_organisation). */
  archived?: Flag;
}
export interface PortForwardingRule {
  id: string;
  publicIpId: string;
  protocol: string;
  publicPort: number;
  publicEndPort: number;
  privatePort: number;
  privateEndPort: number;
  vmId: string;
  vmGuestIp: string;
  networkId: string;
  cidrList: string;
  state: string;
  accountId: string;
  domainId: string;
  created: number;
}
/** The non-strict kinds (4.18) only order the hosts the planner tries; the strict ones exclude hosts. */
export type AffinityType =
  'host anti-affinity' | 'host affinity' | 'non-strict host anti-affinity' | 'non-strict host affinity';
export interface AffinityGroup {
  id: string;
  name: string;
  description: string | null;
  type: AffinityType;
  accountId: string;
  domainId: string;
  created: number;
}
export interface InstanceGroup {
  id: string;
  name: string;
  accountId: string;
  domainId: string;
  created: number;
}
export type FaultEffect = 'error' | 'delay' | 'capacity';
export interface FaultRule {
  id: string;
  front: string;
  operation: string;
  accountId: string | null;
  zoneId: string | null;
  hostId: string | null;
  effect: FaultEffect;
  status: number | null;
  message: string | null;
  delayMs: number | null;
  probability: number;
  remaining: number | null;
  hits: number;
  created: number;
}
export type JobStatus = 0 | 1 | 2 | 3;
export interface Job {
  id: string;
  accountId: string;
  userId: string;
  domainId: string;
  cmd: string;
  kind: string;
  params: string;
  status: JobStatus;
  resultCode: number;
  result: string | null;
  instanceType: string | null;
  instanceId: string | null;
  created: number;
  completed: number | null;
  owner: string | null;
  heartbeat: number | null;
}
export interface Configuration {
  name: string;
  value: string | null;
  category: string;
  description: string;
  scope: string;
}
/** A setting's value for one zone, cluster, storage pool, account, domain or image store. */
export interface ScopedConfiguration {
  name: string;
  scope: string;
  scopeId: string;
  value: string | null;
}
export interface SimulatorMock {
  id: number;
  name: string;
  value: string;
  zoneId: string | null;
  podId: string | null;
  clusterId: string | null;
  hostId: string | null;
  count: number | null;
  jsonResponse: string | null;
  removed: number | null;
}
/** Everything the API can name as a resource of an account. */
export interface Owned {
  accountId: string | null;
  domainId: string | null;
}
/** A key/value detail of a resource (addResourceDetail; 041_user_two_factor). `display` is 1 unless fordisplay=false. */
export interface ResourceDetail {
  id: string;
  resourceType: string;
  resourceId: string;
  name: string;
  value: string | null;
  display: number;
  created: number;
}
