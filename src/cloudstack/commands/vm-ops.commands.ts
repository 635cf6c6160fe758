import { detailsOf } from '../../domain/offerings.js';
import type { InstanceGroup } from '../../domain/types.js';
import { isAdmin } from '../../domain/caller.js';
import type { Lookup } from '../../services/lookup.service.js';
import { VM_OPS_JOBS } from '../../services/compute/vm.ops.service.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, success, type CommandContext, type CommandDef } from '../command.js';
import { csDate } from '../encode.js';
import { ownerFields } from '../views/owner.view.js';
import { nicView, vmViews } from '../views/vm.view.js';
import { listScope, paging, slice } from './common.js';

/** A VM job whose params are read from the request by `params`; the VM must be the caller's. */
function vmJob(
  name: string,
  kind: string,
  vmParam: string,
  params: (ctx: CommandContext) => Record<string, unknown> = () => ({}),
): CommandDef {
  return {
    name,
    async handle(ctx) {
      const vmId = ctx.params.req(vmParam);
      await ctx.services.vms.owned(ctx.services.store.db, ctx.caller, vmId, vmParam);
      const jobId = await ctx.services.jobs.run(ctx.caller, {
        cmd: commandClass(ctx.command, isAdmin(ctx.caller)),
        kind,
        instanceType: 'VirtualMachine',
        instanceId: vmId,
        params: { vmId, ...params(ctx) },
      });
      return job(jobId);
    },
  };
}

async function vmObject(ctx: CommandContext, vm: Parameters<typeof vmViews>[1][number]) {
  const [v] = await vmViews(ctx.services.lookup(), [vm], { admin: isAdmin(ctx.caller) });
  return object('virtualmachine', v!);
}

async function groupView(lk: Lookup, g: InstanceGroup) {
  return { id: g.id, name: g.name, created: csDate(g.created), ...(await ownerFields(lk, g.accountId, g.domainId)) };
}

export const vmOpsCommands: CommandDef[] = [
  {
    name: 'updateVirtualMachine',
    async handle(ctx) {
      const p = ctx.params;
      const vm = await ctx.services.vmOps.update(ctx.caller, p.req('id'), {
        displayName: p.str('displayname'),
        name: p.str('name'),
        group: p.str('group'),
        haEnable: p.bool('haenable'),
        userData: p.str('userdata'),
        transport: ctx.httpMethod,
        isDynamicallyScalable: p.bool('isdynamicallyscalable'),
      });
      return vmObject(ctx, vm);
    },
  },
  {
    name: 'changeServiceForVirtualMachine',
    async handle(ctx) {
      return vmObject(
        ctx,
        await ctx.services.vmOps.changeService(
          ctx.caller,
          ctx.params.req('id'),
          ctx.params.req('serviceofferingid'),
          detailsOf(ctx.params.map('details')),
        ),
      );
    },
  },
  vmJob('scaleVirtualMachine', VM_OPS_JOBS.scale, 'id', (ctx) => ({
    offeringId: ctx.params.req('serviceofferingid'),
    details: detailsOf(ctx.params.map('details')),
  })),
  vmJob('restoreVirtualMachine', VM_OPS_JOBS.restore, 'virtualmachineid', (ctx) => ({
    templateId: ctx.params.uuid('templateid'),
  })),
  vmJob('resetPasswordForVirtualMachine', VM_OPS_JOBS.resetPassword, 'id'),
  vmJob('resetSSHKeyForVirtualMachine', VM_OPS_JOBS.resetSshKey, 'id', (ctx) => ({
    keyPairs: [
      ...new Set([
        ...(ctx.params.list('keypairs') ?? []),
        ...(ctx.params.str('keypair') ? [ctx.params.str('keypair')!] : []),
      ]),
    ],
  })),
  {
    ...vmJob('migrateVirtualMachine', VM_OPS_JOBS.migrate, 'virtualmachineid', (ctx) => ({
      hostId: ctx.params.uuid('hostid'),
    })),
    admin: true,
  },
  vmJob('addNicToVirtualMachine', VM_OPS_JOBS.addNic, 'virtualmachineid', (ctx) => ({
    networkId: ctx.params.req('networkid'),
    ipAddress: ctx.params.str('ipaddress'),
  })),
  vmJob('removeNicFromVirtualMachine', VM_OPS_JOBS.removeNic, 'virtualmachineid', (ctx) => ({
    nicId: ctx.params.req('nicid'),
  })),
  vmJob('updateDefaultNicForVirtualMachine', VM_OPS_JOBS.defaultNic, 'virtualmachineid', (ctx) => ({
    nicId: ctx.params.req('nicid'),
  })),
  {
    name: 'getVMPassword',
    async handle({ caller, services, params: p }) {
      return object('password', { encryptedpassword: await services.vmOps.encryptedPassword(caller, p.req('id')) });
    },
  },
  {
    name: 'listNics',
    async handle({ caller, services, params: p }) {
      const vmId = p.req('virtualmachineid');
      const nics = await services.vmOps.nics(caller, vmId, { nicId: p.uuid('nicid'), networkId: p.uuid('networkid') });
      const lk = services.lookup();
      const [networks, vms, extra] = await Promise.all([
        lk.networks(nics.map((n) => n.networkId)),
        lk.vms([vmId]),
        services.nicIps.ofNics(nics.map((n) => n.id)),
      ]);
      const of = (nicId: string) => extra.filter((s) => s.nicId === nicId);
      return list(
        'nic',
        slice(nics, paging(p, services)).map((n) => nicView(n, networks.get(n.networkId), vms.get(vmId)!, of(n.id))),
        nics.length,
      );
    },
  },
  {
    name: 'createInstanceGroup',
    async handle({ caller, services, params: p }) {
      const g = await services.instanceGroups.create(caller, p.req('name'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return object('instancegroup', await groupView(services.lookup(), g));
    },
  },
  {
    name: 'updateInstanceGroup',
    async handle({ caller, services, params: p }) {
      const g = await services.instanceGroups.rename(caller, p.req('id'), p.str('name'));
      return object('instancegroup', await groupView(services.lookup(), g));
    },
  },
  {
    name: 'deleteInstanceGroup',
    async handle({ caller, services, params: p }) {
      await services.instanceGroups.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'listInstanceGroups',
    async handle({ caller, services, params: p }) {
      const all = await services.instanceGroups.list(caller, listScope(p), {
        id: p.uuid('id'),
        name: p.str('name'),
        keyword: p.str('keyword'),
      });
      const lk = services.lookup();
      return list(
        'instancegroup',
        await Promise.all(slice(all, paging(p, services)).map((g) => groupView(lk, g))),
        all.length,
      );
    },
  },
];
