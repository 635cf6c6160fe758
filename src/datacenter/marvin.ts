import { readConfigFile, S } from '../config-file.js';

/** A Marvin data-center config (setup/dev/*.cfg): the fields deployDataCenter.py reads. */
export interface MarvinHost {
  url: string;
  username?: string;
  password?: string;
  hosttags?: string;
}
export interface MarvinPrimaryStorage {
  name: string;
  url: string;
  tags?: string;
  scope?: string;
  hypervisor?: string;
  details?: Record<string, string>;
}
export interface MarvinCluster {
  clustername: string;
  hypervisor: string;
  clustertype?: string;
  url?: string;
  username?: string;
  password?: string;
  hosts?: MarvinHost[];
  primaryStorages?: MarvinPrimaryStorage[];
}
export interface MarvinIpRange {
  startip: string;
  endip: string;
  netmask: string;
  gateway: string;
  vlan?: string;
  account?: string;
  domainid?: string;
}
export interface MarvinPod {
  name: string;
  gateway: string;
  netmask: string;
  startip: string;
  endip: string;
  clusters?: MarvinCluster[];
  guestIpRanges?: MarvinIpRange[];
}
export interface MarvinTrafficType {
  typ: string;
  kvm?: string;
  xen?: string;
  vmware?: string;
  simulator?: string;
}
export interface MarvinProvider {
  name: string;
  broadcastdomainrange?: string;
  devices?: unknown[];
}
export interface MarvinPhysicalNetwork {
  name: string;
  broadcastdomainrange?: string;
  vlan?: string;
  isolationmethods?: string[];
  traffictypes?: MarvinTrafficType[];
  providers?: MarvinProvider[];
}
export interface MarvinStore {
  url: string;
  provider?: string;
  details?: Record<string, string>;
}
export interface MarvinZone {
  name: string;
  networktype: 'Basic' | 'Advanced';
  dns1?: string;
  dns2?: string;
  internaldns1?: string;
  internaldns2?: string;
  guestcidraddress?: string;
  securitygroupenabled?: string | boolean;
  domain?: string;
  localstorageenabled?: boolean | string;
  networkofferingname?: string;
  enabled?: string;
  details?: { key: string; value: string }[];
  physical_networks?: MarvinPhysicalNetwork[];
  ipranges?: MarvinIpRange[];
  pods?: MarvinPod[];
  secondaryStorages?: MarvinStore[];
  cacheStorages?: MarvinStore[];
  primaryStorages?: MarvinPrimaryStorage[];
}
export interface MarvinConfig {
  zones: MarvinZone[];
  globalConfig?: { name: string; value: string }[];
}

const host = S.obj({ url: S.str, username: S.str, password: S.str, hosttags: S.str }, ['url'], true);
const storage = S.obj(
  { name: S.str, url: S.str, tags: S.str, scope: S.str, hypervisor: S.str, details: S.any },
  ['name', 'url'],
  true,
);
const ipRange = S.obj(
  { startip: S.str, endip: S.str, netmask: S.str, gateway: S.str, vlan: S.scalar, account: S.str, domainid: S.str },
  ['startip'],
  true,
);
const cluster = S.obj(
  { clustername: S.str, hypervisor: S.str, hosts: S.list(host), primaryStorages: S.list(storage) },
  ['clustername', 'hypervisor'],
  true,
);
const pod = S.obj(
  {
    name: S.str,
    gateway: S.str,
    netmask: S.str,
    startip: S.str,
    endip: S.str,
    clusters: S.list(cluster),
    guestIpRanges: S.list(ipRange),
  },
  ['name', 'gateway', 'netmask', 'startip'],
  true,
);
const physicalNetwork = S.obj(
  {
    name: S.str,
    traffictypes: S.list(S.obj({ typ: S.str }, ['typ'], true)),
    providers: S.list(S.obj({ name: S.str }, ['name'], true)),
    isolationmethods: S.list(S.str),
  },
  ['name'],
  true,
);
const zone = S.obj(
  {
    name: S.str,
    networktype: S.oneOf('Basic', 'Advanced'),
    pods: S.list(pod),
    physical_networks: S.list(physicalNetwork),
    ipranges: S.list(ipRange),
    secondaryStorages: S.list(S.obj({ url: S.str }, ['url'], true)),
    primaryStorages: S.list(storage),
    securitygroupenabled: S.scalar,
    localstorageenabled: S.scalar,
  },
  ['name', 'networktype'],
  true,
);
/** What the deployer reads, checked before the first call; other keys of Marvin's configs (dbSvr, logger, ...) are left alone. */
const MARVIN_CONFIG = S.obj(
  { zones: S.list(zone), globalConfig: S.list(S.obj({ name: S.str, value: S.scalar }, ['name', 'value'], true)) },
  ['zones'],
  true,
);

/** A Marvin config file; problems are named with the file, the line and the key. */
export function readMarvinConfig(file: string): MarvinConfig {
  return readConfigFile<MarvinConfig>(file, MARVIN_CONFIG, 'Marvin data-center config');
}
