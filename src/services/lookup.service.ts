import type { LoadBalancerRule, NicSecondaryIp } from '../domain/networking.js';
import { autoScaleGroupStore } from '../store/autoscale.group.store.js';
import { nicIpStore } from '../store/nicip.store.js';
import type * as T from '../domain/types.js';
import type { Store } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { jobStore } from '../store/job.store.js';
import { affinityStore } from '../store/affinity.store.js';
import { ipv6Store } from '../store/ipv6.store.js';
import { networkStore } from '../store/network.store.js';
import { portForwardingStore } from '../store/portforwarding.store.js';
import { byId, rowsByIds } from '../store/lookup.store.js';
import { securityGroupStore } from '../store/securitygroup.store.js';
import { tagStore } from '../store/tag.store.js';
import { vmStore } from '../store/vm.store.js';
import { oobmStore } from '../store/oobm.store.js';
import type { Oobm } from '../domain/oobm.js';

type ByIdTable = Parameters<typeof rowsByIds>[1] & ('hosts' | Tables);

// Not hosts: a cloud can have tens of thousands; views ask for the few they show with hosts(ids).
type Tables =
  | 'zones'
  | 'accounts'
  | 'domains'
  | 'templates'
  | 'serviceOfferings'
  | 'diskOfferings'
  | 'osTypes'
  | 'networkOfferings'
  | 'pods'
  | 'clusters'
  | 'storagePools'
  | 'roles'
  | 'projects'
  | 'users'
  | 'backupOfferings';

/**
 * Read-only access for building responses: one per request, loading each table it is asked
 * for once, so a page of 500 VMs costs a fixed number of queries.
 */
export class Lookup {
  private cache = new Map<string, Promise<Map<string, unknown>>>();
  // Rows read by id, per table; an id that matched nothing is kept as undefined, so it is not asked for again.
  private rowCache = new Map<string, Map<string, unknown>>();
  constructor(private store: Store) {}

  /** Hosts by id, each read once per request. */
  hosts(ids: string[]): Promise<Map<string, T.Host>> {
    return this.rows('hosts', ids);
  }

  /**
   * Rows of a table by id, each read once per request: a page names the few accounts, templates or
   * offerings its items use, where the whole table can be thousands of rows.
   */
  async rows<K extends ByIdTable>(t: K, ids: string[]): Promise<Map<string, Database[K]>> {
    let known = this.rowCache.get(t);
    if (!known) this.rowCache.set(t, (known = new Map()));
    const missing = [...new Set(ids)].filter((id) => !known.has(id));
    if (missing.length) {
      const found = await rowsByIds(this.store.db, t, missing);
      for (const id of missing) known.set(id, found.get(id));
    }
    const out = new Map<string, Database[K]>();
    for (const id of ids) {
      const row = known.get(id) as Database[K] | undefined;
      if (row) out.set(id, row);
    }
    return out;
  }

  table<K extends Tables>(t: K): Promise<Map<string, import('../store/schema.js').Database[K]>> {
    let p = this.cache.get(t);
    if (!p) this.cache.set(t, (p = byId(this.store.db, t) as Promise<Map<string, unknown>>));
    return p as Promise<Map<string, import('../store/schema.js').Database[K]>>;
  }

  /** Hosts' out-of-band management rows by host id, read once per request. */
  oobm(): Promise<Map<string, Oobm>> {
    let p = this.cache.get('oobm');
    if (!p)
      this.cache.set('oobm', (p = oobmStore.all(this.store.db).then((rows) => new Map(rows.map((r) => [r.id, r])))));
    return p as Promise<Map<string, Oobm>>;
  }

  networks(ids: string[]): Promise<Map<string, T.Network>> {
    return rowsByIds(this.store.db, 'networks', ids);
  }
  /** The public IPv6 address of the router serving each of these networks, where it has one. */
  routerIp6(nets: T.Network[]): Promise<Map<string, string>> {
    return ipv6Store.routerIp6(this.store.db, nets);
  }
  vms(ids: string[]): Promise<Map<string, T.Vm>> {
    return rowsByIds(this.store.db, 'vms', ids);
  }
  /** What a view of something attached to a VM names of it (a page of volumes: hundreds of VMs). */
  vmNames(ids: string[]): Promise<Map<string, Pick<T.Vm, 'id' | 'name' | 'displayName' | 'state'>>> {
    return vmStore.names(this.store.db, ids);
  }
  /** The NICs of these VMs, live ones. */
  nicsOf(vmIds: string[]): Promise<T.Nic[]> {
    return vmStore.nicsOf(this.store.db, vmIds);
  }
  userData(ids: string[]): Promise<Map<string, T.UserData>> {
    return rowsByIds(this.store.db, 'userData', ids);
  }
  publicIps(ids: string[]): Promise<Map<string, T.PublicIp>> {
    return rowsByIds(this.store.db, 'publicIps', ids);
  }
  loadBalancers(ids: string[]): Promise<Map<string, LoadBalancerRule>> {
    return rowsByIds(this.store.db, 'loadBalancerRules', ids);
  }
  portForwardingRule(id: string): Promise<T.PortForwardingRule | undefined> {
    return portForwardingStore.get(this.store.db, id);
  }
  tags(ids: string[]): Promise<Map<string, T.Tag[]>> {
    return tagStore.ofResources(this.store.db, ids);
  }
  pendingJobs(ids: string[]): Promise<Map<string, string>> {
    return jobStore.pendingFor(this.store.db, ids);
  }

  /** Affinity groups with the ids of their member VMs. */
  async affinityGroups(
    ids: string[],
  ): Promise<{ groups: Map<string, T.AffinityGroup>; members: Map<string, string[]> }> {
    const groups = new Map((await affinityStore.byIds(this.store.db, ids)).map((g) => [g.id, g]));
    const members = new Map<string, string[]>();
    for (const m of await affinityStore.members(this.store.db, ids)) push(members, m.affinityGroupId, m.vmId);
    return { groups, members };
  }

  /** Security groups with their rules and member VMs. */
  async groups(
    ids: string[],
    withMembers = true,
  ): Promise<{
    groups: Map<string, T.SecurityGroup>;
    rules: Map<string, T.SecurityGroupRule[]>;
    members: Map<string, string[]>;
    tags: Map<string, T.Tag[]>;
  }> {
    const groups = await rowsByIds(this.store.db, 'securityGroups', ids);
    const gids = [...groups.keys()];
    const rules = new Map<string, T.SecurityGroupRule[]>();
    for (const r of await securityGroupStore.rulesOf(this.store.db, gids)) push(rules, r.securityGroupId, r);
    const members = new Map<string, string[]>();
    if (withMembers)
      for (const m of await securityGroupStore.members(this.store.db, gids)) push(members, m.securityGroupId, m.vmId);
    return { groups, rules, members, tags: await this.tags(gids) };
  }

  /** Everything a page of VMs shows besides its own row. */
  /** What a VM view shows of its neighbours; `parts` leaves out what listVirtualMachines' `details` did not ask for. */
  async vmDetails(
    vmIds: string[],
    parts: { nics: boolean; secgrp: boolean; affgrp: boolean } = { nics: true, secgrp: true, affgrp: true },
  ) {
    const db = this.store.db;
    const [nics, links, tags, jobs, affinityLinks, nat, asMembers] = await Promise.all([
      parts.nics ? vmStore.nicsOf(db, vmIds) : [],
      parts.secgrp ? vmStore.groupLinks(db, vmIds) : [],
      this.tags(vmIds),
      this.pendingJobs(vmIds),
      parts.affgrp ? affinityStore.groupsOfVm(db, vmIds) : [],
      networkStore.natOfVms(db, vmIds),
      autoScaleGroupStore.groupsOfVms(db, vmIds),
    ]);
    const asGroups = await rowsByIds(db, 'asVmGroups', [...new Set(asMembers.map((m) => m.groupId))]);
    // The autoscale group each VM is a member of (UserVmResponse's autoscalevmgroupid and name).
    const asGroupByVm = new Map(
      asMembers.flatMap((m) => (asGroups.has(m.groupId) ? [[m.vmId, asGroups.get(m.groupId)!] as const] : [])),
    );
    const affinity = await this.affinityGroups([...new Set(affinityLinks.map((l) => l.affinityGroupId))]);
    const affinityByVm = new Map<string, string[]>();
    for (const l of affinityLinks) push(affinityByVm, l.vmId, l.affinityGroupId);
    const networks = await this.networks(nics.map((n) => n.networkId));
    const secondaryByNic = new Map<string, NicSecondaryIp[]>();
    for (const s of await nicIpStore.ofNics(
      db,
      nics.map((n) => n.id),
    ))
      push(secondaryByNic, s.nicId, s);
    // A VM's groups are shown without their member lists, which can be the whole account.
    const groups = await this.groups(
      links.map((l) => l.securityGroupId),
      false,
    );
    const nicsByVm = new Map<string, T.Nic[]>();
    for (const n of nics) push(nicsByVm, n.vmId, n);
    const groupsByVm = new Map<string, string[]>();
    for (const l of links) push(groupsByVm, l.vmId, l.securityGroupId);
    const natByVm = new Map(nat.map((ip) => [ip.vmId!, ip]));
    return {
      natByVm,
      nicsByVm,
      secondaryByNic,
      groupsByVm,
      networks,
      groups,
      tags,
      jobs,
      affinity,
      affinityByVm,
      asGroupByVm,
    };
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}
