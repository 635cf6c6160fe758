import type { OwnerRequest } from '../../services/identity/owner.js';
import { job, list, type CommandDef } from '../command.js';
import type { Params } from '../params.js';
import { remoteAccessVpnView, vpnUserView } from '../views/vpn.view.js';
import { listScope, paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';

/** The VPN user's account: `account` + `domainid`, or `projectid`, else the caller's own. */
const ownerOf = (p: Params): OwnerRequest => ({
  account: p.str('account'),
  domainId: p.uuid('domainid'),
  projectId: p.uuid('projectid'),
});

/** Remote access VPNs (RemoteAccessVpnService) and their users: CreateRemoteAccessVpnCmd and AddVpnUserCmd are async creates. */
export const vpnCommands: CommandDef[] = [
  {
    name: 'createRemoteAccessVpn',
    async handle(ctx) {
      const p = ctx.params;
      const { vpn, jobId } = await ctx.services.vpns.create(
        ctx.caller,
        {
          ipId: p.req('publicipid'),
          ipRange: p.str('iprange'),
          openFirewall: p.bool('openfirewall') ?? true,
          forDisplay: p.bool('fordisplay'),
        },
        cmdOf(ctx),
      );
      return job(jobId, vpn.id);
    },
  },
  {
    name: 'deleteRemoteAccessVpn',
    async handle(ctx) {
      return job(await ctx.services.vpns.destroy(ctx.caller, ctx.params.req('publicipid'), cmdOf(ctx)));
    },
  },
  {
    name: 'updateRemoteAccessVpn',
    async handle(ctx) {
      return job(
        await ctx.services.vpns.update(ctx.caller, ctx.params.req('id'), ctx.params.bool('fordisplay'), cmdOf(ctx)),
      );
    },
  },
  {
    name: 'listRemoteAccessVpns',
    // searchForRemoteAccessVpns filters on neither fordisplay nor keyword.
    async handle({ caller, services, params: p }) {
      const all = await services.vpns.list(caller, listScope(p), {
        id: p.uuid('id'),
        ipId: p.uuid('publicipid'),
        networkId: p.uuid('networkid'),
      });
      const lk = services.lookup();
      return list(
        'remoteaccessvpn',
        await Promise.all(slice(all, paging(p, services)).map((v) => remoteAccessVpnView(lk, v))),
        all.length,
      );
    },
  },
  {
    name: 'addVpnUser',
    async handle(ctx) {
      const p = ctx.params;
      const { user, jobId } = await ctx.services.vpnUsers.add(
        ctx.caller,
        ownerOf(p),
        p.req('username'),
        p.req('password'),
        cmdOf(ctx),
      );
      return job(jobId, user.id);
    },
  },
  {
    name: 'removeVpnUser',
    async handle(ctx) {
      return job(
        await ctx.services.vpnUsers.remove(ctx.caller, ownerOf(ctx.params), ctx.params.req('username'), cmdOf(ctx)),
      );
    },
  },
  {
    name: 'listVpnUsers',
    async handle({ caller, services, params: p }) {
      const all = await services.vpnUsers.list(caller, listScope(p), {
        id: p.uuid('id'),
        username: p.str('username'),
        keyword: p.str('keyword'),
      });
      const lk = services.lookup();
      return list(
        'vpnuser',
        await Promise.all(slice(all, paging(p, services)).map((u) => vpnUserView(lk, u))),
        all.length,
      );
    },
  },
];
