import { isAdmin } from '../../services/context.js';
import { list, type CommandDef } from '../command.js';
import { osTypeView, zoneView } from '../views/catalog.view.js';
import { filterByTagsAndIds, paging, slice } from './common.js';

export const catalogCommands: CommandDef[] = [
  {
    name: 'listZones',
    async handle({ caller, services, params: p }) {
      const zones = await filterByTagsAndIds(p, services, await services.catalog.zones(caller, { id: p.uuid('id'), name: p.str('name'), networkType: p.str('networktype'), keyword: p.str('keyword') }));
      const page = paging(p, services);
      return list('zone', slice(zones, page).map((z) => zoneView(z, isAdmin(caller))), zones.length);
    },
  },
  {
    name: 'listOsTypes',
    async handle({ services, params: p }) {
      const all = await services.catalog.osTypes({ id: p.uuid('id'), description: p.str('description'), keyword: p.str('keyword'), categoryId: p.uuid('oscategoryid') });
      return list('ostype', slice(all, paging(p, services)).map(osTypeView), all.length);
    },
  },
  {
    name: 'listHypervisors',
    async handle() {
      return list('hypervisor', [{ name: 'Simulator' }]);
    },
  },
];
