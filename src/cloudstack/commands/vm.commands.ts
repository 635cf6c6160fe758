import { detailsOf } from '../../domain/offerings.js';
import { isAdmin } from '../../domain/caller.js';
import { job, list, object, type CommandContext, type CommandDef, type CommandResult } from '../command.js';
import { commandClass } from '../cmdclass.js';
import { vmViews, type VmViewOptions } from '../views/vm.view.js';
import type { VmFilter } from '../../store/vm.store.js';
import { listScope, paging, taggedIds, uuidList } from './common.js';
import type { VM_JOBS } from '../../services/compute/vm.jobs.js';
import type { Vm } from '../../domain/types.js';
import { csErrors } from '../errors.js';

const cls = (ctx: CommandContext) => commandClass(ctx.command, isAdmin(ctx.caller));

function lifecycle(
  name: string,
  kind: keyof typeof VM_JOBS,
  extra: (ctx: CommandContext) => Record<string, unknown> = () => ({}),
): CommandDef {
  return {
    name,
    async handle(ctx) {
      const jobId = await ctx.services.vms.submit(ctx.caller, ctx.params.req('id'), kind, cls(ctx), extra(ctx));
      return job(jobId);
    },
  };
}

/** DeployVMCmd.getDetails: `rootdisksize` joins the details map unless `details[0].rootdisksize` is there already. */
function rootDiskSize(p: CommandContext['params']): number | undefined {
  const detail = p.map('details')?.find((d) => d['rootdisksize'] !== undefined)?.['rootdisksize'];
  if (detail === undefined) return p.int('rootdisksize');
  // NumbersUtil.parseLong(value, -1): what does not parse is -1, refused as not positive.
  return /^[+-]?\d+$/.test(detail) ? Number(detail) : -1;
}

/** ApiConstants.VMDetails, in its declaration order (the error lists them so). */
const VM_DETAILS = [
  'all',
  'group',
  'nics',
  'stats',
  'secgrp',
  'tmpl',
  'servoff',
  'diskoff',
  'backoff',
  'iso',
  'volume',
  'min',
  'affgrp',
];

/** ListVMsCmd.getDetails: the comma-separated `details`, each an exact VMDetails name; absent is all. */
function viewDetails(p: CommandContext['params']): Set<string> | undefined {
  const given = p.list('details');
  if (!given?.length) return undefined;
  if (given.some((d) => !VM_DETAILS.includes(d)))
    throw csErrors.param(
      `The details parameter contains a non permitted value. The allowed values are [${VM_DETAILS.join(', ')}]`,
    );
  return new Set(given);
}

/** listVirtualMachines' search parameters (listVirtualMachinesMetrics takes the same). */
async function vmFilter(
  { services, params: p }: CommandContext,
  ids: string[] | undefined,
): Promise<VmFilter & { tagged?: string[] }> {
  return {
    ids,
    zoneId: p.uuid('zoneid'),
    podId: p.uuid('podid'),
    clusterId: p.uuid('clusterid'),
    hostId: p.uuid('hostid'),
    state: p.str('state'),
    name: p.str('name'),
    keyword: p.str('keyword'),
    templateId: p.uuid('templateid'),
    serviceOfferingId: p.uuid('serviceofferingid'),
    networkId: p.uuid('networkid'),
    securityGroupId: p.uuid('securitygroupid'),
    tagged: await taggedIds(p, services),
    affinityGroupId: p.uuid('affinitygroupid'),
    groupId: p.uuid('groupid'),
    keyPair: p.str('keypair'),
    haEnable: p.bool('haenable'),
    userId: p.uuid('userid'),
    vpcId: p.uuid('vpcid'),
    storageId: p.uuid('storageid'),
    isoId: p.uuid('isoid'),
    hypervisor: p.str('hypervisor'),
    asGroupId: p.uuid('autoscalevmgroupid'),
  };
}

const viewOptions = ({ caller, params: p }: CommandContext): VmViewOptions => ({
  admin: isAdmin(caller),
  withUserData: p.bool('userdata', false),
  // QueryManagerImpl reads `details` when it builds the responses, after the search.
  details: viewDetails(p),
});

/** listVirtualMachines' page: the VMs and their UserVmResponses (listVirtualMachinesMetrics decorates the same rows). */
export async function vmRows(
  ctx: CommandContext,
  ids: string[] | undefined,
): Promise<{ vms: Vm[]; items: Record<string, unknown>[]; count: number }> {
  const { caller, services, params: p } = ctx;
  const page = paging(p, services);
  const res = await services.vms.list(caller, listScope(p), await vmFilter(ctx, ids), page);
  const items = await vmViews(services.lookup(), res.items, viewOptions(ctx));
  return { vms: res.items, items, count: res.count };
}

/** VMs read and viewed per chunk: each chunk's lookups are one query per table. */
export const VM_CHUNK = 1000;

/**
 * listVirtualMachines with pagesize=-1: every VM the caller sees. Past `settings.streamListsOver`
 * the answer is written as the VMs are read, a chunk at a time, instead of being built whole.
 */
async function everyVm(ctx: CommandContext, ids: string[] | undefined): Promise<CommandResult> {
  const { caller, services, params: p } = ctx;
  const { count, chunks } = await services.vms.listChunks(caller, listScope(p), await vmFilter(ctx, ids), VM_CHUNK);
  const o = viewOptions(ctx);
  const lk = services.lookup();
  async function* views(): AsyncGenerator<Record<string, unknown>[]> {
    for await (const vms of chunks) yield await vmViews(lk, vms, o);
  }
  if (count > services.settings.streamListsOver)
    return { kind: 'stream', key: 'virtualmachine', count, chunks: views() };
  const items: Record<string, unknown>[] = [];
  for await (const chunk of views()) items.push(...chunk);
  return list('virtualmachine', items, count);
}

export const vmCommands: CommandDef[] = [
  {
    name: 'deployVirtualMachine',
    async handle(ctx) {
      const p = ctx.params;
      const keyPairs = [...(p.list('keypairs') ?? []), ...(p.str('keypair') ? [p.str('keypair')!] : [])];
      const { vm, jobId } = await ctx.services.vms.deploy(
        ctx.caller,
        {
          zoneId: p.req('zoneid'),
          serviceOfferingId: p.req('serviceofferingid'),
          templateId: p.req('templateid'),
          name: p.str('name'),
          displayName: p.str('displayname'),
          networkIds: uuidList(p, 'networkids'),
          ipAddress: p.str('ipaddress'),
          securityGroupIds: uuidList(p, 'securitygroupids'),
          securityGroupNames: p.list('securitygroupnames'),
          affinityGroupIds: uuidList(p, 'affinitygroupids'),
          affinityGroupNames: p.list('affinitygroupnames'),
          keyPairs: [...new Set(keyPairs)],
          userData: p.str('userdata'),
          diskOfferingId: p.uuid('diskofferingid'),
          overrideDiskOfferingId: p.uuid('overridediskofferingid'),
          size: p.int('size'),
          rootDiskSize: rootDiskSize(p),
          startVm: p.bool('startvm', true),
          dynamicScalingEnabled: p.bool('dynamicscalingenabled', true),
          details: detailsOf(p.map('details')),
          group: p.str('group'),
          hostId: p.uuid('hostid'),
          account: p.str('account'),
          domainId: p.uuid('domainid'),
          projectId: p.uuid('projectid'),
          transport: ctx.httpMethod,
        },
        cls(ctx),
      );
      return job(jobId, vm.id);
    },
  },
  lifecycle('startVirtualMachine', 'start', (ctx) => ({ considerLastHost: ctx.params.bool('considerlasthost', true) })),
  lifecycle('stopVirtualMachine', 'stop', (ctx) => ({ forced: ctx.params.bool('forced', false) })),
  lifecycle('rebootVirtualMachine', 'reboot'),
  {
    name: 'destroyVirtualMachine',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.vms.submitDestroy(ctx.caller, p.req('id'), cls(ctx), {
          expunge: p.bool('expunge', false),
          volumeIds: p.list('volumeids') ?? [],
        }),
      );
    },
  },
  lifecycle('expungeVirtualMachine', 'expunge'),
  {
    name: 'recoverVirtualMachine',
    async handle({ caller, services, params: p }) {
      const vm = await services.vms.recover(caller, p.req('id'));
      const [v] = await vmViews(services.lookup(), [vm], { admin: isAdmin(caller) });
      return object('virtualmachine', v!);
    },
  },
  {
    name: 'listVirtualMachines',
    async handle(ctx) {
      const ids = ctx.params.uuid('id') ? [ctx.params.uuid('id')!] : uuidList(ctx.params, 'ids');
      if (!paging(ctx.params, ctx.services)) return everyVm(ctx, ids);
      const { items, count } = await vmRows(ctx, ids);
      return list('virtualmachine', items, count);
    },
  },
  {
    name: 'getVirtualMachineUserData',
    async handle({ caller, services, params: p }) {
      const vm = await services.vms.userData(caller, p.req('virtualmachineid'));
      return object('virtualmachineuserdata', {
        virtualmachineid: vm.id,
        ...(vm.userData ? { userdata: vm.userData } : {}),
      });
    },
  },
];
