import pino from 'pino';
import { ManualClock } from '../../src/domain/clock.js';
import { createServices } from '../../src/server/services.js';
import type { Services } from '../../src/services/services.js';
import { buildPendingDatacenters, defaultDatacenters } from '../../src/server/datacenters.js';
import type { MarvinConfig } from '../../src/datacenter/marvin.js';
import type { Caller } from '../../src/domain/caller.js';
import { toCaller } from '../../src/services/identity/account.service.js';
import { seed } from '../../src/services/seed.js';
import { processImage } from '../../src/server/image.js';
import { implicitApis, userApis } from '../../src/cloudstack/access.js';
import { COMMANDS } from '../../src/cloudstack/commands/index.js';
import { accountStore } from '../../src/store/account.store.js';
import { openStore, type Store } from '../../src/store/db.js';
import { freshDatabase } from './pg.js';

export interface World {
  store: Store;
  clock: ManualClock;
  s: Services;
  admin: Caller;
  zones: { basic: string; advanced: string };
  small: string;
  template: string;
  close(): Promise<void>;
}

/** Seeds and builds a cloud from nothing, then hands back its database as an image. */
async function seededImage(now: number, datacenters: MarvinConfig[]): Promise<Buffer> {
  const built = await world({ file: ':memory:', clock: new ManualClock(now), datacenters });
  try {
    return built.store.image!();
  } finally {
    await built.close();
  }
}

/** A seeded cloud in this process on an in-memory (or given) database, with a clock tests move. */
export async function world(
  opts: { file?: string; url?: string; delayMs?: number; clock?: ManualClock; datacenters?: MarvinConfig[] } = {},
): Promise<World> {
  const clock = opts.clock ?? new ManualClock();
  // POLYSTACK_TEST_DB=postgres runs the same tests on a fresh PostgreSQL database each.
  const fresh =
    !opts.file && !opts.url && process.env['POLYSTACK_TEST_DB'] === 'postgres'
      ? await freshDatabase({ migrated: true })
      : undefined;
  const url = opts.url ?? fresh?.url;
  const datacenters = opts.datacenters ?? defaultDatacenters();
  // An in-memory cloud starts from a copy of the first one this process built the same way.
  // The agent's delay is not part of the key: the build leaves no job behind that it would time.
  const key = !url && !opts.file ? `world ${JSON.stringify([clock.now(), datacenters])}` : undefined;
  const image = key ? await processImage(key, () => seededImage(clock.now(), datacenters)) : undefined;
  const store = image ? await openStore({ image }) : await openStore(url ? { url } : { file: opts.file ?? ':memory:' });
  if (!image) await seed(store, { now: clock.now(), userApis: userApis([...COMMANDS.values()]) });
  const s = await createServices(store, clock, pino({ level: process.env['TEST_LOG'] ?? 'silent' }), {
    agentDelayMs: opts.delayMs ?? 1000,
    implicitApis: (type) => implicitApis([...COMMANDS.values()], type),
  });
  await s.jobs.start();
  if (!image) await buildPendingDatacenters(s, datacenters);
  const root = (await accountStore.rootDomain(store.db))!;
  const admin = toCaller((await accountStore.userByName(store.db, 'admin', root.id))!);
  const zs = await s.catalog.zones(admin, {});
  const offerings = await s.catalog.serviceOfferings(admin, { name: 'Small Instance' });
  const templates = await s.catalog.templates(admin, false, { filter: 'featured' });
  return {
    store,
    clock,
    s,
    admin,
    zones: {
      basic: zs.find((z) => z.networkType === 'Basic')?.id ?? '',
      advanced: zs.find((z) => z.networkType === 'Advanced')?.id ?? '',
    },
    small: offerings[0]!.id,
    template: templates.find((t) => t.name.startsWith('CentOS'))!.id,
    close: async () => {
      await s.jobs.stop(0);
      await store.close();
      await fresh?.drop();
    },
  };
}

/** Lets queued promise work run until `cond` holds (jobs reach the clock, rows get written). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Advances the fake clock each time a job waits on it, until the job is done. */
export async function finish(w: World, jobId: string): Promise<import('../../src/domain/types.js').Job> {
  for (;;) {
    const j = await w.s.jobs.get(jobId);
    if (j && j.status !== 0) return j;
    if (w.clock.waiting > 0) w.clock.advance(1000);
    await new Promise((r) => setTimeout(r, 1));
  }
}

export type Api = (
  command: string,
  params?: Record<string, string | number | boolean>,
  method?: 'GET' | 'POST',
) => Promise<{ status: number; body: any }>;

/** Logs in through the CloudStack pipeline (no HTTP) and returns a caller for commands as that user. */
export async function apiSession(w: World, username = 'admin', password = 'password', domain?: string): Promise<Api> {
  const { handleApi } = await import('../../src/cloudstack/api.js');
  const pairs: [string, string][] = [
    ['command', 'login'],
    ['username', username],
    ['password', password],
    ['response', 'json'],
  ];
  if (domain) pairs.push(['domain', domain]);
  const r = await handleApi(w.s, { method: 'POST', pairs, cookies: {} });
  if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.body}`);
  const sessionkey = JSON.parse(r.body).loginresponse.sessionkey as string;
  const cookies = {
    JSESSIONID: /JSESSIONID=([^;]+)/.exec(([] as string[]).concat(r.headers?.['Set-Cookie'] ?? []).join(';'))![1]!,
  };
  return async (command, params = {}, method = 'GET') => {
    const all: [string, string][] = [
      ['command', command],
      ['response', 'json'],
      ['sessionkey', sessionkey],
      ...Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]),
    ];
    const res = await handleApi(w.s, { method, pairs: all, cookies });
    const parsed = JSON.parse(res.body);
    return { status: res.status, body: parsed[Object.keys(parsed)[0]!] };
  };
}

/** Runs an async command to completion on the fake clock and returns queryAsyncJobResult's answer. */
export async function runJob(
  w: World,
  api: Api,
  command: string,
  params: Record<string, string | number | boolean>,
): Promise<any> {
  const r = await api(command, params);
  if (r.status !== 200) throw new Error(`${command} failed: ${JSON.stringify(r.body)}`);
  await finish(w, r.body.jobid);
  return (await api('queryAsyncJobResult', { jobid: r.body.jobid })).body;
}
