import type { GuestVlanDedication } from '../domain/networking.js';
import type { Db } from './db.js';

export interface DedicationFilter {
  id?: string;
  accountId?: string;
  physicalNetworkId?: string;
  zoneId?: string;
  start?: number;
  end?: number;
}

/**
 * Guest VLANs: the ones networks took from a physical network's vnet range (guestVlans, CloudStack's
 * op_dc_vnet_alloc rows with `taken` set) and the ranges dedicated to accounts (account_vnet_map).
 */
export const guestVlanStore = {
  dedications(db: Db, f: DedicationFilter): Promise<GuestVlanDedication[]> {
    let q = db.selectFrom('guestVlanDedications').selectAll('guestVlanDedications');
    if (f.id) q = q.where('guestVlanDedications.id', '=', f.id);
    if (f.accountId) q = q.where('guestVlanDedications.accountId', '=', f.accountId);
    if (f.physicalNetworkId) q = q.where('guestVlanDedications.physicalNetworkId', '=', f.physicalNetworkId);
    if (f.start !== undefined) q = q.where('startVlan', '=', f.start);
    if (f.end !== undefined) q = q.where('endVlan', '=', f.end);
    if (f.zoneId) {
      q = q
        .innerJoin('physicalNetworks', 'physicalNetworks.id', 'guestVlanDedications.physicalNetworkId')
        .where('physicalNetworks.zoneId', '=', f.zoneId);
    }
    return q.orderBy('guestVlanDedications.created').orderBy('guestVlanDedications.id').execute();
  },
  dedication(db: Db, id: string): Promise<GuestVlanDedication | undefined> {
    return db.selectFrom('guestVlanDedications').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async insertDedication(db: Db, d: GuestVlanDedication): Promise<void> {
    await db.insertInto('guestVlanDedications').values(d).execute();
  },
  async resizeDedication(db: Db, id: string, startVlan: number, endVlan: number): Promise<void> {
    await db.updateTable('guestVlanDedications').set({ startVlan, endVlan }).where('id', '=', id).execute();
  },
  async removeDedication(db: Db, id: string): Promise<void> {
    await db.deleteFrom('guestVlanDedications').where('id', '=', id).execute();
  },
  async removeDedicationsOf(db: Db, physicalNetworkId: string): Promise<void> {
    await db.deleteFrom('guestVlanDedications').where('physicalNetworkId', '=', physicalNetworkId).execute();
  },
  /** The VLANs taken in a zone, each with the account whose network holds it (null for a domain's network). */
  async taken(db: Db, zoneId: string): Promise<{ vlan: number; accountId: string | null }[]> {
    const rows = await db
      .selectFrom('guestVlans')
      .leftJoin('networks', 'networks.id', 'guestVlans.networkId')
      .select(['guestVlans.vlan as vlan', 'networks.accountId as accountId'])
      .where('guestVlans.zoneId', '=', zoneId)
      .execute();
    return rows.map((r) => ({ vlan: Number(r.vlan), accountId: r.accountId ?? null }));
  },
  /** The numeric VLANs live networks of a zone were created with (specifyVlan), which dynamic allocation leaves alone. */
  async specifiedVlans(db: Db, zoneId: string): Promise<Set<number>> {
    const rows = await db
      .selectFrom('networks')
      .select('vlan')
      .where('zoneId', '=', zoneId)
      .where('removed', 'is', null)
      .where('vlan', 'is not', null)
      .execute();
    return new Set(
      rows
        .map((r) => r.vlan!)
        .filter((v) => /^\d+$/.test(v))
        .map(Number),
    );
  },
};
