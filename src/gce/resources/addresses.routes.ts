import type { GceContext } from '../context.js';
import { aggregated, list, listQuery } from '../lists.js';
import { AGGREGATED_QUERY, LIST_QUERY, type Route } from '../route.js';
import { fieldsOf } from '../schemas.js';
import {
  addressesIn,
  addressNamed,
  deleteAddress,
  insertAddress,
  setAddressLabels,
  type AddressScope,
} from './addresses.js';
import { regionName, regionNamed } from './geo.js';

/** addresses.* (regional) and globalAddresses.* over addresses.ts. */
const regional = async (ctx: GceContext, region: string): Promise<AddressScope> => ({
  kind: 'region',
  region: await regionNamed(ctx, region),
});
const GLOBAL: AddressScope = { kind: 'global' };
const base = 'projects/{project}/regions/{region}/addresses';
const gbase = 'projects/{project}/global/addresses';

const views = async (ctx: GceContext, s: AddressScope) => (await addressesIn(ctx, s)).map((a) => a.view);

export const addressRoutes: Route[] = [
  {
    id: 'addresses.list',
    method: 'GET',
    path: base,
    query: LIST_QUERY,
    response: 'AddressList',
    description: 'Retrieves a list of addresses contained within the specified region.',
    async run(ctx, req) {
      const region = await regionNamed(ctx, req.params['region']!);
      const items = await views(ctx, { kind: 'region', region });
      return list(
        'compute#addressList',
        ctx.links.regional(region, 'addresses'),
        `projects/${ctx.project}/regions/${region}/addresses`,
        items,
        listQuery(req.query),
        fieldsOf('Address'),
      );
    },
  },
  {
    id: 'addresses.aggregatedList',
    method: 'GET',
    path: 'projects/{project}/aggregated/addresses',
    query: AGGREGATED_QUERY,
    response: 'AddressAggregatedList',
    description: 'Retrieves an aggregated list of addresses.',
    async run(ctx, req) {
      const region = await regionName(ctx);
      const scopes = [
        { key: 'global', items: await views(ctx, GLOBAL) },
        { key: `regions/${region}`, items: await views(ctx, { kind: 'region', region }) },
      ];
      return aggregated(
        'compute#addressAggregatedList',
        'addresses',
        `${ctx.links.projectLink()}/aggregated/addresses`,
        `projects/${ctx.project}/aggregated/addresses`,
        scopes,
        listQuery(req.query),
        fieldsOf('Address'),
      );
    },
  },
  {
    id: 'addresses.get',
    method: 'GET',
    path: `${base}/{address}`,
    response: 'Address',
    description: 'Returns the specified address resource.',
    run: async (ctx, req) =>
      (await addressNamed(ctx, await regional(ctx, req.params['region']!), req.params['address']!)).view,
  },
  {
    id: 'addresses.insert',
    method: 'POST',
    path: base,
    query: ['requestId'],
    request: 'Address',
    response: 'Operation',
    description: 'Creates an address resource in the specified project by using the data included in the request.',
    run: async (ctx, req) =>
      insertAddress(ctx, await regional(ctx, req.params['region']!), req.body ?? {}, req.query['requestId']),
  },
  {
    id: 'addresses.delete',
    method: 'DELETE',
    path: `${base}/{address}`,
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified address resource.',
    run: async (ctx, req) =>
      deleteAddress(ctx, await regional(ctx, req.params['region']!), req.params['address']!, req.query['requestId']),
  },
  {
    id: 'addresses.setLabels',
    method: 'POST',
    path: `${base}/{resource}/setLabels`,
    query: ['requestId'],
    request: 'RegionSetLabelsRequest',
    response: 'Operation',
    description:
      'Sets the labels on an Address. To learn more about labels, read the Labeling Resources documentation.',
    run: async (ctx, req) =>
      setAddressLabels(
        ctx,
        await regional(ctx, req.params['region']!),
        req.params['resource']!,
        req.body ?? {},
        req.query['requestId'],
      ),
  },
  {
    id: 'globalAddresses.list',
    method: 'GET',
    path: gbase,
    query: LIST_QUERY,
    response: 'AddressList',
    description: 'Retrieves a list of global addresses.',
    run: async (ctx, req) =>
      list(
        'compute#addressList',
        ctx.links.global('addresses'),
        `projects/${ctx.project}/global/addresses`,
        await views(ctx, GLOBAL),
        listQuery(req.query),
        fieldsOf('Address'),
      ),
  },
  {
    id: 'globalAddresses.get',
    method: 'GET',
    path: `${gbase}/{address}`,
    response: 'Address',
    description: 'Returns the specified address resource.',
    run: async (ctx, req) => (await addressNamed(ctx, GLOBAL, req.params['address']!)).view,
  },
  {
    id: 'globalAddresses.insert',
    method: 'POST',
    path: gbase,
    query: ['requestId'],
    request: 'Address',
    response: 'Operation',
    description: 'Creates an address resource in the specified project by using the data included in the request.',
    run: (ctx, req) => insertAddress(ctx, GLOBAL, req.body ?? {}, req.query['requestId']),
  },
  {
    id: 'globalAddresses.delete',
    method: 'DELETE',
    path: `${gbase}/{address}`,
    query: ['requestId'],
    response: 'Operation',
    description: 'Deletes the specified address resource.',
    run: (ctx, req) => deleteAddress(ctx, GLOBAL, req.params['address']!, req.query['requestId']),
  },
];
