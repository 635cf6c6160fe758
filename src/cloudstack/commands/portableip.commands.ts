import { job, list, type CommandDef } from '../command.js';
import { portableIpRangeView } from '../views/portableip.view.js';
import { paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

/** A region's portable public IP ranges (root admins only). */
export const portableIpCommands: CommandDef[] = [
  {
    name: 'createPortableIpRange',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      const { range, jobId } = await ctx.services.portableIps.create(
        ctx.caller,
        {
          regionId: p.int('regionid')!,
          startIp: p.req('startip'),
          endIp: p.req('endip'),
          gateway: p.req('gateway'),
          netmask: p.req('netmask'),
          vlan: p.str('vlan'),
        },
        cmdOf(ctx),
      );
      return job(jobId, range.id);
    },
  },
  {
    name: 'deletePortableIpRange',
    rootAdmin: true,
    async handle(ctx) {
      return job(await ctx.services.portableIps.submitDelete(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'listPortableIpRanges',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.portableIps.list({ id: p.uuid('id'), regionId: p.int('regionid') });
      return list(
        'portableiprange',
        slice(all, paging(p, services)).map((x) => portableIpRangeView(x.range, x.ips)),
        all.length,
      );
    },
  },
];
