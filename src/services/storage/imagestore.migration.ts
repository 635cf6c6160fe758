import type { Caller } from '../../domain/caller.js';
import type { Clock } from '../../domain/clock.js';
import { invalid, runtimeFailure } from '../../domain/errors.js';
import type { ImageStore } from '../../domain/types.js';
import type { JobResult } from '../../jobs/engine.js';
import type { Store } from '../../store/db.js';
import { storageStore } from '../../store/storage.store.js';
import { eventLog } from '../operations/events.js';

export const IMAGE_STORE_JOBS = { migrate: 'imagestore.migrate' } as const;

export interface ImageStoreMigrationRequest {
  srcId: string;
  destIds: string[];
  migrationType?: string;
}
/** MigrationResponse: what the job answers under `imagestore`. */
export interface MigrationOutcome {
  message: string;
  migrationtype: string;
  success: boolean;
}

const POLICIES = ['COMPLETE', 'BALANCE'] as const;

/** The stores a migration may write to (ImageStoreServiceImpl.migrateData): the source never, nor a read-only, non-NFS or other-zone store. */
export function migrationDestinations(src: ImageStore, dests: ImageStore[]): ImageStore[] {
  return dests.filter((d) => d.id !== src.id && !d.readonly && d.provider === 'NFS' && d.zoneId === src.zoneId);
}

/**
 * migrateSecondaryStorageData's job (ImageStoreServiceImpl.migrateData, then StorageOrchestrator.migrateData).
 * Every refusal happens inside the job, as CloudStack validates in the command's execute().
 */
export async function migrateImageStoreData(
  store: Store,
  clock: Clock,
  caller: Caller,
  r: ImageStoreMigrationRequest,
): Promise<JobResult> {
  const policy = (r.migrationType ?? 'COMPLETE').toUpperCase();
  if (!(POLICIES as readonly string[]).includes(policy)) throw runtimeFailure('Not a valid migration policy');
  const [src] = await storageStore.imageStores(store.db, { id: r.srcId });
  if (!src) throw runtimeFailure(`Cannot find secondary storage with id: ${r.srcId}`);
  if (src.provider !== 'NFS')
    throw invalid('Migration of datastore objects is supported only for NFS based image stores', 'srcpool');
  const all = await storageStore.imageStores(store.db, {});
  const dests = migrationDestinations(
    src,
    all.filter((s) => r.destIds.includes(s.id)),
  );
  if (!dests.length)
    // The missing space after "Could" is CloudStack's own text.
    throw runtimeFailure(
      'No destination valid store(s) available to migrate. Couldbe due to invalid store ID(s) or store(s) are read-only. Terminating Migration of data',
    );
  // StorageOrchestrator first lists the files on the source store and answers at once when there are none.
  // Images here belong to a zone, not to one of its stores, and every store's statistics count nothing
  // used (imageStoreStats), so no store holds a file of its own: nothing moves and the source stays writable.
  const outcome: MigrationOutcome = {
    message: `No files in Image store ${src.id} to migrate`,
    migrationtype: policy,
    success: true,
  };
  await store.tx((trx) =>
    eventLog(trx, clock, {
      type: 'IMAGE.STORE.DATA.MIGRATE',
      description: `Migrating files/data objects from : ${src.name} to: [${dests.map((d) => d.name).join(', ')}]`,
      accountId: caller.accountId,
      domainId: caller.domainId,
      userId: caller.userId,
      resourceId: src.id,
      resourceType: 'ImageStore',
    }),
  );
  return { type: 'object', instanceType: 'ImageStoreMigration', id: src.id, data: { ...outcome } };
}
