import { offersService } from '../../domain/netoffering.js';
import { guestRange } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { intToIp, ipToInt, isIpv4 } from '../../domain/net.js';
import type { Account, Network, PublicIp, Zone } from '../../domain/types.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { networkStore, networkRows, publicIpRows } from '../../store/network.store.js';
import { removeRulesOnIp } from '../../store/iprules.store.js';
import { vpcStore } from '../../store/vpc.store.js';
import { assertAccess, isAdmin, type Caller } from '../../domain/caller.js';
import { accountStore, accountRows, domainRows } from '../../store/account.store.js';
import { networkPermissionStore } from '../../store/networkpermission.store.js';
import { eventLog } from '../operations/events.js';
import { mayUseNetwork } from './networkpermission.service.js';
import { claimPublicIp, consume, freePublicIp } from '../resources.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { ensureRouter } from './router.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { allocateGuestVlan } from './guestvlan.pool.js';
import { allocatePortableIp } from './portableip.service.js';
import { attachRouterIp6 } from './ipv6.service.js';
import { routerStore } from '../../store/router.store.js';
import { implementVpc } from './vpc.service.js';
import { zoneRows } from '../../store/datacenter.store.js';

/** A NIC's addressing; all null on an L2 network, which hands out no addresses. */
export interface NicAddress {
  ipAddress: string | null;
  ipNum: number | null;
  netmask: string | null;
  gateway: string | null;
}

const DEFAULT_ISOLATED = 'DefaultIsolatedNetworkOfferingWithSourceNatService';

/** Network.NetworkFilter, in lower case. */
const NETWORK_FILTERS = ['account', 'domain', 'accountdomain', 'shared', 'all'];

export interface IpAssociateRequest extends OwnerRequest {
  networkId?: string;
  zoneId?: string;
  vpcId?: string;
  ipAddress?: string;
  isPortable?: boolean;
}
/** The job of associateIpAddress: the address exists already; the job answers it. */
export const IP_ASSOCIATE_JOB = 'ip.associate';

export class NetworkService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config?: ConfigService,
  ) {}

  /** The networks a new VM joins: the ones asked for, or the zone's/account's default. */
  async networksForDeploy(
    db: Db,
    caller: Caller,
    owner: Account,
    zone: Zone,
    networkIds: string[] | undefined,
  ): Promise<Network[]> {
    if (networkIds && networkIds.length) {
      const nets: Network[] = [];
      for (const id of networkIds) {
        const n = await networkStore.get(db, id);
        if (!n) throw notFound('Network', id, 'networkids');
        // A network shared with the VM's owner (createNetworkPermissions) is usable whoever owns it.
        if (n.accountId && !(await mayUseNetwork(db, owner, n)))
          assertAccess(caller, { accountId: n.accountId, domainId: n.domainId }, 'Network', id);
        if (n.zoneId !== zone.id) throw invalid(`Network ${id} doesn't belong to zone ${zone.id}`, 'networkids');
        nets.push(n);
      }
      return nets;
    }
    if (zone.networkType === 'Basic') {
      const n = await networkStore.zoneShared(db, zone.id);
      if (!n)
        throw new DomainError('InsufficientCapacity', `Unable to find a guest network in zone ${zone.name}`, {
          capacity: 'network',
        });
      return [n];
    }
    const existing = await networkStore.accountDefault(db, owner.id, zone.id);
    if (existing) return [existing];
    // An account's first deploys, concurrent, create one default network between them: the others wait here and find it.
    await accountRows.lock(db, owner.id);
    const created = await networkStore.accountDefault(db, owner.id, zone.id);
    if (created) return [created];
    return [await this.createDefaultIsolated(db, owner, zone)];
  }

  /** CloudStack creates `<account>-network` from the offering whose availability is Required. */
  private async createDefaultIsolated(db: Db, owner: Account, zone: Zone): Promise<Network> {
    const offering = await networkStore.offeringByName(db, DEFAULT_ISOLATED);
    if (!offering) throw new DomainError('InvalidState', `Network offering ${DEFAULT_ISOLATED} is missing`);
    const cidr = zone.guestCidr ?? '10.1.1.0/24';
    const r = guestRange(cidr);
    const net: Network = {
      id: newId(),
      zoneId: zone.id,
      name: `${owner.name}-network`,
      displayText: `${owner.name}-network`,
      type: 'Isolated',
      state: 'Allocated',
      cidr,
      gateway: r.gateway,
      netmask: r.netmask,
      vlan: null,
      networkOfferingId: offering.id,
      physicalNetworkId: null,
      accountId: owner.id,
      domainId: owner.domainId,
      aclType: 'Account',
      isDefault: 0,
      networkDomain: zone.networkDomain ?? 'cs1cloud.internal',
      created: this.clock.now(),
      removed: null,
    };
    await consume(db, owner.id, { network: 1 });
    await networkRows.insert(db, net);
    await eventLog(db, this.clock, {
      type: 'NETWORK.CREATE',
      description: `Created network ${net.name}`,
      accountId: owner.id,
      domainId: owner.domainId,
      resourceId: net.id,
      resourceType: 'Network',
    });
    return net;
  }

  /** A free guest address in the network, or the one asked for if it is free. */
  async allocateAddress(db: Db, net: Network, requested?: string): Promise<NicAddress> {
    if (net.type === 'L2') return { ipAddress: null, ipNum: null, netmask: null, gateway: null };
    // Addresses of one network are handed out one transaction at a time (a partial unique index backs this).
    await networkRows.lock(db, net.id);
    const used = await networkStore.usedIps(db, net.id);
    const ranges =
      net.type === 'Shared'
        ? (await networkStore.guestRanges(db, net.id)).map((r) => ({
            first: ipToInt(r.startIp),
            last: ipToInt(r.endIp),
            gateway: r.gateway,
            netmask: r.netmask,
          }))
        : net.cidr
          ? [{ ...guestRange(net.cidr) }]
          : [];
    if (requested !== undefined) {
      if (!isIpv4(requested)) throw invalid(`Invalid format for IPv4 address: ${requested}`, 'ipaddress');
      const n = ipToInt(requested);
      const r = ranges.find((x) => n >= x.first && n <= x.last);
      if (!r) throw invalid(`IP address ${requested} is not in the network's range`, 'ipaddress');
      if (used.has(n))
        throw new DomainError('InsufficientCapacity', `The requested IP address ${requested} is already in use`, {
          capacity: 'address',
        });
      return { ipAddress: requested, ipNum: n, netmask: r.netmask, gateway: r.gateway };
    }
    for (const r of ranges) {
      for (let n = r.first; n <= r.last; n++) {
        if (!used.has(n)) return { ipAddress: intToIp(n), ipNum: n, netmask: r.netmask, gateway: r.gateway };
      }
    }
    throw new DomainError('InsufficientCapacity', `Insufficient address capacity in network ${net.name}`, {
      kind: 'Network',
      id: net.id,
      capacity: 'address',
    });
  }

  /**
   * Brings an Allocated isolated or L2 network up: a guest VLAN, and for an isolated network either
   * its own source-NAT address and virtual router or, for a VPC tier, its VPC's. An L2 network has
   * no network services, so no router.
   */
  async implement(db: Db, net: Network): Promise<Network> {
    if (net.state !== 'Allocated' || (net.type !== 'Isolated' && net.type !== 'L2')) return net;
    // Two VMs starting in one new network implement it once: the second waits here, then finds it up.
    await networkRows.lock(db, net.id);
    const now = await networkStore.get(db, net.id);
    if (!now || now.state !== 'Allocated') return now ?? net;
    const zone = await zoneRows.get(db, net.zoneId);
    if (!zone) throw notFound('Zone', net.zoneId);
    let vlan: string | null = net.vlan;
    if (vlan === null) {
      const v = await allocateGuestVlan(db, zone, net, (accountId) => this.useSystemVlans(db, accountId));
      if (v !== null) vlan = String(v);
    }
    if (net.vpcId) {
      const vpc = await vpcStore.get(db, net.vpcId);
      if (!vpc) throw notFound('Vpc', net.vpcId);
      await implementVpc(db, this.clock, vpc);
      const router = await routerStore.forVpc(db, vpc.id);
      if (router) await attachRouterIp6(db, this.clock, router, net);
    } else if (net.type === 'Isolated') {
      const publicIp = (await this.offersService(db, net, 'SourceNat'))
        ? (await this.claimSourceNat(db, net, zone)).address
        : null;
      const router = await ensureRouter(db, this.clock, {
        zoneId: zone.id,
        accountId: net.accountId!,
        domainId: net.domainId,
        networkId: net.id,
        publicIp,
        guestIp: net.gateway,
      });
      await attachRouterIp6(db, this.clock, router, net);
    }
    const patch = { state: 'Implemented', vlan };
    await networkRows.update(db, net.id, patch);
    return { ...net, ...patch };
  }

  /** GuestNetworkGuru.UseSystemGuestVlans: whether an account whose dedicated VLANs are used up may take the system pool's. */
  private async useSystemVlans(db: Db, accountId: string): Promise<boolean> {
    if (!this.config) return true;
    return (await this.config.valueIn(db, 'use.system.guest.vlans', { scope: 'Account', id: accountId })) !== 'false';
  }

  private async claimSourceNat(db: Db, net: Network, zone: Zone): Promise<PublicIp> {
    const ip = await claimPublicIp(db, zone.id, {
      accountId: net.accountId,
      domainId: net.domainId,
      networkId: net.id,
      isSourceNat: 1,
      allocated: this.clock.now(),
    });
    if (!ip)
      throw new DomainError(
        'InsufficientCapacity',
        `Insufficient address capacity: no free public IP in zone ${zone.name}`,
        { kind: 'DataCenter', id: zone.id, capacity: 'address' },
      );
    return ip;
  }

  /** Whether the network's offering provides a service (SourceNat, Firewall, Lb, StaticNat, ...). */
  async offersService(db: Db, net: Network, service: string): Promise<boolean> {
    const o = await networkStore.offering(db, net.networkOfferingId);
    return offersService(o, service);
  }

  /**
   * searchForNetworks: the accounts' own networks, domain-wide ones, and those shared with the
   * accounts (network permissions), as `networkFilter` picks (account, domain, accountdomain,
   * shared; all by default).
   */
  async listNetworks(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; zoneId?: string; type?: string; keyword?: string; vpcId?: string; networkFilter?: string },
  ): Promise<Network[]> {
    const db = this.store.db;
    const filter = (f.networkFilter ?? 'all').toLowerCase();
    if (!NETWORK_FILTERS.includes(filter))
      throw invalid(
        `Invalid networkfilter ${f.networkFilter}; valid values are ${NETWORK_FILTERS.join(', ')}`,
        'networkfilter',
      );
    const accounts = await this.networkScope(db, caller, scope);
    const all = await networkStore.list(db, {
      zoneId: f.zoneId,
      ids: f.id ? [f.id] : undefined,
      vpcId: f.vpcId,
      newestFirst: true,
    });
    const wants = (...kinds: string[]) => filter === 'all' || kinds.includes(filter);
    const shared = wants('shared') ? await networkPermissionStore.sharedWith(db, accounts) : new Set<string>();
    return all.filter(
      (n) =>
        // Shared networks of the caller's domain tree are visible to everyone in it.
        ((n.accountId === null
          ? wants('domain', 'accountdomain')
          : wants('account', 'accountdomain') && (!accounts || accounts.includes(n.accountId))) ||
          shared.has(n.id)) &&
        (!f.type || n.type.toLowerCase() === f.type.toLowerCase()) &&
        (!f.keyword || n.name.includes(f.keyword) || n.displayText.includes(f.keyword)),
    );
  }

  /**
   * searchForNetworks' own ACL: a user naming another account is refused, and with projectid the
   * project's account (plus an admin caller's own) replaces any account named.
   */
  private async networkScope(db: Db, caller: Caller, scope: ListScope): Promise<string[] | undefined> {
    if (scope.projectId && scope.projectId !== '-1' && scope.account) {
      const project = (await scopeAccounts(db, caller, { projectId: scope.projectId }))!;
      return isAdmin(caller) ? [...project, caller.accountId] : project;
    }
    if (!isAdmin(caller) && scope.account) {
      const named = await accountStore.accountByName(db, scope.account, scope.domainId ?? caller.domainId);
      if (!named)
        throw invalid(
          `Unable to find account ${scope.account} in domain ${scope.domainId ?? caller.domainId}`,
          'account',
        );
      if (named.id !== caller.accountId)
        assertAccess(caller, { accountId: named.id, domainId: named.domainId }, 'Account', named.id);
    }
    return scopeAccounts(db, caller, scope);
  }

  async listPublicIps(
    caller: Caller,
    scope: ListScope,
    f: {
      id?: string;
      zoneId?: string;
      ipAddress?: string;
      networkId?: string;
      isSourceNat?: boolean;
      allocatedOnly?: boolean;
    },
  ): Promise<PublicIp[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return networkStore.listPublicIps(this.store.db, {
      accountIds: accounts,
      zoneId: f.zoneId,
      ids: f.id ? [f.id] : undefined,
      address: f.ipAddress,
      networkId: f.networkId,
      isSourceNat: f.isSourceNat,
      allocatedOnly: f.allocatedOnly ?? true,
    });
  }

  /**
   * associateIpAddress (AssociateIPAddrCmd, a BaseAsyncCreateCmd): the address is claimed before the
   * job, in the job's transaction, so the first answer carries its id beside the job's.
   */
  async submitAssociate(caller: Caller, f: IpAssociateRequest, cmd: string): Promise<{ ip: PublicIp; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const ip = await this.associateIn(trx, caller, f);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: IP_ASSOCIATE_JOB,
        params: { id: ip.id },
        instanceType: 'IpAddress',
        instanceId: ip.id,
      });
      return { ip, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /**
   * A public address for an account's isolated network or VPC. As AssociateIPAddrCmd: the owner is
   * `account`/`projectid`, else the network's or VPC's owner, else the caller; without networkid or
   * vpcid, an advanced zone's address goes to the owner's only isolated network there.
   */
  private async associateIn(trx: Db, caller: Caller, f: IpAssociateRequest): Promise<PublicIp> {
    let net: Network | undefined;
    if (f.networkId && !f.vpcId) {
      net = await networkStore.get(trx, f.networkId);
      if (!net) throw notFound('Network', f.networkId, 'networkid');
      assertAccess(caller, { accountId: net.accountId, domainId: net.domainId }, 'Network', net.id);
    }
    const vpc = f.vpcId ? await vpcStore.get(trx, f.vpcId) : undefined;
    if (f.vpcId && !vpc) throw notFound('Vpc', f.vpcId, 'vpcid');
    if (vpc) assertAccess(caller, vpc, 'Vpc', vpc.id);
    const zoneId = f.zoneId ?? vpc?.zoneId ?? net?.zoneId;
    if (!zoneId)
      throw invalid(
        'Unable to figure out zone to assign IP to. Please specify either zoneId, or networkId, or vpcId in the call',
        'zoneid',
      );
    const zone = await zoneRows.get(trx, zoneId);
    if (!zone) throw notFound('Zone', zoneId, 'zoneid');
    if (zone.networkType === 'Basic') throw invalid(`Can't associate ip in a basic zone ${zone.name}`, 'zoneid');
    const owner = await this.ipOwner(trx, caller, f, net, vpc);
    if (!net && !vpc) net = await this.onlyIsolated(trx, owner, zone);
    if (net && net.type !== 'Isolated')
      throw invalid('Only isolated networks can have public IP addresses associated', 'networkid');
    if (net && net.state === 'Allocated') net = await this.implement(trx, net);
    if (f.isPortable) {
      // allocatePortableIP takes no address of the caller's choosing.
      const ip = await allocatePortableIp(trx, this.clock, owner, zone, net, vpc?.id ?? null);
      await eventLog(trx, this.clock, {
        type: 'PORTABLE.IP.ASSIGN',
        description: `Assigned portable IP ${ip.address}`,
        accountId: owner.accountId,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: ip.id,
        resourceType: 'PublicIpAddress',
      });
      return ip;
    }
    const ip = await claimPublicIp(
      trx,
      zoneId,
      {
        accountId: owner.accountId,
        domainId: owner.domainId,
        networkId: net?.id ?? null,
        vpcId: net?.vpcId ?? vpc?.id ?? null,
        isSourceNat: 0,
        allocated: this.clock.now(),
      },
      f.ipAddress,
    );
    const none = f.ipAddress ? `the requested IP ${f.ipAddress} is not free` : 'no free public IP';
    if (!ip)
      throw new DomainError('InsufficientCapacity', `Insufficient address capacity: ${none} in zone ${zone.name}`, {
        kind: 'DataCenter',
        id: zone.id,
        capacity: 'address',
      });
    await eventLog(trx, this.clock, {
      type: 'NET.IPASSIGN',
      description: `Assigned public IP ${ip.address}`,
      accountId: owner.accountId,
      domainId: owner.domainId,
      userId: caller.userId,
      resourceId: ip.id,
      resourceType: 'PublicIpAddress',
    });
    return ip;
  }

  /** AssociateIPAddrCmd.getEntityOwnerId. */
  private async ipOwner(
    trx: Db,
    caller: Caller,
    f: IpAssociateRequest,
    net: Network | undefined,
    vpc: { accountId: string; domainId: string } | undefined,
  ): Promise<{ accountId: string; domainId: string }> {
    if ((f.account && f.domainId) || f.projectId) {
      const a = await resolveOwner(trx, caller, f);
      return { accountId: a.id, domainId: a.domainId };
    }
    if (net?.accountId) return { accountId: net.accountId, domainId: net.domainId };
    if (vpc) return vpc;
    return { accountId: caller.accountId, domainId: caller.domainId };
  }

  /** AssociateIPAddrCmd.getNetworkId in an advanced zone: the owner's one isolated network there. */
  private async onlyIsolated(trx: Db, owner: { accountId: string; domainId: string }, zone: Zone): Promise<Network> {
    const nets = await networkStore.isolatedOfAccount(trx, owner.accountId, zone.id);
    if (nets.length === 0) {
      const acct = await accountRows.get(trx, owner.accountId);
      const dom = await domainRows.get(trx, owner.domainId);
      throw invalid(
        `Account name=${acct?.name ?? owner.accountId} domain=${dom?.name ?? owner.domainId} doesn't have virtual networks in zone=${zone.name}`,
        'zoneid',
      );
    }
    if (nets.length > 1) throw invalid('Account has more than one isolated network in the zone', 'zoneid');
    return nets[0]!;
  }

  async ownedPublicIp(caller: Caller, id: string): Promise<PublicIp> {
    const ip = await networkStore.getPublicIp(this.store.db, id);
    if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', id);
    assertAccess(caller, { accountId: ip.accountId, domainId: ip.domainId }, 'PublicIpAddress', id);
    return ip;
  }

  async disassociate(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const ip = await networkStore.getPublicIp(trx, id);
      if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', id);
      assertAccess(caller, { accountId: ip.accountId, domainId: ip.domainId }, 'PublicIpAddress', id);
      if (ip.isSourceNat)
        throw invalidState(`IP address id=${id} is a source NAT address and can't be released`, 'PublicIpAddress', id);
      await removeRulesOnIp(trx, id);
      await freePublicIp(trx, ip);
      await eventLog(trx, this.clock, {
        type: 'NET.IPRELEASE',
        description: `Released public IP ${ip.address}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: ip.id,
        resourceType: 'PublicIpAddress',
      });
    });
  }
}

/**
 * The network a rule on a public address applies to. A VPC address belongs to no tier until its
 * first rule names one with `networkid`; from then on it is that tier's.
 */
export async function ruleNetwork(
  db: Db,
  ip: PublicIp,
  requested: string | undefined,
  unassigned: string,
): Promise<Network> {
  if (ip.networkId && requested && requested !== ip.networkId)
    throw invalid(
      `Invalid network Id=${requested}. IP is associated with a different network than passed network id`,
      'networkid',
    );
  const networkId = ip.networkId ?? requested;
  if (!networkId) throw invalid(unassigned, 'ipaddressid');
  const net = await networkStore.get(db, networkId);
  if (!net) throw notFound('Network', networkId, 'networkid');
  if (!ip.networkId) {
    if (!ip.vpcId || net.vpcId !== ip.vpcId)
      throw invalid(`Ip address ${ip.address} is not assigned to the network ${net.name}`, 'networkid');
    await publicIpRows.update(db, ip.id, { networkId: net.id });
  }
  return net;
}
