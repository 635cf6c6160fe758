// The fields of the storage, image, VPC, load-balancer, project, affinity, offering and setting
// responses that the resource pages read (names as on the wire).
import type { Tag } from './types';

export interface DiskVolume {
  id: string;
  name: string;
  type: string;
  state: string;
  size?: number;
  zoneid: string;
  zonename?: string;
  account?: string;
  domain?: string;
  virtualmachineid?: string;
  vmname?: string;
  vmdisplayname?: string;
  deviceid?: number;
  diskofferingid?: string;
  diskofferingname?: string;
  storage?: string;
  created?: string;
  attached?: string;
  tags?: Tag[];
  provisioningtype?: string;
  path?: string;
}
export interface VolumeSnapshot {
  id: string;
  name: string;
  state: string;
  volumeid: string;
  volumename?: string;
  volumetype?: string;
  snapshottype?: string;
  intervaltype?: string;
  account?: string;
  created?: string;
  zoneid?: string;
  zonename?: string;
  physicalsize?: number;
  virtualsize?: number;
  revertable?: boolean;
}
export interface VmSnapshot {
  id: string;
  name: string;
  displayname?: string;
  description?: string;
  state: string;
  type?: string;
  current?: boolean;
  parentName?: string;
  virtualmachineid: string;
  virtualmachinename?: string;
  account?: string;
  created?: string;
  zonename?: string;
}
export interface Image {
  id: string;
  name: string;
  displaytext?: string;
  ostypeid?: string;
  ostypename?: string;
  isready?: boolean;
  status?: string;
  zoneid?: string;
  zonename?: string;
  format?: string;
  hypervisor?: string;
  ispublic?: boolean;
  isfeatured?: boolean;
  isextractable?: boolean;
  passwordenabled?: boolean;
  bootable?: boolean;
  account?: string;
  created?: string;
  size?: number;
  templatetype?: string;
  crossZones?: boolean;
  url?: string;
}
export interface OsType {
  id: string;
  description: string;
}
export interface Vpc {
  id: string;
  name: string;
  displaytext?: string;
  state: string;
  cidr: string;
  zoneid: string;
  zonename?: string;
  vpcofferingid?: string;
  vpcofferingname?: string;
  account?: string;
  network?: { id: string; name: string; cidr?: string; state?: string }[];
  restartrequired?: boolean;
  networkdomain?: string;
  created?: string;
}
export interface AclList {
  id: string;
  name: string;
  description?: string;
  vpcid?: string;
  fordisplay?: boolean;
}
export interface AclRule {
  id: string;
  number: number;
  protocol: string;
  startport?: string;
  endport?: string;
  cidrlist?: string;
  action: string;
  traffictype: string;
  state?: string;
  aclid: string;
  reason?: string;
}
export interface LbRule {
  id: string;
  name: string;
  description?: string;
  publicip: string;
  publicipid: string;
  publicport: string;
  privateport: string;
  algorithm: string;
  protocol?: string;
  state?: string;
  account?: string;
  zonename?: string;
  networkid?: string;
  cidrlist?: string;
}
export interface PfRule {
  id: string;
  protocol: string;
  publicport: string;
  publicendport?: string;
  privateport: string;
  privateendport?: string;
  ipaddress: string;
  ipaddressid: string;
  virtualmachineid: string;
  virtualmachinename?: string;
  virtualmachinedisplayname?: string;
  state?: string;
  networkid?: string;
  vmguestip?: string;
}
export interface Project {
  id: string;
  name: string;
  displaytext?: string;
  state: string;
  account?: string;
  owner?: { account?: string }[];
  domain?: string;
  domainid?: string;
  created?: string;
  vmtotal?: number;
  volumetotal?: number;
  networktotal?: number;
}
export interface ProjectAccount {
  account: string;
  accountid?: string;
  role?: string;
  projectid: string;
  username?: string;
}
export interface AffinityGroup {
  id: string;
  name: string;
  type: string;
  description?: string;
  account?: string;
  domain?: string;
  virtualmachineIds?: string[];
}
export interface Offering {
  id: string;
  name: string;
  displaytext?: string;
  created?: string;
  state?: string;
  iscustomized?: boolean;
  isdefault?: boolean;
  issystem?: boolean;
  cpunumber?: number;
  cpuspeed?: number;
  memory?: number;
  storagetype?: string;
  disksize?: number;
  offerha?: boolean;
  tags?: string;
  guestiptype?: string;
  traffictype?: string;
  supportedservices?: string;
  specifyvlan?: boolean;
  networkrate?: number;
  service?: { name: string }[];
  domain?: string;
  zone?: string;
  limitcpuuse?: boolean;
}
export interface Setting {
  name: string;
  value?: string;
  defaultvalue?: string;
  category?: string;
  description?: string;
  type?: string;
  scope?: string;
  isdynamic?: boolean;
  component?: string;
  group?: string;
  subgroup?: string;
}
