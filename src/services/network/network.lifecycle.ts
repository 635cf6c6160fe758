import { networkPermissionStore } from '../../store/networkpermission.store.js';
import type { NetworkService } from './network.service.js';
import type { Clock } from '../../domain/clock.js';
import { DOMAIN_NAME_RULES, isDomainName } from '../../domain/domainname.js';
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import type { Network } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import { removeRulesOfNetwork, removeRulesOnIp } from '../../store/iprules.store.js';
import { networkStore } from '../../store/network.store.js';
import { routerStore } from '../../store/router.store.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { freePublicIp, release } from '../resources.js';
import { createGuestNetwork, type NewNetwork } from './network.create.js';
import { destroyRouterOf, ensureRouter } from './router.service.js';
import { podRoutersUp, servedByPodRouters } from './router.basic.js';
import { attachRouterIp6, ipv6Change } from './ipv6.service.js';
import { implementVpc } from './vpc.service.js';
import { vpcStore } from '../../store/vpc.store.js';

export const NETWORK_JOBS = { update: 'network.update', remove: 'network.delete', restart: 'network.restart' } as const;

export interface NetworkUpdate {
  name?: string;
  displayText?: string;
  networkDomain?: string;
  networkOfferingId?: string;
}

/** createNetwork, updateNetwork, deleteNetwork and restartNetwork. */
export class NetworkLifecycleService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private networks: NetworkService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string } & NetworkUpdate>(NETWORK_JOBS.update, async ({ caller, params: p }) => {
      await this.store.tx((trx) => this.update(trx, caller, p));
      return { type: 'object', instanceType: 'Network', id: p.id };
    });
    jobs.register<{ id: string }>(NETWORK_JOBS.remove, ({ caller, params }) =>
      this.store.tx((trx) => this.destroy(trx, caller, params.id)),
    );
    jobs.register<{ id: string; cleanup: boolean }>(NETWORK_JOBS.restart, ({ params }) =>
      this.store.tx((trx) => this.restart(trx, params.id, params.cleanup)),
    );
  }

  /** createNetwork; a network of a persistent offering is implemented at once, without waiting for a VM (NetworkServiceImpl.commitNetwork). */
  create(caller: Caller, r: NewNetwork): Promise<Network> {
    return this.store.tx(async (trx) => {
      const net = await createGuestNetwork(trx, this.clock, caller, r, this.config.num('network.guest.cidr.limit', 22));
      const o = await networkStore.offering(trx, net.networkOfferingId);
      return o?.isPersistent ? this.networks.implement(trx, net) : net;
    });
  }

  /** The network, if the caller may change it: an account's own, or (for admins) any in reach. */
  async owned(caller: Caller, id: string): Promise<Network> {
    const net = await networkStore.get(this.store.db, id);
    if (!net) throw notFound('Network', id);
    assertAccess(caller, { accountId: net.accountId, domainId: net.domainId }, 'Network', id);
    return net;
  }

  /** Checks what can be checked before the job, then submits it. */
  async submit(
    caller: Caller,
    cmd: string,
    kind: string,
    params: { id: string } & Record<string, unknown>,
  ): Promise<string> {
    await this.owned(caller, params.id);
    if (kind === NETWORK_JOBS.update) await this.checkUpdate(this.store.db, params);
    return this.jobs.run(caller, { cmd, kind, params, instanceType: 'Network', instanceId: params.id });
  }

  private async checkUpdate(db: Db, p: { id: string } & NetworkUpdate): Promise<void> {
    if (p.networkDomain !== undefined && !isDomainName(p.networkDomain))
      throw invalid(DOMAIN_NAME_RULES, 'networkdomain');
    if (!p.networkOfferingId) return;
    const net = await networkStore.get(db, p.id);
    const [from, to] = await Promise.all([
      networkStore.offering(db, net!.networkOfferingId),
      networkStore.offering(db, p.networkOfferingId),
    ]);
    if (!to || to.state !== 'Enabled' || !from || from.guestIpType !== to.guestIpType || from.forVpc !== to.forVpc)
      throw invalid(
        `Can't upgrade from network offering ${from?.id} to ${p.networkOfferingId}; check logs for more information`,
        'networkofferingid',
      );
  }

  private async update(db: Db, caller: Caller, p: { id: string } & NetworkUpdate): Promise<void> {
    const net = await networkStore.get(db, p.id);
    if (!net) throw notFound('Network', p.id);
    await this.checkUpdate(db, p);
    const patch: Partial<Network> = {};
    if (p.name) patch.name = p.name;
    if (p.displayText) patch.displayText = p.displayText;
    if (p.networkDomain) patch.networkDomain = p.networkDomain;
    if (p.networkOfferingId) {
      patch.networkOfferingId = p.networkOfferingId;
      Object.assign(patch, await ipv6Change(db, net, p.networkOfferingId));
    }
    await networkStore.update(db, net.id, patch);
    if (patch.ip6Cidr && net.state === 'Implemented') await this.routerUp(db, { ...net, ...patch });
    await eventLog(db, this.clock, {
      type: 'NETWORK.UPDATE',
      description: `Updated network ${net.name}`,
      accountId: net.accountId ?? caller.accountId,
      domainId: net.domainId,
      userId: caller.userId,
      resourceId: net.id,
      resourceType: 'Network',
    });
  }

  /**
   * deleteNetwork: refused while any VM that is not expunged has a NIC on it (CloudStack answers
   * this with a bare "Failed to delete network"); otherwise its rules, addresses, VLAN, address
   * range and router go with it.
   */
  private async destroy(db: Db, caller: Caller, id: string): Promise<JobResult> {
    const net = await networkStore.get(db, id);
    if (!net) return { type: 'success' }; // a re-run after it went
    if ((await networkStore.activeNics(db, net.id)).length)
      throw new DomainError('AgentFailure', 'Failed to delete network');
    for (const ip of await networkStore.ipsOfNetwork(db, net.id)) {
      await removeRulesOnIp(db, ip.id);
      // A VPC's own addresses stay with the VPC, and a portable one with its owner until released; they only leave this network.
      if ((ip.vpcId && !ip.isSourceNat) || ip.isPortable) await networkStore.detachIp(db, ip.id);
      else await freePublicIp(db, ip);
    }
    await removeRulesOfNetwork(db, net.id);
    await networkStore.releaseVlans(db, net.id);
    await networkStore.removeRanges(db, net.id);
    if (!net.vpcId) await destroyRouterOf(db, this.clock, { networkId: net.id });
    await networkStore.remove(db, net.id, this.clock.now());
    if (net.accountId && net.aclType === 'Account') await release(db, net.accountId, { network: 1 });
    await networkPermissionStore.removeAll(db, net.id);
    await eventLog(db, this.clock, {
      type: 'NETWORK.DELETE',
      description: `Deleted network ${net.name}`,
      accountId: net.accountId ?? caller.accountId,
      domainId: net.domainId,
      userId: caller.userId,
      resourceId: net.id,
      resourceType: 'Network',
    });
    return { type: 'success' };
  }

  /** restartNetwork: with cleanup the router is replaced by a new one, otherwise it is (re)started. */
  private async restart(db: Db, id: string, cleanup: boolean): Promise<JobResult> {
    const net = await networkStore.get(db, id);
    if (!net) throw notFound('Network', id);
    if (net.state !== 'Implemented' && net.state !== 'Setup')
      throw invalid('Network is not in the right state to be restarted. Correct states are: Implemented, Setup', 'id');
    if (net.type === 'Isolated') {
      const target = net.vpcId ? { vpcId: net.vpcId } : { networkId: net.id };
      if (cleanup) await destroyRouterOf(db, this.clock, target);
      await this.routerUp(db, net);
    } else if (await servedByPodRouters(db, net)) {
      if (cleanup) await destroyRouterOf(db, this.clock, { networkId: net.id });
      await podRoutersUp(db, this.clock, net);
    }
    return { type: 'success' };
  }

  /** An implemented network's router, Running: the one it has, or a new one on its source-NAT address. */
  private async routerUp(db: Db, net: Network): Promise<void> {
    if (net.vpcId) {
      const vpc = await vpcStore.get(db, net.vpcId);
      if (vpc) await implementVpc(db, this.clock, vpc);
      return;
    }
    const nat = (await networkStore.ipsOfNetwork(db, net.id)).find((ip) => ip.isSourceNat);
    const r = await ensureRouter(db, this.clock, {
      zoneId: net.zoneId,
      accountId: net.accountId!,
      domainId: net.domainId,
      networkId: net.id,
      publicIp: nat?.address ?? null,
      guestIp: net.gateway,
    });
    if (r.state !== 'Running') await routerStore.update(db, r.id, { state: 'Running' });
    await attachRouterIp6(db, this.clock, { ...r, state: 'Running' }, net);
  }
}
