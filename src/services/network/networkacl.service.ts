import { isIpv4Cidr, isIpv6Cidr } from '../../domain/cidr.js';
import type { Clock } from '../../domain/clock.js';
import { invalid, invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { NetworkAcl, NetworkAclItem, TrafficDirection } from '../../domain/networking.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { networkAclStore } from '../../store/networkacl.store.js';
import { networkStore } from '../../store/network.store.js';
import { vpcStore } from '../../store/vpc.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const ACL_JOBS = {
  applyList: 'acl.list.apply',
  apply: 'acl.item.apply',
  update: 'acl.item.update',
  remove: 'acl.item.delete',
  removeList: 'acl.list.delete',
  replace: 'acl.replace',
} as const;

export interface NewAclItem {
  aclId?: string;
  networkId?: string;
  protocol: string;
  startPort?: number;
  endPort?: number;
  icmpType?: number;
  icmpCode?: number;
  cidrList?: string[];
  action?: string;
  trafficType?: string;
  number?: number;
  reason?: string;
}

/** updateNetworkACLItem's parameters; `partial` (partialupgrade, default true) keeps what is not sent. */
export interface AclItemUpdate extends Partial<Omit<NewAclItem, 'aclId' | 'networkId'>> {
  partial: boolean;
}

const PROTOCOLS = ['tcp', 'udp', 'icmp', 'all'];
const validPort = (p: number | undefined) => p !== undefined && Number.isInteger(p) && p >= 1 && p <= 65535;

/** NetworkACLServiceImpl.validateNetworkACLItem: ports, then CIDRs (IPv4 or IPv6, validateSourceCidrList), then protocol and ICMP. */
function checkItem(r: NewAclItem, end: number | undefined): void {
  if (r.startPort !== undefined || end !== undefined) checkPorts(r, end);
  for (const c of r.cidrList ?? [])
    if (!isIpv4Cidr(c) && !isIpv6Cidr(c)) throw invalid(`Source cidrs formatting error ${c}`, 'cidrlist');
  checkProtocol(r, end);
}

function checkPorts(r: NewAclItem, end: number | undefined): void {
  if (!validPort(r.startPort))
    throw invalid(`Start public port is an invalid value: ${r.startPort ?? null}`, 'startport');
  if (!validPort(end)) throw invalid(`End public port is an invalid value: ${end ?? null}`, 'endport');
  if (r.startPort! > end!)
    throw invalid(`Start port can't be bigger than end port [startport=${r.startPort},endport=${end}]`, 'startport');
  if (r.protocol.toLowerCase() === 'all')
    throw invalid("start port and end port must be null if protocol = 'all'", 'protocol');
}

function checkProtocol(r: NewAclItem, end: number | undefined): void {
  if (/^\d+$/.test(r.protocol)) {
    if (Number(r.protocol) > 255) throw invalid(`Invalid protocol number: ${Number(r.protocol)}`, 'protocol');
  } else if (!PROTOCOLS.includes(r.protocol.toLowerCase())) {
    throw invalid(`Invalid protocol [${r.protocol}]. Expected one of: [${PROTOCOLS.join(', ')}]`, 'protocol');
  }
  const icmp = r.protocol.toLowerCase() === 'icmp';
  if (!icmp && (r.icmpCode !== undefined || r.icmpType !== undefined))
    throw invalid('Can specify icmpCode and icmpType for ICMP protocol only', 'icmptype');
  if (icmp && (r.startPort !== undefined || end !== undefined))
    throw invalid("Can't specify start/end port when protocol is ICMP", 'startport');
  if (r.icmpType !== undefined && r.icmpType !== -1 && (r.icmpType < 0 || r.icmpType > 255))
    throw invalid(`Invalid icmp type [${r.icmpType}]. It should belong to [0-255] range`, 'icmptype');
  if (r.icmpCode !== undefined && r.icmpCode !== -1 && (r.icmpCode < 0 || r.icmpCode > 16))
    throw invalid(
      `Invalid icmp code [${r.icmpCode}]. It should belong to [0-16] range and can be defined when icmpType belongs to [0-40] range`,
      'icmpcode',
    );
}

function trafficOf(t: string | undefined): TrafficDirection {
  if (t === undefined) return 'Ingress';
  const v = (['Ingress', 'Egress'] as const).find((x) => x.toLowerCase() === t.toLowerCase());
  if (!v) throw invalid(`Invalid traffic type ${t}`, 'traffictype');
  return v;
}

function actionOf(a: string | undefined): 'Allow' | 'Deny' {
  if (a !== undefined && !['allow', 'deny'].includes(a.toLowerCase()))
    throw invalid(`Invalid action [${a}]. Permitted actions are Allow and Deny`, 'action');
  return a?.toLowerCase() === 'deny' ? 'Deny' : 'Allow';
}

/** Network ACL lists of a VPC, their numbered rules, and which list each tier uses. */
export class NetworkAclService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(ACL_JOBS.applyList, async ({ params }) => ({
      type: 'object',
      instanceType: 'NetworkAclList',
      id: params.id,
    }));
    jobs.register<{ id: string }>(ACL_JOBS.apply, async ({ params }) => {
      await this.store.tx(async (trx) => {
        const i = await networkAclStore.getItem(trx, params.id);
        if (i && i.state === 'Add') await networkAclStore.updateItem(trx, i.id, { state: 'Active' });
      });
      return { type: 'object', instanceType: 'NetworkAclItem', id: params.id };
    });
    jobs.register<{ id: string; u: AclItemUpdate }>(ACL_JOBS.update, async ({ caller, params }) => {
      await this.store.tx((trx) => this.updateItem(trx, caller, params.id, params.u));
      return { type: 'object', instanceType: 'NetworkAclItem', id: params.id };
    });
    jobs.register<{ id: string }>(ACL_JOBS.remove, async ({ params }) => {
      await this.store.tx((trx) => networkAclStore.removeItem(trx, params.id));
      return { type: 'success' };
    });
    jobs.register<{ id: string }>(ACL_JOBS.removeList, ({ params }) =>
      this.store.tx((trx) => this.removeList(trx, params.id)),
    );
    jobs.register<{ aclId: string; networkId: string }>(ACL_JOBS.replace, async ({ params: p }) => {
      await this.store.tx(async (trx) => {
        const net = await networkStore.get(trx, p.networkId);
        if (net) await networkStore.update(trx, net.id, { aclId: p.aclId });
      });
      return { type: 'success' };
    });
  }

  /** createNetworkACLList's first phase. */
  async createList(
    caller: Caller,
    r: { name: string; description?: string; vpcId: string },
    cmd: string,
  ): Promise<{ acl: NetworkAcl; jobId: string }> {
    return this.submit(caller, cmd, async (trx) => {
      const vpc = await vpcStore.get(trx, r.vpcId);
      if (!vpc) throw notFound('Vpc', r.vpcId, 'vpcid');
      assertAccess(caller, vpc, 'Vpc', vpc.id);
      const acl: NetworkAcl = {
        id: newId(),
        name: r.name,
        description: r.description ?? null,
        vpcId: vpc.id,
        accountId: vpc.accountId,
        domainId: vpc.domainId,
        created: this.clock.now(),
      };
      await networkAclStore.insert(trx, acl);
      await eventLog(trx, this.clock, {
        type: 'NETWORK.ACL.CREATE',
        description: `Created network ACL list ${acl.name}`,
        accountId: vpc.accountId,
        domainId: vpc.domainId,
        userId: caller.userId,
        resourceId: acl.id,
        resourceType: 'NetworkAcl',
      });
      return { row: acl, kind: ACL_JOBS.applyList };
    }).then(({ row, jobId }) => ({ acl: row, jobId }));
  }

  /** createNetworkACL's first phase (NetworkACLServiceImpl.createNetworkACLItem). */
  async createItem(caller: Caller, r: NewAclItem, cmd: string): Promise<{ item: NetworkAclItem; jobId: string }> {
    return this.submit(caller, cmd, async (trx) => {
      const acl = await this.listFor(trx, caller, r);
      if (r.number !== undefined) {
        if (r.number < 1) throw invalid(`Invalid number [${r.number}]. Number cannot be < 1`, 'number');
        if ((await networkAclStore.itemsOf(trx, acl.id)).some((i) => i.number === r.number))
          throw invalid(`ACL item with number ${r.number} already exists in ACL: ${acl.id}`, 'number');
      }
      const action = actionOf(r.action);
      const end = r.endPort ?? r.startPort;
      checkItem(r, end);
      const trafficType = trafficOf(r.trafficType);
      const number = r.number ?? Math.max(0, ...(await networkAclStore.itemsOf(trx, acl.id)).map((i) => i.number)) + 1;
      const icmp = r.protocol.toLowerCase() === 'icmp';
      const item: NetworkAclItem = {
        id: newId(),
        aclId: acl.id,
        number,
        protocol: r.protocol.toLowerCase(),
        startPort: r.startPort ?? null,
        endPort: end ?? null,
        icmpType: icmp ? (r.icmpType ?? -1) : null,
        icmpCode: icmp ? (r.icmpCode ?? -1) : null,
        cidrList: (r.cidrList ?? ['0.0.0.0/0']).join(','),
        action,
        trafficType,
        reason: r.reason ?? null,
        state: 'Add',
        accountId: acl.accountId,
        domainId: acl.domainId,
        created: this.clock.now(),
      };
      await networkAclStore.insertItem(trx, item);
      await eventLog(trx, this.clock, {
        type: 'NETWORK.ACL.ITEM.CREATE',
        description: `Created ACL item ${number} in ${acl.name}`,
        accountId: acl.accountId!,
        domainId: acl.domainId!,
        userId: caller.userId,
        resourceId: item.id,
        resourceType: 'NetworkAclItem',
      });
      return { row: item, kind: ACL_JOBS.apply };
    }).then(({ row, jobId }) => ({ item: row, jobId }));
  }

  /** The list an item goes into: the one named, or the tier's (createAclListIfNeeded). */
  private async listFor(db: Db, caller: Caller, r: NewAclItem): Promise<NetworkAcl> {
    let aclId = r.aclId;
    if (!aclId) {
      if (!r.networkId) throw invalid('Cannot create Network ACL Item. ACL Id or network Id is required', 'aclid');
      const net = await networkStore.get(db, r.networkId);
      if (!net) throw notFound('Network', r.networkId, 'networkid');
      assertAccess(caller, net, 'Network', net.id);
      if (!net.vpcId || !net.aclId) throw invalid(`Network: ${net.id} does not belong to VPC`, 'networkid');
      aclId = net.aclId;
    }
    const acl = await networkAclStore.get(db, aclId);
    if (!acl) throw invalid('Unable to find specified ACL.', 'aclid');
    if (!acl.vpcId) throw invalid('Default ACL cannot be modified', 'aclid');
    await this.vpcOf(db, caller, acl);
    return acl;
  }

  /** updateNetworkACLItem: CloudStack checks everything inside the job (the command's execute). */
  async submitUpdateItem(caller: Caller, id: string, u: AclItemUpdate, cmd: string): Promise<string> {
    if (!(await networkAclStore.getItem(this.store.db, id))) throw notFound('NetworkAclItem', id);
    return this.jobs.run(caller, {
      cmd,
      kind: ACL_JOBS.update,
      params: { id, u },
      instanceType: 'NetworkAcl',
      instanceId: id,
    });
  }

  /** NetworkACLServiceImpl.updateNetworkACLItem: the list must be editable, the number free, the result valid. */
  private async updateItem(db: Db, caller: Caller, id: string, u: AclItemUpdate): Promise<void> {
    const item = await networkAclStore.getItem(db, id);
    if (!item) throw invalid(`Unable to find ACL rule with ID [${id}]`, 'id');
    const acl = await networkAclStore.get(db, item.aclId);
    if (!acl) throw invalid('Unable to find specified ACL.', 'id');
    if (!acl.vpcId) throw invalid('Default ACL cannot be modified', 'id');
    await this.vpcOf(db, caller, acl);
    if (
      u.number !== undefined &&
      (await networkAclStore.itemsOf(db, acl.id)).some((i) => i.number === u.number && i.id !== item.id)
    )
      throw invalid(`ACL item with number ${u.number} already exists in ACL: ${acl.id}`, 'number');
    // A full (non-partial) update takes every field from the request, absent ones as unset; the number stays.
    const pick = <T>(sent: T | undefined, kept: T | null): T | null | undefined => (u.partial ? (sent ?? kept) : sent);
    const protocol = pick(u.protocol?.trim() || undefined, item.protocol) ?? '';
    const r: NewAclItem = {
      protocol,
      startPort: pick(u.startPort, item.startPort) ?? undefined,
      endPort: pick(u.endPort, item.endPort) ?? undefined,
      icmpType: pick(u.icmpType, item.icmpType) ?? undefined,
      icmpCode: pick(u.icmpCode, item.icmpCode) ?? undefined,
      cidrList: u.cidrList?.length ? u.cidrList : u.partial ? item.cidrList.split(',') : undefined,
    };
    const action = u.partial && !u.action ? item.action : actionOf(u.action);
    const trafficType = u.partial && u.trafficType === undefined ? item.trafficType : trafficOf(u.trafficType);
    // CloudStack skips the port checks without ports and the protocol checks without a protocol.
    if (r.startPort !== undefined || r.endPort !== undefined) checkPorts(r, r.endPort);
    for (const c of r.cidrList ?? [])
      if (!isIpv4Cidr(c) && !isIpv6Cidr(c)) throw invalid(`Source cidrs formatting error ${c}`, 'cidrlist');
    if (protocol) checkProtocol(r, r.endPort);
    await networkAclStore.updateItem(db, item.id, {
      number: u.number ?? item.number,
      protocol: protocol.toLowerCase(),
      startPort: r.startPort ?? null,
      endPort: r.endPort ?? null,
      icmpType: r.icmpType ?? null,
      icmpCode: r.icmpCode ?? null,
      cidrList: (r.cidrList ?? []).join(','),
      action,
      trafficType,
      reason: pick(u.reason || undefined, item.reason) ?? null,
      state: 'Active',
    });
    await eventLog(db, this.clock, {
      type: 'NETWORK.ACL.ITEM.UPDATE',
      description: `Updated ACL item ${u.number ?? item.number} in ${acl.name}`,
      accountId: acl.accountId!,
      domainId: acl.domainId!,
      userId: caller.userId,
      resourceId: item.id,
      resourceType: 'NetworkAclItem',
    });
  }

  /** The sync part of delete / replace: what is named must exist, be the caller's, and be changeable. */
  async submitRemoveItem(caller: Caller, id: string, cmd: string): Promise<string> {
    const item = await networkAclStore.getItem(this.store.db, id);
    if (!item) throw notFound('NetworkAclItem', id);
    const acl = await networkAclStore.get(this.store.db, item.aclId);
    if (!acl?.vpcId) throw invalid('ACL Items in default ACL cannot be deleted', 'id');
    await this.vpcOf(this.store.db, caller, acl);
    return this.jobs.run(caller, {
      cmd,
      kind: ACL_JOBS.remove,
      params: { id },
      instanceType: 'NetworkAcl',
      instanceId: id,
    });
  }

  async submitRemoveList(caller: Caller, id: string, cmd: string): Promise<string> {
    const acl = await networkAclStore.get(this.store.db, id);
    if (!acl) throw notFound('NetworkAcl', id);
    if (!acl.vpcId) throw invalid('Default ACL cannot be removed', 'id');
    await this.vpcOf(this.store.db, caller, acl);
    return this.jobs.run(caller, {
      cmd,
      kind: ACL_JOBS.removeList,
      params: { id },
      instanceType: 'NetworkAcl',
      instanceId: id,
    });
  }

  /** replaceNetworkACLList: a tier switches to another list of its VPC, or to a built-in one. */
  async submitReplace(caller: Caller, aclId: string, networkId: string | undefined, cmd: string): Promise<string> {
    const db = this.store.db;
    if (!networkId) throw invalid('Network ID is required', 'networkid');
    const net = await networkStore.get(db, networkId);
    if (!net) throw notFound('Network', networkId, 'networkid');
    assertAccess(caller, net, 'Network', net.id);
    const acl = await networkAclStore.get(db, aclId);
    if (!acl) throw invalid('Unable to find specified NetworkACL', 'aclid');
    if (!net.vpcId) throw invalid(`Network is not part of a VPC: ${net.id}`, 'networkid');
    if (acl.vpcId) {
      await this.vpcOf(db, caller, acl);
      if (acl.vpcId !== net.vpcId)
        throw invalid(`Network: ${net.id} and ACL: ${acl.id} do not belong to the same VPC`, 'aclid');
    }
    return this.jobs.run(caller, {
      cmd,
      kind: ACL_JOBS.replace,
      params: { aclId, networkId },
      instanceType: 'Network',
      instanceId: networkId,
    });
  }

  private async removeList(db: Db, id: string): Promise<JobResult> {
    const acl = await networkAclStore.get(db, id);
    if (!acl) return { type: 'success' };
    const using = await networkAclStore.networksUsing(db, id);
    if (using.length)
      throw invalidState(
        `ACL is still associated with ${using.length} tier(s). Cannot delete network ACL: ${acl.id}`,
        'NetworkAcl',
        id,
      );
    await networkAclStore.remove(db, id);
    return { type: 'success' };
  }

  async lists(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; name?: string; vpcId?: string; networkId?: string; keyword?: string },
  ): Promise<NetworkAcl[]> {
    const db = this.store.db;
    let vpcIds: string[];
    if (f.vpcId) {
      const vpc = await vpcStore.get(db, f.vpcId);
      if (!vpc) throw invalid('Unable to find VPC', 'vpcid');
      assertAccess(caller, vpc, 'Vpc', vpc.id);
      vpcIds = [vpc.id];
    } else {
      vpcIds = (await vpcStore.list(db, { accountIds: await scopeAccounts(db, caller, scope) })).map((v) => v.id);
    }
    const networkAclId = f.networkId ? ((await networkStore.get(db, f.networkId))?.aclId ?? '') : undefined;
    const all = await networkAclStore.list(db, { vpcIds, id: f.id, name: f.name, networkAclId });
    return all.filter((a) => !f.keyword || a.name.includes(f.keyword) || (a.description ?? '').includes(f.keyword));
  }

  async items(
    caller: Caller,
    scope: ListScope,
    f: { id?: string; aclId?: string; networkId?: string; trafficType?: string; protocol?: string; action?: string },
  ): Promise<NetworkAclItem[]> {
    const db = this.store.db;
    let aclIds: string[];
    if (f.networkId) {
      const net = await networkStore.get(db, f.networkId);
      if (!net) throw notFound('Network', f.networkId, 'networkid');
      assertAccess(caller, net, 'Network', net.id);
      aclIds = net.aclId ? [net.aclId] : [];
    } else if (f.aclId) {
      const acl = await networkAclStore.get(db, f.aclId);
      if (!acl) throw notFound('NetworkAcl', f.aclId, 'aclid');
      if (acl.vpcId) await this.vpcOf(db, caller, acl);
      aclIds = [acl.id];
    } else {
      const vpcIds = (await vpcStore.list(db, { accountIds: await scopeAccounts(db, caller, scope) })).map((v) => v.id);
      aclIds = (await networkAclStore.list(db, { vpcIds })).filter((a) => a.vpcId).map((a) => a.id);
    }
    return networkAclStore.listItems(db, {
      aclIds,
      id: f.id,
      trafficType: f.trafficType,
      protocol: f.protocol,
      action: f.action,
    });
  }

  /** An item by id, for showing a job's result to the job's owner. */
  findItem(id: string): Promise<NetworkAclItem | undefined> {
    return networkAclStore.getItem(this.store.db, id);
  }

  byIds(ids: string[]): Promise<Map<string, NetworkAcl>> {
    return networkAclStore.byIds(this.store.db, ids);
  }

  /** The VPC of a (non built-in) list, which the caller must be allowed to act on. */
  private async vpcOf(db: Db, caller: Caller, acl: NetworkAcl): Promise<void> {
    const vpc = acl.vpcId ? await vpcStore.get(db, acl.vpcId) : undefined;
    if (!vpc) throw invalid(`Unable to find Vpc associated with the NetworkACL ${acl.id}`, 'aclid');
    assertAccess(caller, vpc, 'Vpc', vpc.id);
  }

  /** Records a row and its job in one transaction. */
  private async submit<T extends { id: string }>(
    caller: Caller,
    cmd: string,
    build: (trx: Db) => Promise<{ row: T; kind: string }>,
  ): Promise<{ row: T; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const { row, kind } = await build(trx);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind,
        params: { id: row.id },
        instanceType: 'NetworkAcl',
        instanceId: row.id,
      });
      return { row, jobId };
    });
    this.jobs.kick();
    return out;
  }
}
