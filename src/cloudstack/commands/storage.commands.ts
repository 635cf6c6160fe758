import { POOL_JOBS, storageProviders } from '../../services/storage/storagepool.service.js';
import { job, list, object, success, type CommandDef } from '../command.js';
import { imageStoreView, storagePoolView } from '../views/storage.view.js';
import { paging, slice } from './common.js';
import { cmdOf } from './networking.common.js';
import type { Services } from '../../services/services.js';
import type { Params } from '../params.js';
import type { StoragePool } from '../../domain/types.js';

/** listStoragePools' page: the pools and their StoragePoolResponses (listStoragePoolsMetrics decorates the same rows). */
export async function storagePoolRows(
  services: Services,
  p: Params,
): Promise<{ pools: StoragePool[]; items: Record<string, unknown>[]; count: number }> {
  const all = await services.storagePools.list({
    id: p.uuid('id'),
    zoneId: p.uuid('zoneid'),
    podId: p.uuid('podid'),
    clusterId: p.uuid('clusterid'),
    name: p.str('name'),
    keyword: p.str('keyword'),
    scope: p.str('scope'),
    ipAddress: p.str('ipaddress'),
    path: p.str('path'),
  });
  const lk = services.lookup();
  const pools = slice(all, paging(p, services));
  return {
    pools,
    items: await Promise.all(pools.map((x) => storagePoolView(lk, x, services.config.poolOverprovision(x.id)))),
    count: all.length,
  };
}

/** Primary storage pools and image stores (root admins only). */
export const storageCommands: CommandDef[] = [
  {
    name: 'createStoragePool',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const pool = await services.storagePools.create(caller, {
        zoneId: p.req('zoneid'),
        podId: p.uuid('podid'),
        clusterId: p.uuid('clusterid'),
        name: p.req('name'),
        url: p.req('url'),
        scope: p.str('scope'),
        hypervisor: p.str('hypervisor'),
        tags: p.str('tags'),
        capacityBytes: p.int('capacitybytes'),
        provider: p.str('provider'),
      });
      return object(
        'storagepool',
        await storagePoolView(services.lookup(), pool, services.config.poolOverprovision(pool.id)),
      );
    },
  },
  {
    name: 'listStoragePools',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { items, count } = await storagePoolRows(services, p);
      return list('storagepool', items, count);
    },
  },
  {
    name: 'findStoragePoolsForMigration',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const { all, suitable } = await services.storagePools.migrationOptions(p.req('id'));
      const lk = services.lookup();
      const rows = await Promise.all(
        slice(all, paging(p, services)).map(async (x) => ({
          ...(await storagePoolView(lk, x, services.config.poolOverprovision(x.id))),
          suitableformigration: suitable.has(x.id),
        })),
      );
      return list('storagepool', rows, all.length);
    },
  },
  {
    name: 'updateStoragePool',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const pool = await services.storagePools.update(caller, p.req('id'), {
        name: p.str('name'),
        tags: p.list('tags'),
        capacityBytes: p.int('capacitybytes'),
        enabled: p.bool('enabled'),
      });
      return object(
        'storagepool',
        await storagePoolView(services.lookup(), pool, services.config.poolOverprovision(pool.id)),
      );
    },
  },
  {
    name: 'deleteStoragePool',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.storagePools.remove(caller, p.req('id'));
      return success();
    },
  },
  {
    name: 'enableStorageMaintenance',
    rootAdmin: true,
    async handle(ctx) {
      return job(
        await ctx.services.storagePools.submit(ctx.caller, POOL_JOBS.maintain, ctx.params.req('id'), cmdOf(ctx)),
      );
    },
  },
  {
    name: 'cancelStorageMaintenance',
    rootAdmin: true,
    async handle(ctx) {
      return job(
        await ctx.services.storagePools.submit(
          ctx.caller,
          POOL_JOBS.cancelMaintenance,
          ctx.params.req('id'),
          cmdOf(ctx),
        ),
      );
    },
  },
  {
    name: 'addImageStore',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const s = await services.storagePools.addImageStore(caller, {
        name: p.str('name'),
        url: p.str('url'),
        provider: p.req('provider'),
        zoneId: p.uuid('zoneid'),
      });
      return object('imagestore', await imageStoreView(services.lookup(), s));
    },
  },
  {
    name: 'listImageStores',
    rootAdmin: true,
    async handle({ services, params: p }) {
      const all = await services.storagePools.imageStores({
        id: p.uuid('id'),
        zoneId: p.uuid('zoneid'),
        name: p.str('name'),
        keyword: p.str('keyword'),
        provider: p.str('provider'),
        protocol: p.str('protocol'),
        readonly: p.bool('readonly'),
      });
      const lk = services.lookup();
      return list(
        'imagestore',
        await Promise.all(slice(all, paging(p, services)).map((x) => imageStoreView(lk, x))),
        all.length,
      );
    },
  },
  {
    name: 'updateImageStore',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      const s = await services.storagePools.updateImageStore(caller, p.req('id'), p.bool('readonly')!);
      return object('imagestore', await imageStoreView(services.lookup(), s));
    },
  },
  {
    name: 'migrateSecondaryStorageData',
    rootAdmin: true,
    async handle(ctx) {
      const p = ctx.params;
      return job(
        await ctx.services.storagePools.migrateImageStoreData(ctx.caller, cmdOf(ctx), {
          srcId: p.req('srcpool'),
          destIds: p.list('destpools') ?? [],
          migrationType: p.str('migrationtype'),
        }),
      );
    },
  },
  {
    name: 'listStorageProviders',
    rootAdmin: true,
    async handle({ params: p }) {
      // ListStorageProvidersCmd answers the whole list: keyword and paging are accepted and not applied.
      const all = storageProviders(p.req('type'));
      return list('dataStoreProvider', all, all.length);
    },
  },
  {
    name: 'deleteImageStore',
    rootAdmin: true,
    async handle({ caller, services, params: p }) {
      await services.storagePools.removeImageStore(caller, p.req('id'));
      return success();
    },
  },
];
