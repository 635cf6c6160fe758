import { rowsOf, updateRow } from './repo.js';
import type { Db } from './db.js';
import { inChunks, inList } from './idlist.js';
import {
  hasIpv4,
  type Ipv4Range,
  type Network,
  type NetworkOffering,
  type PublicIp,
  type VlanRange,
} from '../domain/types.js';

export const networkStore = {
  get(db: Db, id: string): Promise<Network | undefined> {
    return db.selectFrom('networks').selectAll().where('id', '=', id).where('removed', 'is', null).executeTakeFirst();
  },
  /** Oldest first, or with `newestFirst` as listNetworks answers (CloudStack orders by its numeric id, descending). */
  list(db: Db, f: { zoneId?: string; ids?: string[]; vpcId?: string; newestFirst?: boolean }): Promise<Network[]> {
    let q = db.selectFrom('networks').selectAll().where('removed', 'is', null);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.vpcId) q = q.where('vpcId', '=', f.vpcId);
    return q.orderBy('created', f.newestFirst ? 'desc' : 'asc').execute();
  },
  async update(db: Db, id: string, patch: Partial<Network>): Promise<void> {
    await updateRow(db, 'networks', id, patch);
  },
  /** A deleted network keeps its row (its id still resolves), in state Destroy, without its tags. */
  async remove(db: Db, id: string, at: number): Promise<void> {
    await db.deleteFrom('tags').where('resourceId', '=', id).execute();
    await db.updateTable('networks').set({ state: 'Destroy', removed: at }).where('id', '=', id).execute();
  },
  /** A VPC address leaves a tier but stays with the VPC. */
  async detachIp(db: Db, id: string): Promise<void> {
    await db.updateTable('publicIps').set({ networkId: null, vmId: null }).where('id', '=', id).execute();
  },
  /** NICs of VMs (running, stopped or destroyed but not expunged) still on the network. */
  async activeNics(db: Db, networkId: string): Promise<{ vmId: string; state: string }[]> {
    return db
      .selectFrom('nics')
      .innerJoin('vms', 'vms.id', 'nics.vmId')
      .select(['nics.vmId as vmId', 'vms.state as state'])
      .where('nics.networkId', '=', networkId)
      .where('nics.removed', 'is', null)
      .execute();
  },
  /** Another live network of the zone on this VLAN. */
  /** A live network of the zone on this plain VLAN (broadcast URI vlan://<tag>; a private VLAN network's is pvlan://), of one type if given. */
  vlanOwner(db: Db, zoneId: string, vlan: string, type?: string): Promise<{ id: string } | undefined> {
    let q = db
      .selectFrom('networks')
      .select('id')
      .where('zoneId', '=', zoneId)
      .where('vlan', '=', vlan)
      .where('removed', 'is', null)
      .where('isolatedPvlan', 'is', null);
    if (type) q = q.where('type', '=', type);
    return q.executeTakeFirst();
  },
  /**
   * NetworkDao.listByPhysicalNetworkPvlan, for the zone: a private VLAN network on the same primary
   * VLAN with the same secondary one, or with the same promiscuous or isolated type (one of each per primary).
   */
  pvlanOwner(
    db: Db,
    zoneId: string,
    physicalNetworkId: string | null,
    vlan: string,
    p: { secondary: string; type: string },
  ): Promise<{ id: string } | undefined> {
    let q = db
      .selectFrom('networks')
      .select('id')
      .where('zoneId', '=', zoneId)
      .where('vlan', '=', vlan)
      .where('removed', 'is', null)
      .where('isolatedPvlan', 'is not', null);
    if (physicalNetworkId)
      q = q.where((eb) =>
        eb.or([eb('physicalNetworkId', '=', physicalNetworkId), eb('physicalNetworkId', 'is', null)]),
      );
    q = q.where((eb) =>
      eb.or([
        eb('isolatedPvlan', '=', p.secondary),
        ...(p.type === 'community' ? [] : [eb('isolatedPvlanType', '=', p.type)]),
      ]),
    );
    return q.executeTakeFirst();
  },
  ipsOfNetwork(db: Db, networkId: string): Promise<PublicIp[]> {
    return db
      .selectFrom('publicIps')
      .selectAll()
      .where('networkId', '=', networkId)
      .where('state', '!=', 'Free')
      .execute();
  },
  ipsOfVpc(db: Db, vpcId: string): Promise<PublicIp[]> {
    return db.selectFrom('publicIps').selectAll().where('vpcId', '=', vpcId).where('state', '!=', 'Free').execute();
  },
  async insertRange(db: Db, r: VlanRange): Promise<void> {
    await db.insertInto('vlanRanges').values(r).execute();
  },
  async removeRanges(db: Db, networkId: string): Promise<void> {
    await db.deleteFrom('vlanRanges').where('networkId', '=', networkId).execute();
  },
  /** A domain's own networks (aclType Domain), not removed. */
  domainWide(db: Db, domainId: string): Promise<{ id: string }[]> {
    return db
      .selectFrom('networks')
      .select('id')
      .where('domainId', '=', domainId)
      .where('aclType', '=', 'Domain')
      .where('removed', 'is', null)
      .execute();
  },
  /** An account's networks, not removed. */
  idsOfAccount(db: Db, accountId: string): Promise<{ id: string }[]> {
    return db
      .selectFrom('networks')
      .select('id')
      .where('accountId', '=', accountId)
      .where('removed', 'is', null)
      .execute();
  },
  /** The offering with availability Required, not removed, other than `exceptId` (there is at most one). */
  requiredOffering(db: Db, exceptId?: string): Promise<{ id: string } | undefined> {
    let q = db.selectFrom('networkOfferings').select('id').where('availability', '=', 'Required');
    if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
    return q.where('removed', 'is', null).executeTakeFirst();
  },
  /** How many networks, not removed, use the offering. */
  async countOfOffering(db: Db, networkOfferingId: string): Promise<number> {
    const used = await db
      .selectFrom('networks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('networkOfferingId', '=', networkOfferingId)
      .where('removed', 'is', null)
      .executeTakeFirst();
    return Number(used?.n ?? 0);
  },
  accountDefault(db: Db, accountId: string, zoneId: string): Promise<Network | undefined> {
    return isolatedOf(db, accountId, zoneId).where('vpcId', 'is', null).orderBy('created').executeTakeFirst();
  },
  /** NetworkDao.listByZoneAndGuestType(account, zone, Isolated): VPC tiers included. */
  isolatedOfAccount(db: Db, accountId: string, zoneId: string): Promise<Network[]> {
    return isolatedOf(db, accountId, zoneId).execute();
  },
  zoneShared(db: Db, zoneId: string): Promise<Network | undefined> {
    return db
      .selectFrom('networks')
      .selectAll()
      .where('zoneId', '=', zoneId)
      .where('type', '=', 'Shared')
      .where('removed', 'is', null)
      .orderBy('created')
      .executeTakeFirst();
  },
  offeringByName(db: Db, name: string): Promise<NetworkOffering | undefined> {
    return db.selectFrom('networkOfferings').selectAll().where('name', '=', name).executeTakeFirst();
  },
  offering(db: Db, id: string): Promise<NetworkOffering | undefined> {
    return db.selectFrom('networkOfferings').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** A shared network's address ranges (IPv4: a guest network gets no IPv6-only range here). */
  async guestRanges(db: Db, networkId: string): Promise<Ipv4Range[]> {
    return (await db.selectFrom('vlanRanges').selectAll().where('networkId', '=', networkId).execute()).filter(hasIpv4);
  },
  async usedIps(db: Db, networkId: string): Promise<Set<number>> {
    const rows = await db
      .selectFrom('nics')
      .select('ipNum')
      .where('networkId', '=', networkId)
      .where('removed', 'is', null)
      .execute();
    const extra = await db.selectFrom('nicSecondaryIps').select('ipNum').where('networkId', '=', networkId).execute();
    return new Set([...rows, ...extra].map((r) => Number(r.ipNum)));
  },
  async usedVlans(db: Db, zoneId: string): Promise<Set<number>> {
    const rows = await db.selectFrom('guestVlans').select('vlan').where('zoneId', '=', zoneId).execute();
    return new Set(rows.map((r) => Number(r.vlan)));
  },
  async takeVlan(db: Db, zoneId: string, vlan: number, networkId: string): Promise<void> {
    await db.insertInto('guestVlans').values({ zoneId, vlan, networkId }).execute();
  },
  async releaseVlans(db: Db, networkId: string): Promise<void> {
    await db.deleteFrom('guestVlans').where('networkId', '=', networkId).execute();
  },
  /** Claims the lowest free public address of a zone (or the one asked for); the WHERE on state makes a double grant impossible. */
  async claimPublicIp(
    db: Db,
    zoneId: string,
    patch: Partial<PublicIp>,
    address?: string,
  ): Promise<PublicIp | undefined> {
    let q = db
      .selectFrom('publicIps')
      .innerJoin('vlanRanges', 'vlanRanges.id', 'publicIps.vlanRangeId')
      .select('publicIps.id')
      .where('publicIps.zoneId', '=', zoneId)
      .where('publicIps.state', '=', 'Free')
      .where('vlanRanges.forVirtualNetwork', '=', 1)
      // A range dedicated to an account serves that account only.
      .where((eb) =>
        eb.or([
          eb('vlanRanges.ownerAccountId', 'is', null),
          eb('vlanRanges.ownerAccountId', '=', patch.accountId ?? ''),
        ]),
      );
    if (address) q = q.where('publicIps.address', '=', address);
    const free = await q
      .orderBy('publicIps.addressNum')
      .limit(1)
      // Another node's claim in flight holds its row: take the next free one instead of waiting for it.
      .forUpdate(['publicIps'])
      .skipLocked()
      .executeTakeFirst();
    if (!free) return undefined;
    return (await db
      .updateTable('publicIps')
      .set({ vpcId: null, ...patch, state: 'Allocated' })
      .where('id', '=', free.id)
      .where('state', '=', 'Free')
      .returningAll()
      .executeTakeFirst()) as PublicIp | undefined;
  },
  async insertPublicIps(db: Db, rows: PublicIp[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200)
      await db
        .insertInto('publicIps')
        .values(rows.slice(i, i + 200))
        .execute();
  },
  /** A public address of the zone numbered from `from` to `to` (inclusive), if any. */
  publicIpBetween(db: Db, zoneId: string, from: number, to: number): Promise<Pick<PublicIp, 'address'> | undefined> {
    return db
      .selectFrom('publicIps')
      .select('address')
      .where('zoneId', '=', zoneId)
      .where('addressNum', '>=', from)
      .where('addressNum', '<=', to)
      .executeTakeFirst();
  },
  getPublicIp(db: Db, id: string): Promise<PublicIp | undefined> {
    return db.selectFrom('publicIps').selectAll().where('id', '=', id).executeTakeFirst();
  },
  listPublicIps(
    db: Db,
    f: {
      accountIds?: string[];
      zoneId?: string;
      ids?: string[];
      address?: string;
      networkId?: string;
      isSourceNat?: boolean;
      allocatedOnly: boolean;
    },
  ): Promise<PublicIp[]> {
    let q = db.selectFrom('publicIps').selectAll();
    if (f.allocatedOnly) q = q.where('state', '!=', 'Free');
    const accounts = f.accountIds?.length ? f.accountIds : [''];
    // allocatedonly=false shows the free addresses too (they belong to no account), as the UI's IP picker asks.
    if (f.accountIds)
      q = f.allocatedOnly
        ? q.where('accountId', 'in', accounts)
        : q.where((eb) => eb.or([eb('accountId', 'in', accounts), eb('state', '=', 'Free')]));
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.ids) q = q.where(inList(db, 'id', f.ids));
    if (f.address) q = q.where('address', '=', f.address);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    if (f.isSourceNat !== undefined) q = q.where('isSourceNat', '=', f.isSourceNat ? 1 : 0);
    return q.orderBy('addressNum').execute();
  },
  natOfVms(db: Db, vmIds: string[]): Promise<PublicIp[]> {
    if (vmIds.length === 0) return Promise.resolve([]);
    return inChunks(vmIds, (ids) => db.selectFrom('publicIps').selectAll().where('vmId', 'in', ids).execute());
  },
  async freePublicIp(db: Db, id: string): Promise<void> {
    await db
      .updateTable('publicIps')
      .set({
        state: 'Free',
        accountId: null,
        domainId: null,
        networkId: null,
        isSourceNat: 0,
        vmId: null,
        allocated: null,
        vpcId: null,
      })
      .where('id', '=', id)
      .execute();
  },
};

/** An account's live isolated networks in a zone. */
function isolatedOf(db: Db, accountId: string, zoneId: string) {
  return db
    .selectFrom('networks')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('zoneId', '=', zoneId)
    .where('type', '=', 'Isolated')
    .where('removed', 'is', null);
}

export const networkOfferingRows = rowsOf('networkOfferings');
export const networkRows = rowsOf('networks');
export const publicIpRows = rowsOf('publicIps');
export const vlanRangeRows = rowsOf('vlanRanges');
