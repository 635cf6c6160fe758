import { DomainError, invalid } from '../../domain/errors.js';
import type { GuestVlanDedication } from '../../domain/networking.js';
import type { Network, PhysicalNetwork, Zone } from '../../domain/types.js';
import { inVnets, storedVnets, type VnetRange } from '../../domain/vnet.js';
import type { Db } from '../../store/db.js';
import { guestVlanStore } from '../../store/guestvlan.store.js';
import { networkStore } from '../../store/network.store.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import { zoneRows } from '../../store/datacenter.store.js';

/**
 * The physical network whose vnet range a guest network of the zone draws its VLAN from: the one it
 * names, else (NetworkModel.findPhysicalNetworkId) the zone's one carrying guest traffic, or of
 * several the first whose tags hold the offering's tag.
 */
export async function guestPhysicalNetwork(
  db: Db,
  zoneId: string,
  physicalNetworkId?: string | null,
  tag?: string | null,
): Promise<PhysicalNetwork | undefined> {
  if (physicalNetworkId) return pnets.get(db, physicalNetworkId);
  const guest = await pnets.withTraffic(db, zoneId, 'Guest');
  // CloudStack refuses a zone of several untagged guest networks here; polystack takes the first (GAPS.md).
  return (guest.length > 1 && tag ? guest.find((p) => (p.tags ?? '').split(',').includes(tag)) : undefined) ?? guest[0];
}

/** A physical network's vnets: the ones op_dc_vnet_alloc holds for it. */
export const vnetsOf = (p: PhysicalNetwork | undefined): VnetRange[] => storedVnets(p?.vlan);

const rangeOf = (d: GuestVlanDedication): VnetRange => ({ start: d.startVlan, end: d.endVlan });

/**
 * DataCenterDaoImpl.allocateVnet as GuestNetworkGuru calls it when a network is implemented: an
 * account with dedicated ranges takes from them first, and from the system pool only once they are
 * used up and `use.system.guest.vlans` lets it; every other account takes from the system pool, never
 * from a range dedicated to someone. Null when the physical network has no vnets at all.
 */
export async function allocateGuestVlan(
  db: Db,
  zone: Zone,
  net: Network,
  useSystemVlans: (accountId: string) => Promise<boolean>,
): Promise<number | null> {
  const pnet = await guestPhysicalNetwork(db, zone.id, net.physicalNetworkId);
  const vnets = vnetsOf(pnet);
  if (!pnet || !vnets.length) return null;
  // The zone's VLANs are handed out one transaction at a time (the unique index backs this).
  await zoneRows.lock(db, zone.id);
  const used = new Set([
    ...(await networkStore.usedVlans(db, zone.id)),
    ...(await guestVlanStore.specifiedVlans(db, zone.id)),
  ]);
  const dedications = await guestVlanStore.dedications(db, { physicalNetworkId: pnet.id });
  const own = net.accountId ? dedications.filter((d) => d.accountId === net.accountId).map(rangeOf) : [];
  const firstFree = (ranges: VnetRange[], skip: VnetRange[]): number | undefined => {
    for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
      for (let v = r.start; v <= r.end; v++) if (!used.has(v) && !inVnets(skip, v)) return v;
    }
    return undefined;
  };
  let v = own.length ? firstFree(own, []) : undefined;
  if (v === undefined && (!own.length || (await useSystemVlans(net.accountId!))))
    v = firstFree(vnets, dedications.map(rangeOf));
  if (v === undefined)
    throw new DomainError('InsufficientCapacity', `Unable to allocate a guest VLAN in zone ${zone.name}`, {
      capacity: 'network',
    });
  await networkStore.takeVlan(db, zone.id, v, net.id);
  return v;
}

/**
 * NetworkOrchestrator.createGuestNetwork on a VLAN (and isolated PVLAN) given with the network: one
 * inside the physical network's vnet range is CloudStack's to hand out, so only a shared network that
 * bypasses the overlap check may take it. (Its checks of dedicated ranges that follow only see VLANs
 * of that range, which this already refused.)
 */
export function checkSpecifiedVlan(
  zone: Zone,
  pnet: PhysicalNetwork | undefined,
  tags: (string | undefined)[],
  bypassShared: boolean,
): void {
  const vnets = vnetsOf(pnet);
  for (const tag of tags) {
    if (tag === undefined || bypassShared || !/^\d+$/.test(tag) || !inVnets(vnets, Number(tag))) continue;
    throw invalid(
      `The VLAN tag ${tag} is already being used for dynamic vlan allocation for the guest network in zone ${zone.name}`,
      'vlan',
    );
  }
}
