import { rowsOf } from './repo.js';
import type { Db } from './db.js';
import type { SystemVm } from '../domain/systemvm.js';
import { hasIpv4, type Ipv4Range } from '../domain/types.js';

export interface SystemVmFilter {
  id?: string;
  zoneId?: string;
  podId?: string;
  hostId?: string;
  state?: string;
  name?: string;
  type?: string;
  storageId?: string;
}

export const systemVmStore = {
  get(db: Db, id: string): Promise<SystemVm | undefined> {
    return db.selectFrom('systemVms').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The live system VMs of a zone (the managers keep one of each kind). */
  ofZone(db: Db, zoneId: string): Promise<SystemVm[]> {
    return db.selectFrom('systemVms').selectAll().where('zoneId', '=', zoneId).where('removed', 'is', null).execute();
  },
  /** The host's system VMs, not removed, are left Stopped on no host (the host is deleted). */
  async stopAllOnHost(db: Db, hostId: string): Promise<void> {
    await db
      .updateTable('systemVms')
      .set({ state: 'Stopped', hostId: null })
      .where('hostId', '=', hostId)
      .where('removed', 'is', null)
      .execute();
  },
  async insert(db: Db, v: SystemVm): Promise<void> {
    await db.insertInto('systemVms').values(v).execute();
  },
  async update(db: Db, id: string, patch: Partial<SystemVm>): Promise<void> {
    await db.updateTable('systemVms').set(patch).where('id', '=', id).execute();
  },
  list(db: Db, f: SystemVmFilter): Promise<SystemVm[]> {
    let q = db.selectFrom('systemVms').selectAll().where('removed', 'is', null);
    if (f.id) q = q.where('id', '=', f.id);
    if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
    if (f.podId) q = q.where('podId', '=', f.podId);
    if (f.hostId) q = q.where('hostId', '=', f.hostId);
    if (f.state) q = q.where('state', '=', f.state as SystemVm['state']);
    if (f.name) q = q.where('name', '=', f.name);
    if (f.type) q = q.where('type', '=', f.type as SystemVm['type']);
    return q.orderBy('seq').execute();
  },
  /** The pod addresses already held by hosts and system VMs, for choosing a system VM's management address. */
  async podAddressesInUse(db: Db, podId: string): Promise<Set<string>> {
    const [hosts, vms] = await Promise.all([
      db.selectFrom('hosts').select('ipAddress').where('podId', '=', podId).execute(),
      db
        .selectFrom('systemVms')
        .select(['privateIp', 'publicIp'])
        .where('podId', '=', podId)
        .where('removed', 'is', null)
        .execute(),
    ]);
    const s = new Set(hosts.map((h) => h.ipAddress));
    for (const v of vms) for (const ip of [v.privateIp, v.publicIp]) if (ip) s.add(ip);
    return s;
  },
  async systemAccount(db: Db): Promise<{ id: string; domainId: string } | undefined> {
    return db
      .selectFrom('accounts')
      .select(['id', 'domainId'])
      .where('name', '=', 'system')
      .where('type', '=', 1)
      .executeTakeFirst();
  },
  async systemTemplateId(db: Db): Promise<string | undefined> {
    return (
      await db
        .selectFrom('templates')
        .select('id')
        .where('templateType', '=', 'SYSTEM')
        .orderBy('created')
        .executeTakeFirst()
    )?.id;
  },
  /** A store system VMs can use: SecondaryStorageManagerImpl counts only stores that are not read-only. */
  async hasImageStore(db: Db, zoneId: string): Promise<boolean> {
    return !!(await db
      .selectFrom('imageStores')
      .select('id')
      .where('zoneId', '=', zoneId)
      .where((eb) => eb.or([eb('readonly', 'is', null), eb('readonly', '=', 0)]))
      .executeTakeFirst());
  },
  /** The range a system VM's public address came from: a public range (advanced zones) or its NIC on the pod's shared network (basic). */
  async publicNet(db: Db, vmId: string): Promise<{ gateway: string; netmask: string; vlan: string } | undefined> {
    const pub = await db
      .selectFrom('publicIps')
      .innerJoin('vlanRanges', 'vlanRanges.id', 'publicIps.vlanRangeId')
      .select(['vlanRanges.gateway', 'vlanRanges.netmask', 'vlanRanges.vlan'])
      .where('publicIps.vmId', '=', vmId)
      .executeTakeFirst();
    // An address row is only ever made for an IPv4 range.
    if (pub?.gateway && pub.netmask) return { gateway: pub.gateway, netmask: pub.netmask, vlan: pub.vlan };
    const nic = await db
      .selectFrom('nics')
      .select(['gateway', 'netmask'])
      .where('vmId', '=', vmId)
      .where('removed', 'is', null)
      .executeTakeFirst();
    return nic?.gateway && nic.netmask
      ? { gateway: nic.gateway, netmask: nic.netmask, vlan: 'vlan://untagged' }
      : undefined;
  },
  /** The shared network whose range serves a pod (basic and security-group zones). */
  async podGuestRange(db: Db, zoneId: string, podId: string): Promise<Ipv4Range | undefined> {
    const rows = await db
      .selectFrom('vlanRanges')
      .selectAll()
      .where('zoneId', '=', zoneId)
      .where('forVirtualNetwork', '=', 0)
      .where('networkId', 'is not', null)
      .where((eb) => eb.or([eb('podId', '=', podId), eb('podId', 'is', null)]))
      .orderBy('created')
      .execute();
    return rows.find(hasIpv4);
  },
  async insertNic(
    db: Db,
    n: {
      id: string;
      vmId: string;
      networkId: string;
      ipAddress: string;
      ipNum: number;
      netmask: string;
      gateway: string;
      macAddress: string;
    },
  ): Promise<void> {
    await db
      .insertInto('nics')
      .values({ ...n, isDefault: 0, deviceId: 2, broadcastUri: null, removed: null })
      .execute();
  },
  async removeNics(db: Db, vmId: string, at: number): Promise<void> {
    await db.updateTable('nics').set({ removed: at }).where('vmId', '=', vmId).where('removed', 'is', null).execute();
  },
  async releasePublicIp(db: Db, vmId: string): Promise<void> {
    await db
      .updateTable('publicIps')
      .set({ state: 'Free', accountId: null, domainId: null, vmId: null, allocated: null })
      .where('vmId', '=', vmId)
      .execute();
  },
};

export const systemVmRows = rowsOf('systemVms');
