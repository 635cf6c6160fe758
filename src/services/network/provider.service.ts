import type { Clock } from '../../domain/clock.js';
import { invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import {
  DEFAULT_PROVIDERS,
  EXTERNAL_PROVIDERS,
  type ElementType,
  type NetworkServiceProvider,
  type ProviderElement,
} from '../../domain/infra.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { physicalNetworkStore as pnets } from '../../store/physicalnetwork.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export const PROVIDER_JOBS = {
  added: 'nsp.created',
  update: 'nsp.update',
  configureElement: 'nsp.element.configure',
} as const;

/** Which element types each element command lists and configures. */
export const ELEMENT_TYPES = {
  router: ['VirtualRouter', 'VPCVirtualRouter'] as ElementType[],
  internalLb: ['InternalLbVm'] as ElementType[],
};

const object = (instanceType: string, id: string): JobResult => ({ type: 'object', instanceType, id });

/** The providers createPhysicalNetwork sets up by itself, each router-like one with its element, disabled. */
export async function addDefaultProviders(db: Db, clock: Clock, physicalNetworkId: string): Promise<void> {
  for (const d of DEFAULT_PROVIDERS) {
    const nsp: NetworkServiceProvider = {
      id: newId(),
      physicalNetworkId,
      name: d.name,
      state: d.enabled ? 'Enabled' : 'Disabled',
      destinationPhysicalNetworkId: null,
      services: d.services.join(','),
      created: clock.now(),
    };
    await pnets.insertProvider(db, nsp);
    if (d.element)
      await pnets.insertElement(db, { id: newId(), nspId: nsp.id, type: d.element, enabled: 0, created: clock.now() });
  }
}

/** Network service providers of physical networks and their virtual-router / internal-LB elements. */
export class ProviderService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(PROVIDER_JOBS.added, async ({ params }) =>
      object('NetworkServiceProvider', params.id),
    );
    jobs.register<{ id: string; state?: string; services?: string[] }>(
      PROVIDER_JOBS.update,
      async ({ caller, params: p }) => {
        await this.update(caller, p.id, p.state, p.services);
        return object('NetworkServiceProvider', p.id);
      },
    );
    jobs.register<{ id: string; enabled: boolean }>(PROVIDER_JOBS.configureElement, async ({ params: p }) => {
      await this.store.tx((trx) => pnets.setElementEnabled(trx, p.id, p.enabled));
      return object('ProviderElement', p.id);
    });
  }

  list(f: {
    physicalNetworkId?: string;
    name?: string;
    state?: string;
    keyword?: string;
  }): Promise<NetworkServiceProvider[]> {
    return pnets.providers(this.store.db, f);
  }

  get(id: string): Promise<NetworkServiceProvider | undefined> {
    return pnets.provider(this.store.db, id);
  }

  /** addNetworkServiceProvider's create phase. */
  async add(
    caller: Caller,
    r: { physicalNetworkId: string; name: string; destinationPhysicalNetworkId?: string; services?: string[] },
    cmd: string,
  ): Promise<{ nsp: NetworkServiceProvider; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const p = await pnets.get(trx, r.physicalNetworkId);
      if (!p) throw invalid("Physical Network with specified id doesn't exist in the system", 'physicalnetworkid');
      if (r.destinationPhysicalNetworkId && !(await pnets.get(trx, r.destinationPhysicalNetworkId)))
        throw invalid(
          "Destination Physical Network with specified id doesn't exist in the system",
          'destinationphysicalnetworkid',
        );
      const known =
        DEFAULT_PROVIDERS.find((d) => d.name.toLowerCase() === r.name.toLowerCase())?.name ??
        EXTERNAL_PROVIDERS.find((n) => n.toLowerCase() === r.name.toLowerCase());
      if (!known) throw invalid(`Invalid Network Service Provider=${r.name}`, 'name');
      if ((await pnets.providers(trx, { physicalNetworkId: p.id, name: known })).length)
        throw runtimeFailure(`The '${known}' provider already exists on physical network : ${p.id}`);
      const nsp: NetworkServiceProvider = {
        id: newId(),
        physicalNetworkId: p.id,
        name: known,
        state: 'Disabled',
        destinationPhysicalNetworkId: r.destinationPhysicalNetworkId ?? null,
        services: (r.services ?? DEFAULT_PROVIDERS.find((d) => d.name === known)?.services ?? []).join(','),
        created: this.clock.now(),
      };
      await pnets.insertProvider(trx, nsp);
      const element = DEFAULT_PROVIDERS.find((d) => d.name === known)?.element;
      if (element)
        await pnets.insertElement(trx, {
          id: newId(),
          nspId: nsp.id,
          type: element,
          enabled: 0,
          created: this.clock.now(),
        });
      await eventLog(trx, this.clock, {
        type: 'SERVICE.PROVIDER.CREATE',
        description: `Added provider ${known} to physical network ${p.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: nsp.id,
        resourceType: 'NetworkServiceProvider',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: PROVIDER_JOBS.added,
        params: { id: nsp.id },
        instanceType: 'NetworkServiceProvider',
        instanceId: nsp.id,
      });
      return { nsp, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async submitUpdate(
    caller: Caller,
    id: string,
    state: string | undefined,
    services: string[] | undefined,
    cmd: string,
  ): Promise<string> {
    if (!(await pnets.provider(this.store.db, id))) throw notFound('NetworkServiceProvider', id);
    return this.jobs.run(caller, {
      cmd,
      kind: PROVIDER_JOBS.update,
      params: { id, state, services },
      instanceType: 'PhysicalNetworkServiceProvider',
      instanceId: id,
    });
  }

  /** updateNetworkServiceProvider: a provider is enabled only when its element is ready (configured). */
  private async update(
    caller: Caller,
    id: string,
    state: string | undefined,
    services: string[] | undefined,
  ): Promise<void> {
    await this.store.tx(async (trx) => {
      const nsp = await pnets.provider(trx, id);
      if (!nsp) throw invalid(`Network Service Provider id=${id}doesn't exist in the system`, 'id');
      const patch: Partial<NetworkServiceProvider> = {};
      if (state !== undefined && state !== '') {
        if (state === 'Shutdown') throw invalid("Updating the provider state to 'Shutdown' is not supported", 'state');
        if (state !== 'Enabled' && state !== 'Disabled')
          throw invalid(`Unable to resolve state '${state}' to a supported value {Enabled or Disabled}`, 'state');
        if (state === 'Enabled' && !(await this.ready(trx, nsp)))
          throw runtimeFailure(
            'Provider is not ready, cannot Enable the provider, please configure the provider first',
          );
        patch.state = state;
      }
      if (services) patch.services = services.join(',');
      if (Object.keys(patch).length) await pnets.updateProvider(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'SERVICE.PROVIDER.UPDATE',
        description: `Updated provider ${nsp.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'NetworkServiceProvider',
      });
    });
  }

  /** NetworkElement.isReady: router-like providers need an enabled element; external devices are never attached here. */
  private async ready(db: Db, nsp: NetworkServiceProvider): Promise<boolean> {
    const d = DEFAULT_PROVIDERS.find((x) => x.name === nsp.name);
    if (!d) return false;
    if (!d.element) return true;
    return (await pnets.elements(db, { nspId: nsp.id, types: [d.element], enabled: true })).length > 0;
  }

  elements(f: { id?: string; nspId?: string; enabled?: boolean }, types: ElementType[]): Promise<ProviderElement[]> {
    return pnets.elements(this.store.db, { ...f, types });
  }

  async submitConfigure(
    caller: Caller,
    id: string,
    enabled: boolean,
    types: ElementType[],
    cmd: string,
  ): Promise<string> {
    const e = await pnets.element(this.store.db, id);
    if (!e || !types.includes(e.type)) throw notFound('ProviderElement', id);
    return this.jobs.run(caller, {
      cmd,
      kind: PROVIDER_JOBS.configureElement,
      params: { id, enabled },
      instanceType: 'ProviderElement',
      instanceId: id,
    });
  }
}
