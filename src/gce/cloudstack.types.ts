/**
 * What the GCE front reads of CloudStack's answers: the response objects of the commands it calls,
 * as src/cloudstack/views render them (JSON over the port: ids and dates are strings, counts numbers).
 * Only the fields the front reads are named; a field a view may leave out is optional. A body the
 * front reads nothing typed from is a `CsObject`.
 */
export type CsObject = Record<string, unknown>;

/** A resource tag (tag.view.ts tagsView). */
export interface CsTag {
  key: string;
  value: string;
}

interface Tagged {
  tags?: CsTag[];
}

/** zoneView (catalog.view.ts). */
export interface CsZone {
  id: string;
  name: string;
  networktype: 'Basic' | 'Advanced';
  securitygroupsenabled: boolean;
  allocationstate: string;
}

/** A NIC of a VM (vm.view.ts nicView). */
export interface CsNic {
  id: string;
  networkid: string;
  networkname?: string;
  ipaddress?: string;
  type: string;
  isdefault: boolean;
  deviceid: string;
}

/** UserVmResponse (vm.view.ts vmView); `details=min` leaves out the offering, NICs and groups. */
export interface CsVm extends Tagged {
  id: string;
  name: string;
  displayname?: string;
  state: string;
  created: string;
  lastupdated?: string;
  zoneid: string;
  /** Rendered from the zone, which outlives its VMs. */
  zonename: string;
  templateid?: string;
  templatename?: string;
  serviceofferingid?: string;
  serviceofferingname?: string;
  cpunumber?: number;
  memory?: number;
  haenable?: boolean;
  ipaddress?: string;
  nic?: CsNic[];
  publicip?: string;
  publicipid?: string;
  hostid?: string;
  keypairs?: string;
  securitygroup?: { id: string; name: string }[];
}

/** VolumeResponse (volume.view.ts volumeViews). */
export interface CsVolume extends Tagged {
  id: string;
  name: string;
  zoneid: string;
  /** Rendered from the zone, which outlives its volumes. */
  zonename: string;
  type: string;
  size: number;
  state: string;
  created: string;
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

/** TemplateResponse (template.view.ts templateRows). */
export interface CsTemplate extends Tagged {
  id: string;
  name: string;
  displaytext?: string;
  ostypeid?: string;
  ostypename?: string;
  ispublic?: boolean;
  isready?: boolean;
  status?: string;
  size?: number;
  created?: string;
  arch?: string;
  zoneid?: string;
}

/** ServiceOfferingResponse (offering.view.ts serviceOfferingView). */
export interface CsServiceOffering {
  id: string;
  name: string;
  displaytext?: string;
  cpunumber?: number;
  memory?: number;
  iscustomized?: boolean;
  zoneid?: string;
  created?: string;
}

/** DiskOfferingResponse (offering.view.ts diskOfferingView). */
export interface CsDiskOffering {
  id: string;
  name: string;
  displaytext?: string;
  disksize?: number;
  iscustomized?: boolean;
  zoneid?: string;
  created?: string;
}

/** A security group rule (securitygroup.view.ts ruleView). */
export interface CsSecurityGroupRule {
  ruleid: string;
  protocol: string;
  startport?: number;
  endport?: number;
  cidr?: string;
}

/** SecurityGroupResponse (securitygroup.view.ts securityGroupView). */
export interface CsSecurityGroup extends Tagged {
  id: string;
  name: string;
  description?: string;
  ingressrule?: CsSecurityGroupRule[];
  egressrule?: CsSecurityGroupRule[];
}

/** SnapshotResponse (snapshot.view.ts snapshotViews). */
export interface CsSnapshot extends Tagged {
  id: string;
  name: string;
  state: string;
  created: string;
  zoneid?: string;
  volumeid?: string;
  volumename?: string;
  volumetype?: string;
  virtualsize?: number;
  physicalsize?: number;
}

/** IPAddressResponse (network.view.ts publicIpView). */
export interface CsPublicIp extends Tagged {
  id: string;
  ipaddress: string;
  zoneid: string;
  zonename?: string;
  issourcenat: boolean;
  isstaticnat: boolean;
  state: string;
  allocated?: string;
  networkid?: string;
  associatednetworkid?: string;
  virtualmachineid?: string;
  virtualmachinename?: string;
  vpcid?: string;
}

/** NetworkACLListResponse (vpc.view.ts aclListView). */
export interface CsAclList {
  id: string;
  name: string;
  description?: string;
  vpcid?: string;
}

/** NetworkACLItemResponse (vpc.view.ts aclItemView). */
export interface CsAclItem {
  id: string;
  number: number;
  protocol: string;
  startport?: string | number;
  endport?: string | number;
  traffictype: 'Ingress' | 'Egress';
  action: 'Allow' | 'Deny';
  cidrlist?: string;
  reason?: string;
}

/** VpcResponse (vpc.view.ts vpcView). */
export interface CsVpc extends Tagged {
  id: string;
  name: string;
  displaytext?: string;
  cidr: string;
  zoneid: string;
  zonename?: string;
  state?: string;
  created?: string;
}

/** NetworkResponse (network.view.ts networkView): a default network or a VPC tier. */
export interface CsNetwork extends Tagged {
  id: string;
  name: string;
  displaytext?: string;
  cidr?: string;
  gateway?: string;
  netmask?: string;
  vpcid?: string;
  zoneid: string;
  zonename?: string;
  created?: string;
  isdefault?: boolean;
  type?: string;
}

/** VpcOfferingResponse (vpc.view.ts vpcOfferingView). */
export interface CsVpcOffering {
  id: string;
  name: string;
}

/** NetworkOfferingResponse (offering.view.ts networkOfferingView). */
export interface CsNetworkOffering {
  id: string;
  name: string;
  guestiptype?: string;
}

/** ProjectResponse (project.view.ts projectView). */
export interface CsProject {
  id: string;
  name: string;
}

/** UserResponse with its keys (account.view.ts userView). */
export interface CsUser {
  id: string;
  username: string;
  email?: string;
  account: string;
  accountid: string;
  domainid: string;
  apikey?: string;
}

/** AccountResponse: the limits and totals quotas read (account.view.ts limitFields). */
export interface CsAccount {
  id: string;
  name: string;
  created?: string;
  /** A limit is a string: a number, or 'Unlimited'; a total is a number (account.view.ts limitFields). */
  vmlimit: string;
  vmtotal: number;
  cpulimit: string;
  cputotal: number;
  primarystoragelimit: string;
  primarystoragetotal: number;
  iplimit: string;
  iptotal: number;
  snapshotlimit: string;
  snapshottotal: number;
  templatelimit: string;
  templatetotal: number;
}

/** RegionResponse. */
export interface CsRegion {
  id: number;
  name: string;
}

/** An SSH key pair (misc.view.ts sshKeyPairView). */
export interface CsSshKeyPair {
  name: string;
  fingerprint: string;
}

/** An OS type (catalog.view.ts osTypeView). */
export interface CsOsType {
  id: string;
  description: string;
}

/** A hypervisor (listHypervisors). */
export interface CsHypervisor {
  name: string;
}

/** AsyncJobResponse (job.view.ts jobView): 0 pending, 1 succeeded, 2 failed. */
export interface CsJob {
  jobid: string;
  jobstatus: 0 | 1 | 2;
  jobresultcode?: number;
  jobresult?: { errortext?: string } & CsObject;
}

/** A list answer: `count` and the items under the command's own key. */
type Listing<K extends string, T> = { count?: number } & { [k in K]?: T[] };

/** The answers of the list commands the front reads, by command. */
export interface CsLists {
  listZones: Listing<'zone', CsZone>;
  listVirtualMachines: Listing<'virtualmachine', CsVm>;
  listVolumes: Listing<'volume', CsVolume>;
  listTemplates: Listing<'template', CsTemplate>;
  listServiceOfferings: Listing<'serviceoffering', CsServiceOffering>;
  listDiskOfferings: Listing<'diskoffering', CsDiskOffering>;
  listSecurityGroups: Listing<'securitygroup', CsSecurityGroup>;
  listSnapshots: Listing<'snapshot', CsSnapshot>;
  listPublicIpAddresses: Listing<'publicipaddress', CsPublicIp>;
  listNetworkACLLists: Listing<'networkacllist', CsAclList>;
  listNetworkACLs: Listing<'networkacl', CsAclItem>;
  listNetworkOfferings: Listing<'networkoffering', CsNetworkOffering>;
  listVPCs: Listing<'vpc', CsVpc>;
  listVPCOfferings: Listing<'vpcoffering', CsVpcOffering>;
  listNetworks: Listing<'network', CsNetwork>;
  listProjects: Listing<'project', CsProject>;
  listUsers: Listing<'user', CsUser>;
  listAccounts: Listing<'account', CsAccount>;
  listRegions: Listing<'region', CsRegion>;
  listSSHKeyPairs: Listing<'sshkeypair', CsSshKeyPair>;
  listOsTypes: Listing<'ostype', CsOsType>;
  listHypervisors: Listing<'hypervisor', CsHypervisor>;
}

/** The answers of the other commands whose result the front reads. */
export interface CsResults {
  queryAsyncJobResult: CsJob;
  createSecurityGroup: { securitygroup: CsSecurityGroup };
  createNetwork: { network: CsNetwork };
  registerTemplate: { template: CsTemplate[] };
  getVirtualMachineUserData: { virtualmachineuserdata?: { userdata?: string } };
}

export type CsAnswers = CsLists & CsResults;

/** What a command answers: its typed form when the front reads one, else a plain object. */
export type CsBody<C extends string> = C extends keyof CsAnswers ? CsAnswers[C] & CsObject : CsObject;

/** The item type of a list command under its key. */
export type CsItem<C extends keyof CsLists> = NonNullable<CsLists[C][Exclude<keyof CsLists[C], 'count'>]> extends (infer T)[] ? T : never;
