import Fastify, { type FastifyInstance } from 'fastify';
import { LocalPort } from '../../src/bridge/local.js';
import type { Credentials } from '../../src/bridge/port.js';
import { registerGce } from '../../src/gce/router.js';
import { GceStore } from '../../src/gce/store/store.js';
import { accountStore } from '../../src/store/account.store.js';
import { world, type World } from '../helpers/inprocess.js';

export const DEV_TOKEN = 'dev-token-for-tests';
export const ZONE = 'sandbox-simulator-basic';

export interface GceWorld {
  w: World;
  app: FastifyInstance;
  store: GceStore;
  admin: Credentials;
  /** One request to the front; `token` defaults to the dev token (admin), null sends none. */
  call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** The GCE front in this process over a seeded cloud (no agent delay), driven with fastify's inject. */
export async function gceWorld(): Promise<GceWorld> {
  const w = await world({ delayMs: 0 });
  const root = (await accountStore.rootDomain(w.store.db))!;
  const u = (await accountStore.userByName(w.store.db, 'admin', root.id))!;
  const admin = { apiKey: u.user.apiKey!, secretKey: u.user.secretKey! };
  const store = await GceStore.open(':memory:');
  const app = Fastify();
  registerGce(app, new LocalPort(w.s, 'gce'), { store, clock: w.clock, devTokens: new Map([[DEV_TOKEN, admin]]) });
  await app.ready();
  return {
    w,
    app,
    store,
    admin,
    async call(method, path, body, token = DEV_TOKEN) {
      const r = await app.inject({
        method,
        url: path.startsWith('/') ? path : `/compute/v1/projects/${path}`,
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          'content-type': 'application/json',
        },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : undefined };
    },
    async close() {
      await app.close();
      await store.close();
      await w.close();
    },
  };
}

/** The body of an instance insert with the seeded small offering and CentOS image. */
export const instanceBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  machineType: `zones/${ZONE}/machineTypes/small-instance`,
  disks: [{ boot: true, initializeParams: { sourceImage: 'projects/centos-cloud/global/images/family/centos-5' } }],
  ...extra,
});

/** Waits on a zonal operation until it is DONE. */
export async function waitOp(g: GceWorld, op: any): Promise<any> {
  for (;;) {
    const r = await g.call('POST', `admin/zones/${ZONE}/operations/${op.name}/wait`);
    if (r.body.status === 'DONE') return r.body;
  }
}
