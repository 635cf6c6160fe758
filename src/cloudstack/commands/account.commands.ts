import { invalid } from '../../domain/errors.js';
import type { Params } from '../params.js';
import type { AccountRef } from '../../services/identity/account.admin.service.js';
import { ADMINS } from '../access.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, type CommandDef } from '../command.js';
import { accountViews } from './organisation.common.js';
import { paging, slice, wantsResourceDetails } from './common.js';

const ref = (p: Params): AccountRef => ({ id: p.uuid('id'), name: p.str('account'), domainId: p.uuid('domainid') });

export const accountCommands: CommandDef[] = [
  {
    name: 'listAccounts',
    async handle({ caller, services, params: p }) {
      const accounts = await services.accountAdmin.list(caller, {
        id: p.uuid('id'),
        name: p.str('name'),
        domainId: p.uuid('domainid'),
        keyword: p.str('keyword'),
        listAll: p.bool('listall', false),
        isRecursive: p.bool('isrecursive', false),
        type: p.int('accounttype'),
        state: p.str('state'),
      });
      return list(
        'account',
        await accountViews(services, slice(accounts, paging(p, services)), wantsResourceDetails(p)),
        accounts.length,
      );
    },
  },
  {
    name: 'createAccount',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      if (p.int('accounttype') === undefined && !p.uuid('roleid'))
        throw invalid('Neither account type and role ID are not provided', 'accounttype');
      const acct = await services.accountAdmin.create(caller, {
        accountName: p.str('account'),
        accountType: p.int('accounttype'),
        roleId: p.uuid('roleid'),
        domainId: p.uuid('domainid'),
        networkDomain: p.str('networkdomain'),
        username: p.req('username'),
        password: p.req('password'),
        email: p.req('email'),
        firstname: p.req('firstname'),
        lastname: p.req('lastname'),
        timezone: p.str('timezone'),
      });
      return object('account', (await accountViews(services, [acct]))[0]!);
    },
  },
  {
    name: 'updateAccount',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const acct = await services.accountAdmin.update(caller, ref(p), {
        newName: p.given('newname'),
        networkDomain: p.given('networkdomain'),
        roleId: p.uuid('roleid'),
      });
      return object('account', (await accountViews(services, [acct]))[0]!);
    },
  },
  {
    name: 'deleteAccount',
    authorized: ADMINS,
    async handle(ctx) {
      return job(
        await ctx.services.accountAdmin.submitDelete(ctx.caller, ctx.params.req('id'), commandClass(ctx.command, true)),
      );
    },
  },
  {
    name: 'disableAccount',
    authorized: ADMINS,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.accountAdmin.submitDisable(
          ctx.caller,
          ref(p),
          p.bool('lock', false),
          commandClass(ctx.command, true),
          commandClass('stopVirtualMachine', true),
        ),
      );
    },
  },
  {
    name: 'enableAccount',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const acct = await services.accountAdmin.changeState(caller, ref(p), 'enabled');
      return object('account', (await accountViews(services, [acct]))[0]!);
    },
  },
  {
    name: 'lockAccount',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const acct = await services.accountAdmin.changeState(
        caller,
        { name: p.req('account'), domainId: p.req('domainid') },
        'locked',
      );
      return object('account', (await accountViews(services, [acct]))[0]!);
    },
  },
];
