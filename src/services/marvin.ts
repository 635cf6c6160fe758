import { readFileSync } from 'node:fs';

/** The parts of a Marvin data-center config (setup/dev/*.cfg) that shape a zone. */
export interface MarvinHost { url: string; username?: string; password?: string; hosttags?: string }
export interface MarvinCluster { clustername: string; hypervisor: string; clustertype?: string; hosts?: MarvinHost[]; primaryStorages?: { name: string; url: string; tags?: string }[] }
export interface MarvinIpRange { startip: string; endip: string; netmask: string; gateway: string; vlan?: string }
export interface MarvinPod { name: string; gateway: string; netmask: string; startip: string; endip: string; clusters?: MarvinCluster[]; guestIpRanges?: MarvinIpRange[] }
export interface MarvinPhysicalNetwork {
  name: string; broadcastdomainrange?: string; vlan?: string; isolationmethods?: string[];
  traffictypes?: { typ: string }[]; providers?: { name: string; broadcastdomainrange?: string }[];
}
export interface MarvinZone {
  name: string; networktype: 'Basic' | 'Advanced'; dns1?: string; dns2?: string; internaldns1?: string; internaldns2?: string;
  guestcidraddress?: string; securitygroupenabled?: string | boolean; domain?: string; localstorageenabled?: boolean;
  physical_networks?: MarvinPhysicalNetwork[]; ipranges?: MarvinIpRange[]; pods?: MarvinPod[];
  secondaryStorages?: { url: string; provider?: string }[];
}
export interface MarvinConfig { zones: MarvinZone[]; globalConfig?: { name: string; value: string }[] }

/** Marvin configs start with a licence header in '#' comments, which JSON does not allow. */
export function parseMarvinConfig(text: string): MarvinConfig {
  const json = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  return JSON.parse(json) as MarvinConfig;
}

export function readMarvinConfig(file: string): MarvinConfig {
  return parseMarvinConfig(readFileSync(file, 'utf8'));
}
