import type { Params } from '../params.js';
import { list, success, type CommandDef } from '../command.js';
import { uuidList } from './common.js';
import type { PermissionTargets } from '../../services/network/networkpermission.service.js';

const targets = (p: Params): PermissionTargets => ({
  accountIds: p.has('accountids') ? uuidList(p, 'accountids') : undefined,
  accountNames: p.list('accounts'),
  projectIds: p.has('projectids') ? uuidList(p, 'projectids') : undefined,
});

/** The network permission commands (NetworkPermissionServiceImpl); every role type may call them. */
export const networkPermissionCommands: CommandDef[] = [
  {
    name: 'createNetworkPermissions',
    async handle({ caller, services, params: p }) {
      await services.networkPermissions.create(caller, p.req('networkid'), targets(p));
      return success();
    },
  },
  {
    name: 'removeNetworkPermissions',
    async handle({ caller, services, params: p }) {
      await services.networkPermissions.remove(caller, p.req('networkid'), targets(p));
      return success();
    },
  },
  {
    name: 'resetNetworkPermissions',
    async handle({ caller, services, params: p }) {
      await services.networkPermissions.reset(caller, p.req('networkid'));
      return success();
    },
  },
  {
    name: 'listNetworkPermissions',
    async handle({ caller, services, params: p }) {
      const { network, rows } = await services.networkPermissions.list(caller, p.req('networkid'));
      const lk = services.lookup();
      const [accounts, domains, projects] = await Promise.all([
        lk.table('accounts'),
        lk.table('domains'),
        lk.table('projects'),
      ]);
      const byAccount = new Map([...projects.values()].map((x) => [x.projectAccountId, x]));
      return list(
        'networkpermission',
        rows.map((r) => {
          const a = accounts.get(r.accountId);
          const d = a && domains.get(a.domainId);
          const project = byAccount.get(r.accountId);
          return {
            networkid: network.id,
            ...(project
              ? { projectid: project.id, project: project.name }
              : { accountid: r.accountId, account: a?.name }),
            domainid: d?.id,
            domain: d?.name,
          };
        }),
      );
    },
  },
];
