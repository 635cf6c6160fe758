import type { GceContext } from '../context.js';
import { aggregated, checkedListQuery, list } from '../lists.js';
import { findOperation, operationView, refresh, waitFor, type OpScope } from '../operations.js';
import { LIST_QUERY, AGGREGATED_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import { regionNamed, zoneNamed, zones } from './geo.js';
import { notFound } from '../errors.js';

/** zoneOperations, regionOperations and globalOperations: get, list, wait, delete; and the aggregated list. */
const FIELDS = fieldsOf('Operation');

async function locate(ctx: GceContext, scope: OpScope, params: Record<string, string>): Promise<string> {
  if (scope === 'zone') return (await zoneNamed(ctx, params['zone']!)).name;
  if (scope === 'region') return regionNamed(ctx, params['region']!);
  return 'global';
}

async function listed(ctx: GceContext, scope: OpScope, location?: string): Promise<Record<string, unknown>[]> {
  const rows = await ctx.store.operations(ctx.ownerId, scope, location);
  return Promise.all(rows.map(async (r) => operationView(ctx, await refresh(ctx, r))));
}

function routesFor(resource: string, scope: OpScope, prefix: string): Route[] {
  const base = `projects/{project}/${prefix}operations`;
  const self = (ctx: GceContext, loc: string) =>
    scope === 'zone'
      ? ctx.links.zonal(loc, 'operations')
      : scope === 'region'
        ? ctx.links.regional(loc, 'operations')
        : ctx.links.global('operations');
  return [
    {
      id: `${resource}.get`,
      method: 'GET',
      path: `${base}/{operation}`,
      response: 'Operation',
      description: 'Retrieves the specified Operations resource.',
      async run(ctx, req) {
        return operationView(
          ctx,
          await findOperation(ctx, scope, await locate(ctx, scope, req.params), req.params['operation']!),
        );
      },
    },
    {
      id: `${resource}.wait`,
      method: 'POST',
      path: `${base}/{operation}/wait`,
      response: 'Operation',
      description:
        'Waits for the specified Operation resource to return as DONE or for the request to approach the 2 minute deadline.',
      async run(ctx, req) {
        return operationView(
          ctx,
          await waitFor(
            ctx,
            await findOperation(ctx, scope, await locate(ctx, scope, req.params), req.params['operation']!),
          ),
        );
      },
    },
    {
      id: `${resource}.delete`,
      method: 'DELETE',
      path: `${base}/{operation}`,
      response: 'Empty',
      description: 'Deletes the specified Operations resource.',
      async run(ctx, req) {
        const loc = await locate(ctx, scope, req.params);
        await findOperation(ctx, scope, loc, req.params['operation']!);
        if (!(await ctx.store.deleteOperation(ctx.ownerId, req.params['operation']!)))
          throw notFound(`projects/${ctx.project}/operations/${req.params['operation']}`);
        return {};
      },
    },
    {
      id: `${resource}.list`,
      method: 'GET',
      path: base,
      query: LIST_QUERY,
      response: 'OperationList',
      description: 'Retrieves a list of Operation resources.',
      async run(ctx, req) {
        const q = checkedListQuery(req.query, FIELDS);
        const loc = await locate(ctx, scope, req.params);
        return list(
          'compute#operationList',
          self(ctx, loc),
          ctx.links.relative(self(ctx, loc)),
          await listed(ctx, scope, loc),
          q,
          FIELDS,
        );
      },
    },
  ];
}

export const operationRoutes: Route[] = [
  ...routesFor('zoneOperations', 'zone', 'zones/{zone}/'),
  ...routesFor('regionOperations', 'region', 'regions/{region}/'),
  ...routesFor('globalOperations', 'global', 'global/'),
  {
    id: 'globalOperations.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/operations',
    query: AGGREGATED_QUERY,
    response: 'OperationAggregatedList',
    description: 'Retrieves an aggregated list of all operations.',
    async run(ctx, req) {
      const q = checkedListQuery(req.query, FIELDS);
      const scopes = [
        ...(await Promise.all(
          (await zones(ctx)).map(async (z) => ({ key: `zones/${z.name}`, items: await listed(ctx, 'zone', z.name) })),
        )),
        { key: 'global', items: await listed(ctx, 'global') },
      ];
      return aggregated(
        'compute#operationAggregatedList',
        'operations',
        `${ctx.links.projectLink()}/aggregated/operations`,
        `projects/${ctx.project}/aggregated/operations`,
        scopes,
        q,
        FIELDS,
      );
    },
  },
];
