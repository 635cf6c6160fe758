import { list, type CommandDef } from '../command.js';
import { eventView, volumeView } from '../views/misc.view.js';
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
  {
    name: 'listEvents',
    async handle({ caller, services, params: p }) {
      const start = p.str('startdate');
      const all = await services.events.list(caller, listScope(p), {
        type: p.str('type'), level: p.str('level'), keyword: p.str('keyword'), startDate: start ? Date.parse(start.replace(' ', 'T') + 'Z') : undefined,
      });
      const lk = services.lookup();
      return list('event', await Promise.all(slice(all, paging(p, services)).map((e) => eventView(lk, e))), all.length);
    },
  },
];
