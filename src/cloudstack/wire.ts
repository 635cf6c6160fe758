/**
 * The JSON shapes of CloudStack answers, as far as a client of the API reads them (the EC2 and GCE
 * fronts through their port). The views that write these objects are typed against the same interfaces,
 * so a field renamed on either side fails the type-check on the other. Fields a view writes only
 * in some cases are optional; a view may write more fields than are named here.
 */

/** account/domain naming (ownerFields): a project's resources name the project instead. */
export interface WireOwned {
  account?: string;
  accountid?: string;
  domainid?: string;
  domain?: string;
}

export interface WireTag {
  key: string;
  value: string;
  resourcetype: string;
  resourceid: string;
}

export interface WireTagged {
  tags: WireTag[];
}

export interface WireNic {
  id: string;
  networkid: string;
  networkname?: string;
  ipaddress?: string;
  netmask?: string;
  gateway?: string;
  isdefault: boolean;
  macaddress: string;
  deviceid: string;
  secondaryip: { id: string; ipaddress: string }[];
  ip6address?: string;
  /** The network's guest type (Isolated, Shared, L2). */
  type: string;
}

export interface WireSecurityRule {
  ruleid: string;
  protocol: string;
  startport?: number;
  endport?: number;
  icmptype?: number;
  icmpcode?: number;
  cidr?: string;
  securitygroupname?: string;
  account?: string;
  tags?: WireTag[];
}

export interface WireSecurityGroup extends WireOwned, WireTagged {
  id: string;
  name: string;
  description?: string;
  ingressrule: WireSecurityRule[];
  egressrule: WireSecurityRule[];
  virtualmachinecount?: number;
  virtualmachineids?: string[];
}

export interface WireAffinityGroup extends WireOwned {
  id: string;
  name: string;
  type: string;
  description?: string;
  virtualmachineIds: string[];
}

/** UserVmResponse, as listed without `details` (WireVmBrief: what `details=min` leaves). */
export interface WireVm extends WireOwned, WireTagged {
  id: string;
  name: string;
  displayname: string;
  state: string;
  created?: string;
  lastupdated?: string;
  haenable: boolean;
  zoneid: string;
  zonename?: string;
  templateid: string;
  templatename?: string;
  serviceofferingid: string;
  serviceofferingname?: string;
  cpunumber?: number;
  memory?: number;
  guestosid?: string;
  ipaddress?: string;
  publicip?: string;
  publicipid?: string;
  hostid?: string;
  keypairs?: string;
  userdata?: string;
  nic?: WireNic[];
  securitygroup?: WireSecurityGroup[];
  affinitygroup?: WireAffinityGroup[];
}

/** The groups of fields `details=min` leaves out of a WireVm (vm.view.ts omitUnasked: tmpl, servoff, nics, secgrp, affgrp). */
type WireVmDetailed =
  | 'templateid'
  | 'templatename'
  | 'serviceofferingid'
  | 'serviceofferingname'
  | 'cpunumber'
  | 'memory'
  | 'ipaddress'
  | 'nic'
  | 'securitygroup'
  | 'affinitygroup';

/** listVirtualMachines with `details=min`. */
export type WireVmBrief = Omit<WireVm, WireVmDetailed> & Partial<Pick<WireVm, WireVmDetailed>>;

/** VolumeResponse. */
export interface WireVolume extends WireOwned, WireTagged {
  id: string;
  name: string;
  zoneid: string;
  zonename?: string;
  type: string;
  size: number;
  state: string;
  created?: string;
  destroyed: boolean;
  virtualmachineid?: string;
  vmname?: string;
  vmstate?: string;
  deviceid?: number;
  attached?: string;
  diskofferingid?: string;
  diskofferingname?: string;
  templateid?: string;
  snapshotid?: string;
}

export interface WireService {
  name: string;
  provider: { name: string }[];
}

/** NetworkResponse. */
export interface WireNetwork extends WireOwned, WireTagged {
  id: string;
  name: string;
  displaytext: string;
  zoneid: string;
  zonename?: string;
  networkofferingid: string;
  state: string;
  type: string;
  isdefault: boolean;
  created?: string;
  service: WireService[];
  cidr?: string;
  gateway?: string;
  netmask?: string;
  vlan?: string;
  vpcid?: string;
  aclid?: string;
}

/** VpcResponse. */
export interface WireVpc extends WireOwned, WireTagged {
  id: string;
  name: string;
  displaytext: string;
  state: string;
  zoneid: string;
  zonename?: string;
  cidr: string;
  created?: string;
  network: WireNetwork[];
}

/** IPAddressResponse. */
export interface WirePublicIp extends WireOwned, WireTagged {
  id: string;
  ipaddress: string;
  allocated?: string;
  zoneid: string;
  zonename?: string;
  issourcenat: boolean;
  isstaticnat: boolean;
  state: string;
  associatednetworkid?: string;
  networkid?: string;
  virtualmachineid?: string;
  virtualmachinename?: string;
  vmipaddress?: string;
  vpcid?: string;
}

/** TemplateResponse (one row per zone). */
export interface WireTemplate extends WireOwned, WireTagged {
  id: string;
  name: string;
  displaytext: string;
  ispublic: boolean;
  created?: string;
  isready: boolean;
  zoneid?: string;
  ostypeid: string;
  ostypename?: string;
  size?: number;
  format?: string;
  templatetype?: string;
  hypervisor?: string;
  passwordenabled: boolean;
  isfeatured: boolean;
  url?: string;
  status?: string;
  arch?: string;
}

/** ZoneResponse. */
export interface WireZone {
  id: string;
  name: string;
  networktype: 'Basic' | 'Advanced';
  securitygroupsenabled: boolean;
  allocationstate: string;
  description?: string;
  guestcidraddress?: string;
}

export interface WireServiceOffering {
  id: string;
  name: string;
  displaytext: string;
  cpunumber?: number;
  cpuspeed?: number;
  memory?: number;
  iscustomized: boolean;
  zoneid?: string;
  created?: string;
}

export interface WireDiskOffering {
  id: string;
  name: string;
  displaytext: string;
  disksize: number;
  iscustomized: boolean;
  encrypt: boolean;
  zoneid?: string;
  created?: string;
}

export interface WireNetworkOffering {
  id: string;
  name: string;
  displaytext: string;
  state: string;
  guestiptype: string;
  isdefault: boolean;
  forvpc: boolean;
  egressdefaultpolicy: boolean;
  service: WireService[];
}

export interface WireVpcOffering {
  id: string;
  name: string;
  isdefault: boolean;
  state: string;
}

/** SnapshotResponse. */
export interface WireSnapshot extends WireOwned, WireTagged {
  id: string;
  volumeid: string;
  volumename?: string;
  volumetype?: string;
  virtualsize: number;
  physicalsize?: number;
  zoneid: string;
  created?: string;
  name: string;
  state: string;
}

export interface WireSshKeyPair extends WireOwned {
  id: string;
  name: string;
  fingerprint: string;
  created?: string;
  privatekey?: string;
}

export interface WireUser {
  id: string;
  username: string;
  email?: string;
  account: string;
  accountid: string;
  domainid: string;
  apikey?: string;
  secretkey?: string | null;
}

/**
 * The limits and totals of an account (account.view.ts limitFields), shown when `details` asks for
 * them (all, the default, or resource): a limit is a string (a number or 'Unlimited'), a total a number.
 */
export interface WireLimits {
  vmlimit?: string;
  vmtotal?: number;
  cpulimit?: string;
  cputotal?: number;
  primarystoragelimit?: string;
  primarystoragetotal?: number;
  iplimit?: string;
  iptotal?: number;
  snapshotlimit?: string;
  snapshottotal?: number;
  templatelimit?: string;
  templatetotal?: number;
}

export interface WireAccount extends WireLimits {
  id: string;
  name: string;
  accounttype: number;
  domainid: string;
  created?: string;
  user: WireUser[];
}

export interface WireProject {
  id: string;
  name: string;
}

export interface WireRegion {
  id: number;
  name: string;
}

export interface WireHypervisor {
  name: string;
}

export interface WireOsType {
  id: string;
  description: string;
}

export interface WireAclList {
  id: string;
  name: string;
  description?: string;
  vpcid?: string;
}

/** NetworkACLItemResponse: its ports are strings. */
export interface WireAclItem extends WireTagged {
  id: string;
  number: number;
  protocol: string;
  traffictype: 'Ingress' | 'Egress';
  action: 'Allow' | 'Deny';
  cidrlist: string;
  aclid: string;
  startport?: string;
  endport?: string;
  icmptype?: number;
  icmpcode?: number;
  reason?: string;
}

/** FirewallResponse. */
export interface WireFirewallRule extends WireTagged {
  id: string;
  protocol: string;
  networkid: string;
  cidrlist: string;
  startport?: number;
  endport?: number;
  icmptype?: number;
  icmpcode?: number;
  destcidrlist?: string;
  ipaddressid?: string;
}

/** Each list command the front reads: the key of its array and the type of an item. */
export interface WireLists {
  listVirtualMachines: { virtualmachine: WireVm };
  listVolumes: { volume: WireVolume };
  listNetworks: { network: WireNetwork };
  listVPCs: { vpc: WireVpc };
  listPublicIpAddresses: { publicipaddress: WirePublicIp };
  listSecurityGroups: { securitygroup: WireSecurityGroup };
  listAffinityGroups: { affinitygroup: WireAffinityGroup };
  listTemplates: { template: WireTemplate };
  listZones: { zone: WireZone };
  listServiceOfferings: { serviceoffering: WireServiceOffering };
  listDiskOfferings: { diskoffering: WireDiskOffering };
  listNetworkOfferings: { networkoffering: WireNetworkOffering };
  listVPCOfferings: { vpcoffering: WireVpcOffering };
  listSnapshots: { snapshot: WireSnapshot };
  listSSHKeyPairs: { sshkeypair: WireSshKeyPair };
  listAccounts: { account: WireAccount };
  listUsers: { user: WireUser };
  listOsTypes: { ostype: WireOsType };
  listTags: { tag: WireTag };
  listNetworkACLLists: { networkacllist: WireAclList };
  listNetworkACLs: { networkacl: WireAclItem };
  listFirewallRules: { firewallrule: WireFirewallRule };
  listEgressFirewallRules: { firewallrule: WireFirewallRule };
  listProjects: { project: WireProject };
  listRegions: { region: WireRegion };
  listHypervisors: { hypervisor: WireHypervisor };
}

export interface WireTemplatePermission {
  id: string;
  ispublic: boolean;
  domainid: string;
  account?: string[];
}

/** A list answer: `count` and the array, both left out when there is nothing (resultBody). */
export type WireList<C extends keyof WireLists> = { count?: number } & {
  [K in keyof WireLists[C]]?: WireLists[C][K][];
};

/** An async command's first answer. */
export interface WireJobStart {
  jobid: string;
  id?: string;
}

/** The error answer of any command (errorBody), and of a failed job's jobresult. */
export interface WireError {
  errorcode: number;
  errortext: string;
}

/** queryAsyncJobResult; `jobresult` holds the command's result object (R) once jobstatus is 1. */
export interface WireJob<R = Record<string, unknown>> {
  jobid: string;
  jobstatus: number;
  jobresultcode: number;
  jobresult?: R | WireError | { success: boolean };
}

/** What each async command's job leaves in jobresult (the object its result renderer writes). */
export interface WireJobResults {
  addIpToNic: { nicsecondaryip: { id: string; ipaddress: string } };
  addNicToVirtualMachine: { virtualmachine: WireVm };
  associateIpAddress: { ipaddress: WirePublicIp };
  createAffinityGroup: { affinitygroup: WireAffinityGroup };
  createNetworkACL: { networkacl: WireAclItem };
  createNetworkACLList: { networkacllist: WireAclList };
  createTags: { success: boolean };
  createVPC: { vpc: WireVpc };
  createVolume: { volume: WireVolume };
  createSnapshot: { snapshot: WireSnapshot };
  attachVolume: { volume: WireVolume };
  detachVolume: { volume: WireVolume };
  resizeVolume: { volume: WireVolume };
  deleteAffinityGroup: { success: boolean };
  deleteNetwork: { success: boolean };
  deleteNetworkACL: { success: boolean };
  deleteNetworkACLList: { success: boolean };
  deleteSnapshot: { success: boolean };
  deleteTags: { success: boolean };
  deleteVPC: { success: boolean };
  deleteTemplate: { success: boolean };
  disableStaticNat: { success: boolean };
  disassociateIpAddress: { success: boolean };
  removeIpFromNic: { success: boolean };
  removeNicFromVirtualMachine: { virtualmachine: WireVm };
  replaceNetworkACLList: { success: boolean };
  updateNetworkACLItem: { networkacl: WireAclItem };
  deployVirtualMachine: { virtualmachine: WireVm };
  destroyVirtualMachine: { virtualmachine: WireVm };
  startVirtualMachine: { virtualmachine: WireVm };
  stopVirtualMachine: { virtualmachine: WireVm };
  rebootVirtualMachine: { virtualmachine: WireVm };
  migrateVirtualMachine: { virtualmachine: WireVm };
  resetSSHKeyForVirtualMachine: { virtualmachine: WireVm };
  updateNetwork: { network: WireNetwork };
  updateVMAffinityGroup: { virtualmachine: WireVm };
  createTemplate: { template: WireTemplate };
  authorizeSecurityGroupIngress: { securitygroup: WireSecurityGroup };
  authorizeSecurityGroupEgress: { securitygroup: WireSecurityGroup };
  revokeSecurityGroupIngress: { success: boolean };
  revokeSecurityGroupEgress: { success: boolean };
  createFirewallRule: { firewallrule: WireFirewallRule };
  createEgressFirewallRule: { firewallrule: WireFirewallRule };
  deleteFirewallRule: { success: boolean };
  deleteEgressFirewallRule: { success: boolean };
  deleteSecurityGroup: { success: boolean };
}

/** The synchronous answers the front reads, besides lists and async starts. */
export interface WireSyncAnswers {
  createNetwork: { network: WireNetwork };
  enableStaticNat: { success: boolean };
  getVirtualMachineUserData: { virtualmachineuserdata: { virtualmachineid: string; userdata?: string } };
  getVMPassword: { password: { encryptedpassword: string } };
  changeServiceForVirtualMachine: { virtualmachine: WireVm };
  updateVirtualMachine: { virtualmachine: WireVm };
  updateTemplate: { template: WireTemplate };
  updateTemplatePermissions: { success: boolean };
  registerTemplate: { count?: number; template: WireTemplate[] };
  createSSHKeyPair: { keypair: WireSshKeyPair & { privatekey: string } };
  registerSSHKeyPair: { keypair: WireSshKeyPair };
  deleteSSHKeyPair: { success: boolean };
  createSecurityGroup: { securitygroup: WireSecurityGroup };
  deleteSecurityGroup: { success: boolean };
  deleteVolume: { success: boolean };
  queryAsyncJobResult: WireJob;
  getUser: { user: WireUser };
  listTemplatePermissions: { templatepermission?: WireTemplatePermission };
}

/** Async commands whose first answer names the object they create (BaseAsyncCreateCmd). */
type WireCreates =
  | 'createTemplate'
  | 'createSnapshot'
  | 'createVolume'
  | 'deployVirtualMachine'
  | 'createFirewallRule'
  | 'createEgressFirewallRule';

/** Every command's answer body (under `<command>response`) when it succeeds. */
export type WireAnswers = { [C in keyof WireLists]: WireList<C> } & {
  [C in keyof WireJobResults]: C extends WireCreates ? WireJobStart & { id: string } : WireJobStart;
} & Omit<WireSyncAnswers, keyof WireJobResults>;

/** What a view writes: the named fields, typed, and any others it shows. */
export type Wire<T> = T & Record<string, unknown>;
