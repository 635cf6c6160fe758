import type { Clock } from '../../domain/clock.js';
import { invalid, invalidState, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { intToIp, ipToInt, macFromSeq } from '../../domain/net.js';
import { SYSTEM_VM_KIND, type SystemVm, type SystemVmState, type SystemVmType } from '../../domain/systemvm.js';
import type { Host, Pod } from '../../domain/types.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { AgentCommand, SimulatedAgent } from '../../simulator/agent.js';
import { datacenterStore as dc, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore, hostRows } from '../../store/host.store.js';
import { networkStore } from '../../store/network.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { systemVmStore, type SystemVmFilter } from '../../store/systemvm.store.js';
import type { Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export const SYSTEMVM_JOBS = {
  start: 'systemvm.start',
  stop: 'systemvm.stop',
  reboot: 'systemvm.reboot',
  destroy: 'systemvm.destroy',
  migrate: 'systemvm.migrate',
} as const;

/** How soon the scan notices a stopped system VM (CloudStack scans every 30 s; polystack sooner, to stay quick). */
const SCAN_INTERVAL_MS = 2000;

const TYPES: SystemVmType[] = ['secondarystoragevm', 'consoleproxy'];

/**
 * What SecondaryStorageManagerImpl and ConsoleProxyManagerImpl's capacity scans do: an enabled zone
 * with secondary storage and an up routing host gets one secondary storage VM and one console
 * proxy (they are recreated when destroyed). polystack runs the scan when the zone changes instead
 * of on a timer, and brings them up Running at once so start-up stays fast.
 */
export async function ensureSystemVms(db: Db, clock: Clock, zoneId: string): Promise<void> {
  const zone = await zoneRows.get(db, zoneId);
  if (!zone || zone.allocationState !== 'Enabled') return;
  const live = await systemVmStore.ofZone(db, zoneId);
  const missing = TYPES.filter((t) => !live.some((v) => v.type === t));
  if (!missing.length || !(await systemVmStore.hasImageStore(db, zoneId))) return;
  const [system, templateId] = await Promise.all([systemVmStore.systemAccount(db), systemVmStore.systemTemplateId(db)]);
  if (!system) return;
  for (const type of missing) {
    const host = await placeOn(db, zoneId, type);
    if (!host) return;
    const pod = (await dc.pod(db, host.podId))!;
    const seq = await nextSeq(db, 'systemvm');
    const id = newId();
    const privateIp = await freeRangeIp(db, pod);
    // Basic and security-group zones give the public NIC a pod address; advanced zones a public one.
    const podPublic = zone.networkType === 'Basic' || !!zone.securityGroupsEnabled;
    const publicIp = podPublic
      ? await sharedNetworkIp(db, zoneId, pod.id, id, seq)
      : ((
          await networkStore.claimPublicIp(db, zoneId, {
            accountId: system.id,
            domainId: system.domainId,
            vmId: id,
            allocated: clock.now(),
          })
        )?.address ?? null);
    const v: SystemVm = {
      id,
      seq,
      name: `${SYSTEM_VM_KIND[type].prefix}-${seq}-VM`,
      type,
      zoneId,
      podId: pod.id,
      hostId: host.id,
      lastHostId: host.id,
      agentHostId: null,
      state: 'Running',
      publicIp,
      privateIp,
      linkLocalIp: intToIp(0xa9fe0000 + ((seq * 7919) % 65000) + 2),
      templateId: templateId ?? null,
      created: clock.now(),
      removed: null,
    };
    v.agentHostId = await registerAgent(db, clock, v, host);
    await systemVmStore.insert(db, v);
    const ev = SYSTEM_VM_KIND[type].event;
    await eventLog(db, clock, {
      type: `${ev}.CREATE`,
      description: `Created system vm ${v.name}`,
      accountId: system.id,
      domainId: system.domainId,
      resourceId: v.id,
      resourceType: 'SystemVm',
    });
  }
}

/**
 * The first up, enabled routing host of the zone. Deviation: CloudStack reserves the system
 * offering (1 x 500 MHz, 512 / 1024 MB) on it; polystack's system VMs, like its routers, hold no
 * capacity, so host usage stays the sum of the user VMs (what account reset recomputes).
 */
async function placeOn(db: Db, zoneId: string, _type: SystemVmType, except?: string): Promise<Host | undefined> {
  return (await hostStore.candidates(db, zoneId)).find((h) => h.id !== except);
}

/** The next address of the pod's range (the range CloudStack keeps for system VMs' NICs) nobody holds. */
async function freeRangeIp(db: Db, pod: Pod, also?: string | null): Promise<string | null> {
  const used = await systemVmStore.podAddressesInUse(db, pod.id);
  if (also) used.add(also);
  for (let n = ipToInt(pod.startIp); n <= ipToInt(pod.endIp); n++) if (!used.has(intToIp(n))) return intToIp(n);
  return null;
}

/** Basic zones: the public NIC takes an address of the pod's shared network, held as a NIC like a user VM's. */
const sharedNetworkIp = (db: Db, zoneId: string, podId: string, vmId: string, seq: number): Promise<string | null> =>
  podNetworkNic(db, zoneId, podId, vmId, macFromSeq(0x06000000 + seq * 4));

/** A NIC of a system VM or router on the next free address of the pod's range of the shared network; null when none is left. */
export async function podNetworkNic(
  db: Db,
  zoneId: string,
  podId: string,
  vmId: string,
  macAddress: string,
): Promise<string | null> {
  const range = await systemVmStore.podGuestRange(db, zoneId, podId);
  if (!range?.networkId) return null;
  const used = await networkStore.usedIps(db, range.networkId);
  for (let n = ipToInt(range.startIp); n <= ipToInt(range.endIp); n++) {
    if (used.has(n)) continue;
    await systemVmStore.insertNic(db, {
      id: newId(),
      vmId,
      networkId: range.networkId,
      ipAddress: intToIp(n),
      ipNum: n,
      netmask: range.netmask,
      gateway: range.gateway,
      macAddress,
    });
    return intToIp(n);
  }
  return null;
}

/** The agent in the VM connects back: a host row of type SecondaryStorageVM / ConsoleProxy, named after the VM. */
async function registerAgent(db: Db, clock: Clock, v: SystemVm, on: Host): Promise<string> {
  const now = clock.now();
  const host: Host = {
    id: newId(),
    zoneId: v.zoneId,
    podId: on.podId,
    clusterId: '',
    name: v.name,
    url: 'NFS',
    ipAddress: v.privateIp ?? '',
    type: SYSTEM_VM_KIND[v.type].hostType,
    cpuNumber: 0,
    cpuSpeed: 0,
    memory: 0,
    cpuUsed: 0,
    memoryUsed: 0,
    state: 'Up',
    resourceState: 'Enabled',
    created: now,
    lastPinged: now,
    seq: null,
    hostTags: null,
  };
  await hostStore.insert(db, host);
  return host.id;
}

/** listSystemVms and the system VM lifecycle (root admin only). */
export class SystemVmService {
  constructor(
    private store: Store,
    private clock: Clock,
    private agent: SimulatedAgent,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ id: string }>(SYSTEMVM_JOBS.start, ({ caller, params }) => this.start(caller, params.id));
    jobs.register<{ id: string; forced?: boolean }>(SYSTEMVM_JOBS.stop, ({ caller, params }) =>
      this.stop(caller, params.id),
    );
    jobs.register<{ id: string; forced?: boolean }>(SYSTEMVM_JOBS.reboot, ({ caller, params }) =>
      this.reboot(caller, params.id),
    );
    jobs.register<{ id: string }>(SYSTEMVM_JOBS.destroy, ({ caller, params }) => this.destroy(caller, params.id));
    jobs.register<{ id: string; hostId?: string }>(SYSTEMVM_JOBS.migrate, ({ caller, params }) =>
      this.migrate(caller, params.id, params.hostId),
    );
  }

  find(id: string): Promise<SystemVm | undefined> {
    return systemVmStore.get(this.store.db, id);
  }

  async get(id: string): Promise<SystemVm> {
    const v = await systemVmStore.get(this.store.db, id);
    if (!v || v.removed) throw invalid(`unable to find a system vm with id ${id}`, 'id');
    return v;
  }

  publicNet(vmId: string): Promise<{ gateway: string; netmask: string; vlan: string } | undefined> {
    return systemVmStore.publicNet(this.store.db, vmId);
  }

  list(f: SystemVmFilter): Promise<SystemVm[]> {
    return systemVmStore.list(this.store.db, f);
  }

  /** Runs the managers' scan for a zone (after it is enabled or gets secondary storage). */
  ensure(zoneId: string): Promise<void> {
    return this.store.tx((trx) => ensureSystemVms(trx, this.clock, zoneId));
  }

  private async start(caller: Caller | undefined, id: string): Promise<JobResult> {
    const v = await this.get(id);
    if (v.state === 'Running') return result(v);
    if (v.state !== 'Stopped')
      throw invalidState(`Unable to start ${v.name} as it is in state ${v.state}`, 'VirtualMachine', id);
    const host = await this.store.tx(async (trx) => {
      const h = await placeOn(trx, v.zoneId, v.type);
      if (!h)
        throw runtimeFailure(
          `Unable to create a deployment for VM instance {"id":${v.seq},"name":"${v.name}","type":"${v.type}"}`,
        );
      await systemVmStore.update(trx, id, { state: 'Starting', hostId: h.id, podId: h.podId });
      return h;
    });
    try {
      await this.agent.send('StartCommand', host, { transition: 'start', vmId: id });
    } catch (e) {
      await this.store.tx((trx) => systemVmStore.update(trx, id, { state: 'Stopped', hostId: null }));
      throw e;
    }
    await this.store.tx(async (trx) => {
      await systemVmStore.update(trx, id, { state: 'Running', lastHostId: host.id });
      if (v.agentHostId) await hostStore.update(trx, v.agentHostId, { state: 'Up', lastPinged: this.clock.now() });
      await this.event(trx, caller, v, 'START', `Started system vm ${v.name}`);
    });
    return result(v);
  }

  private async stop(caller: Caller | undefined, id: string): Promise<JobResult> {
    const v = await this.get(id);
    if (v.state === 'Stopped') return result(v);
    if (v.state !== 'Running')
      throw invalidState(`Unable to stop ${v.name} as it is in state ${v.state}`, 'VirtualMachine', id);
    await this.transit(id, 'Running', 'Stopping');
    await this.send('StopCommand', v, 'stop', 'Running');
    await this.store.tx(async (trx) => {
      await systemVmStore.update(trx, id, { state: 'Stopped', hostId: null });
      // The agent inside the VM is gone: its host row stays, disconnected, as CloudStack keeps it.
      if (v.agentHostId) await hostStore.update(trx, v.agentHostId, { state: 'Disconnected' });
      await this.event(trx, caller, v, 'STOP', `Stopped system vm ${v.name}`);
    });
    void this.restartLater(id);
    return result(v);
  }

  /** The managers' next capacity scan starts a stopped system VM of an enabled zone again (assign...FromStoppedPool). */
  private async restartLater(id: string): Promise<void> {
    await this.clock.sleep(SCAN_INTERVAL_MS);
    const v = await systemVmStore.get(this.store.db, id);
    const zone = v ? await zoneRows.get(this.store.db, v.zoneId) : undefined;
    if (v?.state === 'Stopped' && !v.removed && zone?.allocationState === 'Enabled')
      await this.start(undefined, id).catch(() => undefined);
  }

  private async reboot(caller: Caller | undefined, id: string): Promise<JobResult> {
    const v = await this.get(id);
    if (v.state !== 'Running')
      throw invalidState(`Unable to reboot ${v.name} as it is not in Running state`, 'VirtualMachine', id);
    await this.send('RebootCommand', v, 'reboot', 'Running');
    await this.store.tx((trx) => this.event(trx, caller, v, 'REBOOT', `Rebooted system vm ${v.name}`));
    return result(v);
  }

  /** destroySystemVm: the VM and its agent's host go; the manager's scan then creates a new one. */
  private async destroy(caller: Caller | undefined, id: string): Promise<JobResult> {
    const v = await this.get(id);
    if (v.state === 'Running') await this.send('StopCommand', v, 'stop', 'Running');
    await this.store.tx(async (trx) => {
      await systemVmStore.update(trx, id, { state: 'Destroyed', hostId: null, removed: this.clock.now() });
      await systemVmStore.releasePublicIp(trx, id);
      await systemVmStore.removeNics(trx, id, this.clock.now());
      if (v.agentHostId) await hostStore.remove(trx, v.agentHostId);
      await this.event(trx, caller, v, 'DESTROY', `Destroyed system vm ${v.name}`);
      await ensureSystemVms(trx, this.clock, v.zoneId);
    });
    return { type: 'object', instanceType: 'SystemVm', id };
  }

  private async migrate(caller: Caller, id: string, hostId?: string): Promise<JobResult> {
    const v = await this.get(id);
    if (v.state !== 'Running')
      throw invalidState(`VM is not Running, unable to migrate the vm ${v.name}`, 'VirtualMachine', id);
    const target = await this.store.tx(async (trx) => {
      let h: Host | undefined;
      if (hostId) {
        h = await hostStore.get(trx, hostId);
        if (!h || h.type !== 'Routing')
          throw invalid(`Unable to find the host to migrate the VM, host id=${hostId}`, 'hostid');
        if (h.id === v.hostId) throw invalid('Cannot migrate VM, host is the same as the current host', 'hostid');
      } else {
        h = await placeOn(trx, v.zoneId, v.type, v.hostId ?? undefined);
        if (!h) throw runtimeFailure(`Unable to find a suitable host to migrate ${v.name}`);
      }
      await systemVmStore.update(trx, id, { state: 'Migrating' });
      return h;
    });
    await this.send('MigrateCommand', v, 'migrate', 'Running');
    await this.store.tx(async (trx) => {
      await systemVmStore.update(trx, id, {
        state: 'Running',
        hostId: target.id,
        lastHostId: target.id,
        podId: target.podId,
      });
      await this.event(trx, caller, v, 'MIGRATE', `Migrated system vm ${v.name} to host ${target.name}`);
    });
    return result(v);
  }

  private async send(command: AgentCommand, v: SystemVm, transition: string, back: SystemVmState): Promise<void> {
    const host = v.hostId ? await hostRows.get(this.store.db, v.hostId) : undefined;
    try {
      await this.agent.send(command, host, { transition, vmId: v.id });
    } catch (e) {
      await this.store.tx((trx) => systemVmStore.update(trx, v.id, { state: back }));
      throw e;
    }
  }

  private async transit(id: string, from: SystemVmState, to: SystemVmState): Promise<void> {
    await this.store.tx(async (trx) => {
      const cur = await systemVmStore.get(trx, id);
      if (cur?.state !== from)
        throw invalidState(
          `Unable to change the state of the system vm from ${cur?.state} to ${to}`,
          'VirtualMachine',
          id,
        );
      await systemVmStore.update(trx, id, { state: to });
    });
  }

  /** Events go to the caller's account (ActionEvent); the managers' own actions to the system account. */
  private async event(
    db: Db,
    caller: Caller | undefined,
    v: SystemVm,
    action: string,
    description: string,
  ): Promise<void> {
    const by = caller ? { id: caller.accountId, domainId: caller.domainId } : await systemVmStore.systemAccount(db);
    await eventLog(db, this.clock, {
      type: `${SYSTEM_VM_KIND[v.type].event}.${action}`,
      description,
      accountId: by?.id ?? '',
      domainId: by?.domainId ?? '',
      userId: caller?.userId,
      resourceId: v.id,
      resourceType: 'SystemVm',
    });
  }
}

const result = (v: SystemVm): JobResult => ({ type: 'object', instanceType: 'SystemVm', id: v.id });
