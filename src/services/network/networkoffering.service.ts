import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { capabilityMap, checkOfferingShape, serviceMap } from '../../domain/netoffering.js';
import { cleanupTags } from '../../domain/offerings.js';
import type { Flag, NetworkOffering } from '../../domain/types.js';
import type { Db, Store } from '../../store/db.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { checkZones, filterChildDomains, updatedIds } from '../infrastructure/offering.scope.js';
import { domainRows } from '../../store/account.store.js';
import { serviceOfferingRows } from '../../store/catalog.store.js';
import { networkStore, networkOfferingRows } from '../../store/network.store.js';

export interface NewNetworkOffering {
  name: string;
  displayText: string;
  guestIpType: string;
  trafficType: string;
  supportedServices: string[];
  serviceProviders: { service: string; provider: string }[];
  capabilities: { service: string; type: string; value: string }[];
  availability?: string;
  specifyVlan?: boolean;
  specifyIpRanges?: boolean;
  conserveMode?: boolean;
  isPersistent?: boolean;
  egressDefaultPolicy?: boolean;
  forVpc?: boolean;
  forTungsten?: boolean;
  tags?: string;
  networkRate?: number;
  serviceOfferingId?: string;
  details?: Record<string, string>;
  maxConnections?: number;
  keepAlive?: boolean;
  internetProtocol?: string;
  domainIds?: string[];
  zoneIds?: string[];
  enable?: boolean;
}
export interface NetworkOfferingUpdate {
  name?: string;
  displayText?: string;
  availability?: string;
  state?: string;
  sortKey?: number;
  tags?: string;
  maxConnections?: number;
  keepAlive?: boolean;
  domainIds?: string;
  zoneIds?: string;
}

const TRAFFIC_TYPES = ['Public', 'Guest', 'Storage', 'Management', 'Control', 'Vlan'];
const GUEST_TYPES = ['Shared', 'Isolated', 'L2'];
const DETAILS = [
  'internallbprovider',
  'publiclbprovider',
  'servicepackageuuid',
  'servicepackagedescription',
  'promiscuousmode',
  'macaddresschanges',
  'forgedtransmits',
  'maclearning',
  'relatednetworkoffering',
  'domainid',
  'zoneid',
  'pvlantype',
  'internetprotocol',
];
const pick = (list: string[], v: string | undefined) =>
  v === undefined ? undefined : list.find((x) => x.toLowerCase() === v.toLowerCase());
const flag = (b: boolean | undefined): Flag => (b ? 1 : 0);

/** createNetworkOffering / updateNetworkOffering / deleteNetworkOffering (ConfigurationManagerImpl). Root admins only. */
export class NetworkOfferingService {
  constructor(
    private store: Store,
    private clock: Clock,
    private config: ConfigService,
  ) {}

  async create(caller: Caller, r: NewNetworkOffering): Promise<NetworkOffering> {
    return this.store.tx(async (trx) => {
      for (const d of r.domainIds ?? [])
        if (!(await domainRows.get(trx, d))) throw invalid('Please specify a valid domain id', 'domainid');
      await checkZones(trx, r.zoneIds ?? []);
      const traffic = pick(TRAFFIC_TYPES, r.trafficType);
      if (!traffic)
        throw invalid(
          'Invalid value for traffictype. Supported traffic types: Public, Management, Control, Guest, Vlan or Storage',
          'traffictype',
        );
      if (traffic !== 'Guest')
        throw invalid('Only traffic type Guest is supported in the current release', 'traffictype');
      const guestType = pick(GUEST_TYPES, r.guestIpType);
      if (!guestType)
        throw invalid('Invalid "type" parameter is given; can have Shared and Isolated values', 'guestiptype');
      let protocol: string | null = null;
      if (r.internetProtocol !== undefined) {
        protocol = pick(['IPv4', 'DualStack'], r.internetProtocol) ?? null;
        if (!protocol) throw invalid(`Invalid internet protocol: ${r.internetProtocol}`, 'internetprotocol');
        if (guestType !== 'Isolated')
          throw invalid('internetprotocol is supported only for Isolated guest type', 'internetprotocol');
        if (protocol !== 'IPv4' && !this.config.bool('ipv6.offering.enabled', false))
          throw invalid(
            'Configuration ipv6.offering.enabled needs to be enabled for creating IPv6 supported network offering',
            'internetprotocol',
          );
      }
      const availability = pick(['Required', 'Optional'], r.availability ?? 'Optional');
      if (!availability)
        throw invalid('Invalid value for Availability. Supported types: Required, Optional', 'availability');
      if (r.serviceOfferingId !== undefined) {
        const so = await serviceOfferingRows.get(trx, r.serviceOfferingId);
        if (!so || so.removed || so.state !== 'Active' || so.systemVmType !== 'domainrouter')
          throw invalid(
            `The specified service offering [${r.serviceOfferingId}] is either inactive or its system VM type is not domain router.`,
            'serviceofferingid',
          );
      }
      const egress = r.egressDefaultPolicy ?? true;
      const { services, forVpc } = serviceMap(guestType, r.supportedServices, r.serviceProviders, r.forVpc, egress);
      const caps = capabilityMap(services, guestType, r.capabilities);
      const details: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.details ?? {})) {
        const d = DETAILS.find((x) => x === k.toLowerCase());
        if (!d) throw invalid(`Unsupported detail ${k}`, 'details');
        details[d] = v;
      }
      const specifyIpRanges = r.specifyIpRanges ?? false;
      checkOfferingShape(guestType, services, { specifyIpRanges, isPersistent: r.isPersistent ?? false, availability });
      if (availability === 'Required') {
        const required = await networkStore.requiredOffering(trx);
        if (required)
          throw invalid(
            `System already has network offering id=${required.id} with availability Required`,
            'availability',
          );
      }
      const domainIds = await filterChildDomains(trx, r.domainIds ?? []);
      const o: NetworkOffering = {
        id: newId(),
        name: r.name,
        displayText: r.displayText,
        guestIpType: guestType,
        trafficType: traffic,
        state: r.enable ? 'Enabled' : 'Disabled',
        availability,
        isDefault: 0,
        specifyVlan: flag(r.specifyVlan),
        specifyIpRanges: flag(specifyIpRanges),
        conserveMode: flag(r.conserveMode ?? true),
        egressDefaultPolicy: flag(egress),
        forVpc: flag(forVpc),
        services: JSON.stringify(services),
        created: this.clock.now(),
        tags: cleanupTags(r.tags),
        isPersistent: flag(r.isPersistent),
        networkRate: r.networkRate === undefined ? null : Math.max(0, r.networkRate),
        serviceOfferingId: r.serviceOfferingId ?? null,
        capabilities: Object.keys(caps).length ? JSON.stringify(caps) : null,
        details: Object.keys(details).length ? JSON.stringify(details) : null,
        // The HAProxy default (network.loadbalancer.haproxy.max.conn) when LB capabilities are given without a limit.
        maxConnections: r.maxConnections ?? (caps['Lb'] ? 4096 : null),
        keepAlive: flag(r.keepAlive),
        internetProtocol: protocol,
        domainIds: domainIds.join(',') || null,
        zoneIds: [...new Set(r.zoneIds ?? [])].join(',') || null,
        sortKey: 0,
        removed: null,
      };
      await networkOfferingRows.insert(trx, o);
      await this.event(trx, caller, 'NETWORK.OFFERING.CREATE', ` Id: ${o.id} Name: ${o.name}`, o.id);
      return o;
    });
  }

  async update(caller: Caller, id: string, u: NetworkOfferingUpdate): Promise<NetworkOffering> {
    return this.store.tx(async (trx) => {
      const o = await networkOfferingRows.get(trx, id);
      if (!o || o.removed) throw invalid(`Unable to find network offering ${id}`, 'id');
      if (o.trafficType !== 'Guest') throw invalid("Can't update system network offerings", 'id');
      const patch: Partial<NetworkOffering> = {};
      if (u.name !== undefined) patch.name = u.name;
      if (u.displayText !== undefined) patch.displayText = u.displayText;
      if (u.sortKey !== undefined) patch.sortKey = u.sortKey;
      if (u.state !== undefined) {
        const st = pick(['Enabled', 'Disabled'], u.state);
        if (!st) throw invalid(`Incorrect state value: ${u.state}`, 'state');
        patch.state = st;
      }
      if (u.availability !== undefined) {
        const av = pick(['Required', 'Optional'], u.availability);
        if (!av) throw invalid(`Invalid value for Availability. Supported types: Required, Optional`, 'availability');
        if (av === 'Required') {
          const services = JSON.parse(o.services) as Record<string, string[]>;
          if (!(o.guestIpType === 'Isolated' && 'SourceNat' in services))
            throw invalid(
              'Availability can be Required only for networkOfferings of type Isolated and with SourceNat enabled',
              'availability',
            );
          const other = await networkStore.requiredOffering(trx, id);
          if (other)
            throw invalid(
              `System already has network offering id=${other.id} with availability Required`,
              'availability',
            );
        }
        patch.availability = av;
      }
      if (u.tags !== undefined) patch.tags = cleanupTags(u.tags);
      if (u.maxConnections !== undefined) patch.maxConnections = u.maxConnections;
      if (u.keepAlive !== undefined) patch.keepAlive = flag(u.keepAlive);
      if (u.domainIds !== undefined || u.zoneIds !== undefined) {
        const domains = updatedIds(u.domainIds, o.domainIds, 'public');
        const zones = updatedIds(u.zoneIds, o.zoneIds, 'all');
        for (const d of domains)
          if (!(await domainRows.get(trx, d))) throw invalid('Please specify a valid domain id', 'domainid');
        await checkZones(trx, zones);
        patch.domainIds = (await filterChildDomains(trx, domains)).join(',') || null;
        patch.zoneIds = [...new Set(zones)].join(',') || null;
      }
      if (Object.keys(patch).length) await networkOfferingRows.update(trx, id, patch);
      await this.event(trx, caller, 'NETWORK.OFFERING.EDIT', `Network offering id=${id}`, id);
      return { ...o, ...patch };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const o = await networkOfferingRows.get(trx, id);
      if (!o || o.removed) throw invalid(`unable to find network offering ${id}`, 'id');
      if (o.isDefault) throw invalid("Default network offering can't be deleted", 'id');
      const n = await networkStore.countOfOffering(trx, id);
      if (n > 0)
        throw invalid(
          `Can't delete network offering ${id} as its used by ${n} networks. To make the network offering unavaiable, disable it`,
          'id',
        );
      await networkOfferingRows.update(trx, id, { removed: this.clock.now() });
      await this.event(trx, caller, 'NETWORK.OFFERING.DELETE', `Network offering id=${id}`, id);
    });
  }

  private event(db: Db, caller: Caller, type: string, description: string, id: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'NetworkOffering',
    });
  }
}
