import type { Db } from './db.js';
import type { PublicIp, VlanRange } from '../domain/types.js';

export interface RangeFilter {
  id?: string;
  zoneId?: string;
  podId?: string;
  networkId?: string;
  physicalNetworkId?: string;
  forVirtualNetwork?: boolean;
  vlan?: string;
  keyword?: string;
}

/** VLAN IP ranges: public ranges with their address rows, and guest ranges of shared networks and pods. */
export const vlanRangeStore = {
  /** The physical network's ranges and their public addresses (addresses first: they point at the ranges). */
  async removeOfPhysicalNetwork(db: Db, physicalNetworkId: string): Promise<void> {
    await db
      .deleteFrom('publicIps')
      .where(
        'vlanRangeId',
        'in',
        db.selectFrom('vlanRanges').select('id').where('physicalNetworkId', '=', physicalNetworkId),
      )
      .execute();
    await db.deleteFrom('vlanRanges').where('physicalNetworkId', '=', physicalNetworkId).execute();
  },
  get(db: Db, id: string): Promise<VlanRange | undefined> {
    return db.selectFrom('vlanRanges').selectAll().where('id', '=', id).executeTakeFirst();
  },
  list(db: Db, f: RangeFilter): Promise<VlanRange[]> {
    let q = db.selectFrom('vlanRanges').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.podId) q = q.where('podId', '=', f.podId);
    if (f.networkId) q = q.where('networkId', '=', f.networkId);
    if (f.physicalNetworkId) q = q.where('physicalNetworkId', '=', f.physicalNetworkId);
    if (f.forVirtualNetwork !== undefined) q = q.where('forVirtualNetwork', '=', f.forVirtualNetwork ? 1 : 0);
    if (f.vlan) q = q.where((eb) => eb.or([eb('vlan', '=', f.vlan!), eb('vlan', '=', `vlan://${f.vlan}`)]));
    if (f.keyword) q = q.where('vlan', 'like', `%${f.keyword}%`);
    return q.orderBy('created').orderBy('id').execute();
  },
  async insert(db: Db, r: VlanRange, ips: PublicIp[]): Promise<void> {
    await db.insertInto('vlanRanges').values(r).execute();
    for (let i = 0; i < ips.length; i += 200)
      await db
        .insertInto('publicIps')
        .values(ips.slice(i, i + 200))
        .execute();
  },
  async remove(db: Db, id: string): Promise<void> {
    await db.deleteFrom('publicIps').where('vlanRangeId', '=', id).execute();
    await db.deleteFrom('vlanRanges').where('id', '=', id).execute();
  },
  /** Addresses of the range that someone holds. */
  ipsOf(db: Db, id: string): Promise<PublicIp[]> {
    return db.selectFrom('publicIps').selectAll().where('vlanRangeId', '=', id).orderBy('addressNum').execute();
  },
  allocatedIps(db: Db, id: string): Promise<PublicIp[]> {
    return db.selectFrom('publicIps').selectAll().where('vlanRangeId', '=', id).where('state', '!=', 'Free').execute();
  },
  /** NICs holding addresses of a guest range's network inside [first, last]. */
  async nicsInRange(db: Db, networkId: string, first: number, last: number): Promise<number> {
    const { n } = await db
      .selectFrom('nics')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('networkId', '=', networkId)
      .where('removed', 'is', null)
      .where('ipNum', '>=', first)
      .where('ipNum', '<=', last)
      .executeTakeFirstOrThrow();
    return Number(n);
  },
};
