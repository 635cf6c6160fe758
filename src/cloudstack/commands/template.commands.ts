import type { Template } from '../../domain/types.js';
import type { Services } from '../../services/services.js';
import { isAdmin, type Caller } from '../../domain/caller.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, success, type CommandContext, type CommandDef } from '../command.js';
import { CsError } from '../errors.js';
import type { Params } from '../params.js';
import { templateObject, templateRows } from '../views/template.view.js';
import { filterByTagsAndIds, paging, slice, uuidList } from './common.js';

const cmdOf = (ctx: CommandContext) => commandClass(ctx.command, isAdmin(ctx.caller));
const EXECUTABLE = ['executable', 'selfexecutable', 'sharedexecutable'];

/** Admins and the owner see download status and URL. */
const showStatus = (caller: Caller, t: Template) => isAdmin(caller) || t.accountId === caller.accountId;

/** An image as update*, register* and job results show it: every zone's row, or the one of `zoneId`. */
export async function imageRows(
  s: Services,
  caller: Caller,
  t: Template,
  zoneId?: string,
): Promise<Record<string, unknown>[]> {
  return templateRows(s.lookup(), t, await s.templates.placements(t), {
    zoneId,
    showStatus: showStatus(caller, t),
    tags: (await s.tags.tagsOf([t.id])).get(t.id),
  });
}

export async function imageObject(
  s: Services,
  caller: Caller,
  t: Template,
  zoneId?: string,
): Promise<Record<string, unknown>> {
  return templateObject(s.lookup(), t, await s.templates.placements(t), {
    zoneId,
    showStatus: showStatus(caller, t),
    tags: (await s.tags.tagsOf([t.id])).get(t.id),
  });
}

function imageList(name: string, filterParam: string, key: string, isIso: boolean): CommandDef {
  return {
    name,
    async handle({ caller, services, params: p }) {
      const zoneId = p.uuid('zoneid');
      // ListIsosCmd defaults isofilter to selfexecutable; listTemplates requires its filter.
      const filter = p.str(filterParam) ?? (isIso ? 'selfexecutable' : 'featured');
      let templates = await filterByTagsAndIds(
        p,
        services,
        await services.catalog.templates(caller, isIso, {
          filter,
          id: p.uuid('id'),
          name: p.str('name'),
          zoneId,
          keyword: p.str('keyword'),
          hypervisor: p.str('hypervisor'),
          owner: { account: p.str('account'), domainId: p.uuid('domainid'), projectId: p.str('projectid') },
        }),
      );
      // parenttemplateid lists the datadisk templates of a multi-disk OVA; polystack makes none.
      if (p.uuid('parenttemplateid')) templates = [];
      if (isIso)
        templates = templates.filter(
          (t) =>
            (p.bool('bootable') === undefined || !!t.bootable === p.bool('bootable')) &&
            (p.bool('ispublic') === undefined || !!t.isPublic === p.bool('ispublic')),
        );
      const lk = services.lookup();
      const [tags, where] = await Promise.all([
        lk.tags(templates.map((t) => t.id)),
        services.catalog.placements(services.store.db, templates),
      ]);
      const readyOnly = EXECUTABLE.includes(filter.toLowerCase()) || (isIso && p.bool('isready') === true);
      const rows = [];
      for (const t of templates)
        rows.push(
          ...(await templateRows(lk, t, where.get(t.id) ?? [], {
            zoneId,
            readyOnly,
            showStatus: showStatus(caller, t),
            tags: tags.get(t.id),
          })),
        );
      return list(key, slice(rows, paging(p, services)), rows.length);
    },
  };
}

/** registerTemplate's zoneid / zoneids: one zone, several, or -1 for every zone (a cross-zone image). */
function zonesOf(p: Params): string[] | 'all' {
  const one = p.uuid('zoneid');
  const many = p.has('zoneids') ? uuidList(p, 'zoneids') : undefined;
  if (!one && !many?.length) throw new CsError(431, 'Either zoneid or zoneids is required. Both cannot be null.', 4350);
  if (one && many?.length) throw new CsError(431, 'Both zoneid and zoneids cannot be specified at the same time', 4350);
  return one === '-1' ? 'all' : one ? [one] : many!;
}

function register(name: string, isIso: boolean): CommandDef {
  return {
    name,
    async handle({ caller, services, params: p }) {
      const t = await services.registry.register(caller, {
        isIso,
        name: p.req('name'),
        displayText: p.req('displaytext'),
        url: p.req('url'),
        format: p.str('format'),
        hypervisor: p.str('hypervisor'),
        osTypeId: p.uuid('ostypeid'),
        zoneIds: zonesOf(p),
        isPublic: p.bool('ispublic'),
        isFeatured: p.bool('isfeatured'),
        isExtractable: p.bool('isextractable'),
        passwordEnabled: p.bool('passwordenabled'),
        sshKeyEnabled: p.bool('sshkeyenabled'),
        isDynamicallyScalable: p.bool('isdynamicallyscalable'),
        bootable: p.bool('bootable'),
        checksum: p.str('checksum'),
        templateTag: p.str('templatetag'),
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      const rows = await imageRows(services, caller, t);
      return list(isIso ? 'iso' : 'template', rows, rows.length);
    },
  };
}

function update(name: string, isIso: boolean): CommandDef {
  return {
    name,
    async handle({ caller, services, params: p }) {
      const t = await services.templates.update(caller, p.req('id'), isIso, {
        name: p.str('name'),
        displayText: p.str('displaytext'),
        osTypeId: p.uuid('ostypeid'),
        format: p.str('format'),
        passwordEnabled: p.bool('passwordenabled'),
        sshKeyEnabled: p.bool('sshkeyenabled'),
        bootable: p.bool('bootable'),
        isDynamicallyScalable: p.bool('isdynamicallyscalable'),
        templateType: p.str('templatetype'),
      });
      return object(isIso ? 'iso' : 'template', await imageObject(services, caller, t));
    },
  };
}

function permissions(isIso: boolean): CommandDef[] {
  const media = isIso ? 'Iso' : 'Template';
  return [
    {
      name: `update${media}Permissions`,
      async handle({ caller, services, params: p }) {
        await services.templates.updatePermissions(caller, p.req('id'), isIso, {
          isPublic: p.bool('ispublic'),
          isFeatured: p.bool('isfeatured'),
          isExtractable: p.bool('isextractable'),
          accounts: p.list('accounts'),
          op: p.str('op'),
        });
        return success();
      },
    },
    {
      name: `list${media}Permissions`,
      async handle({ caller, services, params: p }) {
        const { template: t, accounts } = await services.templates.permissions(caller, p.req('id'), isIso);
        return object('templatepermission', {
          id: t.id,
          ispublic: !!t.isPublic,
          domainid: t.domainId,
          account: accounts,
          projectids: [],
        });
      },
    },
  ];
}

function copy(name: string, isIso: boolean): CommandDef {
  return {
    name,
    async handle(ctx) {
      const p = ctx.params;
      const one = p.uuid('destzoneid');
      const many = p.has('destzoneids') ? uuidList(p, 'destzoneids') : undefined;
      if (!one && !many?.length)
        throw new CsError(431, 'Either destzoneid or destzoneids parameters have to be specified.', 4350);
      if (one && many?.length)
        throw new CsError(431, 'Both destzoneid and destzoneids cannot be specified at the same time.', 4350);
      const params = { destZoneIds: one ? [one] : many!, sourceZoneId: p.uuid('sourcezoneid') };
      return job(await ctx.services.templates.submit(ctx.caller, 'copy', p.req('id'), isIso, cmdOf(ctx), params));
    },
  };
}

function remove(name: string, isIso: boolean): CommandDef {
  return {
    name,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.templates.submit(ctx.caller, 'remove', p.req('id'), isIso, cmdOf(ctx), {
          zoneId: p.uuid('zoneid'),
          forced: p.bool('forced', false),
        }),
      );
    },
  };
}

function extract(name: string, isIso: boolean): CommandDef {
  return {
    name,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.extracts.submit(
          ctx.caller,
          'image',
          { id: p.req('id'), mode: p.req('mode'), zoneId: p.uuid('zoneid'), isIso },
          cmdOf(ctx),
        ),
      );
    },
  };
}

export const templateCommands: CommandDef[] = [
  imageList('listTemplates', 'templatefilter', 'template', false),
  imageList('listIsos', 'isofilter', 'iso', true),
  register('registerTemplate', false),
  register('registerIso', true),
  update('updateTemplate', false),
  update('updateIso', true),
  ...permissions(false),
  ...permissions(true),
  copy('copyTemplate', false),
  copy('copyIso', true),
  remove('deleteTemplate', false),
  remove('deleteIso', true),
  extract('extractTemplate', false),
  extract('extractIso', true),
  {
    name: 'createTemplate',
    async handle(ctx) {
      const p = ctx.params;
      const { template, jobId } = await ctx.services.registry.createPrivate(
        ctx.caller,
        {
          name: p.req('name'),
          displayText: p.req('displaytext'),
          osTypeId: p.req('ostypeid'),
          volumeId: p.uuid('volumeid'),
          snapshotId: p.uuid('snapshotid'),
          isPublic: p.bool('ispublic'),
          isFeatured: p.bool('isfeatured'),
          passwordEnabled: p.bool('passwordenabled'),
          sshKeyEnabled: p.bool('sshkeyenabled'),
          isDynamicallyScalable: p.bool('isdynamicallyscalable'),
          templateTag: p.str('templatetag'),
          projectId: p.uuid('projectid'),
        },
        cmdOf(ctx),
      );
      return job(jobId, template.id);
    },
  },
  {
    name: 'attachIso',
    async handle(ctx) {
      return job(
        await ctx.services.isos.submit(
          ctx.caller,
          'attach',
          ctx.params.req('virtualmachineid'),
          cmdOf(ctx),
          ctx.params.req('id'),
        ),
      );
    },
  },
  {
    name: 'detachIso',
    async handle(ctx) {
      return job(await ctx.services.isos.submit(ctx.caller, 'detach', ctx.params.req('virtualmachineid'), cmdOf(ctx)));
    },
  },
];
