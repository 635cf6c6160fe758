import { list, object, success, type CommandDef } from '../command.js';
import { sshKeyPairView } from '../views/misc.view.js';
import { listScope, paging, slice } from './common.js';

export const sshKeyCommands: CommandDef[] = [
  {
    name: 'createSSHKeyPair',
    async handle({ caller, services, params: p }) {
      const kp = await services.keys.create(caller, p.req('name'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return object('keypair', { ...(await sshKeyPairView(services.lookup(), kp)), privatekey: kp.privateKey });
    },
  },
  {
    name: 'registerSSHKeyPair',
    async handle({ caller, services, params: p }) {
      const kp = await services.keys.register(caller, p.req('name'), p.req('publickey'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return object('keypair', await sshKeyPairView(services.lookup(), kp));
    },
  },
  {
    name: 'deleteSSHKeyPair',
    async handle({ caller, services, params: p }) {
      await services.keys.remove(caller, p.req('name'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return success();
    },
  },
  {
    name: 'listSSHKeyPairs',
    async handle({ caller, services, params: p }) {
      // listSshKeyPairs builds its ACL without the id: an admin naming another account's key still needs listall.
      const all = await services.keys.list(
        caller,
        { ...listScope(p), id: undefined },
        { id: p.uuid('id'), name: p.str('name'), fingerprint: p.str('fingerprint'), keyword: p.str('keyword') },
      );
      const lk = services.lookup();
      return list(
        'sshkeypair',
        await Promise.all(slice(all, paging(p, services)).map((k) => sshKeyPairView(lk, k))),
        all.length,
      );
    },
  },
];
