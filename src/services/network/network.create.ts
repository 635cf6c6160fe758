import {
  cidrOf,
  cidrsOverlap,
  cidrWithin,
  ipInCidr,
  isNetmask,
  isNetworkOrBroadcast,
  isRfc1918,
  guestRange,
} from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { DOMAIN_NAME_RULES, isDomainName } from '../../domain/domainname.js';
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { isIpv4, parseCidr } from '../../domain/net.js';
import { DEFAULT_ACLS, type PrivateVlan, type Vpc } from '../../domain/networking.js';
import type { Account, Network, NetworkOffering, PhysicalNetwork, Zone } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { networkAclStore } from '../../store/networkacl.store.js';
import { networkStore, networkRows } from '../../store/network.store.js';
import { vpcStore } from '../../store/vpc.store.js';
import { assertAccess, isAdmin, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume } from '../resources.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { vpcLabel } from './vpc.service.js';
import { assertOfferingAccess } from '../infrastructure/offering.scope.js';
import { checkSpecifiedVlan, guestPhysicalNetwork } from './guestvlan.pool.js';
import { privateVlan } from './network.pvlan.js';
import { isDualStack } from '../../domain/ipv6.js';
import { allocateIpv6Subnet } from './ipv6.service.js';
import { zoneRows } from '../../store/datacenter.store.js';

export interface NewNetwork extends OwnerRequest {
  zoneId: string;
  name: string;
  displayText?: string;
  networkOfferingId: string;
  gateway?: string;
  netmask?: string;
  startIp?: string;
  endIp?: string;
  vlan?: string;
  aclType?: string;
  subdomainAccess?: boolean;
  vpcId?: string;
  aclId?: string;
  networkDomain?: string;
  physicalNetworkId?: string;
  bypassVlanOverlapCheck?: boolean;
  isolatedPvlan?: string;
  isolatedPvlanType?: string;
  ip6Gateway?: string;
  ip6Cidr?: string;
}

const services = (o: NetworkOffering) => JSON.parse(o.services) as Record<string, string[]>;

/**
 * createNetwork (NetworkServiceImpl.createGuestNetwork and NetworkOrchestrator's checks), inside
 * the caller's transaction: an isolated network (Allocated until its first VM starts), a VPC tier,
 * or an admin's shared network with its own VLAN and address range (Setup at once).
 */
export async function createGuestNetwork(
  db: Db,
  clock: Clock,
  caller: Caller,
  r: NewNetwork,
  cidrLimit: number,
): Promise<Network> {
  const off = await networkStore.offering(db, r.networkOfferingId);
  if (!off || off.removed || off.state !== 'Enabled')
    throw invalid('Unable to find network offering by specified id', 'networkofferingid');
  let owner: Account | undefined = await resolveOwner(db, caller, r);
  const zone = await zoneRows.get(db, r.zoneId);
  if (!zone) throw notFound('Zone', r.zoneId, 'zoneid');
  if (zone.allocationState === 'Disabled' && !isRootAdmin(caller))
    throw forbidden('Cannot perform this operation since specified Zone is currently disabled', 'Zone', zone.id);
  await checkZoneAllows(db, zone, off);
  await assertOfferingAccess(db, owner, off, zone.id, 'network offering');
  const aclType = aclTypeOf(caller, r.aclType, off);
  if (aclType === 'Domain') {
    if (!isAdmin(caller)) throw forbidden('Only admin can create networks with aclType=Domain');
    if (off.guestIpType !== 'Shared') throw invalid('Only Shared networks can have aclType=Domain', 'acltype');
    owner = undefined; // a domain network belongs to the domain, not to an account
  } else if (r.subdomainAccess !== undefined) {
    throw invalid('Parameter subDomainAccess can be specified only with aclType=Domain', 'subdomainaccess');
  }
  let cidr = addressing(r, off, zone);
  const pvlan = privateVlan(caller, zone, off, r);
  if ((r.vlan !== undefined || r.bypassVlanOverlapCheck) && !isRootAdmin(caller))
    throw invalid('Only ROOT admin is allowed to specify vlanId or bypass vlan overlap check', 'vlan');
  if (off.specifyVlan && !isRootAdmin(caller))
    throw invalid('Only ROOT admin is allowed to specify vlanId or bypass vlan overlap check', 'vlan');
  if (cidr && !isRootAdmin(caller) && parseCidr(cidr).prefix < cidrLimit)
    throw invalid(`Cidr size can't be less than ${cidrLimit}`, 'netmask');
  const pnet = await guestPhysicalNetwork(db, zone.id, r.physicalNetworkId, off.tags);
  const vlan = await vlanOf(db, zone, off, r.vlan, { pnet, bypass: !!r.bypassVlanOverlapCheck, pvlan });
  if (r.networkDomain !== undefined && !isDomainName(r.networkDomain))
    throw invalid(DOMAIN_NAME_RULES, 'networkdomain');
  // An isolated network or VPC tier of a dual-stack offering gets a /64 of the zone's guest prefixes.
  const ip6 =
    zone.networkType === 'Advanced' && off.guestIpType === 'Isolated' && isDualStack(off)
      ? await allocateIpv6Subnet(db, zone.id)
      : undefined;
  let vpc: Vpc | undefined;
  let aclId: string | null = null;
  if (r.vpcId) {
    vpc = await tierOf(db, caller, r, off, cidr, owner);
    aclId = await tierAcl(db, vpc, r.aclId);
  } else {
    if (off.forVpc) throw invalid('Network offering can be used for VPC networks only', 'networkofferingid');
    if (r.aclId) throw invalid('VPC ID is required when ACL ID is specified', 'aclid');
  }
  if (off.guestIpType === 'Isolated') {
    if (!cidr && !('SourceNat' in services(off)))
      throw invalid(
        'StartIp/endIp/gateway/netmask are required when create network of type Shared and network of type Isolated with service SourceNat disabled',
        'gateway',
      );
    cidr ??= zone.guestCidr ?? '10.1.1.0/24';
    if (!isRfc1918(cidr)) throw invalid(`Virtual Guest Cidr ${cidr} is not RFC1918 compliant`, 'gateway');
  }
  const net: Network = {
    id: newId(),
    zoneId: zone.id,
    name: r.name,
    displayText: r.displayText ?? r.name,
    type: off.guestIpType,
    state: off.guestIpType === 'Shared' ? 'Setup' : 'Allocated',
    cidr,
    gateway: r.gateway ?? (cidr ? guestRange(cidr).gateway : null),
    netmask: cidr ? guestRange(cidr).netmask : null,
    vlan,
    networkOfferingId: off.id,
    physicalNetworkId: r.physicalNetworkId ?? null,
    accountId: owner?.id ?? null,
    domainId: owner?.domainId ?? r.domainId ?? caller.domainId,
    aclType,
    isDefault: 0,
    networkDomain: r.networkDomain ?? vpc?.networkDomain ?? zone.networkDomain ?? 'cs1cloud.internal',
    created: clock.now(),
    removed: null,
    vpcId: vpc?.id ?? null,
    aclId,
    isolatedPvlan: pvlan?.secondary ?? null,
    isolatedPvlanType: pvlan?.type ?? null,
    ip6Gateway: ip6?.ip6Gateway ?? null,
    ip6Cidr: ip6?.ip6Cidr ?? null,
    publicIp6: null,
  };
  if (net.accountId && aclType === 'Account') await consume(db, net.accountId, { network: 1 });
  // A VLAN given here is not one of the physical network's to hand out: no vnet is taken for it (op_dc_vnet_alloc).
  await networkRows.insert(db, net);
  if (net.type === 'Shared' && r.startIp !== undefined) {
    await networkStore.insertRange(db, {
      id: newId(),
      zoneId: zone.id,
      podId: null,
      networkId: net.id,
      vlan: `vlan://${vlan ?? 'untagged'}`,
      gateway: net.gateway!,
      netmask: net.netmask!,
      startIp: r.startIp!,
      endIp: r.endIp ?? r.startIp!,
      forVirtualNetwork: 0,
      created: clock.now(),
    });
  }
  await eventLog(db, clock, {
    type: 'NETWORK.CREATE',
    description: `Created network ${net.name}`,
    accountId: owner?.id ?? caller.accountId,
    domainId: net.domainId,
    userId: caller.userId,
    resourceId: net.id,
    resourceType: 'Network',
  });
  return net;
}

/** validateNetworkCreationSupported and the zone-type rules of NetworkOrchestrator. */
async function checkZoneAllows(db: Db, zone: Zone, off: NetworkOffering): Promise<void> {
  if (zone.networkType === 'Basic') {
    if ((await networkStore.list(db, { zoneId: zone.id })).length)
      throw invalid("Can't have more than one Guest network in zone with network type Basic", 'zoneid');
    if (off.guestIpType !== 'Shared' || 'SourceNat' in services(off))
      throw invalid(
        'For zone of type Basic only offerings of guestType Shared with disabled SourceNat service are allowed',
        'networkofferingid',
      );
  } else if (zone.securityGroupsEnabled) {
    if (off.guestIpType !== 'Shared')
      throw invalid('Only shared guest network can be created in security group enabled zone', 'networkofferingid');
    if ('SourceNat' in services(off))
      throw invalid('Service SourceNat is not allowed in security group enabled zone', 'networkofferingid');
  }
}

function aclTypeOf(caller: Caller, given: string | undefined, off: NetworkOffering): 'Account' | 'Domain' {
  if (given !== undefined) {
    const t = (['Account', 'Domain'] as const).find((x) => x.toLowerCase() === given.toLowerCase());
    if (!t) throw invalid('Incorrect aclType specified. Check the API documentation for supported types', 'acltype');
    if (off.guestIpType === 'Isolated' && t !== 'Account')
      throw invalid('AclType should be Account for network of type Isolated', 'acltype');
    return t;
  }
  if (off.guestIpType !== 'Shared') return 'Account';
  if (isRootAdmin(caller)) return 'Domain';
  if (!isAdmin(caller)) return 'Account';
  throw invalid('AclType must be specified for shared network created by domain admin', 'acltype');
}

/** The IPv4 parameters: the network's CIDR when gateway and netmask are given. */
function addressing(r: NewNetwork, off: NetworkOffering, zone: Zone): string | null {
  // A basic zone's shared network gets its addresses from the pods' guest ranges (createVlanIpRange) instead.
  if (
    off.guestIpType === 'Shared' &&
    zone.networkType === 'Advanced' &&
    !r.vpcId &&
    r.startIp === undefined &&
    r.endIp === undefined
  )
    throw invalid('Either IPv4 or IPv6 start and end address are mandatory', 'startip');
  if (r.gateway !== undefined && !isIpv4(r.gateway)) throw invalid('Gateway parameter is invalid', 'gateway');
  if (r.startIp !== undefined) {
    if (!isIpv4(r.startIp)) throw invalid('Invalid format for the startIp parameter', 'startip');
    if (r.endIp !== undefined && !isIpv4(r.endIp)) throw invalid('Invalid format for the endIp parameter', 'endip');
    if (r.gateway === undefined || r.netmask === undefined)
      throw invalid('gateway and netmask should be defined when startIP/endIP are passed in', 'gateway');
  }
  if (r.gateway === undefined || r.netmask === undefined) return null;
  if (!isNetmask(r.netmask)) throw invalid('Invalid netmask', 'netmask');
  const cidr = cidrOf(r.gateway, r.netmask);
  if (isNetworkOrBroadcast(r.gateway, cidr))
    throw invalid('Invalid gateway IP provided. Either the IP is broadcast or network IP.', 'gateway');
  if (r.startIp !== undefined && !ipInCidr(r.startIp, cidr))
    throw invalid(
      "Please ensure that your start IP is in the same subnet as your IP range's gateway, as per the IP range's netmask.",
      'startip',
    );
  if (r.endIp !== undefined && !ipInCidr(r.endIp, cidr))
    throw invalid(
      "Please ensure that your end IP is in the same subnet as your IP range's gateway, as per the IP range's netmask.",
      'endip',
    );
  return cidr;
}

interface VlanContext {
  pnet: PhysicalNetwork | undefined;
  bypass: boolean;
  pvlan: PrivateVlan | undefined;
}

/** The VLAN as the offering allows it (specifyVlan), free in the zone (NetworkOrchestrator.createGuestNetwork). */
async function vlanOf(
  db: Db,
  zone: Zone,
  off: NetworkOffering,
  given: string | undefined,
  c: VlanContext,
): Promise<string | null> {
  const vlan = given?.replace(/^vlan:\/\//i, '');
  if (vlan === undefined) {
    // NetworkOrchestrator asks for the VLAN in advanced zones only; a basic zone's guest network is untagged.
    if (off.specifyVlan && zone.networkType === 'Advanced')
      throw invalid('Vlan has to be specified; corresponding offering says specifyVlan=true', 'vlan');
    return null;
  }
  if (!off.specifyVlan) {
    if (off.guestIpType === 'Shared')
      throw invalid('Cannot specify vlanId when create a network from network offering with specifyvlan=false', 'vlan');
    throw invalid("Can't specify vlan; corresponding offering says specifyVlan=false", 'vlan');
  }
  if (vlan.toLowerCase() !== 'untagged' && !(/^\d+$/.test(vlan) && Number(vlan) >= 1 && Number(vlan) <= 4094))
    throw invalid(`Invalid vlan id ${given}`, 'vlan');
  const secondary = c.pvlan?.secondary;
  checkSpecifiedVlan(zone, c.pnet, [vlan, secondary], c.bypass && off.guestIpType === 'Shared');
  // hasGuestBypassVlanOverlapCheck: a shared or L2 network that bypasses the check may share a VLAN, only not an isolated network's.
  if (!(c.bypass && off.guestIpType !== 'Isolated')) {
    for (const tag of [vlan, secondary]) {
      if (tag !== undefined && (await networkStore.vlanOwner(db, zone.id, tag)))
        throw invalid(
          `Network with vlan ${tag} already exists or overlaps with other network vlans in zone ${zone.id}`,
          'vlan',
        );
    }
  } else if (await networkStore.vlanOwner(db, zone.id, vlan, 'Isolated')) {
    throw invalid(
      `There is an existing isolated/shared network that overlaps with vlan id:${vlan} in zone ${zone.id}`,
      'vlan',
    );
  }
  if (c.pvlan) {
    if (vlan.toLowerCase() === 'untagged') throw invalid('Cannot support pvlan with untagged primary vlan!', 'vlan');
    if (await networkStore.pvlanOwner(db, zone.id, c.pnet?.id ?? null, vlan, c.pvlan))
      throw invalid(
        `Network with primary vlan ${vlan} and secondary vlan ${secondary} type ${c.pvlan.type} already exists or overlaps with other network pvlans in physical network ${c.pnet?.id}`,
        'isolatedpvlan',
      );
  }
  return vlan;
}

/** VpcManagerImpl.validateNtwkOffForVpc and validateNewVpcGuestNetwork. */
async function tierOf(
  db: Db,
  caller: Caller,
  r: NewNetwork,
  off: NetworkOffering,
  cidr: string | null,
  owner: Account | undefined,
): Promise<Vpc> {
  const vpc = await vpcStore.get(db, r.vpcId!);
  if (!vpc) throw notFound('Vpc', r.vpcId!, 'vpcid');
  assertAccess(caller, vpc, 'Vpc', vpc.id);
  const foreign = Object.values(services(off))
    .flat()
    .find((p) => p !== 'VpcVirtualRouter');
  if (foreign)
    throw invalid(
      `Provider of type ${foreign} is not supported for network offerings that can be used in VPC`,
      'networkofferingid',
    );
  if (off.guestIpType !== 'Isolated' || !('SourceNat' in services(off)))
    throw invalid(
      'Only network offerings of type Isolated with service SourceNat are valid for vpc ',
      'networkofferingid',
    );
  if (!cidr) throw invalid('Gateway/netmask are required when create network for VPC', 'gateway');
  if (!cidrWithin(cidr, vpc.cidr))
    throw invalid(`Network cidr ${cidr} is not within vpc ${vpcLabel(vpc)} cidr`, 'gateway');
  for (const other of await networkStore.list(db, { vpcId: vpc.id })) {
    if (other.cidr && cidrsOverlap(cidr, other.cidr))
      throw invalid(
        `Network cidr ${cidr} crosses other network cidr [Network [${other.id}-${other.name}] belonging to the same vpc ${vpcLabel(vpc)}`,
        'gateway',
      );
  }
  if (!owner || owner.id !== vpc.accountId)
    throw invalid(`Vpc ${vpcLabel(vpc)} owner is different from the network owner ${owner?.name ?? 'system'}`, 'vpcid');
  if (r.networkDomain !== undefined && r.networkDomain.toLowerCase() !== vpc.networkDomain.toLowerCase())
    throw invalid(
      `Network domain of the new network should match network domain of vpc ${vpcLabel(vpc)}`,
      'networkdomain',
    );
  return vpc;
}

/** A tier's ACL list: one of its VPC's, or a built-in one; default_deny when none is named. */
async function tierAcl(db: Db, vpc: Vpc, aclId: string | undefined): Promise<string> {
  if (!aclId) {
    const deny = await networkAclStore.builtIn(db, DEFAULT_ACLS.deny);
    if (!deny) throw notFound('NetworkAcl', DEFAULT_ACLS.deny);
    return deny.id;
  }
  const acl = await networkAclStore.get(db, aclId);
  if (!acl) throw invalid('Unable to find specified NetworkACL', 'aclid');
  if (acl.vpcId && acl.vpcId !== vpc.id) throw invalid(`ACL: ${aclId} do not belong to the VPC`, 'aclid');
  return acl.id;
}
