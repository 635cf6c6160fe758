import type { Alert } from '../../domain/organisation.js';
import type { EventSelection } from '../../services/operations/event.service.js';
import { commandClass } from '../cmdclass.js';
import { csDate } from '../encode.js';
import { job, list, success, type CommandDef } from '../command.js';
import type { Params } from '../params.js';
import { eventView } from '../views/misc.view.js';
import { listScope, paging, slice, uuidList } from './common.js';

/**
 * Dates as ParamProcessWorker reads them: "yyyy-MM-dd HH:mm:ss" as given; a bare day starts at
 * 00:00:00 for startdate and ends at 23:59:59 for enddate (the server's time zone, UTC here).
 */
export function dateParam(p: Params, name: 'startdate' | 'enddate'): number | undefined {
  const v = p.str(name);
  if (v === undefined) return undefined;
  const withTime = v.includes(' ') ? v : `${v} ${name === 'enddate' ? '23:59:59' : '00:00:00'}`;
  return Date.parse(`${withTime.replace(' ', 'T')}Z`);
}

const selection = (p: Params): EventSelection => ({
  ids: p.has('ids') ? uuidList(p, 'ids') : undefined,
  type: p.str('type'),
  start: dateParam(p, 'startdate'),
  end: dateParam(p, 'enddate'),
});

const alertView = (a: Alert) => ({
  id: a.id,
  type: a.type,
  name: a.name,
  description: a.subject,
  sent: csDate(a.created),
});

export const eventCommands: CommandDef[] = [
  {
    name: 'listEvents',
    async handle({ caller, services, params: p }) {
      const all = await services.events.list(
        caller,
        { ...listScope(p), projectId: p.uuid('projectid') },
        {
          ids: p.uuid('id') ? [p.uuid('id')!] : undefined,
          type: p.str('type'),
          level: p.str('level'),
          keyword: p.str('keyword'),
          start: dateParam(p, 'startdate'),
          end: dateParam(p, 'enddate'),
          resourceId: p.str('resourceid'),
          resourceType: p.str('resourcetype'),
        },
      );
      const lk = services.lookup();
      return list('event', await Promise.all(slice(all, paging(p, services)).map((e) => eventView(lk, e))), all.length);
    },
  },
  {
    name: 'archiveEvents',
    async handle({ caller, services, params: p }) {
      await services.events.archive(caller, selection(p));
      return success();
    },
  },
  {
    name: 'deleteEvents',
    async handle({ caller, services, params: p }) {
      await services.events.remove(caller, selection(p));
      return success();
    },
  },
  {
    name: 'listAlerts',
    authorized: ['Admin', 'ResourceAdmin'],
    async handle({ services, params: p }) {
      const type = p.str('type');
      // Alert types are numbers; a type that is not one matches no alert.
      if (type !== undefined && !/^\d+$/.test(type)) return list('alert', []);
      const all = await services.alerts.list({
        id: p.uuid('id'),
        type: type === undefined ? undefined : Number(type),
        name: p.str('name'),
        keyword: p.str('keyword'),
      });
      return list('alert', slice(all, paging(p, services)).map(alertView), all.length);
    },
  },
  {
    name: 'archiveAlerts',
    admin: true,
    async handle({ services, params: p }) {
      await services.alerts.archive(selection(p));
      return success();
    },
  },
  {
    name: 'deleteAlerts',
    admin: true,
    async handle({ services, params: p }) {
      await services.alerts.remove(selection(p));
      return success();
    },
  },
  {
    name: 'generateAlert',
    admin: true,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.alerts.submitGenerate(
          ctx.caller,
          {
            type: p.int('type')!,
            name: p.req('name'),
            description: p.req('description'),
            zoneId: p.uuid('zoneid'),
            podId: p.uuid('podid'),
          },
          commandClass(ctx.command, true),
        ),
      );
    },
  },
];
