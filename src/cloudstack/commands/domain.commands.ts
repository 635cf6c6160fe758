import type { Domain } from '../../domain/types.js';
import type { Services } from '../../services/services.js';
import { ADMINS } from '../access.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, type CommandDef } from '../command.js';
import { domainView } from '../views/account.view.js';
import { paging, slice, wantsResourceDetails } from './common.js';

/** Domains, with their limits and totals when `details` asks for them (as the default does). */
async function domainViews(s: Services, domains: Domain[], withLimits: boolean): Promise<object[]> {
  const all = await s.accounts.domains();
  return Promise.all(
    domains.map(async (d) => domainView(d, all, withLimits ? await s.limits.domainUsage(d) : undefined)),
  );
}

export const domainCommands: CommandDef[] = [
  {
    name: 'listDomains',
    async handle({ caller, services, params: p }) {
      const domains = await services.domains.list(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        level: p.int('level'),
        keyword: p.str('keyword'),
        listAll: p.bool('listall', false),
      });
      return list(
        'domain',
        await domainViews(services, slice(domains, paging(p, services)), wantsResourceDetails(p)),
        domains.length,
      );
    },
  },
  {
    name: 'listDomainChildren',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const domains = await services.domains.children(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        keyword: p.str('keyword'),
        recursive: p.bool('isrecursive', false),
      });
      return list('domain', await domainViews(services, slice(domains, paging(p, services)), true), domains.length);
    },
  },
  {
    name: 'createDomain',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const d = await services.domains.create(caller, {
        name: p.req('name'),
        parentId: p.uuid('parentdomainid'),
        networkDomain: p.str('networkdomain'),
      });
      return object('domain', (await domainViews(services, [d], true))[0]!);
    },
  },
  {
    name: 'updateDomain',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const d = await services.domains.update(caller, p.req('id'), {
        name: p.str('name'),
        networkDomain: p.has('networkdomain') ? p.str('networkdomain') : undefined,
      });
      return object('domain', (await domainViews(services, [d], true))[0]!);
    },
  },
  {
    name: 'deleteDomain',
    authorized: ADMINS,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.domains.submitDelete(
          ctx.caller,
          p.req('id'),
          p.bool('cleanup', false),
          commandClass(ctx.command, true),
        ),
      );
    },
  },
];
