import { job, list, type CommandDef } from '../command.js';
import { aclItemView, aclListView } from '../views/vpc.view.js';
import { listScope, paging, slice, taggedIds } from './common.js';
import { cmdOf } from './networking.common.js';

/** Network ACL lists of VPCs and their rules. */
export const networkAclCommands: CommandDef[] = [
  {
    name: 'createNetworkACLList',
    async handle(ctx) {
      const p = ctx.params;
      const { acl, jobId } = await ctx.services.acls.createList(
        ctx.caller,
        { name: p.req('name'), description: p.str('description'), vpcId: p.req('vpcid') },
        cmdOf(ctx),
      );
      return job(jobId, acl.id);
    },
  },
  {
    name: 'deleteNetworkACLList',
    async handle(ctx) {
      return job(await ctx.services.acls.submitRemoveList(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'listNetworkACLLists',
    async handle({ caller, services, params: p }) {
      const all = await services.acls.lists(caller, listScope(p), {
        id: p.uuid('id'),
        name: p.str('name'),
        vpcId: p.uuid('vpcid'),
        networkId: p.uuid('networkid'),
        keyword: p.str('keyword'),
      });
      return list('networkacllist', slice(all, paging(p, services)).map(aclListView), all.length);
    },
  },
  {
    name: 'createNetworkACL',
    async handle(ctx) {
      const p = ctx.params;
      const { item, jobId } = await ctx.services.acls.createItem(
        ctx.caller,
        {
          aclId: p.uuid('aclid'),
          networkId: p.uuid('networkid'),
          protocol: p.req('protocol'),
          startPort: p.int('startport'),
          endPort: p.int('endport'),
          icmpType: p.int('icmptype'),
          icmpCode: p.int('icmpcode'),
          cidrList: p.list('cidrlist'),
          action: p.str('action'),
          trafficType: p.str('traffictype'),
          number: p.int('number'),
          reason: p.str('reason'),
        },
        cmdOf(ctx),
      );
      return job(jobId, item.id);
    },
  },
  {
    name: 'updateNetworkACLItem',
    // UpdateNetworkACLItemCmd answers under createNetworkACL's name.
    responseName: 'createnetworkaclresponse',
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.acls.submitUpdateItem(
          ctx.caller,
          p.req('id'),
          {
            protocol: p.str('protocol'),
            startPort: p.int('startport'),
            endPort: p.int('endport'),
            icmpType: p.int('icmptype'),
            icmpCode: p.int('icmpcode'),
            cidrList: p.list('cidrlist'),
            action: p.str('action'),
            trafficType: p.str('traffictype'),
            number: p.int('number'),
            reason: p.str('reason'),
            partial: p.bool('partialupgrade', true),
          },
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'deleteNetworkACL',
    async handle(ctx) {
      return job(await ctx.services.acls.submitRemoveItem(ctx.caller, ctx.params.req('id'), cmdOf(ctx)));
    },
  },
  {
    name: 'replaceNetworkACLList',
    async handle(ctx) {
      return job(
        await ctx.services.acls.submitReplace(
          ctx.caller,
          ctx.params.req('aclid'),
          ctx.params.uuid('networkid'),
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'listNetworkACLs',
    async handle({ caller, services, params: p }) {
      let all = await services.acls.items(caller, listScope(p), {
        id: p.uuid('id'),
        aclId: p.uuid('aclid'),
        networkId: p.uuid('networkid'),
        trafficType: p.str('traffictype'),
        protocol: p.str('protocol'),
        action: p.str('action'),
      });
      const tagged = await taggedIds(p, services);
      if (tagged) all = all.filter((r) => tagged.includes(r.id));
      const page = slice(all, paging(p, services));
      const names = await services.acls.byIds(page.map((i) => i.aclId));
      const lk = services.lookup();
      return list(
        'networkacl',
        await Promise.all(page.map((i) => aclItemView(lk, i, names.get(i.aclId)?.name))),
        all.length,
      );
    },
  },
];
