import type { Vpc } from '../../domain/networking.js';
import type { Services } from '../../services/services.js';
import { VPC_JOBS } from '../../services/network/vpc.service.js';
import { VPC_OFFERING_JOBS } from '../../services/network/vpcoffering.service.js';
import { job, list, type CommandDef } from '../command.js';
import { vpcOfferingView, vpcView } from '../views/vpc.view.js';
import { filterByTagsAndIds, listScope, paging, slice, uuidList } from './common.js';
import { cmdOf, networkNames } from './networking.common.js';

/** VPCs with their offering and tiers, as listVPCs and the VPC job results show them. */
export async function vpcViews(s: Services, vpcs: Vpc[]): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  const offerings = await s.vpcs.offeringsById(vpcs.map((v) => v.vpcOfferingId));
  return Promise.all(
    vpcs.map(async (v) => {
      const tiers = await s.vpcs.tiers(v.id);
      return vpcView(lk, v, offerings.get(v.vpcOfferingId), tiers, await networkNames(s, tiers));
    }),
  );
}

export const vpcCommands: CommandDef[] = [
  {
    name: 'listVPCOfferings',
    async handle({ caller, services, params: p }) {
      const all = await services.vpcs.offerings(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        displayText: p.str('displaytext'),
        state: p.str('state'),
        isDefault: p.bool('isdefault'),
        keyword: p.str('keyword'),
        supportedServices: p.list('supportedservices'),
        zoneId: p.uuid('zoneid'),
        domainId: p.uuid('domainid'),
      });
      const lk = services.lookup();
      return list(
        'vpcoffering',
        await Promise.all(slice(all, paging(p, services)).map((o) => vpcOfferingView(lk, o))),
        all.length,
      );
    },
  },
  {
    name: 'createVPCOffering',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      const { offering, jobId } = await ctx.services.vpcOfferings.create(
        ctx.caller,
        {
          name: p.req('name'),
          displayText: p.req('displaytext'),
          supportedServices: p.list('supportedservices') ?? [],
          serviceProviders: (p.map('serviceproviderlist') ?? []).map((e) => ({
            service: e['service'] ?? '',
            provider: e['provider'] ?? '',
          })),
          capabilities: (p.map('servicecapabilitylist') ?? []).map((e) => ({
            service: e['service'] ?? '',
            type: e['capabilitytype'] ?? '',
            value: e['capabilityvalue'] ?? '',
          })),
          internetProtocol: p.str('internetprotocol'),
          serviceOfferingId: p.uuid('serviceofferingid'),
          domainIds: uuidList(p, 'domainid'),
          zoneIds: uuidList(p, 'zoneid'),
          enable: p.bool('enable'),
        },
        cmdOf(ctx),
      );
      return job(jobId, offering.id);
    },
  },
  {
    name: 'updateVPCOffering',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.vpcOfferings.submit(ctx.caller, cmdOf(ctx), VPC_OFFERING_JOBS.update, {
          id: p.req('id'),
          name: p.str('name'),
          displayText: p.str('displaytext'),
          sortKey: p.int('sortkey'),
          state: p.str('state'),
          domainIds: p.str('domainid'),
          zoneIds: p.str('zoneid'),
        }),
      );
    },
  },
  {
    name: 'deleteVPCOffering',
    admin: true,
    async handle(ctx) {
      return job(
        await ctx.services.vpcOfferings.submit(ctx.caller, cmdOf(ctx), VPC_OFFERING_JOBS.remove, {
          id: ctx.params.req('id'),
        }),
      );
    },
  },
  {
    name: 'createVPC',
    async handle(ctx) {
      const p = ctx.params;
      const { vpc, jobId } = await ctx.services.vpcs.create(
        ctx.caller,
        {
          zoneId: p.req('zoneid'),
          name: p.req('name'),
          displayText: p.req('displaytext'),
          cidr: p.req('cidr'),
          vpcOfferingId: p.req('vpcofferingid'),
          networkDomain: p.str('networkdomain'),
          start: p.bool('start', true),
          account: p.str('account'),
          domainId: p.uuid('domainid'),
          projectId: p.uuid('projectid'),
        },
        cmdOf(ctx),
      );
      return job(jobId, vpc.id);
    },
  },
  {
    name: 'listVPCs',
    async handle({ caller, services, params: p }) {
      const all = await filterByTagsAndIds(
        p,
        services,
        await services.vpcs.list(caller, listScope(p), {
          id: p.uuid('id'),
          zoneId: p.uuid('zoneid'),
          name: p.str('name'),
          state: p.str('state'),
          cidr: p.str('cidr'),
          vpcOfferingId: p.uuid('vpcofferingid'),
          keyword: p.str('keyword'),
          displayText: p.str('displaytext'),
          restartRequired: p.bool('restartrequired'),
        }),
      );
      return list('vpc', await vpcViews(services, slice(all, paging(p, services))), all.length);
    },
  },
  {
    name: 'updateVPC',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.vpcs.submit(ctx.caller, cmdOf(ctx), VPC_JOBS.update, {
          id: p.req('id'),
          name: p.str('name'),
          displayText: p.str('displaytext'),
        }),
      );
    },
  },
  {
    name: 'restartVPC',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.vpcs.submit(ctx.caller, cmdOf(ctx), VPC_JOBS.restart, {
          id: p.req('id'),
          cleanup: p.bool('cleanup', false),
        }),
      );
    },
  },
  {
    name: 'deleteVPC',
    async handle(ctx) {
      return job(await ctx.services.vpcs.submit(ctx.caller, cmdOf(ctx), VPC_JOBS.remove, { id: ctx.params.req('id') }));
    },
  },
];
