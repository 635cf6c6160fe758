import { cidrOf, isNetmask } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { ALLOCATION_STATES } from '../../domain/infra.js';
import { intToIp, ipToInt, isIpv4, parseCidr } from '../../domain/net.js';
import { hasIpv4, type Pod, type Zone } from '../../domain/types.js';
import { datacenterStore as dc, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { vlanRangeStore } from '../../store/vlanrange.store.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import type { ConfigService } from './config.service.js';
import { eventLog } from '../operations/events.js';

export interface NewPod {
  zoneId: string;
  name: string;
  gateway?: string;
  netmask?: string;
  startIp?: string;
  endIp?: string;
  allocationState?: string;
}
export interface PodUpdate {
  name?: string;
  gateway?: string;
  netmask?: string;
  startIp?: string;
  endIp?: string;
  allocationState?: string;
}

/** createPod / updatePod / deletePod (ConfigurationManagerImpl). */
export class PodService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
  ) {}

  async create(caller: Caller, r: NewPod): Promise<Pod> {
    return this.store.tx(async (trx) => {
      const zone = await zoneRows.get(trx, r.zoneId);
      if (!zone) throw invalid('Please specify a valid zone.', 'zoneid');
      if (zone.allocationState === 'Disabled' && !isRootAdmin(caller))
        throw forbidden(`Cannot perform this operation, Zone is currently disabled: ${zone.id}`, 'Zone', zone.id);
      if (!r.startIp || !isIpv4(r.startIp)) throw invalid('The start IP is invalid', 'startip');
      if (r.endIp !== undefined && !isIpv4(r.endIp)) throw invalid('The end IP is invalid', 'endip');
      if (!r.gateway || !isIpv4(r.gateway)) throw invalid('The gateway is invalid', 'gateway');
      if (!r.netmask || !isNetmask(r.netmask)) throw invalid('The netmask is invalid', 'netmask');
      const cidr = cidrOf(r.gateway, r.netmask);
      const c = parseCidr(cidr);
      // endip defaults to the last address of the pod's CIDR.
      const endIp = r.endIp ?? intToIp(c.network + 2 ** (32 - c.prefix) - 2);
      await checkPod(
        trx,
        zone,
        undefined,
        r.name,
        r.gateway,
        cidr,
        r.startIp,
        endIp,
        r.allocationState,
        true,
        this.config.bool('check.pod.cidrs', true),
      );
      const pod: Pod = {
        id: newId(),
        zoneId: zone.id,
        name: r.name,
        gateway: r.gateway,
        netmask: r.netmask,
        startIp: r.startIp,
        endIp,
        allocationState: r.allocationState || 'Enabled',
        created: this.clock.now(),
      };
      await dc.insertPod(trx, pod);
      await eventLog(trx, this.clock, {
        type: 'POD.CREATE',
        description: `Created pod ${pod.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: pod.id,
        resourceType: 'Pod',
      });
      return pod;
    });
  }

  /** editPod: name, gateway/netmask and allocation state; the address range stays as it is. */
  async update(caller: Caller, id: string, u: PodUpdate): Promise<Pod> {
    return this.store.tx(async (trx) => {
      const pod = await dc.pod(trx, id);
      if (!pod) throw invalid(`Unable to find pod by id ${id}`, 'id');
      const zone = (await zoneRows.get(trx, pod.zoneId))!;
      const gateway = u.gateway ?? pod.gateway;
      const netmask = u.netmask ?? pod.netmask;
      const name = u.name ?? pod.name;
      if (!isIpv4(gateway) || !isNetmask(netmask))
        throw invalid(`Please enter a valid CIDR for pod: ${name}`, 'netmask');
      const cidr = cidrOf(gateway, netmask);
      await checkPod(
        trx,
        zone,
        pod.id,
        name,
        gateway,
        cidr,
        undefined,
        undefined,
        u.allocationState,
        name !== pod.name,
        this.config.bool('check.pod.cidrs', true),
      );
      const c = parseCidr(cidr);
      const inside = (ip: string) => (ipToInt(ip) & maskOf(c.prefix)) >>> 0 === c.network;
      if (!inside(pod.startIp))
        throw invalid('The start address of the some IP range is not in the CIDR subnet.', 'netmask');
      if (!inside(pod.endIp))
        throw invalid('The end address of the some IP range is not in the CIDR subnet.', 'netmask');
      if (overlaps(pod.startIp, pod.endIp, gateway, gateway))
        throw invalid("The gateway shouldn't overlap some start/end ip addresses", 'gateway');
      const patch: Partial<Pod> = {
        name,
        gateway,
        netmask,
        ...(u.allocationState ? { allocationState: u.allocationState } : {}),
      };
      await dc.updatePod(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'POD.EDIT',
        description: `Updated pod ${name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Pod',
      });
      return { ...pod, ...patch };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const pod = await dc.pod(trx, id);
      if (!pod) throw invalid(`A pod with ID: ${id} does not exist.`, 'id');
      const inside = await dc.podContents(trx, id);
      if (inside) throw runtimeFailure(`The pod cannot be deleted because ${POD_CONTENTS[inside]}`);
      for (const r of await vlanRangeStore.list(trx, { podId: id })) {
        if (
          r.networkId &&
          hasIpv4(r) &&
          (await vlanRangeStore.nicsInRange(trx, r.networkId, ipToInt(r.startIp), ipToInt(r.endIp)))
        )
          throw runtimeFailure(
            'The pod cannot be deleted because there are private IP addresses allocated in this pod.',
          );
      }
      await dc.removePod(trx, id);
      await eventLog(trx, this.clock, {
        type: 'POD.DELETE',
        description: `Deleted pod ${pod.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Pod',
      });
    });
  }

  list(f: { id?: string; zoneId?: string; name?: string; keyword?: string; allocationState?: string }): Promise<Pod[]> {
    return dc.pods(this.store.db, f);
  }

  async get(id: string): Promise<Pod> {
    const p = await dc.pod(this.store.db, id);
    if (!p) throw notFound('Pod', id);
    return p;
  }
}

const POD_CONTENTS = {
  volumes: 'there are storage volumes in this pod.',
  hosts: 'there are servers in this pod.',
  vms: 'there are virtual machines in this pod.',
  clusters: 'there are clusters in this pod.',
} as const;

const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const overlaps = (a1: string, a2: string, b1: string, b2: string) =>
  ipToInt(a1) <= ipToInt(b2) && ipToInt(b1) <= ipToInt(a2);

/** checkPodAttributes + checkIpRange + checkPodCidrSubnets, with CloudStack's texts. */
async function checkPod(
  db: Db,
  zone: Zone,
  podId: string | undefined,
  name: string,
  gateway: string,
  cidr: string,
  startIp: string | undefined,
  endIp: string | undefined,
  allocationState: string | undefined,
  checkName: boolean,
  checkCidrs: boolean,
): Promise<void> {
  if (checkName && (await dc.pods(db, { zoneId: zone.id, name })).length)
    throw invalid(
      `A pod with name: ${name} already exists in zone ${zone.id}. Please specify a different pod name. `,
      'name',
    );
  const c = parseCidr(cidr);
  const inCidr = (ip: string) => (ipToInt(ip) & maskOf(c.prefix)) >>> 0 === c.network;
  if (startIp !== undefined && !inCidr(startIp))
    throw invalid('The start address of the IP range is not in the CIDR subnet.', 'startip');
  if (endIp !== undefined && !inCidr(endIp))
    throw invalid('The end address of the IP range is not in the CIDR subnet.', 'endip');
  if (startIp !== undefined && endIp !== undefined && ipToInt(startIp) > ipToInt(endIp))
    throw invalid('The start IP address must have a lower value than the end IP address.', 'startip');
  if (startIp !== undefined && endIp !== undefined) {
    const taken = await networkStore.publicIpBetween(db, zone.id, ipToInt(startIp), ipToInt(endIp));
    if (taken)
      throw invalid(`The Start IP and endIP address range overlap with Public IP :${taken.address}`, 'startip');
  }
  if (!inCidr(gateway)) throw invalid('The gateway is not in the CIDR subnet.', 'gateway');
  if (startIp !== undefined && endIp !== undefined && overlaps(startIp, endIp, gateway, gateway))
    throw invalid("The gateway shouldn't overlap start/end ip addresses", 'gateway');
  if (checkCidrs) await checkPodCidrs(db, zone, podId, c);
  if (
    allocationState !== undefined &&
    allocationState !== '' &&
    !(ALLOCATION_STATES as readonly string[]).includes(allocationState)
  )
    throw invalid(`Unable to resolve Allocation State '${allocationState}' to a supported state`, 'allocationstate');
}

/** No two pods of a zone, and no pod and the zone's guest CIDR, may share a subnet. */
async function checkPodCidrs(
  db: Db,
  zone: Zone,
  podId: string | undefined,
  c: { network: number; prefix: number },
): Promise<void> {
  const same = (a: { network: number; prefix: number }, b: { network: number; prefix: number }) => {
    const p = Math.min(a.prefix, b.prefix);
    return (a.network & maskOf(p)) >>> 0 === (b.network & maskOf(p)) >>> 0;
  };
  if (zone.guestCidr && same(c, parseCidr(zone.guestCidr)))
    throw invalid(
      'The subnet of the pod you are adding conflicts with the subnet of the Guest IP Network. Please specify a different CIDR.',
      'netmask',
    );
  for (const other of await dc.pods(db, { zoneId: zone.id })) {
    if (other.id === podId) continue;
    if (same(c, parseCidr(cidrOf(other.gateway, other.netmask))))
      throw invalid(
        `The subnet of the pod you are adding conflicts with the subnet of pod ${other.name} in zone ${zone.name}. Please specify a different CIDR.`,
        'netmask',
      );
  }
}
