import { sql } from 'kysely';
import type { PortableIp, PortableIpRange } from '../domain/networking.js';
import type { PublicIp, VlanRange } from '../domain/types.js';
import type { Db } from './db.js';

/**
 * A region's portable public addresses, and each allocated one's stand-in in a zone: a one-address
 * public range with its address row (is_portable), as IpAddressManagerImpl.allocatePortableIp
 * emulates a portable address as one provisioned in the zone.
 */
export const portableIpStore = {
  ranges(db: Db, f: { id?: string; regionId?: string }): Promise<PortableIpRange[]> {
    let q = db.selectFrom('portableIpRanges').selectAll();
    if (f.id) q = q.where('id', '=', f.id);
    if (f.regionId) q = q.where('regionId', '=', f.regionId);
    return q.orderBy('created').orderBy('id').execute();
  },
  async insertRange(db: Db, r: PortableIpRange, ips: PortableIp[]): Promise<void> {
    await db.insertInto('portableIpRanges').values(r).execute();
    for (let i = 0; i < ips.length; i += 200)
      await db
        .insertInto('portableIps')
        .values(ips.slice(i, i + 200))
        .execute();
  },
  async removeRange(db: Db, id: string): Promise<void> {
    await db.deleteFrom('portableIps').where('rangeId', '=', id).execute();
    await db.deleteFrom('portableIpRanges').where('id', '=', id).execute();
  },
  ipsOf(db: Db, rangeId: string): Promise<PortableIp[]> {
    return db.selectFrom('portableIps').selectAll().where('rangeId', '=', rangeId).orderBy('addressNum').execute();
  },
  /** Claims the first free address of a region; the WHERE on state makes a double grant impossible. */
  async claim(
    db: Db,
    regionId: string,
    patch: Pick<PortableIp, 'allocatedAccountId' | 'allocatedDomainId' | 'allocated'>,
  ): Promise<PortableIp | undefined> {
    const free = await db
      .selectFrom('portableIps')
      .selectAll()
      .where('regionId', '=', regionId)
      .where('state', '=', 'Free')
      .orderBy('addressNum')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!free) return undefined;
    const r = await db
      .updateTable('portableIps')
      .set({ ...patch, state: 'Allocated' })
      .where('id', '=', free.id)
      .where('state', '=', 'Free')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? { ...free, ...patch, state: 'Allocated' } : undefined;
  },
  /** The zone twin: its range and address row, written together. */
  async insertTwin(db: Db, range: VlanRange, ip: PublicIp): Promise<void> {
    await db.insertInto('vlanRanges').values(range).execute();
    await db.insertInto('publicIps').values(ip).execute();
  },
  /** The twin moves with its address to another zone (IpAddressManagerImpl.transferPortableIP). */
  async moveTwin(db: Db, ip: PublicIp, zoneId: string, physicalNetworkId: string | null): Promise<void> {
    await db.updateTable('publicIps').set({ zoneId }).where('id', '=', ip.id).execute();
    await db.updateTable('vlanRanges').set({ zoneId, physicalNetworkId }).where('id', '=', ip.vlanRangeId).execute();
  },
  /**
   * releasePortableIpAddress: the region's address is free again and its twin goes; CloudStack only
   * marks the twin's rows removed, so their ids keep resolving.
   */
  async release(db: Db, ip: Pick<PublicIp, 'id' | 'address' | 'vlanRangeId'>): Promise<void> {
    await db
      .updateTable('portableIps')
      .set({ state: 'Free', allocatedAccountId: null, allocatedDomainId: null, allocated: null })
      .where('address', '=', ip.address)
      .where('state', '=', 'Allocated')
      .execute();
    for (const [id, kind] of [
      [ip.id, 'IpAddress'],
      [ip.vlanRangeId, 'VlanIpRange'],
    ] as const) {
      await sql`INSERT INTO tombstones (id, kind) VALUES (${id}, ${kind}) ON CONFLICT DO NOTHING`.execute(db);
    }
    await db.deleteFrom('publicIps').where('id', '=', ip.id).execute();
    await db.deleteFrom('vlanRanges').where('id', '=', ip.vlanRangeId).execute();
  },
  /** An account's portable addresses, as its removal releases them. */
  twinsOf(db: Db, accountId: string): Promise<PublicIp[]> {
    return db
      .selectFrom('publicIps')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('isPortable', '=', 1)
      .execute();
  },
};
