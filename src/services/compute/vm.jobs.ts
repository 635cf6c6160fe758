import type { Clock } from '../../domain/clock.js';
import { chooseHost } from '../../domain/allocator.js';
import { hasAllTags } from '../../domain/offerings.js';
import { catalogStore } from '../../store/catalog.store.js';
import { DomainError, forbidden, invalidState, notFound } from '../../domain/errors.js';
import { accountStore } from '../../store/account.store.js';
import type { Host, Network, StoragePool, Vm, Volume } from '../../domain/types.js';
import { transition } from '../../domain/vm-state.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { hostRows, hostStore } from '../../store/host.store.js';
import { networkStore } from '../../store/network.store.js';
import { storageStore } from '../../store/storage.store.js';
import { vmRows, vmStore } from '../../store/vm.store.js';
import { volumeRows, volumeStore } from '../../store/volume.store.js';
import { vmSnapshotStore } from '../../store/snapshot.store.js';
import { snapshotPolicyStore } from '../../store/snapshotpolicy.store.js';
import { autoScaleGroupStore } from '../../store/autoscale.group.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import type { NetworkService } from '../network/network.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { AffinityService } from './affinity.service.js';
import type { Transition } from '../operations/timing.service.js';
import type { FaultService } from '../operations/fault.service.js';
import { release, vmDeltas, volumeDeltas } from '../resources.js';
import { podRouter, servedByPodRouters } from '../network/router.basic.js';

/** Sizes of volumes by owner: an attached data disk may belong to another account than its VM. */
function volumesByAccount(volumes: { accountId: string; size: number }[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const v of volumes) m.set(v.accountId, [...(m.get(v.accountId) ?? []), v.size]);
  return m;
}

export const VM_JOBS = {
  start: 'vm.start',
  created: 'vm.created',
  stop: 'vm.stop',
  reboot: 'vm.reboot',
  destroy: 'vm.destroy',
  expunge: 'vm.expunge',
} as const;

interface VmParams {
  vmId: string;
  deploy?: boolean;
  forced?: boolean;
  expunge?: boolean;
  /** startVirtualMachine's considerlasthost: false lets the planner pass over the last host. */
  considerLastHost?: boolean;
  /** destroyVirtualMachine's volumeids: data disks deleted with the VM. */
  volumeIds?: string[];
}

const ok = (id: string): JobResult => ({ type: 'object', instanceType: 'VirtualMachine', id });
const MiB = 1024 * 1024;
const demand = (vm: Vm) => ({ cpuMhz: vm.cpuNumber * vm.cpuSpeed, memoryBytes: vm.memory * MiB });

/**
 * The VM lifecycle as persisted job steps. Each handler reads the VM's state first, so a job
 * re-run after a restart carries on from where the last one stopped instead of doing work twice.
 */
export class VmJobs {
  constructor(
    private store: Store,
    private clock: Clock,
    private agent: SimulatedAgent,
    private networks: NetworkService,
    private config: ConfigService,
    private affinity: AffinityService,
    private faults: FaultService,
  ) {}

  private engine: JobEngine | undefined;

  register(jobs: JobEngine): void {
    this.engine = jobs;
    jobs.register<VmParams>(VM_JOBS.start, ({ jobId, caller, params }) => this.start(caller, params, jobId));
    jobs.register<VmParams>(VM_JOBS.created, async ({ params }) => ok(params.vmId));
    jobs.register<VmParams>(VM_JOBS.stop, ({ caller, params }) => this.stop(caller, params));
    jobs.register<VmParams>(VM_JOBS.reboot, ({ caller, params }) => this.reboot(caller, params));
    jobs.register<VmParams>(VM_JOBS.destroy, ({ caller, params }) => this.destroy(caller, params));
    jobs.register<VmParams>(VM_JOBS.expunge, ({ caller, params }) => this.expunge(caller, params));
  }

  private async load(db: Db, id: string): Promise<Vm> {
    const vm = await vmStore.get(db, id);
    if (!vm) throw notFound('VirtualMachine', id);
    return vm;
  }

  /**
   * Places and starts a VM. A host whose agent fails StartCommand is avoided and the next one
   * tried, up to `start.retry` times, as VirtualMachineManagerImpl.orchestrateStart does; when no
   * host is left the planner's insufficient-capacity error ends the job.
   */
  private async start(caller: Caller, p: VmParams, jobId?: string): Promise<JobResult> {
    const avoid = new Set<string>();
    let host: Host | undefined;
    let placedVm: Vm | undefined;
    try {
      for (let attempt = 0; !host; attempt++) {
        // Capacity faults are counted outside the placement transaction, which they make fail.
        const blocked = await this.capacityFaults(p.vmId);
        const placed = await this.store.tx(async (trx) => {
          const vm = (placedVm = await this.load(trx, p.vmId));
          if (vm.state === 'Running' && p.deploy) return 'done' as const;
          if (vm.state === 'Running')
            throw invalidState(
              `The virtual machine ${vm.id} (${vm.displayName}) is already running`,
              'VirtualMachine',
              vm.id,
            );
          if (vm.state === 'Starting' && vm.hostId) return (await hostRows.get(trx, vm.hostId))!; // resumed after a restart
          if (vm.state !== 'Starting') {
            // UserVmManagerImpl.startVirtualMachine: a disabled owner (a disabled account, a suspended project) starts nothing.
            const owner = p.deploy ? undefined : await accountStore.accountById(trx, vm.accountId);
            if (owner?.state === 'disabled')
              throw forbidden(
                `The owner of VM instance {"id": "${vm.id}", "name": "${vm.name}"} is disabled: ${owner.id}`,
                'VirtualMachine',
                vm.id,
              );
            transition(vm.id, vm.state, 'StartRequested');
          }
          return this.place(trx, vm, new Set([...avoid, ...blocked.hosts]), blocked.zone, p.considerLastHost !== false);
        });
        if (placed === 'done') return ok(p.vmId);
        // EC2's RunInstances waits in process for its deploys to be placed (or fail): placed now.
        if (jobId) this.engine?.progressed(jobId);
        try {
          await this.agent.send('StartCommand', placed, {
            transition: p.deploy ? 'deploy' : 'start',
            vmId: p.vmId,
            vm: placedVm,
          });
          host = placed;
        } catch (e) {
          if (!(e instanceof DomainError) || e.code !== 'AgentFailure' || attempt + 1 >= this.retries()) throw e;
          avoid.add(placed.id);
          await this.store.tx(async (trx) => this.unplace(trx, await this.load(trx, p.vmId), p.deploy === true));
        }
      }
    } catch (e) {
      await this.failStart(p);
      throw e;
    }
    const started = host;
    // The VM read when it was placed names it in the event: a VM starting cannot be renamed or moved to another owner.
    const vm = placedVm!;
    await this.store.tx(async (trx) => {
      await vmRows.update(trx, vm.id, { state: 'Running', lastHostId: started.id, updated: this.clock.now() });
      await eventLog(trx, this.clock, {
        type: 'VM.START',
        description: `Started VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(p.vmId);
  }

  /** Picks a host, reserves CPU and memory on it, implements the VM's networks and places its volumes. */
  private async capacityFaults(vmId: string): Promise<{ zone: boolean; hosts: Set<string> }> {
    // The VM and its candidate hosts are read only when a capacity rule exists (seldom).
    return this.faults.capacity(async () => {
      const vm = await this.load(this.store.db, vmId);
      const hosts = await hostStore.candidates(this.store.db, vm.zoneId);
      return { zoneId: vm.zoneId, accountId: vm.accountId, hostIds: hosts.map((h) => h.id) };
    });
  }

  /**
   * Implements the VM's networks, then takes a host and storage with conditional updates that fail
   * when another writer got there first (then the next candidate is tried). Those rows stay locked
   * until the transaction commits, and every placement takes the same first-fit host and pool, so
   * everything else is read and written before them: the host and pool are each held for two or
   * three statements, not the whole placement.
   */
  private async place(db: Db, vm: Vm, avoid: Set<string>, zoneRefused = false, considerLastHost = true): Promise<Host> {
    const d = demand(vm);
    const podRouted: Network[] = [];
    for (const nic of await vmStore.nicsOf(db, [vm.id])) {
      const net = await networkStore.get(db, nic.networkId);
      if (net?.state === 'Allocated') {
        const up = await this.networks.implement(db, net);
        await vmStore.setBroadcastUri(db, net.id, up.vlan ? `vlan://${up.vlan}` : null);
      }
      if (net && (await servedByPodRouters(db, net))) podRouted.push(net);
    }
    const rules = await this.affinity.placementRules(db, vm.id);
    // The offering's host tags narrow the hosts, its storage tags (and a data disk's) the pools; a deleted offering still binds its VMs.
    const offering = await catalogStore.serviceOffering(db, vm.serviceOfferingId);
    const rootTags = offering?.diskOfferingId
      ? (await catalogStore.diskOffering(db, offering.diskOfferingId))?.tags
      : null;
    let candidates = zoneRefused
      ? []
      : (await hostStore.candidates(db, vm.zoneId)).filter(
          (h) =>
            !avoid.has(h.id) &&
            !rules.avoid.has(h.id) &&
            (!rules.only || rules.only.has(h.id)) &&
            hasAllTags(h.hostTags, offering?.hostTags),
        );
    // Higher priority first; equal ones keep the candidates' order (Array.prototype.sort is stable).
    candidates = candidates.sort((a, b) => (rules.priority.get(b.id) ?? 0) - (rules.priority.get(a.id) ?? 0));
    const volumes: { v: Volume; tags: string | null | undefined }[] = [];
    for (const v of await vmStore.volumesOf(db, [vm.id])) {
      if (v.poolId) continue;
      const tags =
        v.type === 'ROOT'
          ? rootTags
          : v.diskOfferingId
            ? (await catalogStore.diskOffering(db, v.diskOfferingId))?.tags
            : null;
      volumes.push({ v, tags });
    }
    let host: Host | undefined;
    let pools: StoragePool[] = [];
    let poolsOf: string | undefined;
    while (!host) {
      const pick = chooseHost(candidates, d, considerLastHost ? vm.lastHostId : null);
      if (!pick)
        throw new DomainError('InsufficientCapacity', `Unable to create a deployment for VM[User|${vm.instanceName}]`, {
          kind: 'DataCenter',
          id: vm.zoneId,
          capacity: 'server',
        });
      if (poolsOf !== pick.clusterId) pools = await storageStore.poolsFor(db, pick.clusterId, vm.zoneId);
      poolsOf = pick.clusterId;
      // The VM's own row is written before the host is taken: no other placement waits on it.
      await vmRows.update(db, vm.id, {
        state: 'Starting',
        hostId: pick.id,
        podId: pick.podId,
        clusterId: pick.clusterId,
        updated: this.clock.now(),
      });
      if (await hostStore.reserveIfFits(db, pick.id, d.cpuMhz, d.memoryBytes)) host = pick;
      else candidates = candidates.filter((h) => h.id !== pick.id); // filled up since it was read
    }
    // A basic zone's NIC is prepared in the pod the VM lands in, and that pod's router with it.
    for (const net of podRouted) await podRouter(db, this.clock, net, host.podId);
    for (const { v, tags } of volumes) {
      let pool: StoragePool | undefined;
      while (!pool) {
        const pick = pools.find((p) => p.capacityBytes - p.usedBytes >= v.size && hasAllTags(p.tags, tags));
        if (!pick)
          throw new DomainError('InsufficientCapacity', `Unable to find storage for volume ${v.name}`, {
            kind: 'Volume',
            id: v.id,
            capacity: 'storage',
          });
        // As the VM's row: the volume's own row first, the shared pool row last.
        await volumeRows.update(db, v.id, { poolId: pick.id, state: 'Ready' });
        if (await storageStore.useIfFits(db, pick.id, v.size)) pool = pick;
        else pools = pools.filter((p) => p !== pick);
      }
      pool.usedBytes += v.size;
    }
    return host;
  }

  /** A start that failed gives back what it held; a failed deploy also gives back its addresses and disks. */
  private async failStart(p: VmParams): Promise<void> {
    await this.store.tx(async (trx) => {
      const vm = await vmStore.get(trx, p.vmId);
      if (!vm || (vm.state !== 'Starting' && vm.state !== 'Stopped')) return;
      await this.releaseHost(trx, vm);
      if (p.deploy) {
        await release(trx, vm.accountId, vmDeltas(vm));
        await vmStore.removeNics(trx, vm.id, this.clock.now());
        await this.releaseVolumes(trx, vm.id);
        await vmRows.update(trx, vm.id, { state: 'Error', updated: this.clock.now() });
      } else {
        await vmRows.update(trx, vm.id, { state: 'Stopped', updated: this.clock.now() });
      }
    });
  }

  /** Undoes one placement attempt: the host's reservation, and for a new VM where its disks went. */
  private async unplace(db: Db, vm: Vm, newVm: boolean): Promise<void> {
    await this.releaseHost(db, vm);
    if (!newVm) return;
    for (const v of await vmStore.volumesOf(db, [vm.id])) {
      if (!v.poolId) continue;
      await storageStore.use(db, v.poolId, -v.size);
      await volumeRows.update(db, v.id, { poolId: null, state: 'Allocated' });
    }
  }

  private retries(): number {
    return Math.max(1, this.config.num('start.retry', 10));
  }

  private async releaseHost(db: Db, vm: Vm): Promise<void> {
    if (!vm.hostId) return;
    const d = demand(vm);
    await hostStore.reserve(db, vm.hostId, -d.cpuMhz, -d.memoryBytes);
    await vmRows.update(db, vm.id, { hostId: null, lastHostId: vm.hostId });
  }

  /** A failed deploy takes all its disks back; an expunged VM only its root disk (data disks are detached and stay). */
  private async releaseVolumes(db: Db, vmId: string, keepDataDisks = false): Promise<void> {
    const volumes = (await vmStore.volumesOf(db, [vmId])).filter((v) => !(keepDataDisks && v.type === 'DATADISK'));
    for (const [accountId, sizes] of volumesByAccount(volumes)) await release(db, accountId, volumeDeltas(sizes));
    for (const v of volumes) {
      if (v.poolId && v.state !== 'Allocated') await storageStore.use(db, v.poolId, -v.size);
      await volumeRows.update(db, v.id, { removed: this.clock.now(), state: 'Expunged' });
    }
    await snapshotPolicyStore.removeOfVolumes(
      db,
      volumes.map((v) => v.id),
    );
    if (keepDataDisks) await volumeStore.detachAll(db, vmId, 'DATADISK');
  }

  private async stop(caller: Caller, p: VmParams): Promise<JobResult> {
    const vm = await this.powerOff(caller, p.vmId);
    if (vm)
      await this.store.tx((trx) =>
        eventLog(trx, this.clock, {
          type: 'VM.STOP',
          description: `Stopped VM ${vm.name}`,
          accountId: vm.accountId,
          domainId: vm.domainId,
          userId: caller.userId,
          resourceId: vm.id,
          resourceType: 'VirtualMachine',
        }),
      );
    return ok(p.vmId);
  }

  /** Running -> Stopping -> Stopped, releasing the host; a VM already stopped is left as it is. */
  private async powerOff(_caller: Caller, id: string, timing: Transition = 'stop'): Promise<Vm | undefined> {
    const vm = await this.store.tx(async (trx) => {
      const v = await this.load(trx, id);
      if (v.state === 'Stopped') return undefined;
      if (v.state !== 'Stopping') {
        const to = transition(v.id, v.state, 'StopRequested');
        await vmRows.update(trx, v.id, { state: to, updated: this.clock.now() });
      }
      return v;
    });
    if (!vm) return undefined;
    const host = vm.hostId ? await hostRows.get(this.store.db, vm.hostId) : undefined;
    try {
      await this.agent.send('StopCommand', host, { transition: timing, vmId: vm.id });
    } catch (e) {
      await this.store.tx((trx) => vmRows.update(trx, vm.id, { state: 'Running', updated: this.clock.now() }));
      throw e;
    }
    await this.store.tx(async (trx) => {
      const v = await this.load(trx, id);
      await this.releaseHost(trx, v);
      await vmRows.update(trx, v.id, { state: 'Stopped', updated: this.clock.now() });
    });
    return vm;
  }

  private async reboot(caller: Caller, p: VmParams): Promise<JobResult> {
    const vm = await this.load(this.store.db, p.vmId);
    if (vm.state !== 'Running')
      throw invalidState(
        `Unable to reboot VM ${vm.name}: it is in state ${vm.state}, not Running`,
        'VirtualMachine',
        vm.id,
      );
    const host = vm.hostId ? await hostRows.get(this.store.db, vm.hostId) : undefined;
    await this.agent.send('RebootCommand', host, { transition: 'reboot', vmId: vm.id });
    await this.store.tx((trx) =>
      eventLog(trx, this.clock, {
        type: 'VM.REBOOT',
        description: `Rebooted VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      }),
    );
    return ok(p.vmId);
  }

  private async destroy(caller: Caller, p: VmParams): Promise<JobResult> {
    // Run again after a crash, a destroy-and-expunge may find its VM half expunged, or gone: it finishes what it began.
    const seen = p.expunge ? await vmStore.getAny(this.store.db, p.vmId) : undefined;
    if (seen && (seen.removed || seen.state === 'Expunging')) return this.expunge(caller, p);
    const vm = await this.load(this.store.db, p.vmId);
    // UserVmManagerImpl.destroyVm: a VM destroyed already is the answer as it is.
    if (vm.state === 'Destroyed' && !p.expunge) return ok(p.vmId);
    // Destroying a running VM stops it; that stop is the destroy's own transition.
    if (vm.state === 'Running' || vm.state === 'Stopping' || vm.state === 'Starting')
      await this.powerOff(caller, vm.id, 'destroy');
    await this.store.tx(async (trx) => {
      const v = await this.load(trx, vm.id);
      if (v.state === 'Destroyed') return;
      if (v.state === 'Error') {
        await vmRows.update(trx, v.id, {
          state: 'Destroyed',
          destroyedAt: this.clock.now(),
          updated: this.clock.now(),
        });
      } else {
        transition(v.id, v.state, 'DestroyRequested');
        await vmRows.update(trx, v.id, {
          state: 'Destroyed',
          destroyedAt: this.clock.now(),
          updated: this.clock.now(),
        });
        await release(trx, v.accountId, vmDeltas(v));
      }
      // A destroyed VM leaves its autoscale group (AutoScaleManager.removeVmFromVmGroup).
      await autoScaleGroupStore.removeVm(trx, v.id);
      await eventLog(trx, this.clock, {
        type: 'VM.DESTROY',
        description: `Destroyed VM ${v.name}`,
        accountId: v.accountId,
        domainId: v.domainId,
        userId: caller.userId,
        resourceId: v.id,
        resourceType: 'VirtualMachine',
      });
    });
    if (p.expunge) await this.expunge(caller, p);
    if (p.volumeIds?.length) await this.store.tx((trx) => this.deleteDataDisks(trx, caller, p.volumeIds!));
    return ok(p.vmId);
  }

  /** deleteVolumesFromVm: the data disks destroyVirtualMachine named are detached and deleted with it. */
  private async deleteDataDisks(db: Db, caller: Caller, ids: string[]): Promise<void> {
    const volumes = await volumeStore.getMany(db, ids);
    for (const [accountId, sizes] of volumesByAccount(volumes)) await release(db, accountId, volumeDeltas(sizes));
    for (const v of volumes) {
      if (v.poolId && v.state !== 'Allocated') await storageStore.use(db, v.poolId, -v.size);
      await volumeRows.update(db, v.id, {
        vmId: null,
        deviceId: null,
        attached: null,
        removed: this.clock.now(),
        state: 'Expunged',
      });
      await snapshotPolicyStore.removeOfVolumes(db, [v.id]);
      await eventLog(db, this.clock, {
        type: 'VOLUME.DELETE',
        description: `Deleted volume ${v.name}`,
        accountId: v.accountId,
        domainId: v.domainId,
        userId: caller.userId,
        resourceId: v.id,
        resourceType: 'Volume',
      });
    }
  }

  private async expunge(caller: Caller, p: VmParams): Promise<JobResult> {
    const vm = await vmStore.getAny(this.store.db, p.vmId);
    if (!vm) throw notFound('VirtualMachine', p.vmId);
    if (vm.removed) return ok(p.vmId);
    if (vm.state !== 'Destroyed' && vm.state !== 'Error' && vm.state !== 'Expunging')
      throw invalidState(`Please destroy vm with id ${vm.id} before expunging`, 'VirtualMachine', vm.id);
    await this.store.tx((trx) => vmRows.update(trx, vm.id, { state: 'Expunging', updated: this.clock.now() }));
    const host = vm.lastHostId ? await hostRows.get(this.store.db, vm.lastHostId) : undefined;
    await this.agent.send('DestroyCommand', host, { transition: 'destroy', vmId: vm.id });
    await this.store.tx(async (trx) => {
      const now = this.clock.now();
      await vmStore.removeNics(trx, vm.id, now);
      await this.releaseVolumes(trx, vm.id, true);
      await vmSnapshotStore.removeOfVm(trx, vm.id, now);
      await vmStore.unlink(trx, vm.id);
      await autoScaleGroupStore.removeVm(trx, vm.id);
      await vmRows.update(trx, vm.id, { removed: now, updated: now });
      await eventLog(trx, this.clock, {
        type: 'VM.EXPUNGE',
        description: `Expunged VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(p.vmId);
  }
}
