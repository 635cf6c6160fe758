import { serviceName } from '../../domain/netoffering.js';
import { idList, inZones } from '../../domain/offerings.js';
import { assertOfferingAccess, visibleTo } from '../infrastructure/offering.scope.js';
import { isIpv4Cidr, isRfc1918 } from '../../domain/cidr.js';
import { DOMAIN_NAME_RULES, isDomainName } from '../../domain/domainname.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Vpc, VpcOffering } from '../../domain/networking.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { removeRulesOnIp } from '../../store/iprules.store.js';
import { networkAclStore } from '../../store/networkacl.store.js';
import { networkStore } from '../../store/network.store.js';
import { routerStore } from '../../store/router.store.js';
import { vpcStore } from '../../store/vpc.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { claimPublicIp, consume, freePublicIp, release } from '../resources.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { destroyRouterOf, ensureRouter } from './router.service.js';
import { attachVpcRouterIp6 } from './ipv6.service.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import { zoneRows } from '../../store/datacenter.store.js';

export interface VpcOfferingFilter {
  id?: string;
  name?: string;
  displayText?: string;
  state?: string;
  isDefault?: boolean;
  keyword?: string;
  supportedServices?: string[];
  zoneId?: string;
  domainId?: string;
  /** For a job's result, which may name an offering it just deleted. */
  withRemoved?: boolean;
}

export const VPC_JOBS = {
  start: 'vpc.start',
  update: 'vpc.update',
  restart: 'vpc.restart',
  remove: 'vpc.delete',
} as const;

export interface NewVpc extends OwnerRequest {
  zoneId: string;
  name: string;
  displayText: string;
  cidr: string;
  vpcOfferingId: string;
  networkDomain?: string;
  start?: boolean;
}

/** How CloudStack names a VPC in its messages. */
export const vpcLabel = (v: Vpc) => `[VPC [${v.id}-${v.name}]`;

/** A VPC comes up with its source-NAT address and its router, once, whichever tier or command needs it first. */
export async function implementVpc(db: Db, clock: Clock, vpc: Vpc): Promise<void> {
  let nat = (await networkStore.ipsOfVpc(db, vpc.id)).find((ip) => ip.isSourceNat);
  if (!nat) {
    nat = await claimPublicIp(db, vpc.zoneId, {
      accountId: vpc.accountId,
      domainId: vpc.domainId,
      networkId: null,
      vpcId: vpc.id,
      isSourceNat: 1,
      allocated: clock.now(),
    });
    if (!nat)
      throw new DomainError(
        'InsufficientCapacity',
        `Insufficient address capacity: no free public IP for VPC ${vpc.name}`,
        { kind: 'DataCenter', id: vpc.zoneId, capacity: 'address' },
      );
  }
  const r = await ensureRouter(db, clock, {
    zoneId: vpc.zoneId,
    accountId: vpc.accountId,
    domainId: vpc.domainId,
    vpcId: vpc.id,
    publicIp: nat.address,
    guestIp: null,
  });
  if (r.state !== 'Running') await routerStore.update(db, r.id, { state: 'Running' });
  await attachVpcRouterIp6(db, clock, vpc.id);
}

export class VpcService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string; start: boolean }>(VPC_JOBS.start, ({ params }) => this.start(params.id, params.start));
    jobs.register<{ id: string; name?: string; displayText?: string }>(VPC_JOBS.update, async ({ params: p }) => {
      await this.store.tx(async (trx) => {
        const vpc = await this.load(trx, p.id);
        await vpcStore.update(trx, vpc.id, {
          ...(p.name ? { name: p.name } : {}),
          ...(p.displayText ? { displayText: p.displayText } : {}),
        });
      });
      return obj(p.id);
    });
    jobs.register<{ id: string; cleanup: boolean }>(VPC_JOBS.restart, async ({ params: p }) => {
      await this.store.tx(async (trx) => {
        const vpc = await this.load(trx, p.id);
        if (p.cleanup) await destroyRouterOf(trx, this.clock, { vpcId: vpc.id });
        await implementVpc(trx, this.clock, vpc);
        await vpcStore.update(trx, vpc.id, { restartRequired: 0 });
      });
      return { type: 'success' };
    });
    jobs.register<{ id: string }>(VPC_JOBS.remove, async ({ caller, params: p }) => {
      await this.store.tx((trx) => this.destroy(trx, caller, p.id));
      return { type: 'success' };
    });
  }

  /** listVPCOfferings: live offerings, narrowed by the filters; one limited to domains only for callers of them. */
  async offerings(caller: Caller, f: VpcOfferingFilter): Promise<VpcOffering[]> {
    const db = this.store.db;
    const wanted = (f.supportedServices ?? []).map((n) => serviceName(n) ?? n);
    const all = await vpcStore.offerings(db, { id: f.id, name: f.name, state: f.state, isDefault: f.isDefault });
    const out: VpcOffering[] = [];
    for (const o of all) {
      if (o.removed && !f.withRemoved) continue;
      if (f.keyword && !o.name.includes(f.keyword) && !o.displayText.includes(f.keyword)) continue;
      if (f.displayText && !o.displayText.includes(f.displayText)) continue;
      const services = JSON.parse(o.services) as Record<string, string[]>;
      if (!wanted.every((svc) => Object.hasOwn(services, svc))) continue;
      if (f.zoneId && !inZones(o, f.zoneId)) continue;
      if (f.domainId && idList(o.domainIds).length && !idList(o.domainIds).includes(f.domainId)) continue;
      if (!(await visibleTo(db, caller, o))) continue;
      out.push(o);
    }
    return out;
  }

  /** createVPC's first phase: the VPC row (state Enabled) and the job that brings it up. */
  async create(caller: Caller, r: NewVpc, cmd: string): Promise<{ vpc: Vpc; jobId: string }> {
    if (!isIpv4Cidr(r.cidr)) throw invalid(`Invalid CIDR specified ${r.cidr}`, 'cidr');
    if (!isRfc1918(r.cidr)) throw invalid(`Guest Cidr ${r.cidr} is not RFC1918 compliant`, 'cidr');
    if (r.networkDomain !== undefined && !isDomainName(r.networkDomain))
      throw invalid(DOMAIN_NAME_RULES, 'networkdomain');
    const out = await this.store.tx(async (trx) => {
      const owner = await resolveOwner(trx, caller, r);
      const zone = await zoneRows.get(trx, r.zoneId);
      if (!zone) throw notFound('Zone', r.zoneId, 'zoneid');
      if (zone.networkType !== 'Advanced' || zone.securityGroupsEnabled)
        throw invalid(
          `VPC can't be created in zone ${zone.name}: VPCs need an advanced zone without security groups`,
          'zoneid',
        );
      const off = await vpcStore.offering(trx, r.vpcOfferingId);
      if (!off || off.state !== 'Enabled')
        throw invalid('Unable to find vpc offering in Enabled state by specified id', 'vpcofferingid');
      await assertOfferingAccess(trx, owner, off, zone.id, 'vpc offering');
      const vpc: Vpc = {
        id: newId(),
        name: r.name,
        displayText: r.displayText,
        zoneId: zone.id,
        cidr: r.cidr,
        vpcOfferingId: off.id,
        state: 'Enabled',
        networkDomain: r.networkDomain ?? zone.networkDomain ?? 'cs1cloud.internal',
        accountId: owner.id,
        domainId: owner.domainId,
        restartRequired: 0,
        created: this.clock.now(),
        removed: null,
      };
      await consume(trx, owner.id, { vpc: 1 });
      await vpcStore.insert(trx, vpc);
      await eventLog(trx, this.clock, {
        type: 'VPC.CREATE',
        description: `Created VPC ${vpc.name}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: vpc.id,
        resourceType: 'Vpc',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: VPC_JOBS.start,
        params: { id: vpc.id, start: r.start !== false },
        instanceType: 'Vpc',
        instanceId: vpc.id,
      });
      return { vpc, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /** A VPC that cannot come up is not left behind half-made. */
  private async start(id: string, start: boolean): Promise<JobResult> {
    if (!start) return obj(id);
    try {
      await this.store.tx(async (trx) => implementVpc(trx, this.clock, await this.load(trx, id)));
    } catch (e) {
      await this.store.tx((trx) => vpcStore.remove(trx, id, this.clock.now()));
      throw e;
    }
    return obj(id);
  }

  /** The VPC, if the caller may act on it (the sync part of the VPC commands). */
  async owned(caller: Caller, id: string, param = 'id'): Promise<Vpc> {
    const vpc = await vpcStore.get(this.store.db, id);
    if (!vpc) throw notFound('Vpc', id, param);
    assertAccess(caller, vpc, 'Vpc', id);
    return vpc;
  }

  async submit(
    caller: Caller,
    cmd: string,
    kind: string,
    params: { id: string } & Record<string, unknown>,
  ): Promise<string> {
    await this.owned(caller, params.id);
    return this.jobs.run(caller, { cmd, kind, params, instanceType: 'Vpc', instanceId: params.id });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: {
      id?: string;
      zoneId?: string;
      name?: string;
      state?: string;
      cidr?: string;
      vpcOfferingId?: string;
      keyword?: string;
      displayText?: string;
      restartRequired?: boolean;
    },
  ): Promise<Vpc[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    const all = await vpcStore.list(this.store.db, { ...f, accountIds: accounts });
    // VpcManagerImpl.listVpcs: displaytext is a LIKE %…% match, restartrequired an equality.
    return all.filter(
      (v) =>
        (!f.keyword || v.name.includes(f.keyword) || v.displayText.includes(f.keyword)) &&
        (f.displayText === undefined || v.displayText.includes(f.displayText)) &&
        (f.restartRequired === undefined || !!v.restartRequired === f.restartRequired),
    );
  }

  /** A VPC by id (deleted ones too), for showing a job's result to the job's owner. */
  find(id: string): Promise<Vpc | undefined> {
    return vpcStore.byIds(this.store.db, [id]).then((m) => m.get(id));
  }

  byIds(ids: string[]): Promise<Map<string, Vpc>> {
    return vpcStore.byIds(this.store.db, ids);
  }

  offeringsById(ids: string[]): Promise<Map<string, VpcOffering>> {
    return vpcStore
      .offerings(this.store.db, {})
      .then((all) => new Map(all.filter((o) => ids.includes(o.id)).map((o) => [o.id, o])));
  }

  /** A VPC's tiers, for showing it. */
  tiers(vpcId: string) {
    return networkStore.list(this.store.db, { vpcId });
  }

  private async load(db: Db, id: string): Promise<Vpc> {
    const vpc = await vpcStore.get(db, id);
    if (!vpc) throw notFound('Vpc', id);
    return vpc;
  }

  /** deleteVPC: refused while tiers remain; otherwise its router, addresses and ACL lists go with it. */
  private async destroy(db: Db, caller: Caller, id: string): Promise<void> {
    const vpc = await vpcStore.get(db, id);
    if (!vpc) return; // a re-run after it went
    const tiers = await networkStore.list(db, { vpcId: vpc.id });
    if (tiers.length) throw invalid(`Can't delete VPC ${vpcLabel(vpc)} as its used by ${tiers.length} networks`, 'id');
    await destroyRouterOf(db, this.clock, { vpcId: vpc.id });
    for (const ip of await networkStore.ipsOfVpc(db, vpc.id)) {
      await removeRulesOnIp(db, ip.id);
      await freePublicIp(db, ip);
    }
    for (const acl of await networkAclStore.ofVpc(db, vpc.id)) await networkAclStore.remove(db, acl.id);
    await vpcStore.remove(db, vpc.id, this.clock.now());
    await release(db, vpc.accountId, { vpc: 1 });
    await eventLog(db, this.clock, {
      type: 'VPC.DELETE',
      description: `Deleted VPC ${vpc.name}`,
      accountId: vpc.accountId,
      domainId: vpc.domainId,
      userId: caller.userId,
      resourceId: vpc.id,
      resourceType: 'Vpc',
    });
  }
}

const obj = (id: string): JobResult => ({ type: 'object', instanceType: 'Vpc', id });
