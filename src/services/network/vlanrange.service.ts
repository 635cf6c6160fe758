import { cidrOf, cidrsOverlap, ipInCidr, isNetmask } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { invalid, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { intToIp, ipToInt, isIpv4 } from '../../domain/net.js';
import { hasIpv4, type Network, type PublicIp, type VlanRange, type Zone } from '../../domain/types.js';
import { datacenterStore as dc, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import { vlanRangeStore, type RangeFilter } from '../../store/vlanrange.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { vnetsOf } from './guestvlan.pool.js';
import { inVnets } from '../../domain/vnet.js';
import { resolveOwner } from '../identity/owner.js';
import { checkGuestIp6, checkPublicIp6, ip6CidrOf, ip6InUse, type Ip6Request } from './vlanrange.ipv6.js';

export interface NewRange extends Ip6Request {
  zoneId?: string;
  podId?: string;
  networkId?: string;
  physicalNetworkId?: string;
  forVirtualNetwork?: boolean;
  vlan?: string;
  gateway?: string;
  netmask?: string;
  startIp?: string;
  endIp?: string;
  account?: string;
  domainId?: string;
  forSystemVms?: boolean;
}

const tag = (vlan: string | undefined) =>
  !vlan || vlan.toLowerCase() === 'untagged' || vlan.toLowerCase() === 'vlan://untagged'
    ? 'untagged'
    : vlan.replace(/^vlan:\/\//i, '');

/** createVlanIpRange / deleteVlanIpRange (ConfigurationManagerImpl.createVlanAndPublicIpRange). */
export class VlanRangeService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  /**
   * A public range of IPv4 addresses, of an IPv6 CIDR, or both (an IPv6-only public range has no
   * address rows: its addresses are worked out from router MACs), or a shared network's range.
   */
  async create(caller: Caller, r: NewRange): Promise<VlanRange> {
    if (r.forSystemVms && r.account)
      throw invalid('Account name should not be provided when ForSystemVMs is enabled', 'account');
    if (r.startIp === undefined && r.ip6Cidr === undefined)
      throw invalid('StartIP or IPv6 CIDR is missing in the parameters!', 'startip');
    const ip6Net = ip6CidrOf(r);
    return this.store.tx(async (trx) => {
      const { zone, network, forVirtual, physicalNetworkId } = await this.place(trx, r);
      if (network && ip6Net) checkGuestIp6(network, r);
      const owner = r.account
        ? await resolveOwner(trx, caller, { account: r.account, domainId: r.domainId })
        : undefined;
      if ((owner || r.domainId) && zone.networkType !== 'Advanced')
        throw invalid('Vlan owner can be defined only in the zone of type Advanced', 'account');
      const vlan = network?.vlan && !forVirtual ? network.vlan : tag(r.vlan);
      if (network && !forVirtual && r.vlan && network.vlan && tag(r.vlan) !== network.vlan)
        throw invalid("Vlan doesn't match vlan of the network", 'vlan');
      const v4 = r.startIp !== undefined ? await this.checkIpv4(trx, zone, forVirtual, vlan, r) : undefined;
      const ip6Range = ip6Net ? await checkPublicIp6(trx, zone, ip6Net, r) : null;
      await checkDynamicVlan(trx, zone, network, physicalNetworkId, vlan);
      const range: VlanRange = {
        id: newId(),
        zoneId: zone.id,
        podId: r.podId ?? null,
        networkId: network?.id ?? null,
        vlan: `vlan://${vlan}`,
        gateway: v4 ? r.gateway! : null,
        netmask: v4 ? r.netmask! : null,
        startIp: v4?.startIp ?? null,
        endIp: v4?.endIp ?? null,
        forVirtualNetwork: forVirtual ? 1 : 0,
        created: this.clock.now(),
        physicalNetworkId: physicalNetworkId ?? null,
        ownerAccountId: owner?.id ?? null,
        ownerDomainId: owner?.domainId ?? r.domainId ?? null,
        forSystemVms: r.forSystemVms ? 1 : 0,
        ip6Gateway: ip6Net ? r.ip6Gateway! : null,
        ip6Cidr: ip6Net ? r.ip6Cidr! : null,
        ip6Range,
      };
      const ips: PublicIp[] = [];
      if (forVirtual && v4) {
        for (let n = ipToInt(v4.startIp); n <= ipToInt(v4.endIp); n++) {
          ips.push({
            id: newId(),
            zoneId: zone.id,
            vlanRangeId: range.id,
            address: intToIp(n),
            addressNum: n,
            state: 'Free',
            accountId: null,
            domainId: null,
            networkId: null,
            isSourceNat: 0,
            vmId: null,
            allocated: null,
          });
        }
      }
      await vlanRangeStore.insert(trx, range, ips);
      // A shared network learns its CIDR and gateway from its first range (addCidrAndGatewayForIpv4).
      if (network && v4 && !network.cidr)
        await networkStore.update(trx, network.id, { cidr: v4.cidr, gateway: r.gateway!, netmask: r.netmask! });
      const what = v4 ? `${v4.startIp}-${v4.endIp}` : r.ip6Cidr;
      await eventLog(trx, this.clock, {
        type: 'VLAN.IP.RANGE.CREATE',
        description: `Created IP range ${what}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: range.id,
        resourceType: 'VlanIpRange',
      });
      return range;
    });
  }

  /** The IPv4 part: gateway, netmask and addresses in one subnet, clashing with no other range of the zone. */
  private async checkIpv4(
    db: Db,
    zone: Zone,
    forVirtual: boolean,
    vlan: string,
    r: NewRange,
  ): Promise<{ startIp: string; endIp: string; cidr: string }> {
    const startIp = r.startIp!;
    if (!r.gateway || !isIpv4(r.gateway)) throw invalid('Please specify a valid gateway', 'gateway');
    if (!r.netmask || !isNetmask(r.netmask)) throw invalid('Please specify a valid netmask', 'netmask');
    const endIp = r.endIp ?? startIp;
    const cidr = cidrOf(r.gateway, r.netmask);
    if (!isIpv4(startIp) || !isIpv4(endIp) || !ipInCidr(startIp, cidr) || !ipInCidr(endIp, cidr))
      throw invalid('Please specify a valid IP range or valid netmask or valid gateway', 'startip');
    if (ipToInt(startIp) > ipToInt(endIp)) throw invalid('Please specify a valid IP range.', 'endip');
    await checkOverlaps(db, zone, forVirtual, vlan, r.gateway, r.netmask, cidr, startIp, endIp);
    return { startIp, endIp, cidr };
  }

  /** Which zone, network and physical network a new range belongs to, from whatever the caller named. */
  private async place(
    db: Db,
    r: NewRange,
  ): Promise<{ zone: Zone; network?: Network; forVirtual: boolean; physicalNetworkId?: string }> {
    const network = r.networkId ? await networkStore.get(db, r.networkId) : undefined;
    const pod = r.podId ? await dc.pod(db, r.podId) : undefined;
    if (r.podId && !pod) throw invalid('Please specify a valid pod.', 'podid');
    const pnet = r.physicalNetworkId ? await pnets.get(db, r.physicalNetworkId) : undefined;
    const zoneId = r.zoneId ?? network?.zoneId ?? pod?.zoneId ?? pnet?.zoneId;
    const zone = zoneId ? await zoneRows.get(db, zoneId) : undefined;
    if (!zone) throw invalid('Please specify a valid zone.', 'zoneid');
    if (pod && pod.zoneId !== zone.id) throw invalid(`Pod ${pod.name} doesn't belong to zone id=${zone.id}`, 'podid');
    // CreateVlanIpRangeCmd: a range is for the virtual (public) network unless it says otherwise.
    const forVirtual = r.forVirtualNetwork ?? !network;
    if (pod && (zone.networkType !== 'Basic' || forVirtual))
      throw invalid('Pod id can be specified only for the networks of type Guest in zone of type Basic', 'podid');
    if (forVirtual) {
      // getDefaultPhysicalNetworkByZoneAndTrafficType: a basic zone's physical network carries no Public traffic.
      const [pub] = await pnets.withTraffic(db, zone.id, 'Public');
      if (!pub)
        throw invalid(
          'Unable to find the default physical network with traffic=Public in the specified zone id',
          'zoneid',
        );
      return { zone, forVirtual, physicalNetworkId: pub.id };
    }
    if (!network) throw invalid('Network id is required for Direct vlan creation ', 'networkid');
    if (network.type !== 'Shared')
      throw invalid(`Can't create direct vlan for network id=${network.id} with type: ${network.type}`, 'networkid');
    const [guest] = await pnets.withTraffic(db, zone.id, 'Guest');
    return { zone, network, forVirtual, physicalNetworkId: network.physicalNetworkId ?? guest?.id };
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const r = await vlanRangeStore.get(trx, id);
      if (!r) throw invalid('Please specify a valid IP range id.', 'id');
      if ((await vlanRangeStore.allocatedIps(trx, id)).length)
        throw invalid("The IP range can't be deleted because it has allocated public IP addresses.", 'id');
      if (
        r.networkId &&
        hasIpv4(r) &&
        (await vlanRangeStore.nicsInRange(trx, r.networkId, ipToInt(r.startIp), ipToInt(r.endIp)))
      )
        throw runtimeFailure(`Unable to delete the IP range ${r.startIp}-${r.endIp}: some of its addresses are in use`);
      const ip6 = await ip6InUse(trx, r);
      if (ip6) throw invalid(`${ip6} IPv6 addresses are in use. Cannot delete this vlan`, 'id');
      await vlanRangeStore.remove(trx, id);
      const what = hasIpv4(r) ? `${r.startIp}-${r.endIp}` : r.ip6Cidr;
      await eventLog(trx, this.clock, {
        type: 'VLAN.IP.RANGE.DELETE',
        description: `Deleted IP range ${what}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VlanIpRange',
      });
    });
  }

  list(f: RangeFilter): Promise<VlanRange[]> {
    return vlanRangeStore.list(this.store.db, f);
  }
}

/**
 * A range may not carry a VLAN of its physical network's vnet range, which CloudStack hands out to
 * guest networks; a shared network without specifyVlan bypasses this, its VLAN being one handed out.
 */
async function checkDynamicVlan(
  db: Db,
  zone: Zone,
  network: Network | undefined,
  physicalNetworkId: string | undefined,
  vlan: string,
): Promise<void> {
  if (!/^\d+$/.test(vlan) || !physicalNetworkId) return;
  const offering = network ? await networkStore.offering(db, network.networkOfferingId) : undefined;
  if (network?.type === 'Shared' && offering && !offering.specifyVlan) return;
  if (inVnets(vnetsOf(await pnets.get(db, physicalNetworkId)), Number(vlan)))
    throw invalid(
      `The VLAN tag ${vlan} is already being used for dynamic vlan allocation for the guest network in zone ${zone.name}`,
      'vlan',
    );
}

/** checkZoneVlanIpOverlap: ranges of one subnet must share gateway and netmask, and may not share addresses. */
async function checkOverlaps(
  db: Db,
  zone: Zone,
  forVirtual: boolean,
  vlan: string,
  gateway: string,
  netmask: string,
  cidr: string,
  start: string,
  end: string,
): Promise<void> {
  for (const other of await vlanRangeStore.list(db, { zoneId: zone.id })) {
    if (!hasIpv4(other)) continue;
    const otherCidr = cidrOf(other.gateway, other.netmask);
    if (!cidrsOverlap(cidr, otherCidr)) continue;
    if (tag(other.vlan) === vlan) {
      if (gateway !== other.gateway || netmask !== other.netmask)
        throw invalid(
          `The IP range has already been added with gateway ${other.gateway} ,and netmask ${other.netmask}, Please specify the gateway/netmask if you want to extend ip range`,
          'gateway',
        );
      if (ipToInt(start) <= ipToInt(other.endIp) && ipToInt(other.startIp) <= ipToInt(end))
        throw invalid(
          'The IP range already has IPs that overlap with the new range. Please specify a different start IP/end IP.',
          'startip',
        );
    } else if (forVirtual || other.forVirtualNetwork) {
      throw invalid(
        `The IP range with tag: ${other.vlan} in zone ${zone.name} has overlapped with the subnet. Please specify a different gateway/netmask.`,
        'gateway',
      );
    }
  }
}
