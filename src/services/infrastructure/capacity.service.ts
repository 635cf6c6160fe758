import { CAPACITY as C, imageStoreStats } from '../../domain/infra.js';
import { ipToInt } from '../../domain/net.js';
import { capacityStore, type Level, type Sum } from '../../store/capacity.store.js';
import { catalogStore } from '../../store/catalog.store.js';
import { datacenterStore as dc } from '../../store/datacenter.store.js';
import type { Store } from '../../store/db.js';
import { storageStore } from '../../store/storage.store.js';
import { vlanRangeStore } from '../../store/vlanrange.store.js';

/** One capacity of one zone, pod or cluster, as listCapacity reports it. */
export interface Capacity {
  type: number;
  zoneId: string;
  podId?: string;
  clusterId?: string;
  total: number;
  used: number;
}

/**
 * listCapacity (ManagementServerImpl.listCapacities): host and storage capacities summed per zone,
 * or per pod/cluster when one is asked for; addresses, VLANs and secondary storage per zone.
 */
export class CapacityService {
  constructor(private store: Store) {}

  async list(f: {
    zoneId?: string;
    podId?: string;
    clusterId?: string;
    type?: number;
    sortBy?: string;
  }): Promise<Capacity[]> {
    const db = this.store.db;
    const level: Level = f.clusterId ? 'cluster' : f.podId ? 'pod' : 'zone';
    const scope = { level, zoneId: f.zoneId, podId: f.podId, clusterId: f.clusterId };
    const out: Capacity[] = [];
    const at = (s: Sum) => ({
      zoneId: s.zoneId,
      ...(s.podId ? { podId: s.podId } : {}),
      ...(s.clusterId ? { clusterId: s.clusterId } : {}),
    });
    for (const s of await capacityStore.hosts(db, scope)) {
      out.push({ type: C.MEMORY, ...at(s), total: Number(s.a), used: Number(s.b) });
      out.push({ type: C.CPU, ...at(s), total: Number(s.c), used: Number(s.d) });
      out.push({ type: C.CPU_CORE, ...at(s), total: Number(s.e), used: Number(s.f) });
    }
    for (const s of await capacityStore.pools(db, scope)) {
      out.push({ type: C.STORAGE, ...at(s), total: Number(s.a), used: Number(s.b) });
      out.push({ type: C.STORAGE_ALLOCATED, ...at(s), total: Number(s.a), used: Number(s.b) });
    }
    if (level !== 'cluster') out.push(...(await this.podAddresses(f.zoneId, f.podId, level)));
    if (level === 'zone') out.push(...(await this.zoneWide(f.zoneId)));
    const zones = new Map((await catalogStore.zones(db)).map((z) => [z.id, z.name]));
    const rows = out.filter((c) => f.type === undefined || c.type === f.type);
    if (f.sortBy === 'usage') return rows.sort((a, b) => pct(b) - pct(a));
    return rows.sort((a, b) => (zones.get(a.zoneId) ?? '').localeCompare(zones.get(b.zoneId) ?? '') || a.type - b.type);
  }

  /** Private (pod management range) and direct-attached (shared guest range) addresses, per pod or summed per zone. */
  private async podAddresses(zoneId: string | undefined, podId: string | undefined, level: Level): Promise<Capacity[]> {
    const db = this.store.db;
    const acc = new Map<string, Capacity>();
    const add = (type: number, zone: string, pod: string | null, total: number, used: number) => {
      const k = `${type}|${zone}|${level === 'pod' ? pod : ''}`;
      const c = acc.get(k) ?? {
        type,
        zoneId: zone,
        ...(level === 'pod' && pod ? { podId: pod } : {}),
        total: 0,
        used: 0,
      };
      c.total += total;
      c.used += used;
      acc.set(k, c);
    };
    for (const p of await dc.pods(db, { zoneId, id: podId })) {
      // No system VMs run here, so nothing holds an address of a pod's management range.
      add(C.PRIVATE_IP, p.zoneId, p.id, ipToInt(p.endIp) - ipToInt(p.startIp) + 1, 0);
    }
    for (const r of await capacityStore.directRanges(db)) {
      if ((zoneId && r.zoneId !== zoneId) || (podId && r.podId !== podId)) continue;
      const [first, last] = [ipToInt(r.startIp), ipToInt(r.endIp)];
      add(
        C.DIRECT_ATTACHED_PUBLIC_IP,
        r.zoneId,
        r.podId,
        last - first + 1,
        await vlanRangeStore.nicsInRange(db, r.networkId!, first, last),
      );
    }
    return [...acc.values()];
  }

  /** Public addresses, guest VLANs and secondary storage: zone-wide only. */
  private async zoneWide(zoneId: string | undefined): Promise<Capacity[]> {
    const db = this.store.db;
    const zones = (await catalogStore.zones(db)).filter((z) => !zoneId || z.id === zoneId);
    const [ips, vlans] = await Promise.all([capacityStore.publicIps(db), capacityStore.vlansUsed(db)]);
    const out: Capacity[] = [];
    for (const z of zones) {
      const ip = ips.get(z.id);
      if (ip) out.push({ type: C.VIRTUAL_NETWORK_PUBLIC_IP, zoneId: z.id, total: ip.total, used: ip.used });
      if (z.guestVlanStart !== null)
        out.push({
          type: C.VLAN,
          zoneId: z.id,
          total: (z.guestVlanEnd ?? z.guestVlanStart) - z.guestVlanStart + 1,
          used: vlans.get(z.id) ?? 0,
        });
      const stores = await storageStore.imageStores(db, { zoneId: z.id });
      // Secondary storage has no disk behind it; each store reports what imageStoreStats says.
      const stats = stores.map(() => imageStoreStats());
      if (stores.length)
        out.push({
          type: C.SECONDARY_STORAGE,
          zoneId: z.id,
          total: stats.reduce((a, s) => a + s.total, 0),
          used: stats.reduce((a, s) => a + s.used, 0),
        });
    }
    return out;
  }
}

const pct = (c: Capacity) => (c.total ? c.used / c.total : 0);
