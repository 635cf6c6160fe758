import type { FastifyInstance, FastifyReply } from 'fastify';
import type { VirtualClock } from '../domain/clock.js';
import type { Services } from '../services/services.js';
import { controlGuard, sessionKeyOf } from './auth.js';
import type { Snapshot, StateService } from '../services/operations/state.service.js';
import type { NewFault } from '../services/operations/fault.service.js';
import { maskSecrets, type Manifest } from '../services/manifest.js';
import { DomainError } from '../domain/errors.js';
import { parseDuration } from '../domain/duration.js';
import { accountStore } from '../store/account.store.js';

export interface ControlOptions {
  clock: VirtualClock;
  state: StateService;
  controlToken?: string;
  version: string;
  /** True once the seed is applied and the fronts answer. */
  ready: () => boolean;
}

const iso = (t: number) => new Date(t).toISOString();

/** /_polystack/*: the emulator's own endpoints (health, readiness, time). */
export function registerControl(app: FastifyInstance, services: Services, o: ControlOptions): void {
  app.get('/_polystack/health', async (_req, res) => {
    const database = await services.store.db
      .selectFrom('zones')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst()
      .then(
        () => ({ status: 'ok' }),
        (err: unknown) => ({ status: 'failing', error: String(err) }),
      );
    const body = {
      status: database.status === 'ok' ? 'ok' : 'failing',
      version: o.version,
      subsystems: {
        database,
        jobs: { status: 'ok', running: services.jobs.running, pendingSleeps: o.clock.waiting },
        clock: { status: 'ok', now: iso(o.clock.now()), frozen: o.clock.frozen },
        cloudstack: { status: 'ok', endpoint: '/client/api' },
      },
    };
    return res.status(body.status === 'ok' ? 200 : 503).send(body);
  });

  app.get('/_polystack/ready', async (_req, res) =>
    o.ready() ? res.send({ ready: true }) : res.status(503).send({ ready: false }),
  );

  const clockBody = () => ({ now: iso(o.clock.now()), epochMillis: o.clock.now(), frozen: o.clock.frozen });

  const guard = controlGuard(services, o.controlToken);
  app.get('/_polystack/clock', { onRequest: guard }, async (_req, res) => res.send(clockBody()));

  /** Body: { freeze?: boolean, set?: ISO time or epoch ms, advance?: ms or "30s"/"5m"/"2h" }. */
  app.post('/_polystack/clock', { onRequest: guard }, async (req, res) => {
    const b = (typeof req.body === 'string' && req.body ? JSON.parse(req.body) : (req.body ?? {})) as {
      freeze?: boolean;
      set?: string | number;
      advance?: string | number;
    };
    try {
      if (b.freeze === true) o.clock.freeze();
      if (b.set !== undefined) {
        const t = typeof b.set === 'number' ? b.set : Date.parse(b.set);
        if (Number.isNaN(t)) throw new RangeError(`cannot read time ${String(b.set)}`);
        o.clock.set(t);
      }
      if (b.advance !== undefined) o.clock.advance(durationMs(b.advance));
      if (b.freeze === false) o.clock.unfreeze();
    } catch (e) {
      return res.status(400).send({ error: { code: 400, message: e instanceof Error ? e.message : String(e) } });
    }
    // The guard let a live console session through: moving the clock past its idle timeout must
    // not log out the admin who moved it (every other session ages as the clock says).
    const session = req.headers.authorization ? undefined : sessionKeyOf(req);
    if (session) await services.accounts.touchSession(session);
    return res.send(clockBody());
  });
}

/** Reset, export and import: the cloud's whole state, behind the same guard as the clock. */
export function registerState(app: FastifyInstance, services: Services, o: ControlOptions): void {
  const guard = controlGuard(services, o.controlToken);
  const fail = (res: FastifyReply, e: unknown) => {
    if (e instanceof DomainError)
      return res
        .status(e.code === 'NotFound' ? 404 : 400)
        .send({ error: { code: e.code === 'NotFound' ? 404 : 400, message: e.message } });
    throw e;
  };
  /** Body: {} for the whole cloud, or { account: name, domainid?: id } for one account. */
  app.post('/_polystack/reset', { onRequest: guard }, async (req, res) => {
    const b = parseBody(req.body) as { account?: string; domainid?: string };
    const started = Date.now();
    try {
      if (b.account) {
        const root = await accountStore.rootDomain(services.store.db);
        const acct = await accountStore.accountByName(services.store.db, b.account, b.domainid ?? root!.id);
        if (!acct) throw new DomainError('NotFound', `No account ${b.account}`, { kind: 'Account' });
        await o.state.resetAccount(acct.id);
      } else await o.state.reset();
    } catch (e) {
      return fail(res, e);
    }
    return res.send({ reset: b.account ? { account: b.account } : 'cloud', tookMs: Date.now() - started });
  });
  app.get('/_polystack/state', { onRequest: guard }, async (_req, res) => res.send(await o.state.export()));
  app.post('/_polystack/state', { onRequest: guard, bodyLimit: 1024 * 1024 * 1024 }, async (req, res) => {
    let snapshot: Snapshot;
    try {
      snapshot = parseBody(req.body) as Snapshot;
    } catch {
      return res.status(400).send({ error: { code: 400, message: 'the snapshot is not valid JSON (truncated?)' } });
    }
    try {
      await o.state.import(snapshot);
    } catch (e) {
      return fail(res, e);
    }
    return res.send({ loaded: true, tables: Object.keys(snapshot.tables).length });
  });
}

/**
 * GET /_polystack/seed: the seed manifest in force, behind the control guard, with its passwords
 * and keys masked: whoever holds control credentials can reset the cloud, but need not read the
 * seeded users' secrets off the wire.
 */
export function registerSeed(
  app: FastifyInstance,
  services: Services,
  o: Pick<ControlOptions, 'controlToken'>,
  manifest: Manifest | undefined,
): void {
  const shown = maskSecrets(manifest ?? {});
  app.get('/_polystack/seed', { onRequest: controlGuard(services, o.controlToken) }, async () => shown);
}

/** /_polystack/faults: the fault engine's rules (list, add, remove one, clear), and the simulator's agent mocks. */
export function registerFaults(app: FastifyInstance, services: Services, o: ControlOptions): void {
  const guard = controlGuard(services, o.controlToken);
  const bad = (res: FastifyReply, e: unknown) => {
    if (e instanceof DomainError)
      return res
        .status(e.code === 'NotFound' ? 404 : 400)
        .send({ error: { code: e.code === 'NotFound' ? 404 : 400, message: e.message } });
    throw e;
  };
  app.get('/_polystack/faults', { onRequest: guard }, async () => ({
    rules: await services.faults.list(),
    agentMocks: await services.store.db.selectFrom('simulatorMocks').selectAll().where('removed', 'is', null).execute(),
  }));
  app.post('/_polystack/faults', { onRequest: guard }, async (req, res) => {
    try {
      return res.status(201).send(await services.faults.add(parseBody(req.body) as NewFault));
    } catch (e) {
      return bad(res, e);
    }
  });
  app.delete('/_polystack/faults/:id', { onRequest: guard }, async (req, res) => {
    try {
      await services.faults.remove((req.params as { id: string }).id);
      return res.status(204).send();
    } catch (e) {
      return bad(res, e);
    }
  });
  app.delete('/_polystack/faults', { onRequest: guard }, async (_req, res) => {
    await services.faults.clear();
    return res.status(204).send();
  });
}

function parseBody(body: unknown): unknown {
  if (typeof body === 'string') return body ? JSON.parse(body) : {};
  return body ?? {};
}

function durationMs(v: string | number): number {
  const ms = parseDuration(v);
  if (ms === undefined) throw new RangeError(`cannot read duration ${v}`);
  return ms;
}
