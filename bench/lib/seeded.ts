import pino from 'pino';
import { VirtualClock } from '../../src/domain/clock.js';
import { buildPendingDatacenters, defaultDatacenters } from '../../src/server/datacenters.js';
import { createServices } from '../../src/server/services.js';
import { seed } from '../../src/services/seed.js';
import { openStore } from '../../src/store/db.js';

/** A database file as `serve` leaves it on first start: the seed and the two default zones. */
export async function seededCloud(file: string): Promise<void> {
  const store = await openStore({ file });
  await seed(store, { now: Date.now(), adminApiKey: 'k', adminSecretKey: 's' });
  const services = await createServices(store, new VirtualClock(), pino({ level: 'silent' }), { agentDelayMs: 0 });
  await services.jobs.start({});
  await buildPendingDatacenters(services, defaultDatacenters());
  await services.jobs.stop?.();
  await store.close();
}
