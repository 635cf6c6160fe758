import { ensureSystemVms } from './systemvm.service.js';
import { isIpv4Cidr, isRfc1918 } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { ALLOCATION_STATES } from '../../domain/infra.js';
import { isIpv4 } from '../../domain/net.js';
import type { Zone } from '../../domain/types.js';
import { catalogStore } from '../../store/catalog.store.js';
import { datacenterStore, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { physicalNetworkStore } from '../../store/physicalnetwork.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { addTrafficTypeIn } from '../network/physicalnetwork.service.js';
import { domainRows } from '../../store/account.store.js';

export interface ZoneFields {
  name?: string;
  dns1?: string;
  dns2?: string;
  internalDns1?: string;
  internalDns2?: string;
  guestCidr?: string;
  domain?: string;
  localStorageEnabled?: boolean;
  allocationState?: string;
  details?: Record<string, string>[];
}
export interface NewZone extends ZoneFields {
  name: string;
  dns1: string;
  internalDns1: string;
  networkType: string;
  securityGroupEnabled?: boolean;
  domainId?: string;
}

/** createZone / updateZone / deleteZone (ConfigurationManagerImpl). */
export class ZoneService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async create(caller: Caller, r: NewZone): Promise<Zone> {
    const type = (['Basic', 'Advanced'] as const).find((t) => t.toLowerCase() === r.networkType.toLowerCase());
    if (!type) throw invalid(`Invalid network type ${r.networkType}`, 'networktype');
    const sg = r.securityGroupEnabled ?? false;
    if (r.guestCidr !== undefined && !validGuestCidr(r.guestCidr))
      throw invalid('Please enter a valid guest cidr', 'guestcidraddress');
    return this.store.tx(async (trx) => {
      await checkZoneFields(trx, r, true);
      const zone: Zone = {
        id: newId(),
        name: r.name,
        description: null,
        networkType: type,
        securityGroupsEnabled: sg ? 1 : 0,
        localStorageEnabled: r.localStorageEnabled ? 1 : 0,
        dns1: r.dns1,
        dns2: r.dns2 ?? null,
        internalDns1: r.internalDns1,
        internalDns2: r.internalDns2 ?? null,
        // The guest CIDR an advanced zone without security groups gives its isolated networks; CloudStack's UI fills in the same default.
        guestCidr: type === 'Advanced' && !sg ? (r.guestCidr ?? '10.1.1.0/24') : null,
        networkDomain: r.domain ?? null,
        // A new zone stays Disabled until the admin enables it (createZone's default allocation state).
        allocationState: r.allocationState ?? 'Disabled',
        guestVlanStart: null,
        guestVlanEnd: null,
        created: this.clock.now(),
      };
      await datacenterStore.insertZone(trx, zone);
      await eventLog(trx, this.clock, {
        type: 'ZONE.CREATE',
        description: `Created zone ${zone.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: zone.id,
        resourceType: 'Zone',
      });
      return zone;
    });
  }

  async update(caller: Caller, id: string, r: ZoneFields): Promise<Zone> {
    if (r.guestCidr !== undefined && !validGuestCidr(r.guestCidr))
      throw invalid('Please enter a valid guest cidr', 'guestcidraddress');
    for (const d of r.details ?? []) {
      if (d['key'] === undefined || d['value'] === undefined)
        throw invalid(
          "Invalid Zone Detail specified, fields 'key' and 'value' cannot be null, please specify details in the form:  details[0].key=XXX&details[0].value=YYY",
          'details',
        );
    }
    return this.store.tx(async (trx) => {
      const zone = await zoneRows.get(trx, id);
      if (!zone) throw notFound('Zone', id);
      await checkZoneFields(trx, r, r.name !== undefined && r.name !== zone.name);
      if (r.allocationState === 'Enabled' && zone.allocationState !== 'Enabled')
        await this.readyToEnable(trx, caller, zone);
      const patch: Partial<Zone> = {};
      if (r.name !== undefined) patch.name = r.name;
      if (r.dns1 !== undefined) patch.dns1 = r.dns1;
      if (r.dns2 !== undefined) patch.dns2 = r.dns2 || null;
      if (r.internalDns1 !== undefined) patch.internalDns1 = r.internalDns1;
      if (r.internalDns2 !== undefined) patch.internalDns2 = r.internalDns2 || null;
      if (r.guestCidr !== undefined) patch.guestCidr = r.guestCidr;
      if (r.domain !== undefined) patch.networkDomain = r.domain || null;
      if (r.localStorageEnabled !== undefined) patch.localStorageEnabled = r.localStorageEnabled ? 1 : 0;
      if (r.allocationState !== undefined) patch.allocationState = r.allocationState;
      if (Object.keys(patch).length) await datacenterStore.updateZone(trx, id, patch);
      if (patch.allocationState === 'Enabled') await ensureSystemVms(trx, this.clock, id);
      await eventLog(trx, this.clock, {
        type: 'ZONE.EDIT',
        description: `Updated zone ${zone.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Zone',
      });
      return { ...zone, ...patch };
    });
  }

  /**
   * editZone's check before enabling: management traffic (and public traffic for an advanced zone
   * without security groups) must be carried somewhere; storage traffic, when missing, is added to
   * the management physical network.
   */
  private async readyToEnable(db: Db, caller: Caller, zone: Zone): Promise<void> {
    const need = (t: string) =>
      `Cannot enable this Zone since: Unable to find the default physical network with traffic=${t} in the specified zone id`;
    const [mgmt] = await physicalNetworkStore.withTraffic(db, zone.id, 'Management');
    if (!mgmt) throw invalid(need('Management'), 'allocationstate');
    if (
      zone.networkType === 'Advanced' &&
      !zone.securityGroupsEnabled &&
      !(await physicalNetworkStore.withTraffic(db, zone.id, 'Public')).length
    )
      throw invalid(need('Public'), 'allocationstate');
    if (!(await physicalNetworkStore.withTraffic(db, zone.id, 'Storage')).length)
      await addTrafficTypeIn(db, this.clock, caller, mgmt.id, { trafficType: 'Storage' });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const zone = await zoneRows.get(trx, id);
      if (!zone) throw notFound('Zone', id);
      const inside = await datacenterStore.zoneContents(trx, id);
      if (inside) throw runtimeFailure(`The zone cannot be deleted because ${ZONE_CONTENTS[inside]}`);
      await datacenterStore.removeZone(trx, id);
      await eventLog(trx, this.clock, {
        type: 'ZONE.DELETE',
        description: `Deleted zone ${zone.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Zone',
      });
    });
  }

  async get(id: string): Promise<Zone> {
    const z = await catalogStore.zone(this.store.db, id);
    if (!z) throw notFound('Zone', id);
    return z;
  }
}

const ZONE_CONTENTS = {
  hosts: 'there are servers in this zone.',
  pods: 'there are pods in this zone.',
  publicIps: 'there are public IP addresses allocated in this zone.',
  vms: 'there are virtual machines in this zone.',
  volumes: 'there are storage volumes in this zone.',
  physicalNetworks: 'there are physical networks in this zone.',
  imageStores: 'there are Secondary storages in this zone',
} as const;

/** NetUtils.validateGuestCidr: a private CIDR. */
const validGuestCidr = (c: string) => isIpv4Cidr(c) && isRfc1918(c);

/** checkZoneParameters. */
async function checkZoneFields(db: Db, r: ZoneFields & { domainId?: string }, checkName: boolean): Promise<void> {
  if (checkName && r.name !== undefined && (await datacenterStore.zoneByName(db, r.name)))
    throw invalid('A zone with that name already exists. Please specify a unique zone name.', 'name');
  if (r.domainId && !(await domainRows.get(db, r.domainId)))
    throw invalid('Please specify a valid domain id', 'domainid');
  const ip = (v: string | undefined, what: string) => {
    if (v !== undefined && v.length > 0 && !isIpv4(v))
      throw invalid(`Please enter a valid IP address for ${what}`, what.toLowerCase().replace(/ /g, ''));
  };
  ip(r.dns1, 'DNS1');
  ip(r.dns2, 'DNS2');
  ip(r.internalDns1, 'internal DNS1');
  ip(r.internalDns2, 'internal DNS2');
  if (
    r.allocationState !== undefined &&
    r.allocationState !== '' &&
    !(ALLOCATION_STATES as readonly string[]).includes(r.allocationState)
  )
    throw invalid(`Unable to resolve Allocation State '${r.allocationState}' to a supported state`, 'allocationstate');
}
