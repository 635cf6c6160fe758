import { readFileSync } from 'node:fs';

/** A Marvin data-center config (setup/dev/*.cfg): the fields deployDataCenter.py reads. */
export interface MarvinHost { url: string; username?: string; password?: string; hosttags?: string }
export interface MarvinPrimaryStorage { name: string; url: string; tags?: string; scope?: string; hypervisor?: string; details?: Record<string, string> }
export interface MarvinCluster {
  clustername: string; hypervisor: string; clustertype?: string; url?: string; username?: string; password?: string;
  hosts?: MarvinHost[]; primaryStorages?: MarvinPrimaryStorage[];
}
export interface MarvinIpRange { startip: string; endip: string; netmask: string; gateway: string; vlan?: string; account?: string; domainid?: string }
export interface MarvinPod { name: string; gateway: string; netmask: string; startip: string; endip: string; clusters?: MarvinCluster[]; guestIpRanges?: MarvinIpRange[] }
export interface MarvinTrafficType { typ: string; kvm?: string; xen?: string; vmware?: string; simulator?: string }
export interface MarvinProvider { name: string; broadcastdomainrange?: string; devices?: unknown[] }
export interface MarvinPhysicalNetwork {
  name: string; broadcastdomainrange?: string; vlan?: string; isolationmethods?: string[];
  traffictypes?: MarvinTrafficType[]; providers?: MarvinProvider[];
}
export interface MarvinStore { url: string; provider?: string; details?: Record<string, string> }
export interface MarvinZone {
  name: string; networktype: 'Basic' | 'Advanced'; dns1?: string; dns2?: string; internaldns1?: string; internaldns2?: string;
  guestcidraddress?: string; securitygroupenabled?: string | boolean; domain?: string; localstorageenabled?: boolean | string;
  networkofferingname?: string; enabled?: string; details?: { key: string; value: string }[];
  physical_networks?: MarvinPhysicalNetwork[]; ipranges?: MarvinIpRange[]; pods?: MarvinPod[];
  secondaryStorages?: MarvinStore[]; cacheStorages?: MarvinStore[]; primaryStorages?: MarvinPrimaryStorage[];
}
export interface MarvinConfig { zones: MarvinZone[]; globalConfig?: { name: string; value: string }[] }

/** Marvin configs start with a licence header in '#' comments, which JSON does not allow. */
export function parseMarvinConfig(text: string): MarvinConfig {
  const json = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  const cfg = JSON.parse(json) as MarvinConfig;
  if (!cfg || !Array.isArray(cfg.zones)) throw new Error('not a Marvin data-center config: it has no "zones" list');
  return cfg;
}

export function readMarvinConfig(file: string): MarvinConfig {
  return parseMarvinConfig(readFileSync(file, 'utf8'));
}
