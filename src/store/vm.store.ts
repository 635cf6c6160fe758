import { joinRowsOf, rowsOf } from './repo.js';
import { sql } from 'kysely';
import type { Db } from './db.js';
import { IN_CHUNK, inChunks, inList } from './idlist.js';
import { VM_HYPERVISOR, type Host, type Nic, type Vm, type VmState, type Volume } from '../domain/types.js';
import type { Page, PageRequest } from './paging.js';

export interface VmFilter {
  accountIds?: string[];
  ids?: string[];
  zoneId?: string;
  podId?: string;
  clusterId?: string;
  hostId?: string;
  state?: string;
  name?: string;
  keyword?: string;
  templateId?: string;
  serviceOfferingId?: string;
  networkId?: string;
  securityGroupId?: string;
  affinityGroupId?: string;
  /** An instance group (VMs name theirs, within their account). */
  groupId?: string;
  keyPair?: string;
  haEnable?: boolean;
  userId?: string;
  vpcId?: string;
  /** A primary storage pool holding one of the VM's volumes. */
  storageId?: string;
  /** Include Destroyed VMs (admins and allow.user.view.destroyed.vm). */
  withDestroyed?: boolean;
  /** The ISO in the VM's CD-ROM drive. */
  isoId?: string;
  /** Members of an autoscale VM group (listVirtualMachines' autoscalevmgroupid). */
  asGroupId?: string;
  /** Only VMs on this hypervisor (every VM here runs on VM_HYPERVISOR), matched case-blind as MySQL does. */
  hypervisor?: string;
}

/** The live VMs `f` selects, not yet ordered or paged. */
function filtered(db: Db, f: VmFilter) {
  let q = db.selectFrom('vms').where('removed', 'is', null);
  if (f.accountIds) q = q.where(inList(db, 'vms.accountId', f.accountIds));
  if (f.ids) q = q.where(inList(db, 'vms.id', f.ids));
  if (f.zoneId) q = q.where('zoneId', '=', f.zoneId);
  if (f.podId) q = q.where('podId', '=', f.podId);
  if (f.clusterId) q = q.where('clusterId', '=', f.clusterId);
  if (f.hostId) q = q.where('hostId', '=', f.hostId);
  if (f.state) q = q.where('state', '=', f.state as VmState);
  else if (!f.withDestroyed) q = q.where('state', 'not in', ['Destroyed', 'Expunging']);
  if (f.name) q = q.where('name', '=', f.name);
  if (f.keyword)
    q = q.where((eb) =>
      eb.or([
        eb('name', 'like', `%${f.keyword}%`),
        eb('displayName', 'like', `%${f.keyword}%`),
        eb('state', '=', f.keyword as VmState),
      ]),
    );
  if (f.templateId) q = q.where('templateId', '=', f.templateId);
  if (f.serviceOfferingId) q = q.where('serviceOfferingId', '=', f.serviceOfferingId);
  if (f.networkId)
    q = q.where(
      'id',
      'in',
      db.selectFrom('nics').select('vmId').where('networkId', '=', f.networkId!).where('removed', 'is', null),
    );
  if (f.securityGroupId)
    q = q.where(
      'id',
      'in',
      db.selectFrom('vmSecurityGroups').select('vmId').where('securityGroupId', '=', f.securityGroupId!),
    );
  if (f.affinityGroupId)
    q = q.where(
      'id',
      'in',
      db.selectFrom('vmAffinityGroups').select('vmId').where('affinityGroupId', '=', f.affinityGroupId!),
    );
  if (f.groupId) {
    const group = db.selectFrom('instanceGroups').where('id', '=', f.groupId);
    q = q.where('groupName', '=', group.select('name')).where('accountId', '=', group.select('accountId'));
  }
  // keyPairs holds the names joined by commas; the name is matched whole, its % and _ taken literally.
  if (f.keyPair)
    q = q.where(
      sql<boolean>`(',' || ${sql.ref('keyPairs')} || ',') like ${`%,${f.keyPair.replace(/[\\%_]/g, '\\$&')},%`} escape '\\'`,
    );
  if (f.haEnable !== undefined) q = q.where('haEnable', '=', f.haEnable ? 1 : 0);
  if (f.userId) q = q.where('userId', '=', f.userId);
  if (f.vpcId) {
    const tiers = db.selectFrom('networks').select('id').where('vpcId', '=', f.vpcId);
    q = q.where(
      'id',
      'in',
      db.selectFrom('nics').select('vmId').where('networkId', 'in', tiers).where('removed', 'is', null),
    );
  }
  if (f.isoId) q = q.where('isoId', '=', f.isoId);
  if (f.asGroupId)
    q = q.where('id', 'in', db.selectFrom('asGroupVms').select('vmId').where('groupId', '=', f.asGroupId!));
  if (f.hypervisor !== undefined && f.hypervisor.toLowerCase() !== VM_HYPERVISOR.toLowerCase())
    q = q.where(sql<boolean>`1 = 0`);
  if (f.storageId)
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('volumes')
        .select('vmId')
        .where('poolId', '=', f.storageId!)
        .where('removed', 'is', null)
        .where('vmId', 'is not', null),
    );
  return q;
}

export const vmStore = {
  /** Inside a transaction the VM stays locked until it ends: a VM's state changes one transaction at a time. */
  get(db: Db, id: string): Promise<Vm | undefined> {
    const q = db.selectFrom('vms').selectAll().where('id', '=', id).where('removed', 'is', null);
    return (db.isTransaction ? q.forUpdate() : q).executeTakeFirst();
  },
  getAny(db: Db, id: string): Promise<Vm | undefined> {
    return db.selectFrom('vms').selectAll().where('id', '=', id).executeTakeFirst();
  },
  /** The live VMs among these ids. */
  /** An account's VMs, not removed. */
  idsOfAccount(db: Db, accountId: string): Promise<{ id: string }[]> {
    return db.selectFrom('vms').select('id').where('accountId', '=', accountId).where('removed', 'is', null).execute();
  },
  /** Hosts of the offering's live VMs (running, starting, migrating, stopping), one row per VM. */
  hostsRunningOffering(db: Db, serviceOfferingId: string): Promise<Pick<Host, 'id' | 'name' | 'hostTags'>[]> {
    return db
      .selectFrom('vms')
      .innerJoin('hosts', 'hosts.id', 'vms.hostId')
      .select(['hosts.id', 'hosts.name', 'hosts.hostTags'])
      .where('vms.serviceOfferingId', '=', serviceOfferingId)
      .where('vms.removed', 'is', null)
      .where('vms.state', 'in', ['Running', 'Starting', 'Migrating', 'Stopping'])
      .execute();
  },
  /** The host's VMs, not removed, are left Stopped on no host (the host is deleted). */
  async stopAllOnHost(db: Db, hostId: string, at: number): Promise<void> {
    await db
      .updateTable('vms')
      .set({ state: 'Stopped', hostId: null, lastHostId: null, updated: at })
      .where('hostId', '=', hostId)
      .where('removed', 'is', null)
      .execute();
  },
  /** No VM, removed or not, remembers the host as its last one. */
  async forgetLastHost(db: Db, hostId: string): Promise<void> {
    await db.updateTable('vms').set({ lastHostId: null }).where('lastHostId', '=', hostId).execute();
  },
  /** The states of the host's VMs, not removed, one row per VM. */
  statesOnHost(db: Db, hostId: string): Promise<Pick<Vm, 'state'>[]> {
    return db.selectFrom('vms').select('state').where('hostId', '=', hostId).where('removed', 'is', null).execute();
  },
  /** The host's running VMs, not removed. */
  runningOnHost(db: Db, hostId: string): Promise<{ id: string }[]> {
    return db
      .selectFrom('vms')
      .select('id')
      .where('hostId', '=', hostId)
      .where('state', '=', 'Running')
      .where('removed', 'is', null)
      .execute();
  },
  getMany(db: Db, ids: string[]): Promise<Vm[]> {
    return inChunks(ids, (chunk) =>
      db.selectFrom('vms').selectAll().where('id', 'in', chunk).where('removed', 'is', null).execute(),
    );
  },
  async list(db: Db, f: VmFilter, page?: PageRequest): Promise<Page<Vm>> {
    const q = filtered(db, f);
    const { count } = await q.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    let rows = q.selectAll().orderBy('seq');
    if (page) rows = rows.limit(page.limit).offset(page.offset);
    return { items: await rows.execute(), count: Number(count) };
  },
  /**
   * Every match, `size` (at most IN_CHUNK) at a time in `seq` order, each chunk read when the one before
   * has been used: a full list of a big cloud never holds all its rows. The filter runs once, for the
   * ids (a long `ids` list is sent once, not per chunk); each chunk is then read by primary key.
   */
  async chunks(db: Db, f: VmFilter, size: number): Promise<{ count: number; chunks: AsyncIterable<Vm[]> }> {
    const ids = (await filtered(db, f).select('id').orderBy('seq').execute()).map((r) => r.id);
    const step = Math.min(size, IN_CHUNK);
    async function* read(): AsyncGenerator<Vm[]> {
      for (let i = 0; i < ids.length; i += step) {
        const chunk = ids.slice(i, i + step);
        // A VM removed since the ids were read is left out, as it would be from a later SELECT.
        const rows = await db
          .selectFrom('vms')
          .selectAll()
          .where('id', 'in', chunk)
          .where('removed', 'is', null)
          .orderBy('seq')
          .execute();
        if (rows.length) yield rows;
      }
    }
    return { count: ids.length, chunks: read() };
  },
  async names(db: Db, ids: string[]): Promise<Map<string, Pick<Vm, 'id' | 'name' | 'displayName' | 'state'>>> {
    const rows = await inChunks(ids, (chunk) =>
      db.selectFrom('vms').select(['id', 'name', 'displayName', 'state']).where('id', 'in', chunk).execute(),
    );
    return new Map(rows.map((r) => [r.id, r]));
  },
  nicsOf(db: Db, vmIds: string[]): Promise<Nic[]> {
    if (vmIds.length === 0) return Promise.resolve([]);
    return inChunks(vmIds, (ids) =>
      db
        .selectFrom('nics')
        .selectAll()
        .where('vmId', 'in', ids)
        .where('removed', 'is', null)
        .orderBy('deviceId')
        .execute(),
    );
  },
  volumesOf(db: Db, vmIds: string[]): Promise<Volume[]> {
    if (vmIds.length === 0) return Promise.resolve([]);
    return inChunks(vmIds, (ids) =>
      db.selectFrom('volumes').selectAll().where('vmId', 'in', ids).where('removed', 'is', null).execute(),
    );
  },
  groupLinks(db: Db, vmIds: string[]): Promise<{ vmId: string; securityGroupId: string }[]> {
    if (vmIds.length === 0) return Promise.resolve([]);
    return inChunks(vmIds, (ids) => db.selectFrom('vmSecurityGroups').selectAll().where('vmId', 'in', ids).execute());
  },
  async setBroadcastUri(db: Db, networkId: string, uri: string | null): Promise<void> {
    await db.updateTable('nics').set({ broadcastUri: uri }).where('networkId', '=', networkId).execute();
  },
  async removeNics(db: Db, vmId: string, at: number): Promise<void> {
    await db.updateTable('nics').set({ removed: at }).where('vmId', '=', vmId).execute();
    // A released NIC gives its secondary addresses back to the network (018_nic_secondary_ips).
    await db.deleteFrom('nicSecondaryIps').where('vmId', '=', vmId).execute();
  },
  /** What an expunged VM leaves behind besides NICs and volumes: group links, tags, static NAT. */
  async unlink(db: Db, vmId: string): Promise<void> {
    await db.deleteFrom('vmSecurityGroups').where('vmId', '=', vmId).execute();
    await db.deleteFrom('tags').where('resourceId', '=', vmId).execute();
    // Static NAT rules of the VM's address and its load-balancer memberships go with it (005_networking).
    await db
      .deleteFrom('firewallRules')
      .where('purpose', '=', 'StaticNat')
      .where('publicIpId', 'in', db.selectFrom('publicIps').select('id').where('vmId', '=', vmId))
      .execute();
    await db.deleteFrom('lbMembers').where('vmId', '=', vmId).execute();
    await db.updateTable('publicIps').set({ vmId: null }).where('vmId', '=', vmId).execute();
    await db.deleteFrom('portForwardingRules').where('vmId', '=', vmId).execute();
    await db.deleteFrom('vmAffinityGroups').where('vmId', '=', vmId).execute();
  },
  async removeNic(db: Db, nicId: string, at: number): Promise<void> {
    await db.updateTable('nics').set({ removed: at }).where('id', '=', nicId).execute();
    await db.deleteFrom('nicSecondaryIps').where('nicId', '=', nicId).execute();
  },
  async setDefaultNic(db: Db, vmId: string, nicId: string): Promise<void> {
    await db.updateTable('nics').set({ isDefault: 0 }).where('vmId', '=', vmId).execute();
    await db.updateTable('nics').set({ isDefault: 1 }).where('id', '=', nicId).execute();
  },
  nameTaken(db: Db, accountId: string, zoneId: string, name: string): Promise<{ id: string } | undefined> {
    return db
      .selectFrom('vms')
      .select('id')
      .where('accountId', '=', accountId)
      .where('zoneId', '=', zoneId)
      .where('name', '=', name)
      .where('removed', 'is', null)
      .executeTakeFirst();
  },
  async countsByAccount(
    db: Db,
    accountIds: string[],
  ): Promise<Map<string, { vms: number; running: number; stopped: number }>> {
    const m = new Map<string, { vms: number; running: number; stopped: number }>();
    if (accountIds.length === 0) return m;
    // Each account lands in one chunk, so its counts come whole from one query.
    const rows = await inChunks(accountIds, (ids) =>
      db
        .selectFrom('vms')
        .select(['accountId', 'state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('accountId', 'in', ids)
        .where('removed', 'is', null)
        .groupBy(['accountId', 'state'])
        .execute(),
    );
    for (const r of rows) {
      const c = m.get(r.accountId) ?? { vms: 0, running: 0, stopped: 0 };
      const n = Number(r.n);
      if (r.state !== 'Destroyed' && r.state !== 'Expunging') c.vms += n;
      if (r.state === 'Running') c.running += n;
      if (r.state === 'Stopped') c.stopped += n;
      m.set(r.accountId, c);
    }
    return m;
  },
  /** Destroyed VMs whose expunge delay has passed. */
  dueForExpunge(db: Db, before: number): Promise<Vm[]> {
    return db
      .selectFrom('vms')
      .selectAll()
      .where('state', '=', 'Destroyed')
      .where('removed', 'is', null)
      .where('destroyedAt', '<=', before)
      .execute();
  },
};

export const nicRows = rowsOf('nics');
export const vmSecurityGroupRows = joinRowsOf('vmSecurityGroups');
export const vmRows = rowsOf('vms');
