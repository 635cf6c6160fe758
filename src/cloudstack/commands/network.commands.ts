import { isAdmin } from '../../services/context.js';
import { JOB_KINDS } from '../../services/jobs.js';
import { commandClass } from '../cmdclass.js';
import { job, list, success, type CommandDef } from '../command.js';
import { STATIC_NAT_JOBS } from '../../services/staticnat.service.js';
import { networkView, publicIpView } from '../views/network.view.js';
import { filterByTagsAndIds, listScope, paging, slice, taggedIds } from './common.js';
import { portForwardingView } from '../views/portforwarding.view.js';

export const networkCommands: CommandDef[] = [
  {
    name: 'listNetworks',
    async handle({ caller, services, params: p }) {
      const all = await filterByTagsAndIds(p, services, await services.networks.listNetworks(caller, listScope(p), { id: p.uuid('id'), zoneId: p.uuid('zoneid'), type: p.str('type'), keyword: p.str('keyword') }));
      const lk = services.lookup();
      return list('network', await Promise.all(slice(all, paging(p, services)).map((n) => networkView(lk, n))), all.length);
    },
  },
  {
    name: 'listPublicIpAddresses',
    async handle({ caller, services, params: p }) {
      const all = await filterByTagsAndIds(p, services, await services.networks.listPublicIps(caller, listScope(p), {
        id: p.uuid('id'), zoneId: p.uuid('zoneid'), ipAddress: p.str('ipaddress'), networkId: p.uuid('associatednetworkid') ?? p.uuid('networkid'),
        isSourceNat: p.bool('issourcenat'), allocatedOnly: p.bool('allocatedonly', true),
      }));
      const lk = services.lookup();
      return list('publicipaddress', await Promise.all(slice(all, paging(p, services)).map((ip) => publicIpView(lk, ip))), all.length);
    },
  },
  {
    name: 'associateIpAddress',
    async handle(ctx) {
      const p = ctx.params;
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)), kind: JOB_KINDS.ipAssociate,
        params: { networkId: p.uuid('networkid'), zoneId: p.uuid('zoneid') }, instanceType: 'IpAddress',
      });
      return job(jobId);
    },
  },
  {
    name: 'disassociateIpAddress',
    async handle(ctx) {
      const id = ctx.params.req('id');
      await ctx.services.networks.ownedPublicIp(ctx.caller, id);
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)), kind: JOB_KINDS.ipDisassociate, params: { id }, instanceType: 'IpAddress', instanceId: id,
      });
      return job(jobId);
    },
  },
  {
    // Static NAT rules are the public addresses bound to a VM.
    name: 'listIpForwardingRules',
    async handle({ caller, services, params: p }) {
      const ips = (await services.networks.listPublicIps(caller, listScope(p), { id: p.uuid('ipaddressid') })).filter(
        (ip) => ip.vmId && (!p.uuid('virtualmachineid') || ip.vmId === p.uuid('virtualmachineid')),
      );
      const lk = services.lookup();
      const vms = await lk.vms(ips.map((ip) => ip.vmId!));
      const rules = ips.map((ip) => {
        const vm = vms.get(ip.vmId!);
        return {
          id: ip.id, ipaddressid: ip.id, ipaddress: ip.address, protocol: 'NAT', startport: 1, endport: 65535, state: 'Active',
          virtualmachineid: ip.vmId, virtualmachinename: vm?.name, virtualmachinedisplayname: vm?.displayName, fordisplay: true, tags: [],
        };
      });
      return list('ipforwardingrule', slice(rules, paging(p, services)), rules.length);
    },
  },
];

export const portForwardingCommands: CommandDef[] = [
  {
    name: 'createPortForwardingRule',
    async handle(ctx) {
      const p = ctx.params;
      const { rule, jobId } = await ctx.services.portForwarding.create(
        ctx.caller,
        {
          ipId: p.req('ipaddressid'), protocol: p.req('protocol'), publicPort: p.int('publicport')!, publicEndPort: p.int('publicendport'),
          privatePort: p.int('privateport')!, privateEndPort: p.int('privateendport'), vmId: p.req('virtualmachineid'), vmGuestIp: p.str('vmguestip'),
          networkId: p.uuid('networkid'), cidrList: p.list('cidrlist'),
        },
        commandClass(ctx.command, isAdmin(ctx.caller)),
      );
      return job(jobId, rule.id);
    },
  },
  {
    name: 'deletePortForwardingRule',
    async handle(ctx) {
      return job(await ctx.services.portForwarding.remove(ctx.caller, ctx.params.req('id'), commandClass(ctx.command, isAdmin(ctx.caller))));
    },
  },
  {
    name: 'listPortForwardingRules',
    async handle({ caller, services, params: p }) {
      let all = await services.portForwarding.list(caller, listScope(p), { id: p.uuid('id'), ipId: p.uuid('ipaddressid'), networkId: p.uuid('networkid') });
      const tagged = await taggedIds(p, services);
      if (tagged) all = all.filter((r) => tagged.includes(r.id));
      const lk = services.lookup();
      return list('portforwardingrule', await Promise.all(slice(all, paging(p, services)).map((r) => portForwardingView(lk, r))), all.length);
    },
  },
];

export const staticNatCommands: CommandDef[] = [
  {
    name: 'enableStaticNat',
    async handle({ caller, services, params: p }) {
      await services.staticNat.enable(caller, p.req('ipaddressid'), p.req('virtualmachineid'), p.uuid('networkid'));
      return success();
    },
  },
  {
    name: 'disableStaticNat',
    async handle(ctx) {
      const ipId = ctx.params.req('ipaddressid');
      await ctx.services.networks.ownedPublicIp(ctx.caller, ipId);
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)), kind: STATIC_NAT_JOBS.disable, params: { ipId }, instanceType: 'IpAddress', instanceId: ipId,
      });
      return job(jobId);
    },
  },
];
