import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock.js';
import type { MarvinConfig } from '../datacenter/marvin.js';
import { implicitApis, userApis } from '../cloudstack/access.js';
import { COMMANDS } from '../cloudstack/commands/index.js';
import { seed } from '../services/seed.js';
import type { Services } from '../services/services.js';
import { nodeStore } from '../store/node.store.js';
import { openStore, type Store } from '../store/db.js';
import type { Config } from './config.js';
import { buildPendingDatacenters } from './datacenters.js';
import { createServices } from './services.js';

/**
 * Seeds a store (again: a seeded one only gets its admin keys refreshed, and settings added since, unless it is
 * an image of this code: `current`) and wires the services over it.
 */
export async function openCloud(
  store: Store,
  config: Config,
  clock: Clock,
  log: Logger,
  current = false,
): Promise<Services> {
  const apis = [...COMMANDS.values()];
  await seed(store, {
    now: clock.now(),
    adminApiKey: config.adminApiKey,
    adminSecretKey: config.adminSecretKey,
    userApis: userApis(apis),
    current,
  });
  return createServices(store, clock, log, {
    agentDelayMs: config.agentDelayMs,
    responseCache: config.responseCache,
    implicitApis: (type) => implicitApis(apis, type),
    databaseUrl: config.database,
  });
}

const images = new Map<string, Promise<Buffer>>();
/** Keys of clouds this process has built once: only a second one is worth an image. */
const builtOnce = new Set<string>();

/**
 * The database of a cloud seeded and built from `datacenters`, as an image: from the second
 * in-memory cloud a process starts the same way, each is a copy of one build, which saves the
 * build (hundreds of API calls) on every later start. Only for in-memory SQLite clouds whose admin keys are given:
 * the copy's keys are then replaced by them, so no two clouds share a secret the seed drew.
 */
export function cloudImage(
  config: Config,
  datacenters: MarvinConfig[],
  clock: Clock,
  log: Logger,
): Promise<Buffer> | undefined {
  if (!config.inMemory || config.database || !config.adminApiKey || !config.adminSecretKey) return undefined;
  // Not keyed by the agent's delay: jobs the build leaves pending are run by the copy, at its own pace.
  const key = `serve ${JSON.stringify(datacenters)}`;
  const image = images.get(key);
  // The first cloud is built in place: a process that serves one cloud (polystack serve) pays
  // nothing for images (a scratch build and a copy cost it ~60 ms of its start-up).
  if (!image && !builtOnce.has(key)) {
    builtOnce.add(key);
    return undefined;
  }
  return image ?? processImage(key, () => buildImage(config, datacenters, clock, log));
}

/** The image kept under `key` in this process, built by `build` the first time it is asked for. */
export function processImage(key: string, build: () => Promise<Buffer>): Promise<Buffer> {
  let image = images.get(key);
  if (!image) {
    image = build();
    // A failed build is not kept: the next start tries again (and fails the same way, visibly).
    image.catch(() => images.delete(key));
    images.set(key, image);
  }
  return image;
}

async function buildImage(config: Config, datacenters: MarvinConfig[], clock: Clock, log: Logger): Promise<Buffer> {
  const store = await buildCloud(config, datacenters, clock, log);
  try {
    return store.image!();
  } finally {
    await store.close();
  }
}

/** An in-memory cloud seeded and built from `datacenters` with keys of its own, no node and no job running. */
export async function buildCloud(
  config: Config,
  datacenters: MarvinConfig[],
  clock: Clock,
  log: Logger,
): Promise<Store> {
  const store = await openStore({ file: ':memory:' });
  try {
    // Keys of its own for the build; every copy gets its cloud's keys from openCloud's seed.
    const scratch = {
      ...config,
      adminApiKey: randomBytes(24).toString('base64url'),
      adminSecretKey: randomBytes(24).toString('base64url'),
    };
    const services = await openCloud(store, scratch, clock, log);
    await services.jobs.start();
    await buildPendingDatacenters(services, datacenters);
    await services.jobs.stop();
    // The builder is no node of the copies' clouds: listManagementServers shows only the node serving it.
    await nodeStore.forgetAll(store.db);
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}
