import { isAdmin } from '../../domain/caller.js';
import { DETAIL_JOBS } from '../../services/resourcedetail.service.js';
import { commandClass } from '../cmdclass.js';
import { job, list, type CommandDef } from '../command.js';

/**
 * Resource details (ResourceMetaDataService): a root admin adds and removes them, in jobs that do
 * every check; anyone lists them. The list is not paged (ListResourceDetailsCmd answers it whole).
 */
export const resourceDetailCommands: CommandDef[] = [
  {
    name: 'addResourceDetail',
    authorized: ['Admin'],
    async handle({ caller, services, params: p, command }) {
      // TaggedResources.parseKeyValueMap: details[n].key / details[n].value pairs.
      const details = Object.fromEntries((p.map('details') ?? []).map((d) => [d['key'] ?? '', d['value'] ?? '']));
      const params = {
        type: p.req('resourcetype'),
        resourceId: p.req('resourceid'),
        details,
        display: p.bool('fordisplay', true),
      };
      return job(
        await services.jobs.run(caller, { cmd: commandClass(command, isAdmin(caller)), kind: DETAIL_JOBS.add, params }),
      );
    },
  },
  {
    name: 'removeResourceDetail',
    authorized: ['Admin'],
    async handle({ caller, services, params: p, command }) {
      const params = {
        type: p.req('resourcetype'),
        resourceId: p.req('resourceid'),
        ...(p.str('key') !== undefined ? { key: p.str('key') } : {}),
      };
      // RemoveResourceDetailCmd names its resource type Volume whatever the details are on.
      return job(
        await services.jobs.run(caller, {
          cmd: commandClass(command, isAdmin(caller)),
          kind: DETAIL_JOBS.remove,
          params,
          instanceType: 'Volume',
        }),
      );
    },
  },
  {
    name: 'listResourceDetails',
    async handle({ caller, services, params: p }) {
      const rows = await services.resourceDetails.list(caller, {
        type: p.req('resourcetype'),
        resourceId: p.str('resourceid'),
        key: p.str('key'),
        value: p.str('value'),
        display: p.bool('fordisplay'),
      });
      return list(
        'resourcedetail',
        rows.map((d) => ({
          resourceid: d.shown,
          resourcetype: d.resourceType,
          key: d.name,
          value: d.value,
          fordisplay: d.display === 1,
        })),
      );
    },
  },
];
