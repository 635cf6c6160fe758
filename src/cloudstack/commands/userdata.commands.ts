import { list, object, success, type CommandDef } from '../command.js';
import { userDataView } from '../views/userdata.view.js';
import { imageObject } from './template.commands.js';
import { listScope, paging, slice } from './common.js';

export const userDataCommands: CommandDef[] = [
  {
    name: 'registerUserData',
    async handle({ caller, services, params: p, httpMethod }) {
      const ud = await services.userData.register(caller, {
        name: p.req('name'),
        userData: p.req('userdata'),
        params: p.str('params'),
        transport: httpMethod,
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return object('userdata', await userDataView(services.lookup(), ud));
    },
  },
  {
    name: 'listUserData',
    async handle({ caller, services, params: p }) {
      const all = await services.userData.list(caller, listScope(p), {
        id: p.uuid('id'),
        name: p.str('name'),
        keyword: p.str('keyword'),
      });
      const lk = services.lookup();
      return list(
        'userdata',
        await Promise.all(slice(all, paging(p, services)).map((u) => userDataView(lk, u))),
        all.length,
      );
    },
  },
  {
    name: 'deleteUserData',
    async handle({ caller, services, params: p }) {
      await services.userData.remove(caller, p.req('id'), {
        account: p.str('account'),
        domainId: p.uuid('domainid'),
        projectId: p.uuid('projectid'),
      });
      return success();
    },
  },
  {
    name: 'linkUserDataToTemplate',
    async handle({ caller, services, params: p }) {
      const templateId = p.uuid('templateid');
      const t = await services.userData.link(caller, {
        templateId,
        isoId: p.uuid('isoid'),
        userDataId: p.uuid('userdataid'),
        policy: p.str('userdatapolicy'),
      });
      // The answer is named for the parameter given, whatever the image is.
      return object(templateId ? 'template' : 'iso', await imageObject(services, caller, t));
    },
  },
];
