import { ADMINS } from '../access.js';
import { commandClass } from '../cmdclass.js';
import { job, list, object, success, type CommandDef } from '../command.js';
import { userViews } from './organisation.common.js';
import { paging, slice } from './common.js';

const keys = (k: { apiKey: string | null; secretKey: string | null }) => ({
  ...(k.apiKey ? { apikey: k.apiKey } : {}),
  ...(k.secretKey ? { secretkey: k.secretKey } : {}),
});

/** A command that sets a user's state and answers with the user. */
function stateCommand(name: string, state: 'enabled' | 'locked'): CommandDef {
  return {
    name,
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const u = await services.users.setState(caller, p.req('id'), state);
      return object('user', (await userViews(services, caller, [u]))[0]!);
    },
  };
}

export const userCommands: CommandDef[] = [
  {
    name: 'listUsers',
    async handle({ caller, services, params: p }) {
      const users = await services.users.list(caller, {
        id: p.uuid('id'),
        username: p.str('username'),
        accountName: p.str('account'),
        domainId: p.uuid('domainid'),
        listAll: p.bool('listall', false),
        isRecursive: p.bool('isrecursive', false),
        accountType: p.int('accounttype'),
        state: p.str('state'),
        keyword: p.str('keyword'),
      });
      return list('user', await userViews(services, caller, slice(users, paging(p, services))), users.length);
    },
  },
  {
    name: 'getUser',
    async handle({ caller, services, params: p }) {
      const u = await services.accounts.getUserByApiKey(caller, p.req('userapikey'));
      return object('user', (await userViews(services, { ...caller, userId: u.user.id }, [u]))[0]!);
    },
  },
  {
    name: 'createUser',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      const u = await services.users.create(caller, p.req('account'), p.uuid('domainid'), {
        username: p.req('username'),
        password: p.req('password'),
        email: p.req('email'),
        firstname: p.req('firstname'),
        lastname: p.req('lastname'),
        timezone: p.str('timezone'),
      });
      return object('user', (await userViews(services, caller, [u]))[0]!);
    },
  },
  {
    name: 'updateUser',
    async handle({ caller, services, params: p }) {
      const u = await services.users.update(caller, p.req('id'), {
        username: p.str('username'),
        password: p.str('password'),
        currentPassword: p.str('currentpassword'),
        firstname: p.str('firstname'),
        lastname: p.str('lastname'),
        email: p.str('email'),
        timezone: p.str('timezone'),
        apiKey: p.str('userapikey'),
        secretKey: p.str('usersecretkey'),
      });
      return object('user', (await userViews(services, caller, [u]))[0]!);
    },
  },
  {
    name: 'deleteUser',
    authorized: ADMINS,
    async handle({ caller, services, params: p }) {
      await services.users.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'moveUser',
    authorized: ['Admin'],
    async handle({ caller, services, params: p }) {
      await services.users.move(caller, p.req('id'), { accountName: p.str('account'), accountId: p.uuid('accountid') });
      return success();
    },
  },
  {
    name: 'disableUser',
    authorized: ADMINS,
    async handle(ctx) {
      return job(
        await ctx.services.users.submitDisable(ctx.caller, ctx.params.req('id'), commandClass(ctx.command, true)),
      );
    },
  },
  stateCommand('enableUser', 'enabled'),
  stateCommand('lockUser', 'locked'),
  {
    name: 'registerUserKeys',
    async handle({ caller, services, params: p }) {
      return object('userkeys', keys(await services.accounts.registerUserKeys(caller, p.req('id'))));
    },
  },
  {
    name: 'getUserKeys',
    async handle({ caller, services, params: p }) {
      return object('userkeys', keys(await services.users.keys(caller, p.req('id'))));
    },
  },
];
