import type { Configuration } from '../../domain/types.js';
import { list, object, type CommandDef } from '../command.js';
import { paging, slice } from './common.js';

const view = (c: Configuration) => ({
  category: c.category, name: c.name, value: c.value ?? '', description: c.description, scope: c.scope.toLowerCase(), isdynamic: true,
  component: 'management-server', displaytext: c.name, group: c.category, subgroup: 'Others',
});

export const configCommands: CommandDef[] = [
  {
    name: 'listConfigurations',
    admin: true,
    async handle({ services, params: p }) {
      const name = p.str('name'), category = p.str('category'), keyword = p.str('keyword');
      const all = services.config
        .all()
        .filter((c) => (!name || c.name === name) && (!category || c.category === category) && (!keyword || c.name.includes(keyword)))
        .sort((a, b) => a.name.localeCompare(b.name));
      return list('configuration', slice(all, paging(p, services)).map(view), all.length);
    },
  },
  {
    name: 'updateConfiguration',
    admin: true,
    async handle({ caller, services, params: p }) {
      return object('configuration', view(await services.config.update(caller, p.req('name'), p.str('value'))));
    },
  },
];
