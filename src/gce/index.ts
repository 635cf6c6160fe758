import type { FastifyInstance } from 'fastify';
import type { CloudStackPort, Credentials } from '../bridge/port.js';
import { registerGce, type GceOptions } from './router.js';
import { GceStore } from './store/store.js';

export interface GceStart extends Omit<GceOptions, 'store' | 'devTokens'> {
  /** The front's own SQLite file (`:memory:` for none). */
  file: string;
  /** A dev token (POLYSTACK_GCE_DEV_TOKEN) and the key pair it stands for. */
  devToken?: string;
  devCredentials?: () => Promise<Credentials | undefined>;
}

/** Opens the front's store and serves the GCE front on `app`; close() when the server stops. */
export async function startGce(
  app: FastifyInstance,
  port: CloudStackPort,
  o: GceStart,
): Promise<{ store: GceStore; close(): Promise<void> }> {
  const store = await GceStore.open(o.file);
  const creds = o.devToken ? await o.devCredentials?.() : undefined;
  const devTokens = new Map<string, Credentials>(o.devToken && creds ? [[o.devToken, creds]] : []);
  registerGce(app, port, { ...o, store, devTokens });
  const sweep = setInterval(() => void store.dropExpiredTokens(o.clock.now()).catch(() => undefined), 60_000);
  sweep.unref();
  return {
    store,
    async close() {
      clearInterval(sweep);
      await store.close();
    },
  };
}
