import { list, type CommandDef } from '../command.js';
import { volumeView } from '../views/misc.view.js';
import { filterByTagsAndIds, listScope, paging, slice } from './common.js';

export const volumeCommands: CommandDef[] = [
  {
    name: 'listVolumes',
    async handle({ caller, services, params: p }) {
      const all = await filterByTagsAndIds(p, services, await services.volumes.list(caller, listScope(p), {
        id: p.uuid('id'), vmId: p.uuid('virtualmachineid'), zoneId: p.uuid('zoneid'), type: p.str('type'), name: p.str('name'), keyword: p.str('keyword'),
      }));
      const lk = services.lookup();
      return list('volume', await Promise.all(slice(all, paging(p, services)).map((v) => volumeView(lk, v))), all.length);
    },
  },
];
