import type { Clock } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { providerName, serviceName } from '../../domain/netoffering.js';
import type { VpcOffering } from '../../domain/networking.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { checkZones, filterChildDomains, updatedIds } from '../infrastructure/offering.scope.js';
import { domainRows } from '../../store/account.store.js';
import { serviceOfferingRows } from '../../store/catalog.store.js';
import { vpcStore, vpcOfferingRows } from '../../store/vpc.store.js';

export const VPC_OFFERING_JOBS = {
  create: 'vpcoffering.create',
  update: 'vpcoffering.update',
  remove: 'vpcoffering.delete',
} as const;

export interface NewVpcOffering {
  name: string;
  displayText: string;
  supportedServices: string[];
  serviceProviders: { service: string; provider: string }[];
  capabilities: { service: string; type: string; value: string }[];
  internetProtocol?: string;
  serviceOfferingId?: string;
  domainIds?: string[];
  zoneIds?: string[];
  enable?: boolean;
}
export interface VpcOfferingUpdate {
  name?: string;
  displayText?: string;
  sortKey?: number;
  state?: string;
  domainIds?: string;
  zoneIds?: string;
}

const UNSUPPORTED = ['SecurityGroup', 'Firewall'];
const obj = (id: string): JobResult => ({ type: 'object', instanceType: 'VpcOffering', id });

/** createVPCOffering / updateVPCOffering / deleteVPCOffering (VpcManagerImpl): async commands, root admins only. */
export class VpcOfferingService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(VPC_OFFERING_JOBS.create, async ({ params }) => obj(params.id));
    jobs.register<{ id: string } & VpcOfferingUpdate>(VPC_OFFERING_JOBS.update, async ({ caller, params }) => {
      await this.store.tx((trx) => this.update(trx, caller, params.id, params));
      return obj(params.id);
    });
    jobs.register<{ id: string }>(VPC_OFFERING_JOBS.remove, async ({ caller, params }) => {
      await this.store.tx((trx) => this.remove(trx, caller, params.id));
      return { type: 'success' };
    });
  }

  /** The create phase: the offering is written and checked at once; the job only reports it. */
  async create(caller: Caller, r: NewVpcOffering, cmd: string): Promise<{ offering: VpcOffering; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      for (const d of r.domainIds ?? [])
        if (!(await domainRows.get(trx, d))) throw invalid('Please specify a valid domain id', 'domainid');
      await checkZones(trx, r.zoneIds ?? []);
      if (r.serviceOfferingId !== undefined) {
        const so = await serviceOfferingRows.get(trx, r.serviceOfferingId);
        if (!so || so.removed || so.state !== 'Active' || so.systemVmType !== 'domainrouter')
          throw invalid(
            `The specified service offering [${r.serviceOfferingId}] is either inactive or its system VM type is not domain router.`,
            'serviceofferingid',
          );
      }
      let protocol: string | null = null;
      if (r.internetProtocol !== undefined) {
        protocol = ['IPv4', 'DualStack'].find((x) => x.toLowerCase() === r.internetProtocol!.toLowerCase()) ?? null;
        if (!protocol) throw invalid(`Invalid internet protocol: ${r.internetProtocol}`, 'internetprotocol');
        if (protocol !== 'IPv4' && !this.config.bool('ipv6.offering.enabled', false))
          throw invalid(
            'Configuration ipv6.offering.enabled needs to be enabled for creating IPv6 supported VPC offering',
            'internetprotocol',
          );
      }
      const services: Record<string, string[]> = {};
      for (const n of r.supportedServices) {
        const svc = serviceName(n);
        if (!svc || UNSUPPORTED.includes(svc))
          throw invalid(`Service ${n} is not supported in VPC`, 'supportedservices');
        services[svc] = svc === 'Connectivity' ? ['NiciraNvp', 'JuniperContrailVpcRouter'] : ['VpcVirtualRouter'];
      }
      // VPCs always do source NAT and network ACLs.
      services['SourceNat'] ??= ['VpcVirtualRouter'];
      services['NetworkACL'] ??= ['VpcVirtualRouter'];
      const byService = new Map<string, string[]>();
      for (const { service, provider } of r.serviceProviders)
        byService.set(service, [...(byService.get(service) ?? []), provider]);
      for (const [given, names] of byService) {
        const svc = serviceName(given);
        if (!svc || !Object.hasOwn(services, svc))
          throw invalid(
            `Service ${given} is not enabled for the network offering, can't add a provider to it`,
            'serviceproviderlist',
          );
        services[svc] = names.map((n) => {
          const p = providerName(n);
          if (!p) throw invalid(`Invalid service provider: ${n}`, 'serviceproviderlist');
          return p;
        });
      }
      if (services['SourceNat']?.length) services['Gateway'] = [...services['SourceNat']];
      for (const c of r.capabilities) {
        const cap = ['DistributedRouter', 'RegionLevelVpc', 'RedundantRouter'].find(
          (x) => x.toLowerCase() === c.type.toLowerCase(),
        );
        if (!cap || !c.value)
          throw invalid(`Invalid capability:${c.type} capability value:${c.value}`, 'servicecapabilitylist');
        if (!['true', 'false'].includes(c.value.toLowerCase()))
          throw invalid(`Invalid Capability value:${c.value} specified.`, 'servicecapabilitylist');
      }
      const domainIds = await filterChildDomains(trx, r.domainIds ?? []);
      const o: VpcOffering = {
        id: newId(),
        name: r.name,
        displayText: r.displayText,
        state: r.enable ? 'Enabled' : 'Disabled',
        isDefault: 0,
        services: JSON.stringify(services),
        created: this.clock.now(),
        serviceOfferingId: r.serviceOfferingId ?? null,
        internetProtocol: protocol,
        domainIds: domainIds.join(',') || null,
        zoneIds: [...new Set(r.zoneIds ?? [])].join(',') || null,
        sortKey: 0,
        removed: null,
      };
      await vpcOfferingRows.insert(trx, o);
      await this.event(trx, caller, 'VPC.OFFERING.CREATE', ` Id: ${o.id} Name: ${o.name}`, o.id);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: VPC_OFFERING_JOBS.create,
        params: { id: o.id },
        instanceType: 'VpcOffering',
        instanceId: o.id,
      });
      return { offering: o, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async submit(caller: Caller, cmd: string, kind: string, params: { id: string } & VpcOfferingUpdate): Promise<string> {
    const jobId = await this.store.tx(async (trx) => {
      const o = await vpcOfferingRows.get(trx, params.id);
      if (!o || o.removed) throw invalid(`unable to find vpc offering ${params.id}`, 'id');
      return this.jobs.submit(trx, caller, { cmd, kind, params, instanceType: 'VpcOffering', instanceId: params.id });
    });
    this.jobs.kick();
    return jobId;
  }

  private async update(db: Db, caller: Caller, id: string, u: VpcOfferingUpdate): Promise<void> {
    const o = await vpcOfferingRows.get(db, id);
    if (!o || o.removed) throw invalid(`Unable to find vpc offering ${id}`, 'id');
    const patch: Partial<VpcOffering> = {};
    if (u.name !== undefined) patch.name = u.name;
    if (u.displayText !== undefined) patch.displayText = u.displayText;
    if (u.sortKey !== undefined) patch.sortKey = u.sortKey;
    if (u.state !== undefined) {
      const st = ['Enabled', 'Disabled'].find((x) => x.toLowerCase() === u.state!.toLowerCase());
      if (!st) throw invalid('Incorrect state value: ' + u.state, 'state');
      patch.state = st;
    }
    if (u.domainIds !== undefined || u.zoneIds !== undefined) {
      const domains = updatedIds(u.domainIds, o.domainIds, 'public');
      const zones = updatedIds(u.zoneIds, o.zoneIds, 'all');
      for (const d of domains)
        if (!(await domainRows.get(db, d))) throw invalid('Please specify a valid domain id', 'domainid');
      await checkZones(db, zones);
      patch.domainIds = (await filterChildDomains(db, domains)).join(',') || null;
      patch.zoneIds = [...new Set(zones)].join(',') || null;
    }
    if (Object.keys(patch).length) await vpcOfferingRows.update(db, id, patch);
    await this.event(db, caller, 'VPC.OFFERING.UPDATE', `VPC offering id=${id}`, id);
  }

  private async remove(db: Db, caller: Caller, id: string): Promise<void> {
    const o = await vpcOfferingRows.get(db, id);
    if (!o || o.removed) throw invalid(`unable to find vpc offering ${id}`, 'id');
    if (o.isDefault) throw invalid("Default network offering can't be deleted", 'id');
    const used = await vpcStore.idsOfOffering(db, id);
    if (used.length)
      throw invalid(
        `Can't delete vpc offering ${id} as its used by ${used.length} vpcs. To make the network offering unavaiable, disable it`,
        'id',
      );
    await vpcOfferingRows.update(db, id, { removed: this.clock.now(), state: 'Disabled' });
    await this.event(db, caller, 'VPC.OFFERING.DELETE', `VPC offering id=${id}`, id);
  }

  private event(db: Db, caller: Caller, type: string, description: string, id: string): Promise<void> {
    return eventLog(db, this.clock, {
      type,
      description,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: id,
      resourceType: 'VpcOffering',
    });
  }
}
