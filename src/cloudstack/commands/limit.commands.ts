import { GiB, isStorage, typeNumber } from '../../domain/resources.js';
import type { OwnedFigure } from '../../services/identity/limit.service.js';
import { ADMINS } from '../access.js';
import { list, object, type CommandDef } from '../command.js';
import type { Params } from '../params.js';
import { paging, slice } from './common.js';

/** Whose figure it is: a project, an account, or a domain. */
function ownerOf(f: OwnedFigure): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (f.project) Object.assign(v, { projectid: f.project.id, project: f.project.name });
  else if (f.account) v['account'] = f.account.name;
  return { ...v, domainid: f.domain.id, domain: f.domain.name };
}

/** ResourceLimitResponse: storage limits are shown in GiB, rounded up. */
const limitView = (f: OwnedFigure) => ({
  ...ownerOf(f),
  resourcetype: String(typeNumber(f.type)),
  resourcetypename: f.type,
  max: isStorage(f.type) && f.value !== -1 ? Math.ceil(f.value / GiB) : f.value,
});
const countView = (f: OwnedFigure) => ({
  ...ownerOf(f),
  resourcetype: String(typeNumber(f.type)),
  resourcetypename: f.type,
  resourcecount: f.value,
});

const owner = (p: Params) => ({
  account: p.str('account'),
  domainId: p.uuid('domainid'),
  projectId: p.uuid('projectid'),
});

export const limitCommands: CommandDef[] = [
  {
    name: 'listResourceLimits',
    async handle({ caller, services, params: p }) {
      const id = p.str('id');
      const all = await services.limits.list(caller, {
        ...owner(p),
        id: id === undefined ? undefined : Number(id),
        type: p.int('resourcetype'),
        typeName: p.str('resourcetypename'),
      });
      return list('resourcelimit', slice(all, paging(p, services)).map(limitView), all.length);
    },
  },
  {
    name: 'updateResourceLimit',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const max = p.str('max');
      const f = await services.limits.update(caller, {
        ...owner(p),
        type: p.int('resourcetype')!,
        max: max === undefined ? undefined : Number(max),
      });
      return object('resourcelimit', limitView(f));
    },
  },
  {
    name: 'updateResourceCount',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const counts = await services.limits.recount(caller, {
        ...owner(p),
        domainId: p.req('domainid'),
        type: p.int('resourcetype'),
      });
      return list('resourcecount', counts.map(countView));
    },
  },
];
