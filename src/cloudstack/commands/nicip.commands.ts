import { job, type CommandDef } from '../command.js';
import { cmdOf } from './networking.common.js';

/** addIpToNic / removeIpFromNic: secondary guest addresses on a user VM's NIC; updateVmNicIp: its own address. */
export const nicIpCommands: CommandDef[] = [
  {
    name: 'addIpToNic',
    async handle(ctx) {
      const { ip, jobId } = await ctx.services.nicIps.submitAssign(
        ctx.caller,
        ctx.params.req('nicid'),
        ctx.params.str('ipaddress'),
        cmdOf(ctx),
      );
      return job(jobId, ip.id);
    },
  },
  {
    name: 'updateVmNicIp',
    async handle(ctx) {
      return job(
        await ctx.services.nicIps.submitUpdate(
          ctx.caller,
          ctx.params.req('nicid'),
          ctx.params.str('ipaddress'),
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'removeIpFromNic',
    async handle(ctx) {
      return job(await ctx.services.nicIps.submitRelease(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
];
