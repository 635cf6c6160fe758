import { invalid } from '../../domain/errors.js';
import { isAdmin, isRootAdmin } from '../../services/context.js';
import { list, object, type CommandDef } from '../command.js';
import { accountView, domainView, userView } from '../views/account.view.js';
import { paging, slice } from './common.js';

export const accountCommands: CommandDef[] = [
  {
    name: 'listDomains',
    async handle({ caller, services, params: p }) {
      const all = await services.accounts.domains();
      let visible = await services.accounts.visibleDomains(caller);
      const id = p.uuid('id'), name = p.str('name'), level = p.int('level');
      visible = visible.filter((d) => (!id || d.id === id) && (!name || d.name === name) && (level === undefined || d.level === level));
      if (!p.bool('listall', false) && !id && !name && !isRootAdmin(caller)) visible = visible.filter((d) => d.id === caller.domainId);
      return list('domain', slice(visible, paging(p, services)).map((d) => domainView(d, all)), visible.length);
    },
  },
  {
    name: 'listAccounts',
    async handle({ caller, services, params: p }) {
      const accounts = await services.accounts.listAccounts(caller, { id: p.uuid('id'), name: p.str('name'), domainId: p.uuid('domainid'), keyword: p.str('keyword'), listAll: p.bool('listall', false) });
      const domains = new Map((await services.accounts.domains()).map((d) => [d.id, d]));
      const page = slice(accounts, paging(p, services));
      const users = await services.accounts.listUsers(caller, { listAll: true });
      const counts = await services.vms.countsByAccount(page.map((a) => a.id));
      const items = page.map((a) =>
        accountView(a, domains.get(a.domainId)!, users.filter((u) => u.account.id === a.id), counts.get(a.id) ?? { vms: 0, running: 0, stopped: 0 }),
      );
      return list('account', items, accounts.length);
    },
  },
  {
    name: 'listUsers',
    async handle({ caller, services, params: p }) {
      const users = await services.accounts.listUsers(caller, { id: p.uuid('id'), username: p.str('username'), accountName: p.str('account'), domainId: p.uuid('domainid'), listAll: p.bool('listall', false) });
      const items = slice(users, paging(p, services)).map((u) => userView(u.user, u.account, u.domain, isAdmin(caller) || u.user.id === caller.userId));
      return list('user', items, users.length);
    },
  },
  {
    name: 'getUser',
    async handle({ caller, services, params: p }) {
      const u = await services.accounts.getUserByApiKey(caller, p.req('userapikey'));
      return object('user', userView(u.user, u.account, u.domain, true));
    },
  },
  {
    name: 'createAccount',
    admin: true,
    async handle({ caller, services, params: p }) {
      const acct = await services.accounts.createAccount(caller, {
        accountName: p.str('account'), accountType: p.int('accounttype') ?? roleType(p.str('roleid')), domainId: p.uuid('domainid'),
        username: p.req('username'), password: p.req('password'), email: p.req('email'), firstname: p.req('firstname'), lastname: p.req('lastname'),
        timezone: p.str('timezone'),
      });
      const domains = new Map((await services.accounts.domains()).map((d) => [d.id, d]));
      const users = await services.accounts.listUsers(caller, { accountName: acct.name, domainId: acct.domainId });
      return object('account', accountView(acct, domains.get(acct.domainId)!, users, { vms: 0, running: 0, stopped: 0 }));
    },
  },
  {
    name: 'createUser',
    admin: true,
    async handle({ caller, services, params: p }) {
      const u = await services.accounts.createUser(caller, p.req('account'), p.uuid('domainid'), {
        username: p.req('username'), password: p.req('password'), email: p.req('email'), firstname: p.req('firstname'), lastname: p.req('lastname'), timezone: p.str('timezone'),
      });
      const [found] = await services.accounts.listUsers(caller, { id: u.id });
      if (!found) throw invalid(`User ${u.id} was created but cannot be read back`);
      return object('user', userView(found.user, found.account, found.domain, false));
    },
  },
  {
    name: 'registerUserKeys',
    async handle({ caller, services, params: p }) {
      const keys = await services.accounts.registerUserKeys(caller, p.req('id'));
      return object('userkeys', { apikey: keys.apiKey, secretkey: keys.secretKey });
    },
  },
  {
    // polystack has no projects yet; every account is its own owner, so the list is truthfully empty.
    name: 'listProjects',
    async handle() {
      return list('project', []);
    },
  },
];

/** roleid is not modelled yet: without accounttype a new account is a plain user. */
function roleType(_roleId: string | undefined): number {
  return 0;
}
