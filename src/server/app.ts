import Fastify, { type FastifyInstance } from 'fastify';
import { VirtualClock } from '../domain/clock.js';
import { registerControl, registerFaults, registerSeed, registerState } from '../control/routes.js';
import { StateService } from '../services/operations/state.service.js';
import { applyManifest, readManifest } from '../services/manifest.js';
import { toCaller } from '../services/identity/account.service.js';
import { accountStore } from '../store/account.store.js';
import { registerEc2 } from '../ec2/router.js';
import { startGce } from '../gce/index.js';
import { registerGceMetadata, registerMetadata, type DefaultInstance } from '../metadata/routes.js';
import { controlGuard } from '../control/auth.js';
import { registerEvents } from '../control/events.routes.js';
import { registerCredentials, registerGceKeys } from '../control/credentials.routes.js';
import { registerFrontIds } from '../control/fronts.routes.js';
import { FeedService } from '../services/operations/feed.service.js';
import { MetadataService } from '../services/compute/metadata.service.js';
import { Ec2Store } from '../ec2/store.js';
import { storedMetadataOptions } from '../ec2/actions/instances.extras.js';
import { LocalPort } from '../bridge/local.js';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { registerCloudStackApi } from '../cloudstack/api.js';
import { registerConsole } from './console.routes.js';
import { userApis } from '../cloudstack/access.js';
import { COMMANDS } from '../cloudstack/commands/index.js';
import { ACTIONS } from '../ec2/actions/index.js';
import { ROUTES as GCE_ROUTES } from '../gce/routes.js';
import { seed } from '../services/seed.js';
import { openStore, type Store } from '../store/db.js';
import { storeOptions, type Config } from './config.js';
import { createLogger, registerHttpGuards, serverOptions } from './http.js';
import { Metrics } from './metrics.js';
import { guardConnections } from './connections.js';
import { throttlingSettings } from '../services/identity/throttle.service.js';
import { setConfiguration } from '../store/catalog.store.js';
import type { Services } from '../services/services.js';
import { packageVersion } from '../specs.js';
import { buildPendingDatacenters, datacentersFor } from './datacenters.js';
import { cloudImage, openCloud } from './image.js';
import { shippedImage } from './shipped-image.js';
import { SCHEMALESS } from '../http/schemaless.js';

async function adminCaller(store: Store) {
  const root = await accountStore.rootDomain(store.db);
  return toCaller((await accountStore.userByName(store.db, 'admin', root!.id))!);
}

export interface Polystack {
  app: FastifyInstance;
  services: Services;
  store: Store;
  url: string;
  /** Every route the server answers, method by method (test/reliability/route-matrix.test.ts calls each one). */
  routes: readonly { method: string; url: string }[];
  close(): Promise<void>;
}

/** Composition root: config -> store -> seed -> services -> jobs -> HTTP. */
export async function startPolystack(config: Config, clock: VirtualClock = new VirtualClock()): Promise<Polystack> {
  const log = createLogger(config.logLevel);
  const datacenters = datacentersFor(config.datacenterFile);
  const shipped = shippedImage(config, datacenters);
  const image = shipped?.image ?? (await cloudImage(config, datacenters, clock, log));
  const store = await openStore(image ? { image } : storeOptions(config));
  await shipped?.prepare(store, clock.now());
  const seedOptions = () => ({
    now: clock.now(),
    adminApiKey: config.adminApiKey,
    adminSecretKey: config.adminSecretKey,
    userApis: userApis([...COMMANDS.values()]),
  });
  // An image was seeded by this code (shipped: this very bundle; else this process).
  const services = await openCloud(store, config, clock, log, !!image);
  await store.tx(async (trx) => {
    for (const [name, value] of throttlingSettings(config.limits.throttling)) await setConfiguration(trx, name, value);
  });
  // Settings were read before the throttling ones were written.
  await services.config.load();
  await services.jobs.start({
    name: config.nodeName ?? (config.port ? `${hostname()}:${config.port}` : undefined),
    serviceIp: config.host,
    servicePort: config.port,
  });
  await buildPendingDatacenters(services, datacenters);
  const manifest = config.seedFile ? readManifest(config.seedFile) : undefined;
  // The manifest goes on top of the built-in seed, now and after every reset.
  const applySeed = async () => {
    if (manifest) await applyManifest(services, await adminCaller(store), manifest);
  };
  await applySeed();

  // ignoreDuplicateSlashes: the AWS metadata client asks for //latest/... when its endpoint is a bare host.
  const app = Fastify({
    logger: false,
    ...SCHEMALESS,
    ...serverOptions(config.limits),
    forceCloseConnections: false,
    routerOptions: { ignoreDuplicateSlashes: true },
  });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  const metrics = new Metrics(store, () => services.jobs.running);
  registerHttpGuards(app, config.limits, log, (a) => metrics.observe(a));
  guardConnections(app, config.limits, log, () => metrics.dropped());
  metrics.watchConnections(app.server);
  // Like every control endpoint: a scrape reads the cloud's whole shape (accounts' VMs, capacity per zone).
  metrics.register(app, controlGuard(services, config.controlToken));
  const throttle = async (apiKey: string) => {
    const found = await services.accounts.byApiKey(apiKey);
    return found && services.throttle.hit(found.caller);
  };
  // CloudStack clients post forms; the pipeline reads the raw body itself.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  let ready = false;
  const state = new StateService(store, clock, services.jobs, services.config, services.groups, async () => {
    await seed(store, seedOptions());
    // The settings cache was read from the emptied tables; the build below updates settings through the API.
    await services.config.load();
    await buildPendingDatacenters(services, datacenters);
    await applySeed();
  });
  const control = { clock, state, controlToken: config.controlToken, version: packageVersion(), ready: () => ready };
  registerControl(app, services, control);
  registerState(app, services, control);
  registerSeed(app, services, control, manifest);
  app.put(
    '/_polystack/metadata/instance',
    { onRequest: controlGuard(services, config.controlToken) },
    async (req, res) => {
      const id = (typeof req.body === 'string' ? JSON.parse(req.body || '{}') : ((req.body as { id?: string }) ?? {}))
        .id;
      if (typeof id !== 'string' || !id)
        return res.status(400).send({ error: { code: 400, message: 'give {"id": "<instance id>"}' } });
      actingAs.id = id;
      return res.send({ actingAs: id });
    },
  );
  registerFaults(app, services, control);
  registerEvents(app, services, { clock, controlToken: config.controlToken });
  registerCredentials(app, services, { controlToken: config.controlToken });
  // amqplib is loaded only when a bus is configured.
  const bus = config.eventBus ? await import('../control/eventbus.js') : undefined;
  const stopBus =
    bus && config.eventBus
      ? await bus.startEventBus(
          config.eventBus,
          new FeedService(store),
          () => clock.now(),
          (msg, err) => log.error({ err }, msg),
        )
      : undefined;
  registerCloudStackApi(app, services);
  registerConsole(app);
  const metadata = new MetadataService(store);
  const actingAs: DefaultInstance = {};
  // On PostgreSQL the fronts' own rows sit beside the cloud's, so every node of a cluster shares them.
  const ec2Store = await Ec2Store.open(
    config.database ?? (config.inMemory ? ':memory:' : join(config.dataDir, 'ec2.db')),
  );
  registerMetadata(app, metadata, clock, actingAs, (vmId) => storedMetadataOptions(ec2Store, vmId));
  registerGceMetadata(app, metadata, actingAs);
  registerFrontIds(app, services, { controlToken: config.controlToken, ec2Store });
  // Fault rules naming an operation no front serves are refused (they could never fire).
  services.faults.knowOperations('cloudstack', COMMANDS.keys());
  services.faults.knowOperations('ec2', Object.keys(ACTIONS));
  services.faults.knowOperations(
    'gce',
    GCE_ROUTES.map((r) => r.id),
  );
  registerEc2(app, {
    port: new LocalPort(services, 'ec2'),
    store: ec2Store,
    clock,
    log: (msg, err, reqId) => log.error({ err, reqId }, msg),
    fault: async (action, accessKey) =>
      services.faults.atFront('ec2', action, (await services.accounts.byApiKey(accessKey))?.caller.accountId),
    throttle,
    browserHome: '/client/',
  });
  const gce = await startGce(app, new LocalPort(services, 'gce'), {
    file: config.database ?? (config.inMemory ? ':memory:' : join(config.dataDir, 'gce.db')),
    clock,
    log: (msg, err, reqId) => log.error({ err, reqId }, msg),
    fault: (method, accountId) => services.faults.atFront('gce', method, accountId),
    throttle,
    devToken: config.gceDevToken,
    devCredentials: async () => {
      const u = await accountStore.userByName(store.db, 'admin', (await accountStore.rootDomain(store.db))!.id);
      return u?.user.apiKey && u.user.secretKey ? { apiKey: u.user.apiKey, secretKey: u.user.secretKey } : undefined;
    },
  });

  registerGceKeys(app, services, gce.store, { controlToken: config.controlToken, now: () => clock.now() });

  const expunger = setInterval(() => {
    void services
      .system()
      .then((sys) => services.vms.sweepExpunged(sys))
      .catch((err) => log.error({ err }, 'expunge sweep failed'));
  }, 5000);
  expunger.unref();
  // The alert checker (AlertManagerImpl's capacity and host checks) runs far more often than CloudStack's five minutes: a local cloud is watched by tests.
  const alertChecker = setInterval(
    () => void services.alerts.check().catch((err) => log.error({ err }, 'alert check failed')),
    2000,
  );
  alertChecker.unref();
  // BackupManagerImpl polls its schedules every backup.framework.sync.interval (300 s); a local cloud's tests wait less.
  const backupScheduler = setInterval(() => {
    void services
      .system()
      .then((sys) => services.backupSchedules.runDue(sys))
      .catch((err) => log.error({ err }, 'backup schedule poll failed'));
  }, 5000);
  backupScheduler.unref();
  // SnapshotSchedulerImpl polls every snapshot.poll.interval (300s); here every second of real time
  // against the cloud's clock, so a run is taken within a second of the clock reaching it (also when
  // /_polystack/clock moves it there).
  await services.snapshotScheduler.start();
  /** Runs `round` every `ms`; a round still running when the next is due makes that one skip. */
  const poller = (ms: number, what: string, round: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void round()
        .catch((err) => log.error({ err }, `${what} failed`))
        .finally(() => (running = false));
    }, ms);
    timer.unref();
    return timer;
  };
  const snapshotPoller = poller(1000, 'snapshot schedule poll', () => services.snapshotScheduler.poll());
  // OutOfBandManagementPowerStatePollTask: BMCs' power read again every 4 s (BackgroundPollManagerImpl's round delay).
  const oobmSync = poller(4000, 'oobm power sync', () => services.oobm.syncPowerStates());
  // The autoscale monitor runs what is due on the cloud's clock (which /_polystack/clock may move ahead).
  const autoscaler = setInterval(
    () => void services.autoscale.monitor.tick().catch((err) => log.error({ err }, 'autoscale monitor failed')),
    1000,
  );
  autoscaler.unref();

  await app.listen({ host: config.host, port: config.port });
  ready = true;
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host}:${port}`;
  await services.jobs.cluster?.setAddress(config.host, port);
  return {
    app,
    services,
    store,
    url,
    routes,
    async close() {
      clearInterval(expunger);
      clearInterval(alertChecker);
      clearInterval(backupScheduler);
      clearInterval(snapshotPoller);
      clearInterval(autoscaler);
      clearInterval(oobmSync);
      await app.close(); // in-flight requests finish first
      await stopBus?.();
      await services.jobs.stop();
      await store.close();
      await ec2Store.close();
      await gce.close();
    },
  };
}
