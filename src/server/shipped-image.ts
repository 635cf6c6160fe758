import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarvinConfig } from '../datacenter/marvin.js';
import { drawAdminKeys } from '../services/seed.js';
import { imageStore, type TableColumn } from '../store/image.store.js';
import type { Store } from '../store/db.js';
import { packageRoot } from '../specs.js';
import type { Config } from './config.js';

// Set by scripts/bundle.mjs in the bundle only: an image is used by the very build that wrote it,
// never by the sources (tests) or another bundle, whose seed or schema may differ.
declare const POLYSTACK_BUILD_ID: string | undefined;
const buildId = (): string | undefined => (typeof POLYSTACK_BUILD_ID === 'string' ? POLYSTACK_BUILD_ID : undefined);

/** What scripts/cloud-image.ts writes beside the image: which build it belongs to and what to move at start. */
interface ImageInfo {
  buildId: string;
  /** sha256 of the data centers the image holds (the default two). */
  datacenters: string;
  /** When the build ended (ms): every time it wrote is moved by start time − this, so none is ahead of the start. */
  builtAt: number;
  timeColumns: TableColumn[];
}

const FILES = { image: 'cloud-image.db', info: 'cloud-image.json' };
const digest = (datacenters: MarvinConfig[]) => createHash('sha256').update(JSON.stringify(datacenters)).digest('hex');

/** The prebuilt cloud shipped in dist/, if this bundle carries one for exactly these data centers. */
export function shippedImage(
  config: Config,
  datacenters: MarvinConfig[],
): { image: Buffer; prepare(store: Store, now: number): Promise<void> } | undefined {
  const id = buildId();
  if (!id || !config.inMemory || config.database) return undefined;
  const dir = join(packageRoot(), 'dist');
  if (!existsSync(join(dir, FILES.info))) return undefined;
  const info = JSON.parse(readFileSync(join(dir, FILES.info), 'utf8')) as ImageInfo;
  if (info.buildId !== id || info.datacenters !== digest(datacenters)) return undefined;
  return {
    image: readFileSync(join(dir, FILES.image)),
    /** Times as if the cloud had been built now; keys of its own when none are given (the seed sets given ones). */
    async prepare(store, now) {
      await store.tx((trx) => imageStore.rebaseTimes(trx, info.timeColumns, now - info.builtAt));
      if (!config.adminApiKey || !config.adminSecretKey) await drawAdminKeys(store);
    },
  };
}

/** Writes the image of a cloud built from `datacenters` into `dir` for bundle `id` (scripts/cloud-image.ts). */
export async function writeShippedImage(
  dir: string,
  id: string,
  datacenters: MarvinConfig[],
  build: () => Promise<{ store: Store; started: number; done: number }>,
): Promise<void> {
  const { store, started, done } = await build();
  try {
    // Times the build wrote ahead of itself (job deadlines, expiries) move with the others.
    const timeColumns = await imageStore.timeColumns(store.db, started, done + 366 * 86_400_000);
    const info: ImageInfo = { buildId: id, datacenters: digest(datacenters), builtAt: done, timeColumns };
    writeFileSync(join(dir, FILES.image), store.image!());
    writeFileSync(join(dir, FILES.info), `${JSON.stringify(info)}\n`);
  } finally {
    await store.close();
  }
}
