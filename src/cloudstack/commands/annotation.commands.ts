import type { Annotation } from '../../domain/organisation.js';
import type { Services } from '../../services/services.js';
import { csDate } from '../encode.js';
import { list, object, type CommandDef } from '../command.js';
import { paging, slice } from './common.js';

async function annotationView(s: Services, a: Annotation): Promise<Record<string, unknown>> {
  const user = (await s.lookup().table('users')).get(a.userId);
  const name = await s.annotations.entityName(a);
  return {
    id: a.id,
    entitytype: a.entityType,
    entityid: a.entityId,
    annotation: a.annotation,
    userid: a.userId,
    created: csDate(a.created),
    ...(a.removed ? { removed: csDate(a.removed) } : {}),
    ...(user ? { username: user.username } : {}),
    ...(name ? { entityname: name } : {}),
    adminsonly: a.adminsOnly === 1,
  };
}

export const annotationCommands: CommandDef[] = [
  {
    name: 'listAnnotations',
    async handle({ caller, services, params: p }) {
      const all = await services.annotations.list(caller, {
        id: p.str('id'),
        entityType: p.str('entitytype'),
        entityId: p.str('entityid'),
        userId: p.str('userid'),
        filter: p.str('annotationfilter'),
        keyword: p.str('keyword'),
      });
      return list(
        'annotation',
        await Promise.all(slice(all, paging(p, services)).map((a) => annotationView(services, a))),
        all.length,
      );
    },
  },
  {
    name: 'addAnnotation',
    async handle({ caller, services, params: p }) {
      const a = await services.annotations.add(caller, {
        text: p.str('annotation') ?? '',
        entityType: p.str('entitytype') ?? '',
        entityId: p.str('entityid') ?? '',
        adminsOnly: p.bool('adminsonly', false),
      });
      return object('annotation', await annotationView(services, a));
    },
  },
  {
    name: 'removeAnnotation',
    async handle({ caller, services, params: p }) {
      return object(
        'annotation',
        await annotationView(services, await services.annotations.remove(caller, p.req('id'))),
      );
    },
  },
  {
    name: 'updateAnnotationVisibility',
    async handle({ caller, services, params: p }) {
      return object(
        'annotation',
        await annotationView(
          services,
          await services.annotations.setVisibility(caller, p.req('id'), p.bool('adminsonly', false)),
        ),
      );
    },
  },
];
