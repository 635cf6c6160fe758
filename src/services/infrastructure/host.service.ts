import { ensureSystemVms } from './systemvm.service.js';
import { fits } from '../../domain/allocator.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError, forbidden, invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { canAttemptMaintenance, isSimulatorUrl, MAINTENANCE_STATES, simHostSize } from '../../domain/infra.js';
import { intToIp, ipToInt, parseCidr } from '../../domain/net.js';
import { cidrOf } from '../../domain/cidr.js';
import type { Host, Pod } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import { datacenterStore as dc, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore, type HostFilter, hostRows } from '../../store/host.store.js';
import { oobmStore } from '../../store/oobm.store.js';
import type { Page, PageRequest } from '../../store/paging.js';
import { nextSeq } from '../../store/sequence.store.js';
import type { AffinityService } from '../compute/affinity.service.js';
import { addClusterIn, hypervisorName } from './cluster.service.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { migrateVm, vmDemand } from '../compute/vm.migration.js';
import { vmRows, vmStore } from '../../store/vm.store.js';
import { routerStore } from '../../store/router.store.js';
import { systemVmStore } from '../../store/systemvm.store.js';

export const HOST_JOBS = {
  maintain: 'host.maintain',
  cancelMaintenance: 'host.cancelmaintenance',
  reconnect: 'host.reconnect',
} as const;

export interface NewHost {
  zoneId: string;
  podId: string;
  clusterId?: string;
  clusterName?: string;
  hypervisor: string;
  url: string;
  username?: string;
  password?: string;
  hostTags?: string[];
  allocationState?: string;
}
export interface HostUpdate {
  allocationState?: string;
  name?: string;
  hostTags?: string[];
}

const hostResult = (id: string): JobResult => ({ type: 'object', instanceType: 'Host', id });

/** Simulated hosts: addHost, updateHost, deleteHost and maintenance (ResourceManagerImpl, SimulatorDiscoverer). */
export class HostService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private agent: SimulatedAgent,
    private affinity: AffinityService,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(HOST_JOBS.maintain, ({ caller, params }) => this.maintain(caller, params.id));
    jobs.register<{ id: string }>(HOST_JOBS.cancelMaintenance, ({ caller, params }) =>
      this.cancelMaintenance(caller, params.id),
    );
    jobs.register<{ id: string }>(HOST_JOBS.reconnect, ({ caller, params }) => this.reconnect(caller, params.id));
  }

  async add(caller: Caller, r: NewHost): Promise<Host> {
    return this.store.tx(async (trx) => {
      const zone = await zoneRows.get(trx, r.zoneId);
      if (!zone) throw invalid(`Can't find zone by id ${r.zoneId}`, 'zoneid');
      if (zone.allocationState === 'Disabled' && !isRootAdmin(caller))
        throw forbidden('Cannot perform this operation, Zone with specified id is currently disabled', 'Zone', zone.id);
      const pod = await dc.pod(trx, r.podId);
      if (!pod) throw invalid(`Can't find pod by id ${r.podId}`, 'podid');
      if (pod.zoneId !== zone.id)
        throw invalid(
          `Pod with specified podId${pod.id} doesn't belong to the zone with specified zoneId${zone.id}`,
          'podid',
        );
      if (r.clusterName && r.clusterId) throw invalid("Can't specify cluster by both id and name", 'clustername');
      if (!r.username || !r.password) throw invalid('Username and Password need to be provided.', 'username');
      let cluster = r.clusterId ? await dc.cluster(trx, r.clusterId) : undefined;
      if (r.clusterId && !cluster) throw invalid('can not find cluster for specified clusterId', 'clusterid');
      if (!cluster) {
        // A standalone host gets a cluster of its own, named after its URL.
        const name = r.clusterName ?? `Standalone-${r.url}`;
        cluster =
          (await dc.clusters(trx, { podId: pod.id, name }))[0] ??
          (await addClusterIn(trx, this.clock, caller, {
            zoneId: zone.id,
            podId: pod.id,
            name,
            hypervisor: r.hypervisor,
            clusterType: 'CloudManaged',
          }));
      }
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(r.url))
        throw invalid(`uri.scheme is null ${r.url}, add nfs:// (or cifs://) as a prefix`, 'url');
      const hypervisor = hypervisorName(r.hypervisor);
      if (!hypervisor) throw runtimeFailure(`Do not support HypervisorType ${r.hypervisor} for ${r.url}`);
      // SimulatorDiscoverer takes only http://sim... URLs in Simulator clusters; no other discoverer answers here.
      if (hypervisor !== 'Simulator' || cluster.hypervisor !== 'Simulator' || !isSimulatorUrl(r.url))
        throw runtimeFailure(`Unable to add the host: Cannot find the server resources at ${r.url}`);
      const state = r.allocationState ?? 'Enabled';
      if (state !== 'Enabled' && state !== 'Disabled')
        throw invalid(`Unable to resolve Allocation State '${state}' to a supported state`, 'allocationstate');
      const now = this.clock.now();
      const host: Host = {
        id: newId(),
        zoneId: zone.id,
        podId: pod.id,
        clusterId: cluster.id,
        name: `SimulatedAgent.${newId()}`,
        url: r.url,
        ipAddress: await freePodIp(trx, pod),
        type: 'Routing',
        ...simHostSize(r.url),
        cpuUsed: 0,
        memoryUsed: 0,
        state: 'Up',
        resourceState: state,
        created: now,
        lastPinged: now,
        seq: await nextSeq(trx, 'host'),
        hostTags: r.hostTags?.length ? r.hostTags.join(',') : null,
      };
      await hostStore.insert(trx, host);
      await ensureSystemVms(trx, this.clock, zone.id);
      await eventLog(trx, this.clock, {
        type: 'HOST.ADD',
        description: `Added host ${host.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: host.id,
        resourceType: 'Host',
      });
      return host;
    });
  }

  async update(caller: Caller, id: string, u: HostUpdate): Promise<Host> {
    return this.store.tx(async (trx) => {
      const h = await hostStore.get(trx, id);
      if (!h) throw invalid(`Host with id ${id} doesn't exist`, 'id');
      const patch: Partial<Host> = {};
      if (u.allocationState !== undefined) {
        if (u.allocationState !== 'Enable' && u.allocationState !== 'Disable')
          throw invalid(
            `Invalid allocation state: ${u.allocationState}, only Enable/Disable are allowed`,
            'allocationstate',
          );
        const to = nextResourceState(h.resourceState, u.allocationState);
        if (!to)
          throw runtimeFailure(
            `No next resource state found for current state = ${h.resourceState} event = ${u.allocationState}`,
          );
        patch.resourceState = to;
      }
      if (u.name) patch.name = u.name;
      if (u.hostTags) patch.hostTags = u.hostTags.length ? u.hostTags.join(',') : null;
      if (Object.keys(patch).length) await hostStore.update(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'HOST.UPDATE',
        description: `Updated host ${h.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Host',
      });
      return { ...h, ...patch };
    });
  }

  /** doDeleteHost: only from maintenance unless forced; VMs still marked on the host are left Stopped. */
  async remove(caller: Caller, id: string, forced: boolean): Promise<void> {
    await this.store.tx(async (trx) => {
      const h = await hostStore.get(trx, id);
      if (!h) throw invalid(`Host with id ${id} doesn't exist`, 'id');
      if (h.resourceState !== 'Maintenance' && !forced)
        throw runtimeFailure(
          `Host ${h.id} cannot be deleted as it is not in maintenance mode. Either put the host into maintenance or perform a forced deletion.`,
        );
      const now = this.clock.now();
      await vmStore.stopAllOnHost(trx, id, now);
      await vmStore.forgetLastHost(trx, id);
      await routerStore.unplaceFromHost(trx, id);
      await systemVmStore.stopAllOnHost(trx, id);
      await hostStore.remove(trx, id);
      await oobmStore.removeHost(trx, id);
      await eventLog(trx, this.clock, {
        type: 'HOST.DELETE',
        description: `Deleted host ${h.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Host',
      });
    });
  }

  async list(f: HostFilter & { vmId?: string }, page?: PageRequest): Promise<Page<Host>> {
    if (f.vmId) {
      const vm = await vmRows.get(this.store.db, f.vmId);
      if (!vm?.hostId) return { items: [], count: 0 };
      f = { ...f, id: vm.hostId };
    }
    return hostStore.list(this.store.db, f, page);
  }

  get(id: string): Promise<Host | undefined> {
    return hostStore.get(this.store.db, id);
  }

  async submit(caller: Caller, kind: string, id: string, cmd: string): Promise<string> {
    if (!(await hostStore.get(this.store.db, id))) throw notFound('Host', id);
    return this.jobs.run(caller, { cmd, kind, params: { id }, instanceType: 'Host', instanceId: id });
  }

  /**
   * prepareHostForMaintenance (ResourceManagerImpl.doMaintain): the host goes PrepareForMaintenance
   * and each running VM migrates to another enabled host of its cluster with room for it. When
   * there is no other host at all the job fails and the host stays PrepareForMaintenance (the
   * transition came first); when some VMs cannot leave it is ErrorInPrepareForMaintenance
   * (checkAndMaintain's UnableToMigrate).
   */
  private async maintain(caller: Caller, id: string): Promise<JobResult> {
    const host = await this.store.tx(async (trx) => {
      const h = await hostStore.get(trx, id);
      if (!h) throw invalid(`Unable to find host with ID: ${id}. Please specify a valid host ID.`, 'id');
      if (!canAttemptMaintenance(h.resourceState))
        throw runtimeFailure(
          `Host is already in state ${h.resourceState}. Cannot recall for maintenance until resolved.`,
        );
      const busy = (await hostStore.inCluster(trx, h.clusterId)).some(
        (o) =>
          o.id !== h.id &&
          (o.resourceState === 'PrepareForMaintenance' || o.resourceState === 'ErrorInPrepareForMaintenance'),
      );
      if (busy)
        throw runtimeFailure(
          `There are other servers attempting migrations for maintenance. Found hosts in PrepareForMaintenance OR ErrorInPrepareForMaintenance STATUS in cluster ${h.clusterId}`,
        );
      const states = new Set((await vmStore.statesOnHost(trx, id)).map((v) => v.state));
      if (states.has('Migrating'))
        throw runtimeFailure(
          'Host contains incoming VMs migrating. Please wait for them to complete before putting to maintenance.',
        );
      if (states.has('Starting') || states.has('Stopping'))
        throw runtimeFailure(
          'Host contains VMs in starting/stopping state. Please wait for them to complete before putting to maintenance.',
        );
      if (states.has('Error'))
        throw runtimeFailure('Host contains VMs in error/unknown/shutdown state. Please fix errors to proceed.');
      await hostStore.update(trx, id, { resourceState: 'PrepareForMaintenance' });
      await eventLog(trx, this.clock, {
        type: 'MAINT.PREPARE',
        description: `starting maintenance for host ${h.id}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Host',
      });
      return h;
    });
    const running = await vmStore.runningOnHost(this.store.db, id);
    if (running.length && !(await hostStore.migrationTargets(this.store.db, host.clusterId, id)).length)
      throw runtimeFailure(`Unable to prepare for maintenance host ${id}`);
    let failed = 0;
    for (const { id: vmId } of running) {
      try {
        await migrateVm({ store: this.store, clock: this.clock, agent: this.agent }, caller, vmId, (trx, vm) =>
          this.target(trx, vm.id, vmDemand(vm), host),
        );
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failed++;
      }
    }
    await this.store.tx(async (trx) => {
      await hostStore.update(trx, id, { resourceState: failed ? 'ErrorInPrepareForMaintenance' : 'Maintenance' });
      // Virtual routers are system VMs: they follow to another host of the cluster without holding capacity.
      const [to] = await hostStore.migrationTargets(trx, host.clusterId, id);
      if (to) await routerStore.moveFromHost(trx, id, to);
      if (!failed)
        await eventLog(trx, this.clock, {
          type: 'MAINT.PREPARE',
          description: `completed maintenance for host ${id}`,
          accountId: caller.accountId,
          domainId: caller.domainId,
          userId: caller.userId,
          resourceId: id,
          resourceType: 'Host',
        });
    });
    return hostResult(id);
  }

  /** The first enabled host of the cluster that fits the VM and that its affinity groups allow. */
  private async target(
    db: Db,
    vmId: string,
    demand: { cpuMhz: number; memoryBytes: number },
    from: Host,
  ): Promise<Host> {
    const rules = await this.affinity.placementRules(db, vmId);
    const t = (await hostStore.migrationTargets(db, from.clusterId, from.id)).find(
      (h) => fits(h, demand) && !rules.avoid.has(h.id) && (!rules.only || rules.only.has(h.id)),
    );
    if (!t)
      throw new DomainError(
        'InsufficientCapacity',
        `Unable to migrate VM ${vmId}: no host in cluster ${from.clusterId} can take it`,
        { kind: 'VirtualMachine', id: vmId, capacity: 'server' },
      );
    return t;
  }

  private async cancelMaintenance(caller: Caller, id: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const h = await hostStore.get(trx, id);
      if (!h) throw invalid(`Host with id ${id} doesn't exist`, 'id');
      if (!MAINTENANCE_STATES.has(h.resourceState))
        throw runtimeFailure(
          `Cannot perform cancelMaintenance when resource state is ${h.resourceState}, hostId = ${id}`,
        );
      await hostRows.update(trx, id, { resourceState: 'Enabled' });
      await eventLog(trx, this.clock, {
        type: 'MAINT.CANCEL',
        description: `canceling maintenance for host ${id}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Host',
      });
    });
    return hostResult(id);
  }

  /**
   * reconnectHost (AgentManagerImpl.reconnect): the management server drops the agent's connection and the
   * agent dials back, which the simulated agent does when asked: the handshake (ReadyCommand) brings the host
   * Up again, or, when it fails (a simulator mock), leaves it Disconnected. A host already Disconnected only
   * waits for its agent in CloudStack; here that agent is asked to dial back too (it never does by itself).
   */
  private async reconnect(caller: Caller, id: string): Promise<JobResult> {
    const h = await this.store.tx(async (trx) => {
      const h = await hostStore.get(trx, id);
      if (!h) throw invalid(`Host with id ${id} doesn't exist`, 'id');
      if (h.state !== 'Disconnected' && !['Up', 'Alert', 'Rebalancing'].includes(h.state))
        throw runtimeFailure(
          `Unable to disconnect host because it is not in the correct state: host=${id}; Status=${h.state}`,
        );
      await hostRows.update(trx, id, { state: 'Disconnected' } satisfies Partial<Host>);
      await eventLog(trx, this.clock, {
        type: 'HOST.RECONNECT',
        description: `reconnecting host: ${id}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Host',
      });
      return h;
    });
    try {
      await this.agent.send('ReadyCommand', h);
    } catch (e) {
      // The reconnection is the agent's, after the command answered: a failed handshake is not the job's failure.
      if (!(e instanceof DomainError)) throw e;
      return hostResult(id);
    }
    await this.store.tx((trx) =>
      hostRows.update(trx, id, { state: 'Up', lastPinged: this.clock.now() } satisfies Partial<Host>),
    );
    return hostResult(id);
  }
}

/** ResourceState's transitions for the admin's Enable and Disable events. */
function nextResourceState(from: string, event: 'Enable' | 'Disable'): string | undefined {
  if (event === 'Enable') return from === 'Enabled' || from === 'Disabled' ? 'Enabled' : undefined;
  return ['Enabled', 'Disabled', 'ErrorInMaintenance', 'ErrorInPrepareForMaintenance'].includes(from)
    ? 'Disabled'
    : undefined;
}

/**
 * A private address in the pod's subnet for a new host. The simulator picks one at random in the pod
 * CIDR; here it is the next free one after the pod's last host, taking the addresses outside the
 * pod's reserved range first and those inside it after, so adding a host reads a row or two.
 */
async function freePodIp(db: Db, pod: Pod): Promise<string> {
  const c = parseCidr(cidrOf(pod.gateway, pod.netmask));
  const [start, end, gw] = [ipToInt(pod.startIp), ipToInt(pod.endIp), ipToInt(pod.gateway)];
  const last = c.network + 2 ** (32 - c.prefix) - 2;
  // The preference order as one sequence: position i -> address.
  const outside = last - c.network - (end - start + 1);
  const at = (i: number) =>
    i < outside
      ? c.network + 1 + i < start
        ? c.network + 1 + i
        : c.network + 1 + i + (end - start + 1)
      : start + (i - outside);
  const size = last - c.network;
  const prev = await hostStore.lastInPod(db, pod.id);
  let from = 0;
  if (prev) {
    const n = ipToInt(prev);
    from =
      (n >= start && n <= end
        ? outside + (n - start)
        : n < start
          ? n - c.network - 1
          : n - c.network - 1 - (end - start + 1)) + 1;
  }
  for (let k = 0; k < size; k++) {
    const n = at((from + k) % size);
    if (n !== gw && !(await hostStore.ipTaken(db, pod.id, intToIp(n)))) return intToIp(n);
  }
  throw runtimeFailure(`Unable to add the host: no free private IP address left in pod ${pod.name}`);
}
