// The fields of CloudStack's responses that the console reads (names as on the wire).

export interface Tag {
  key: string;
  value: string;
}
export interface Zone {
  id: string;
  name: string;
  networktype: string;
  securitygroupsenabled?: boolean;
  allocationstate?: string;
  description?: string;
  dns1?: string;
}
export interface Pod {
  id: string;
  name: string;
  zoneid: string;
  allocationstate?: string;
  gateway?: string;
  startip?: string;
  endip?: string;
}
export interface Cluster {
  id: string;
  name: string;
  podid: string;
  zoneid: string;
  hypervisortype?: string;
  allocationstate?: string;
}
export interface Host {
  id: string;
  name: string;
  state: string;
  resourcestate?: string;
  type: string;
  zoneid: string;
  podid?: string;
  clusterid?: string;
  cpunumber?: number;
  cpuspeed?: number;
  cpuallocated?: string;
  memorytotal?: number;
  memoryallocated?: number;
  ipaddress?: string;
  hypervisor?: string;
}
export interface Nic {
  id: string;
  networkid: string;
  networkname?: string;
  ipaddress?: string;
  macaddress?: string;
  gateway?: string;
  netmask?: string;
  isdefault?: boolean;
  traffictype?: string;
  type?: string;
}
export interface SecurityGroupRef {
  id: string;
  name: string;
}
export interface Vm {
  id: string;
  name: string;
  displayname?: string;
  state: string;
  zoneid: string;
  zonename: string;
  account: string;
  domain?: string;
  templatename?: string;
  templateid?: string;
  serviceofferingname?: string;
  cpunumber?: number;
  cpuspeed?: number;
  memory?: number;
  created?: string;
  lastupdated?: string;
  ipaddress?: string;
  publicip?: string;
  hostname?: string;
  keypairs?: string;
  keypair?: string;
  nic?: Nic[];
  securitygroup?: SecurityGroupRef[];
  tags?: Tag[];
  hypervisor?: string;
  group?: string;
  haenable?: boolean;
  userdataid?: string;
}
export interface Volume {
  id: string;
  name: string;
  type: string;
  size?: number;
  state?: string;
  deviceid?: number;
  storage?: string;
  diskofferingname?: string;
}
export interface Rule {
  ruleid: string;
  protocol: string;
  startport?: number;
  endport?: number;
  icmptype?: number;
  icmpcode?: number;
  cidr?: string;
  securitygroupname?: string;
  account?: string;
}
export interface SecurityGroup {
  id: string;
  name: string;
  description?: string;
  account: string;
  ingressrule?: Rule[];
  egressrule?: Rule[];
  virtualmachinecount?: number;
}
export interface KeyPair {
  id?: string;
  name: string;
  fingerprint: string;
  account?: string;
  domainid?: string;
  privatekey?: string;
}
export interface Network {
  id: string;
  name: string;
  displaytext?: string;
  state: string;
  type: string;
  zoneid: string;
  zonename?: string;
  cidr?: string;
  gateway?: string;
  account?: string;
  networkofferingname?: string;
  canusefordeploy?: boolean;
  issystem?: boolean;
}
export interface PublicIp {
  id: string;
  ipaddress: string;
  state: string;
  zoneid: string;
  zonename?: string;
  associatednetworkid?: string;
  associatednetworkname?: string;
  issourcenat?: boolean;
  isstaticnat?: boolean;
  virtualmachinename?: string;
  account?: string;
  allocated?: string;
}
export interface FirewallRule {
  id: string;
  protocol: string;
  startport?: number;
  endport?: number;
  cidrlist?: string;
  state?: string;
  icmptype?: number;
  icmpcode?: number;
}
export interface PortForwardingRule {
  id: string;
  protocol: string;
  publicport: string;
  publicendport?: string;
  privateport: string;
  privateendport?: string;
  virtualmachineid: string;
  virtualmachinename?: string;
  state?: string;
}
export interface CsEvent {
  id: string;
  type: string;
  level: string;
  description: string;
  created: string;
  account?: string;
  username?: string;
  resourcetype?: string;
  resourceid?: string;
}
export interface AsyncJob {
  jobid: string;
  cmd: string;
  jobstatus: number;
  created: string;
  jobinstancetype?: string;
  jobinstanceid?: string;
  userid?: string;
  accountid?: string;
}
export interface Domain {
  id: string;
  name: string;
  path: string;
  level?: number;
  parentdomainid?: string;
  parentdomainname?: string;
  haschild?: boolean;
}
export interface Account {
  id: string;
  name: string;
  accounttype: number;
  roletype?: string;
  domain: string;
  domainid: string;
  state: string;
  vmtotal?: number;
  user?: User[];
}
export interface User {
  id: string;
  username: string;
  firstname?: string;
  lastname?: string;
  email?: string;
  account: string;
  accounttype?: number;
  domain?: string;
  domainid?: string;
  state: string;
  apikey?: string;
  secretkey?: string;
}
export interface Template {
  id: string;
  name: string;
  displaytext?: string;
  ostypename?: string;
  isready?: boolean;
  passwordenabled?: boolean;
  zoneid?: string;
}
export interface ServiceOffering {
  id: string;
  name: string;
  displaytext?: string;
  cpunumber?: number;
  cpuspeed?: number;
  memory?: number;
}

export const VM_STATES = [
  'Running',
  'Stopped',
  'Starting',
  'Stopping',
  'Migrating',
  'Error',
  'Destroyed',
  'Expunging',
] as const;

export const STATE_COLORS: Record<string, string> = {
  Running: '#16a34a',
  Stopped: '#64748b',
  Starting: '#2563eb',
  Stopping: '#7c3aed',
  Migrating: '#0891b2',
  Error: '#dc2626',
  Destroyed: '#b45309',
  Expunging: '#9f1239',
};

export const bytes = (n: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) ((n /= 1024), i++);
  return `${n.toFixed(n >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
};

export const mhz = (n: number): string => (n >= 1000 ? `${(n / 1000).toFixed(1)} GHz` : `${Math.round(n)} MHz`);
