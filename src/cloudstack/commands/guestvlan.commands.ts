import type { GuestVlanDedication } from '../../domain/networking.js';
import type { Services } from '../../services/services.js';
import { job, list, object, type CommandDef } from '../command.js';
import { dedicatedGuestVlanRangeView } from '../views/physicalnetwork.view.js';
import { paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

async function views(s: Services, ds: GuestVlanDedication[]): Promise<Record<string, unknown>[]> {
  const lk = s.lookup();
  const zones = new Map((await s.physicalNetworks.list({})).map((p) => [p.id, p.zoneId]));
  return Promise.all(ds.map((d) => dedicatedGuestVlanRangeView(lk, d, zones.get(d.physicalNetworkId))));
}

/** Guest VLAN ranges dedicated to accounts (root admins only). */
export const guestVlanCommands: CommandDef[] = [
  {
    name: 'dedicateGuestVlanRange',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const d = await services.guestVlans.dedicate(caller, {
        vlanRange: p.req('vlanrange'),
        physicalNetworkId: p.req('physicalnetworkid'),
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return object('dedicatedguestvlanrange', (await views(services, [d]))[0]!);
    },
  },
  {
    name: 'listDedicatedGuestVlanRanges',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.guestVlans.list({
        id: p.uuid('id'),
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
        guestVlanRange: p.str('guestvlanrange'),
        physicalNetworkId: p.uuid('physicalnetworkid'),
        zoneId: p.uuid('zoneid'),
      });
      return list('dedicatedguestvlanrange', await views(services, slice(all, paging(p, services))), all.length);
    },
  },
  {
    name: 'releaseDedicatedGuestVlanRange',
    rootAdmin: true,
    async handle(ctx) {
      return job(await ctx.services.guestVlans.submitRelease(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
];
