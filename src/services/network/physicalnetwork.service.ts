import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { parseVnetRanges, TRAFFIC_TYPES, type TrafficType } from '../../domain/infra.js';
import type { PhysicalNetwork } from '../../domain/types.js';
import { inVnets, normalizeVnets, removedVnets, storedVnets, vnetString, type VnetRange } from '../../domain/vnet.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import { datacenterStore, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { guestVlanStore } from '../../store/guestvlan.store.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import { vlanRangeStore } from '../../store/vlanrange.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { addDefaultProviders } from './provider.service.js';

export const PNET_JOBS = {
  created: 'pnet.created',
  update: 'pnet.update',
  remove: 'pnet.delete',
  trafficAdded: 'pnet.traffic.created',
} as const;

export interface NewPhysicalNetwork {
  zoneId: string;
  name: string;
  isolationMethods?: string[];
  broadcastDomainRange?: string;
  vlan?: string;
  networkSpeed?: string;
  tags?: string[];
  domainId?: string;
}
export interface PhysicalNetworkUpdate {
  state?: string;
  vlan?: string;
  networkSpeed?: string;
  tags?: string[];
}
export interface NewTrafficType {
  trafficType: string;
  kvmLabel?: string;
  xenLabel?: string;
  vmwareLabel?: string;
  hypervLabel?: string;
  ovm3Label?: string;
  vlan?: string;
}

const object = (instanceType: string, id: string): JobResult => ({ type: 'object', instanceType, id });

/** Physical networks and their traffic types (NetworkServiceImpl). */
export class PhysicalNetworkService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(PNET_JOBS.created, async ({ params }) => object('PhysicalNetwork', params.id));
    jobs.register<{ id: string }>(PNET_JOBS.trafficAdded, async ({ params }) => object('TrafficType', params.id));
    jobs.register<{ id: string; update: PhysicalNetworkUpdate }>(PNET_JOBS.update, async ({ caller, params: p }) => {
      await this.update(caller, p.id, p.update);
      return object('PhysicalNetwork', p.id);
    });
    jobs.register<{ id: string }>(PNET_JOBS.remove, async ({ caller, params: p }) => {
      await this.remove(caller, p.id);
      return { type: 'success' };
    });
  }

  /** createPhysicalNetwork's create phase: the row and its default providers; the job only reports it. */
  async create(caller: Caller, r: NewPhysicalNetwork, cmd: string): Promise<{ pnet: PhysicalNetwork; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const zone = await zoneRows.get(trx, r.zoneId);
      if (!zone) throw invalid('Please specify a valid zone.', 'zoneid');
      if (zone.allocationState === 'Enabled')
        throw forbidden(
          `Cannot create PhysicalNetwork since the Zone is currently enabled, zone Id: ${zone.id}`,
          'Zone',
          zone.id,
        );
      if (zone.networkType === 'Basic' && (await pnets.list(trx, { zoneId: zone.id })).length)
        throw runtimeFailure(
          `Cannot add the physical network to basic zone id: ${zone.id}, there is a physical network already existing in this basic Zone`,
        );
      if (r.tags && r.tags.length > 1)
        throw invalid('Only one tag can be specified for a physical network at this time', 'tags');
      if (r.isolationMethods && r.isolationMethods.length > 1)
        throw invalid(
          'Only one isolationMethod can be specified for a physical network at this time',
          'isolationmethods',
        );
      if (r.vlan !== undefined && zone.networkType === 'Basic')
        throw invalid("Can't add vnet range to the physical network in the Basic zone", 'vlan');
      const range = broadcastRange(r.broadcastDomainRange, zone.networkType);
      const vnets = r.vlan !== undefined ? normalizeVnets(vnetRanges(r.vlan)) : undefined;
      const pnet: PhysicalNetwork = {
        id: newId(),
        zoneId: zone.id,
        name: r.name,
        vlan: vnets?.length ? vnetString(vnets) : null,
        isolationMethods: (r.isolationMethods ?? []).join(','),
        broadcastDomainRange: range,
        state: 'Disabled',
        trafficTypes: '',
        created: this.clock.now(),
        networkSpeed: r.networkSpeed ?? null,
        tags: r.tags?.[0] ?? null,
        domainId: r.domainId ?? null,
      };
      await pnets.insert(trx, pnet);
      await addDefaultProviders(trx, this.clock, pnet.id);
      await eventLog(trx, this.clock, {
        type: 'PHYSICAL.NETWORK.CREATE',
        description: `Created physical network ${pnet.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: pnet.id,
        resourceType: 'PhysicalNetwork',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: PNET_JOBS.created,
        params: { id: pnet.id },
        instanceType: 'PhysicalNetwork',
        instanceId: pnet.id,
      });
      return { pnet, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async submit(
    caller: Caller,
    cmd: string,
    kind: string,
    id: string,
    params: Record<string, unknown> = {},
  ): Promise<string> {
    if (!(await pnets.get(this.store.db, id))) throw notFound('PhysicalNetwork', id);
    return this.jobs.run(caller, {
      cmd,
      kind,
      params: { id, ...params },
      instanceType: 'PhysicalNetwork',
      instanceId: id,
    });
  }

  private async update(caller: Caller, id: string, u: PhysicalNetworkUpdate): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await pnets.get(trx, id);
      if (!p) throw invalid("Physical Network with specified id doesn't exist in the system", 'id');
      const zone = (await zoneRows.get(trx, p.zoneId))!;
      if (u.vlan !== undefined && zone.networkType === 'Basic')
        throw invalid("Can't add vnet range to the physical network in the Basic zone", 'vlan');
      if (u.tags && u.tags.length > 1) throw invalid('Unable to support more than one tag on network yet', 'tags');
      if (u.state !== undefined && u.state !== '' && u.state !== 'Enabled' && u.state !== 'Disabled')
        throw invalid(`Unable to resolve state '${u.state}' to a supported value {Enabled or Disabled}`, 'state');
      const patch: Partial<PhysicalNetwork> = {};
      if (u.state) patch.state = u.state;
      if (u.tags) patch.tags = u.tags[0] ?? null;
      if (u.networkSpeed !== undefined) patch.networkSpeed = u.networkSpeed;
      if (u.vlan !== undefined) {
        // addOrRemoveVnets: the ranges given become the network's vnets, those left out are removed.
        const ranges = normalizeVnets(vnetRanges(u.vlan));
        await checkVnetsReleasable(trx, p, ranges);
        patch.vlan = ranges.length ? vnetString(ranges) : null;
        // The zone's guest VLAN pool is what network implementation allocates from.
        const carriesGuest = (await pnets.trafficTypes(trx, [p.id])).some((t) => t.trafficType === 'Guest');
        if (carriesGuest || !(await pnets.withTraffic(trx, zone.id, 'Guest')).length)
          await datacenterStore.updateZone(trx, zone.id, {
            guestVlanStart: ranges[0]?.start ?? null,
            guestVlanEnd: ranges[0]?.end ?? null,
          });
      }
      await pnets.update(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'PHYSICAL.NETWORK.UPDATE',
        description: `Updated physical network ${p.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'PhysicalNetwork',
      });
    });
  }

  private async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const p = await pnets.get(trx, id);
      if (!p) throw invalid("Physical Network with specified id doesn't exist in the system", 'id');
      const carriesGuest = (await pnets.trafficTypes(trx, [p.id])).some((t) => t.trafficType === 'Guest');
      const why = await pnets.inUse(trx, p, carriesGuest);
      if (why) throw runtimeFailure(`The Physical Network is not deletable because ${PNET_IN_USE[why]}`);
      await vlanRangeStore.removeOfPhysicalNetwork(trx, id);
      await guestVlanStore.removeDedicationsOf(trx, id);
      await pnets.remove(trx, id);
      if (carriesGuest) await datacenterStore.updateZone(trx, p.zoneId, { guestVlanStart: null, guestVlanEnd: null });
      await eventLog(trx, this.clock, {
        type: 'PHYSICAL.NETWORK.DELETE',
        description: `Deleted physical network ${p.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'PhysicalNetwork',
      });
    });
  }

  list(f: { id?: string; zoneId?: string; name?: string; keyword?: string }): Promise<PhysicalNetwork[]> {
    return pnets.list(this.store.db, f);
  }

  async get(id: string): Promise<PhysicalNetwork | undefined> {
    return pnets.get(this.store.db, id);
  }

  /** addTrafficType's create phase. */
  async addTrafficType(
    caller: Caller,
    physicalNetworkId: string,
    r: NewTrafficType,
    cmd: string,
  ): Promise<{ traffic: TrafficType; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const traffic = await addTrafficTypeIn(trx, this.clock, caller, physicalNetworkId, r);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: PNET_JOBS.trafficAdded,
        params: { id: traffic.id },
        instanceType: 'TrafficType',
        instanceId: traffic.id,
      });
      return { traffic, jobId };
    });
    this.jobs.kick();
    return out;
  }

  trafficTypes(physicalNetworkId: string): Promise<TrafficType[]> {
    return pnets.trafficTypes(this.store.db, [physicalNetworkId]);
  }

  trafficType(id: string): Promise<TrafficType | undefined> {
    return pnets.trafficType(this.store.db, id);
  }
}

const PNET_IN_USE = {
  vnets: 'there are allocated vnets for this physical network',
  networks: 'there are networks associated to this physical network',
  ips: 'there are public IP addresses allocated for this physical network',
} as const;

function broadcastRange(given: string | undefined, zoneType: string): string {
  if (!given) return zoneType === 'Basic' ? 'POD' : 'ZONE';
  const r = given.toUpperCase();
  if (r !== 'POD' && r !== 'ZONE')
    throw invalid(
      `Unable to resolve broadcastDomainRange '${given}' to a supported value {Pod or Zone}`,
      'broadcastdomainrange',
    );
  if (zoneType === 'Basic' && r !== 'POD')
    throw invalid('Basic zone can have broadcast domain type of value POD only', 'broadcastdomainrange');
  if (zoneType === 'Advanced' && r !== 'ZONE')
    throw invalid('Advance zone can have broadcast domain type of value ZONE only', 'broadcastdomainrange');
  return r;
}

/**
 * getVnetsToremove: vnets leaving the range must not be held by a guest network, nor (unless every
 * vnet goes, which only counts the held ones) lie in a range dedicated to an account.
 */
async function checkVnetsReleasable(db: Db, p: PhysicalNetwork, next: VnetRange[]): Promise<void> {
  const old = storedVnets(p.vlan);
  const taken = (await guestVlanStore.taken(db, p.zoneId)).map((t) => t.vlan).filter((v) => inVnets(old, v));
  if (!next.length) {
    if (taken.length) throw invalid(`physicalnetwork ${p.id} has ${taken.length} vnets in use`, 'vlan');
    return;
  }
  const dedications = await guestVlanStore.dedications(db, { physicalNetworkId: p.id });
  for (const r of removedVnets(old, next)) {
    if (taken.some((v) => v >= r.start && v <= r.end))
      throw invalid(`physicalnetwork ${p.id} has allocated vnets in the range ${r.start}-${r.end}`, 'vlan');
    const d = dedications.find(
      (x) => (r.start >= x.startVlan && r.start <= x.endVlan) || (r.end >= x.startVlan && r.end <= x.endVlan),
    );
    if (d)
      throw invalid(
        `Vnet range ${d.startVlan}-${d.endVlan} is dedicated to an account. The specified range ${r.start}-${r.end} overlaps with the dedicated range  Please release the overlapping dedicated range before deleting the range`,
        'vlan',
      );
  }
}

function vnetRanges(s: string): VnetRange[] {
  const r = parseVnetRanges(s);
  if (typeof r === 'string') throw invalid(r, 'vlan');
  return r;
}

/** addTrafficTypeToPhysicalNetwork, inside the caller's transaction (enabling a zone adds storage traffic this way too). */
export async function addTrafficTypeIn(
  db: Db,
  clock: Clock,
  caller: Caller,
  physicalNetworkId: string,
  r: NewTrafficType,
): Promise<TrafficType> {
  const p = await pnets.get(db, physicalNetworkId);
  if (!p) throw invalid(`Physical Network id=${physicalNetworkId}doesn't exist in the system`, 'physicalnetworkid');
  const type = TRAFFIC_TYPES.find((t) => t === r.trafficType);
  if (!type) throw invalid(`Unable to resolve trafficType '${r.trafficType}' to a supported value`, 'traffictype');
  if ((await pnets.trafficTypes(db, [p.id])).some((t) => t.trafficType === type))
    throw runtimeFailure(`This physical network already supports the traffic type: ${type}`);
  const zoneWide = await pnets.withTraffic(db, p.zoneId, type);
  if (type !== 'Guest' && zoneWide.length)
    throw runtimeFailure(
      `Fail to add the traffic type to physical network because Zone already has a physical network with this traffic type: ${type}`,
    );
  if (!p.tags && zoneWide.some((x) => !x.tags))
    throw runtimeFailure(`There are more than 1 physical network without tags in the zone: ${p.zoneId}`);
  const t: TrafficType = {
    id: newId(),
    physicalNetworkId: p.id,
    trafficType: type,
    kvmLabel: r.kvmLabel ?? null,
    xenLabel: r.xenLabel ?? null,
    vmwareLabel: r.vmwareLabel ?? null,
    hypervLabel: r.hypervLabel ?? null,
    ovm3Label: r.ovm3Label ?? null,
    vlan: r.vlan ?? null,
    created: clock.now(),
  };
  await pnets.insertTrafficType(db, t);
  // A physical network's VLAN range becomes the zone's guest pool once it carries guest traffic.
  if (type === 'Guest' && p.vlan) {
    const [first] = vnetRanges(p.vlan);
    if (first) await datacenterStore.updateZone(db, p.zoneId, { guestVlanStart: first.start, guestVlanEnd: first.end });
  }
  await eventLog(db, clock, {
    type: 'TRAFFIC.TYPE.CREATE',
    description: `Added ${type} traffic to physical network ${p.name}`,
    accountId: caller.accountId,
    domainId: caller.domainId,
    userId: caller.userId,
    resourceId: t.id,
    resourceType: 'TrafficType',
  });
  return t;
}
