import type { Wire, WireRegion } from '../wire.js';
import type { Region } from '../../domain/organisation.js';
import { list, object, success, type CommandDef } from '../command.js';
import { paging, slice } from './common.js';

const regionView = (r: Region): Wire<WireRegion> => ({
  id: Number(r.id),
  name: r.name,
  endpoint: r.endpoint,
  gslbserviceenabled: r.gslbEnabled === 1,
  portableipserviceenabled: r.portableIpEnabled === 1,
});

export const regionCommands: CommandDef[] = [
  {
    name: 'listRegions',
    async handle({ services, params: p }) {
      const regions = await services.regions.list({ id: p.int('id'), name: p.str('name') });
      return list('region', slice(regions, paging(p, services)).map(regionView), regions.length);
    },
  },
  {
    name: 'addRegion',
    authorized: ['Admin'],
    async handle({ caller, services, params: p }) {
      return object(
        'region',
        regionView(
          await services.regions.add(caller, {
            id: Number(p.req('id')),
            name: p.req('name'),
            endpoint: p.req('endpoint'),
          }),
        ),
      );
    },
  },
  {
    name: 'updateRegion',
    authorized: ['Admin'],
    async handle({ caller, services, params: p }) {
      return object(
        'region',
        regionView(
          await services.regions.update(caller, Number(p.req('id')), {
            name: p.str('name'),
            endpoint: p.str('endpoint'),
          }),
        ),
      );
    },
  },
  {
    name: 'removeRegion',
    authorized: ['Admin'],
    async handle({ caller, services, params: p }) {
      await services.regions.remove(caller, Number(p.req('id')));
      return success();
    },
  },
];
