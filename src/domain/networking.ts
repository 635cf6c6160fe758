/**
 * Records of advanced networking: virtual routers, firewall and static NAT rules, load balancers,
 * VPCs and network ACLs. Same conventions as types.ts (flags 0/1, epoch milliseconds).
 */
import type { Flag } from './types.js';

export type RouterState = 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Destroyed';

/** The virtual router of an isolated network, or of a whole VPC (then networkId is null). */
export interface Router {
  id: string;
  seq: number;
  name: string;
  zoneId: string;
  networkId: string | null;
  vpcId: string | null;
  accountId: string;
  domainId: string;
  state: RouterState;
  hostId: string | null;
  podId: string | null;
  publicIp: string | null;
  guestIp: string | null;
  linkLocalIp: string;
  created: number;
  removed: number | null;
  /** Its public NIC's IPv6 address, when it serves a dual-stack network (044_ipv6). */
  publicIp6?: string | null;
}

/** A zone's guest IPv6 prefix (DataCenterGuestIpv6PrefixVO): dual-stack networks get /64s of it. */
export interface GuestIpv6Prefix {
  id: string;
  zoneId: string;
  prefix: string;
  created: number;
}

export type FirewallPurpose = 'Firewall' | 'StaticNat' | 'Ipv6Firewall' | 'Vpn';
export type TrafficDirection = 'Ingress' | 'Egress';

/**
 * Ingress firewall rules (on a public address), egress firewall rules (on a network) and static
 * NAT rules (createIpForwardingRule, on an address with static NAT): one table, as CloudStack's
 * firewall_rules holds them all. Port-forwarding rules keep their own table.
 */
export interface FirewallRule {
  id: string;
  purpose: FirewallPurpose;
  trafficType: TrafficDirection;
  publicIpId: string | null;
  networkId: string;
  protocol: string;
  startPort: number | null;
  endPort: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  cidrList: string;
  destCidrList: string | null;
  state: string;
  accountId: string;
  domainId: string;
  created: number;
  /** Shown to its owner (fordisplay); null is the default, shown (044_ipv6). */
  forDisplay?: Flag | null;
  /** The rule this one was opened for (a remote access VPN's port reservation, 048). */
  relatedRuleId?: string | null;
}

export interface LoadBalancerRule {
  id: string;
  name: string;
  description: string | null;
  publicIpId: string;
  networkId: string;
  publicPort: number;
  privatePort: number;
  algorithm: string;
  protocol: string;
  cidrList: string | null;
  state: string;
  accountId: string;
  domainId: string;
  created: number;
}

/** A VM address behind a load balancer rule. */
export interface LbMember {
  ruleId: string;
  vmId: string;
  vmIp: string;
}

export interface VpcOffering {
  id: string;
  name: string;
  displayText: string;
  state: string;
  isDefault: Flag;
  services: string;
  created: number;
  /** Added by 015_offerings; the id lists are comma-separated. */
  serviceOfferingId?: string | null;
  internetProtocol?: string | null;
  domainIds?: string | null;
  zoneIds?: string | null;
  sortKey?: number | null;
  removed?: number | null;
}

export interface Vpc {
  id: string;
  name: string;
  displayText: string;
  zoneId: string;
  cidr: string;
  vpcOfferingId: string;
  state: string;
  networkDomain: string;
  accountId: string;
  domainId: string;
  restartRequired: Flag;
  created: number;
  removed: number | null;
}

/** A network ACL list; the two built-in lists (default_allow, default_deny) have no VPC and no owner. */
export interface NetworkAcl {
  id: string;
  name: string;
  description: string | null;
  vpcId: string | null;
  accountId: string | null;
  domainId: string | null;
  created: number;
}

export interface NetworkAclItem {
  id: string;
  aclId: string;
  number: number;
  protocol: string;
  startPort: number | null;
  endPort: number | null;
  icmpType: number | null;
  icmpCode: number | null;
  cidrList: string;
  action: 'Allow' | 'Deny';
  trafficType: TrafficDirection;
  reason: string | null;
  state: string;
  accountId: string | null;
  domainId: string | null;
  created: number;
}

export const DEFAULT_ACLS = { allow: 'default_allow', deny: 'default_deny' } as const;
export const DEFAULT_VPC_OFFERING = 'Default VPC offering';

/** An extra guest address on a user VM's NIC (nic_secondary_ips; addIpToNic). */
export interface NicSecondaryIp {
  id: string;
  nicId: string;
  vmId: string;
  networkId: string;
  ipAddress: string;
  ipNum: number;
  accountId: string;
  domainId: string;
  created: number;
}

/** A guest VLAN range of a physical network set aside for one account (account_vnet_map, 042). */
export interface GuestVlanDedication {
  id: string;
  physicalNetworkId: string;
  accountId: string;
  startVlan: number;
  endVlan: number;
  created: number;
}

/** A region's range of portable public addresses (portable_ip_range, 042); `vlan` is the tag or "untagged". */
export interface PortableIpRange {
  id: string;
  regionId: string;
  vlan: string;
  gateway: string;
  netmask: string;
  startIp: string;
  endIp: string;
  created: number;
}

/** One portable address: Free, or Allocated to an account wherever its zone twin lives (portable_ip_address, 042). */
export interface PortableIp {
  id: string;
  rangeId: string;
  regionId: string;
  address: string;
  addressNum: number;
  state: string;
  allocatedAccountId: string | null;
  allocatedDomainId: string | null;
  allocated: number | null;
}

/** Network.PVlanType, as a network stores it (lower case). */
export type PvlanType = 'promiscuous' | 'isolated' | 'community';

/** A private VLAN network's secondary VLAN and its type (the primary is the network's VLAN). */
export interface PrivateVlan {
  secondary: string;
  type: PvlanType;
}

/** NetUtils.generateUriForPvlan: pvlan://<primary>-<i|c|p><secondary>. */
export const pvlanUri = (primary: string, p: PrivateVlan): string => `pvlan://${primary}-${p.type[0]}${p.secondary}`;
