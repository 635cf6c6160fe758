import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { intToIp, ipToInt, isIpv4 } from '../../domain/net.js';
import type { PortableIp, PortableIpRange } from '../../domain/networking.js';
import type { Network, PublicIp, VlanRange, Zone } from '../../domain/types.js';
import { cidrOf, ipInCidr, isNetmask } from '../../domain/cidr.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import { portableIpStore } from '../../store/portableip.store.js';
import { regionStore, regionRows } from '../../store/region.store.js';
import { vlanRangeStore } from '../../store/vlanrange.store.js';
import { catalogStore } from '../../store/catalog.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { consume } from '../resources.js';

export const PORTABLE_JOBS = { created: 'portableiprange.created', remove: 'portableiprange.delete' } as const;

/** The one region a portable address is allocated from: CloudStack passes region 1 whatever associateIpAddress's regionid says. */
export const PORTABLE_REGION = '1';

export interface NewPortableRange {
  regionId: number;
  startIp: string;
  endIp: string;
  gateway: string;
  netmask: string;
  vlan?: string;
}

/** NetUtils.isValidVlan: a whole number 1..4094. */
const validVlan = (v: string) => /^\d+$/.test(v) && Number(v) > 0 && Number(v) < 4095;
/** NetUtils.sameSubnet: false for a gateway or netmask that is not one. */
const sameSubnet = (ip: string, gateway: string, netmask: string) =>
  isIpv4(gateway) && isNetmask(netmask) && ipInCidr(ip, cidrOf(gateway, netmask));

/**
 * Portable public IP ranges of a region (ConfigurationManagerImpl.createPortableIpRange and friends):
 * addresses an account can take into any zone of the region and carry between its networks.
 */
export class PortableIpService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(PORTABLE_JOBS.created, async ({ params }): Promise<JobResult> => ({
      type: 'object',
      instanceType: 'PortableIpRange',
      id: params.id,
    }));
    jobs.register<{ id: string }>(PORTABLE_JOBS.remove, async ({ caller, params }): Promise<JobResult> => {
      await this.remove(caller, params.id);
      return { type: 'success' };
    });
  }

  /** createPortableIpRange's create phase: the range, its addresses, and the region's portable IP service turned on. */
  async create(caller: Caller, r: NewPortableRange, cmd: string): Promise<{ range: PortableIpRange; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const region = await regionStore.byId(trx, r.regionId);
      if (!region) throw invalid(`Invalid region ID: ${r.regionId}`, 'regionid');
      if (!isIpv4(r.startIp) || !isIpv4(r.endIp) || ipToInt(r.startIp) > ipToInt(r.endIp))
        throw invalid(`Invalid portable ip  range: ${r.startIp}-${r.endIp}`, 'startip');
      if (!sameSubnet(r.startIp, r.gateway, r.netmask))
        throw invalid(
          "Please ensure that your start IP is in the same subnet as your portable IP range's gateway and as per the IP range's netmask.",
          'startip',
        );
      if (!sameSubnet(r.endIp, r.gateway, r.netmask))
        throw invalid(
          "Please ensure that your end IP is in the same subnet as your portable IP range's gateway and as per the IP range's netmask.",
          'endip',
        );
      const [start, end] = [ipToInt(r.startIp), ipToInt(r.endIp)];
      for (const other of await portableIpStore.ranges(trx, { regionId: region.id })) {
        if (start <= ipToInt(other.endIp) && ipToInt(other.startIp) <= end)
          throw invalid(
            `Ip  range: ${r.startIp}-${r.endIp} overlaps with a portable IP range already configured in the region ${r.regionId}`,
            'startip',
          );
      }
      const vlan = r.vlan ?? 'untagged';
      if (r.vlan !== undefined) await this.checkVlan(trx, r.vlan);
      const range: PortableIpRange = {
        id: newId(),
        regionId: region.id,
        vlan,
        gateway: r.gateway,
        netmask: r.netmask,
        startIp: r.startIp,
        endIp: r.endIp,
        created: this.clock.now(),
      };
      const ips: PortableIp[] = [];
      for (let n = start; n <= end; n++) {
        ips.push({
          id: newId(),
          rangeId: range.id,
          regionId: region.id,
          address: intToIp(n),
          addressNum: n,
          state: 'Free',
          allocatedAccountId: null,
          allocatedDomainId: null,
          allocated: null,
        });
      }
      await portableIpStore.insertRange(trx, range, ips);
      await regionRows.update(trx, region.id, { portableIpEnabled: 1 });
      await this.event(
        trx,
        caller,
        'PORTABLE.IP.RANGE.CREATE',
        `Created portable IP range ${r.startIp}-${r.endIp}`,
        range.id,
      );
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: PORTABLE_JOBS.created,
        params: { id: range.id },
        instanceType: 'PortableIpRange',
        instanceId: range.id,
      });
      return { range, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /**
   * A tagged range's VLAN may not be one a zone's IP range already uses. (CloudStack also looks for
   * zone addresses inside the range here, but ignores what it finds.)
   */
  private async checkVlan(db: Db, vlan: string): Promise<void> {
    if (!validVlan(vlan)) throw invalid(`Invalid vlan id ${vlan}`, 'vlan');
    for (const zone of await catalogStore.zones(db)) {
      if ((await vlanRangeStore.list(db, { zoneId: zone.id, vlan })).length)
        throw invalid(
          `Found a VLAN id ${vlan} already existing in zone ${zone.id} that conflicts with VLAN id of the portable ip range being configured`,
          'vlan',
        );
    }
  }

  submitDelete(caller: Caller, id: string, cmd: string): Promise<string> {
    return this.jobs.run(caller, {
      cmd,
      kind: PORTABLE_JOBS.remove,
      params: { id },
      instanceType: 'PortableIpRange',
      instanceId: id,
    });
  }

  /** deletePortableIpRange: only a range none of whose addresses is taken; the last range of all turns the region's service off. */
  private async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const [range] = await portableIpStore.ranges(trx, { id });
      if (!range) throw invalid('Please specify a valid portable IP range id.', 'id');
      if ((await portableIpStore.ipsOf(trx, id)).some((ip) => ip.state !== 'Free'))
        throw invalid("Can't delete portable IP range as there are IP's assigned.", 'id');
      await portableIpStore.removeRange(trx, id);
      if (!(await portableIpStore.ranges(trx, {})).length)
        await regionRows.update(trx, range.regionId, { portableIpEnabled: 0 });
      await this.event(
        trx,
        caller,
        'PORTABLE.IP.RANGE.DELETE',
        `Deleted portable IP range ${range.startIp}-${range.endIp}`,
        id,
      );
    });
  }

  /** listPortableIpRanges: a region's ranges, one range, or all, each with its addresses. */
  async list(f: { id?: string; regionId?: number }): Promise<{ range: PortableIpRange; ips: PortableIp[] }[]> {
    const db = this.store.db;
    if (f.regionId !== undefined && !(await regionStore.byId(db, f.regionId)))
      throw invalid(`Invalid region ID: ${f.regionId}`, 'regionid');
    const ranges = await portableIpStore.ranges(db, {
      id: f.regionId === undefined ? f.id : undefined,
      regionId: f.regionId === undefined ? undefined : String(f.regionId),
    });
    return Promise.all(ranges.map(async (range) => ({ range, ips: await portableIpStore.ipsOf(db, range.id) })));
  }

  private event(db: Db, caller: Caller, type: string, description: string, resourceId: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId,
      resourceType: 'PortableIpRange',
    });
  }
}

/**
 * IpAddressManagerImpl.allocatePortableIp: the region's first free portable address goes to the
 * owner, and the zone gets a one-address public range and address row standing in for it, on the
 * zone's public physical network, associated with the network (or VPC) it was acquired for.
 */
export async function allocatePortableIp(
  db: Db,
  clock: Clock,
  owner: { accountId: string; domainId: string },
  zone: Zone,
  net: Network | undefined,
  vpcId: string | null,
): Promise<PublicIp> {
  await consume(db, owner.accountId, { public_ip: 1 });
  const now = clock.now();
  const portable = await portableIpStore.claim(db, PORTABLE_REGION, {
    allocatedAccountId: owner.accountId,
    allocatedDomainId: owner.domainId,
    allocated: now,
  });
  if (!portable)
    throw new DomainError('InsufficientCapacity', 'Unable to find available portable IP addresses', {
      kind: 'Region',
      id: PORTABLE_REGION,
      capacity: 'address',
    });
  const [range] = await portableIpStore.ranges(db, { id: portable.rangeId });
  const [pub] = await pnets.withTraffic(db, zone.id, 'Public');
  const twin: VlanRange = {
    id: newId(),
    zoneId: zone.id,
    podId: null,
    networkId: null,
    vlan: `vlan://${range!.vlan}`,
    gateway: range!.gateway,
    netmask: range!.netmask,
    startIp: portable.address,
    endIp: portable.address,
    forVirtualNetwork: 1,
    created: now,
    physicalNetworkId: pub?.id ?? null,
    ownerAccountId: null,
    ownerDomainId: null,
    forSystemVms: 0,
  };
  const ip: PublicIp = {
    id: newId(),
    zoneId: zone.id,
    vlanRangeId: twin.id,
    address: portable.address,
    addressNum: portable.addressNum,
    state: 'Allocated',
    accountId: owner.accountId,
    domainId: owner.domainId,
    networkId: net?.id ?? null,
    isSourceNat: 0,
    vmId: null,
    allocated: now,
    vpcId: net?.vpcId ?? vpcId,
    isPortable: 1,
  };
  await portableIpStore.insertTwin(db, twin, ip);
  return ip;
}
