import type { Wire, WireHypervisor } from '../wire.js';
import { isAdmin } from '../../domain/caller.js';
import { list, type CommandContext, type CommandDef } from '../command.js';
import type { Zone } from '../../domain/types.js';
import { osTypeView, zoneView } from '../views/catalog.view.js';
import { filterByTagsAndIds, paging, slice } from './common.js';

/** listZones' page: the zones and their ZoneResponses (listZonesMetrics decorates the same rows). */
export async function zoneRows({
  caller,
  services,
  params: p,
}: CommandContext): Promise<{ zones: Zone[]; items: Record<string, unknown>[]; count: number }> {
  const all = await filterByTagsAndIds(
    p,
    services,
    await services.catalog.zones(caller, {
      id: p.uuid('id'),
      name: p.str('name'),
      networkType: p.str('networktype'),
      keyword: p.str('keyword'),
    }),
  );
  const zones = slice(all, paging(p, services));
  return { zones, items: zones.map((z) => zoneView(z, isAdmin(caller))), count: all.length };
}

export const catalogCommands: CommandDef[] = [
  {
    name: 'listZones',
    async handle(ctx) {
      const { items, count } = await zoneRows(ctx);
      return list('zone', items, count);
    },
  },
  {
    name: 'listOsTypes',
    async handle({ services, params: p }) {
      const all = await services.catalog.osTypes({
        id: p.uuid('id'),
        description: p.str('description'),
        keyword: p.str('keyword'),
        categoryId: p.uuid('oscategoryid'),
      });
      return list('ostype', slice(all, paging(p, services)).map(osTypeView), all.length);
    },
  },
  {
    name: 'listHypervisors',
    async handle() {
      return list('hypervisor', [{ name: 'Simulator' } satisfies Wire<WireHypervisor>]);
    },
  },
];
