import type { Clock } from '../../domain/clock.js';
import { invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { intToIp } from '../../domain/net.js';
import type { Router, RouterState } from '../../domain/networking.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { AgentCommand, SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore, hostRows } from '../../store/host.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { routerStore } from '../../store/router.store.js';
import { type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';

export const ROUTER_JOBS = {
  start: 'router.start',
  stop: 'router.stop',
  reboot: 'router.reboot',
  destroy: 'router.destroy',
} as const;

export interface RouterTarget {
  zoneId: string;
  accountId: string;
  domainId: string;
  /** An isolated network's own router, or the router of a whole VPC. */
  networkId?: string;
  vpcId?: string;
  /** A basic zone's network has a router in each pod where its VMs run, on a host of that pod. */
  podId?: string;
  publicIp: string | null;
  guestIp: string | null;
}

/**
 * The router of a network or VPC, created Running when the network is implemented. Routers are
 * placed on the zone's first usable host but hold no capacity there: the simulator's system VMs
 * are free, and host usage stays the sum of the user VMs (what account reset recomputes).
 */
export async function ensureRouter(db: Db, clock: Clock, t: RouterTarget): Promise<Router> {
  const existing = t.vpcId
    ? await routerStore.forVpc(db, t.vpcId)
    : t.podId
      ? await routerStore.forNetworkPod(db, t.networkId!, t.podId)
      : await routerStore.forNetwork(db, t.networkId!);
  if (existing) return existing;
  const seq = await nextSeq(db, 'router');
  const host = (await hostStore.candidates(db, t.zoneId)).find((h) => !t.podId || h.podId === t.podId);
  const r: Router = {
    id: newId(),
    seq,
    name: `r-${seq}-VM`,
    zoneId: t.zoneId,
    networkId: t.vpcId ? null : t.networkId!,
    vpcId: t.vpcId ?? null,
    accountId: t.accountId,
    domainId: t.domainId,
    state: 'Running',
    hostId: host?.id ?? null,
    podId: t.podId ?? host?.podId ?? null,
    publicIp: t.publicIp,
    guestIp: t.guestIp,
    linkLocalIp: intToIp(0xa9fe0000 + (seq % 65000) + 2),
    created: clock.now(),
    removed: null,
  };
  await routerStore.insert(db, r);
  await eventLog(db, clock, {
    type: 'ROUTER.CREATE',
    description: `Created router ${r.name}`,
    accountId: r.accountId,
    domainId: r.domainId,
    resourceId: r.id,
    resourceType: 'DomainRouter',
  });
  return r;
}

/** A network or VPC going away takes its router (a basic zone's network, each pod's) with it. */
export async function destroyRouterOf(
  db: Db,
  clock: Clock,
  target: { networkId?: string; vpcId?: string },
): Promise<void> {
  const rs = target.vpcId
    ? [await routerStore.forVpc(db, target.vpcId)]
    : await routerStore.ofNetwork(db, target.networkId!);
  for (const r of rs) if (r) await markDestroyed(db, clock, r);
}

async function markDestroyed(db: Db, clock: Clock, r: Router): Promise<void> {
  await routerStore.destroy(db, r.id, clock.now());
  await eventLog(db, clock, {
    type: 'ROUTER.DESTROY',
    description: `Destroyed router ${r.name}`,
    accountId: r.accountId,
    domainId: r.domainId,
    resourceId: r.id,
    resourceType: 'DomainRouter',
  });
}

/** listRouters and the router lifecycle commands (admin only, as in CloudStack). */
export class RouterService {
  constructor(
    private store: Store,
    private clock: Clock,
    private agent: SimulatedAgent,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(ROUTER_JOBS.start, ({ params }) =>
      this.power(params.id, 'Stopped', 'Starting', 'Running', 'StartCommand'),
    );
    jobs.register<{ id: string }>(ROUTER_JOBS.stop, ({ params }) =>
      this.power(params.id, 'Running', 'Stopping', 'Stopped', 'StopCommand'),
    );
    jobs.register<{ id: string }>(ROUTER_JOBS.reboot, ({ params }) => this.reboot(params.id));
    jobs.register<{ id: string }>(ROUTER_JOBS.destroy, async ({ params }) => {
      await this.store.tx(async (trx) => {
        const r = await routerStore.get(trx, params.id);
        if (r && !r.removed) await markDestroyed(trx, this.clock, r);
      });
      return result(params.id);
    });
  }

  /** A router by id (destroyed ones too), for showing a job's result to the job's owner. */
  find(id: string): Promise<Router | undefined> {
    return routerStore.get(this.store.db, id);
  }

  async get(caller: Caller, id: string): Promise<Router> {
    const r = await routerStore.get(this.store.db, id);
    if (!r || r.removed) throw notFound('DomainRouter', id);
    // Only admins reach these commands; a domain admin sees the routers of its own domain tree.
    const scope = await scopeAccounts(this.store.db, caller, { listAll: true });
    if (scope && !scope.includes(r.accountId)) throw notFound('DomainRouter', id);
    return r;
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: {
      id?: string;
      zoneId?: string;
      networkId?: string;
      vpcId?: string;
      state?: string;
      name?: string;
      hostId?: string;
    },
  ): Promise<Router[]> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    return routerStore.list(this.store.db, { ...f, accountIds: accounts });
  }

  /** Start and stop: a router already in the wanted state is left as it is, as CloudStack does. */
  private async power(
    id: string,
    from: RouterState,
    via: RouterState,
    to: RouterState,
    command: AgentCommand,
  ): Promise<JobResult> {
    const r = await this.setState(id, from, via);
    if (r) {
      const host = r.hostId ? await hostRows.get(this.store.db, r.hostId) : undefined;
      try {
        await this.agent.send(command, host, { transition: to === 'Running' ? 'start' : 'stop' });
      } catch (e) {
        await this.setState(id, via, from);
        throw e;
      }
      await this.setState(id, via, to);
    }
    return result(id);
  }

  private async reboot(id: string): Promise<JobResult> {
    const r = await routerStore.get(this.store.db, id);
    if (!r || r.removed) throw notFound('DomainRouter', id);
    if (r.state !== 'Running')
      throw invalidState(`Unable to reboot domR, it is not in right state ${r.state}`, 'DomainRouter', id);
    const host = r.hostId ? await hostRows.get(this.store.db, r.hostId) : undefined;
    await this.agent.send('RebootCommand', host, { transition: 'reboot' });
    return result(id);
  }

  /** Moves a router from one state to another; undefined when it was not in `from`. */
  private async setState(id: string, from: RouterState, to: RouterState): Promise<Router | undefined> {
    return this.store.tx(async (trx) => {
      const r = await routerStore.get(trx, id);
      if (!r || r.removed) throw notFound('DomainRouter', id);
      if (r.state !== from) return undefined;
      await routerStore.update(trx, id, { state: to });
      return { ...r, state: to };
    });
  }
}

const result = (id: string): JobResult => ({ type: 'object', instanceType: 'DomainRouter', id });
