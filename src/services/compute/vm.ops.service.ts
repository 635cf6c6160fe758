import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { fits } from '../../domain/allocator.js';
import { DomainError, forbidden, invalid, invalidState, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { vmSize } from '../../domain/offerings.js';
import { macFromSeq } from '../../domain/net.js';
import type { Nic, ServiceOffering, Vm } from '../../domain/types.js';
import { catalogStore } from '../../store/catalog.store.js';
import type { JobEngine, JobResult } from '../../jobs/engine.js';
import type { SimulatedAgent } from '../../simulator/agent.js';
import type { Db, Store } from '../../store/db.js';
import { hostStore, hostRows } from '../../store/host.store.js';
import { networkStore } from '../../store/network.store.js';
import { nextSeq } from '../../store/sequence.store.js';
import { snapshotPolicyStore } from '../../store/snapshotpolicy.store.js';
import { storageStore } from '../../store/storage.store.js';
import { vmStore, vmRows, nicRows } from '../../store/vm.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { mayUseNetwork } from '../network/networkpermission.service.js';
import { assertAccess, isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import { adjust } from '../resources.js';
import type { InstanceGroupService } from './instancegroup.service.js';
import type { NetworkService } from '../network/network.service.js';
import type { SshKeyService } from './sshkey.service.js';
import { validateUserData, type Transport } from './userdata.js';
import { migrateVm, vmDemand } from './vm.migration.js';
import { accountRows } from '../../store/account.store.js';
import { templateRows } from '../../store/template.store.js';
import { volumeRows } from '../../store/volume.store.js';

export const VM_OPS_JOBS = {
  scale: 'vm.scale',
  restore: 'vm.restore',
  resetPassword: 'vm.resetpassword',
  resetSshKey: 'vm.resetsshkey',
  migrate: 'vm.migrate',
  addNic: 'vm.addnic',
  removeNic: 'vm.removenic',
  defaultNic: 'vm.defaultnic',
} as const;

/** Jobs whose result shows the VM's freshly generated password, once. */
export const PASSWORD_JOBS: ReadonlySet<string> = new Set([
  VM_OPS_JOBS.resetPassword,
  VM_OPS_JOBS.resetSshKey,
  VM_OPS_JOBS.restore,
]);

const MiB = 1024 * 1024;
const ok = (id: string): JobResult => ({ type: 'object', instanceType: 'VirtualMachine', id });
const newPassword = () => randomBytes(9).toString('base64url').slice(0, 12);

export interface VmUpdate {
  displayName?: string;
  name?: string;
  group?: string;
  haEnable?: boolean;
  userData?: string;
  /** updateVirtualMachine isdynamicallyscalable. */
  isDynamicallyScalable?: boolean;
  transport: Transport;
}

/** Day-2 operations on existing VMs (tier 2). */
export class VmOpsService {
  constructor(
    private store: Store,
    private clock: Clock,
    private agent: SimulatedAgent,
    private config: ConfigService,
    private catalog: CatalogService,
    private networks: NetworkService,
    private keys: SshKeyService,
    private groups: InstanceGroupService,
  ) {}

  register(jobs: JobEngine): void {
    const J = VM_OPS_JOBS;
    jobs.register<{ vmId: string; offeringId: string; details?: Record<string, string> }>(
      J.scale,
      ({ caller, params: p }) => this.scale(caller, p.vmId, p.offeringId, p.details),
    );
    jobs.register<{ vmId: string; templateId?: string }>(J.restore, ({ caller, params: p }) =>
      this.restore(caller, p.vmId, p.templateId),
    );
    jobs.register<{ vmId: string }>(J.resetPassword, ({ caller, params: p }) => this.resetPassword(caller, p.vmId));
    jobs.register<{ vmId: string; keyPairs: string[] }>(J.resetSshKey, ({ caller, params: p }) =>
      this.resetSshKey(caller, p.vmId, p.keyPairs),
    );
    jobs.register<{ vmId: string; hostId?: string }>(J.migrate, ({ caller, params: p }) =>
      this.migrate(caller, p.vmId, p.hostId),
    );
    jobs.register<{ vmId: string; networkId: string; ipAddress?: string }>(J.addNic, ({ caller, params: p }) =>
      this.addNic(caller, p.vmId, p.networkId, p.ipAddress),
    );
    jobs.register<{ vmId: string; nicId: string }>(J.removeNic, ({ caller, params: p }) =>
      this.removeNic(caller, p.vmId, p.nicId),
    );
    jobs.register<{ vmId: string; nicId: string }>(J.defaultNic, ({ caller, params: p }) =>
      this.defaultNic(caller, p.vmId, p.nicId),
    );
  }

  private async owned(db: Db, caller: Caller, id: string): Promise<Vm> {
    const vm = await vmStore.get(db, id);
    if (!vm) throw notFound('VirtualMachine', id);
    assertAccess(caller, vm, 'VirtualMachine', id);
    return vm;
  }

  /** updateVirtualMachine (synchronous). */
  async update(caller: Caller, id: string, u: VmUpdate): Promise<Vm> {
    if (u.userData !== undefined)
      u = {
        ...u,
        userData: validateUserData(u.userData, u.transport, this.config.num('vm.userdata.max.length', 32768)),
      };
    return this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      const patch: Partial<Vm> = { updated: this.clock.now() };
      if (u.displayName !== undefined) patch.displayName = u.displayName;
      if (u.haEnable !== undefined) patch.haEnable = u.haEnable ? 1 : 0;
      if (u.userData !== undefined) patch.userData = u.userData;
      if (u.isDynamicallyScalable !== undefined) {
        if (u.isDynamicallyScalable) await this.assertMayEnableScaling(trx, vm);
        patch.dynamicallyScalable = u.isDynamicallyScalable ? 1 : 0;
      }
      if (u.name !== undefined && u.name !== vm.name) {
        if (vm.state !== 'Stopped')
          throw invalidState(`Unable to update the name of VM ${vm.id}: it must be stopped`, 'VirtualMachine', vm.id);
        if (await vmStore.nameTaken(trx, vm.accountId, vm.zoneId, u.name))
          throw invalid(`The vm with hostName ${u.name} already exists`, 'name');
        patch.name = u.name;
      }
      if (u.group !== undefined) {
        const acct = await accountRows.get(trx, vm.accountId);
        patch.groupName = u.group === '' ? null : (await this.groups.ensure(trx, acct!, u.group)).name;
      }
      await vmRows.update(trx, vm.id, patch);
      await eventLog(trx, this.clock, {
        type: 'VM.UPDATE',
        description: `Updated VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
      return { ...vm, ...patch };
    });
  }

  /** UserVmManagerImpl.updateVirtualMachine: dynamic scaling needs the template's, the offering's and the zone's consent. */
  private async assertMayEnableScaling(db: Db, vm: Vm): Promise<void> {
    const template = await templateRows.get(db, vm.templateId);
    if (!template?.isDynamicallyScalable)
      throw invalid(
        'Dynamic Scaling cannot be enabled for the VM since its template does not have dynamic scaling enabled',
        'isdynamicallyscalable',
      );
    const offering = await catalogStore.serviceOffering(db, vm.serviceOfferingId);
    if (offering?.dynamicScaling === 0)
      throw invalid(
        'Dynamic Scaling cannot be enabled for the VM since its service offering does not have dynamic scaling enabled',
        'isdynamicallyscalable',
      );
    if (this.config.in('enable.dynamic.scale.vm', { scope: 'Zone', id: vm.zoneId }) !== 'true')
      throw invalid(
        'Dynamic Scaling cannot be enabled for the VM since corresponding global setting is set to false',
        'isdynamicallyscalable',
      );
  }

  /** changeServiceForVirtualMachine: a stopped VM takes another offering. */
  async changeService(
    caller: Caller,
    id: string,
    offeringId: string,
    details: Record<string, string> = {},
  ): Promise<Vm> {
    return this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      const o = await this.catalog.serviceOffering(trx, offeringId);
      const size = vmSize(o, details);
      if (vm.state !== 'Stopped')
        throw invalidState(
          `Unable to upgrade virtual machine ${vm.id}: it is in state ${vm.state}, not Stopped`,
          'VirtualMachine',
          vm.id,
        );
      if (o.id === vm.serviceOfferingId)
        throw invalid(
          `Not upgrading vm ${vm.id} since it already has the requested service offering (${o.name})`,
          'serviceofferingid',
        );
      const patch = { serviceOfferingId: o.id, ...size, updated: this.clock.now() };
      await adjust(trx, vm.accountId, { cpu: size.cpuNumber - vm.cpuNumber, memory: size.memory - vm.memory });
      await vmRows.update(trx, vm.id, patch);
      await eventLog(trx, this.clock, {
        type: 'VM.UPGRADE',
        description: `Changed offering of VM ${vm.name} to ${o.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
      return { ...vm, ...patch };
    });
  }

  /** scaleVirtualMachine: a running VM grows on its host, holding the difference; a stopped one just changes. */
  private async scale(
    caller: Caller,
    id: string,
    offeringId: string,
    details: Record<string, string> = {},
  ): Promise<JobResult> {
    const vm = await this.owned(this.store.db, caller, id);
    if (vm.state === 'Stopped') {
      await this.changeService(caller, id, offeringId, details);
      return ok(id);
    }
    if (vm.state !== 'Running')
      throw invalidState(`Unable to scale VM ${vm.id} in state ${vm.state}`, 'VirtualMachine', vm.id);
    await this.store.tx(async (trx) => {
      const o = await this.catalog.serviceOffering(trx, offeringId);
      await this.assertScalableWhileRunning(trx, vm, o);
      const size = vmSize(o, details);
      const cpu = size.cpuNumber * size.cpuSpeed - vm.cpuNumber * vm.cpuSpeed;
      const mem = (size.memory - vm.memory) * MiB;
      if (cpu < 0 || mem < 0)
        throw invalid(
          'Only scaling up the vm is supported, new service offering(cpu, memory) should be more than the current one',
          'serviceofferingid',
        );
      if (o.id === vm.serviceOfferingId)
        throw invalid('The new service offering is the same as the current one', 'serviceofferingid');
      await hostRows.lock(trx, vm.hostId!);
      const host = (await hostRows.get(trx, vm.hostId!))!;
      if (!fits(host, { cpuMhz: cpu, memoryBytes: mem }))
        throw new DomainError(
          'InsufficientCapacity',
          `Unable to scale vm ${vm.id}: host ${host.name} does not have enough capacity`,
          { kind: 'Host', id: host.id, capacity: 'server' },
        );
      await adjust(trx, vm.accountId, { cpu: size.cpuNumber - vm.cpuNumber, memory: size.memory - vm.memory });
      await hostStore.reserve(trx, host.id, cpu, mem);
      await vmRows.update(trx, vm.id, { serviceOfferingId: o.id, ...size, updated: this.clock.now() });
      await eventLog(trx, this.clock, {
        type: 'VM.UPGRADE',
        description: `Scaled VM ${vm.name} to ${o.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(id);
  }

  /**
   * UserVmManagerImpl.upgradeRunningVirtualMachine: both offerings must agree on dynamic scaling, the
   * zone must allow it (enable.dynamic.scale.vm) and the VM must have been made scalable.
   */
  private async assertScalableWhileRunning(db: Db, vm: Vm, to: ServiceOffering): Promise<void> {
    const current = await catalogStore.serviceOffering(db, vm.serviceOfferingId);
    if ((to.dynamicScaling !== 0) !== (current?.dynamicScaling !== 0))
      throw invalid(
        'Unable to Scale VM: since dynamic scaling enabled flag is not same for new service offering and old service offering',
        'serviceofferingid',
      );
    if (this.config.in('enable.dynamic.scale.vm', { scope: 'Zone', id: vm.zoneId }) !== 'true')
      throw forbidden('Dynamically scaling virtual machines is disabled for this zone, please contact your admin');
    if (!vm.dynamicallyScalable)
      throw runtimeFailure(
        `Unable to scale VM instance {"id": ${vm.seq}, "name": "${vm.instanceName}", "uuid": "${vm.id}", "type": "User"} as it does not have tools to support dynamic scaling.`,
      );
  }

  /** restoreVirtualMachine: a new root disk from the (possibly new) template; the old one goes. */
  private async restore(caller: Caller, id: string, templateId?: string): Promise<JobResult> {
    const vm = await this.owned(this.store.db, caller, id);
    if (vm.state !== 'Running' && vm.state !== 'Stopped')
      throw invalidState(`Unable to restore VM ${vm.id} in state ${vm.state}`, 'VirtualMachine', vm.id);
    const host = vm.hostId ? await hostRows.get(this.store.db, vm.hostId) : undefined;
    await this.agent.send('CopyCommand', host, { transition: 'restore', vmId: vm.id });
    await this.store.tx(async (trx) => {
      const t = await this.catalog.usableTemplate(trx, caller, templateId ?? vm.templateId, vm.zoneId);
      const root = (await vmStore.volumesOf(trx, [vm.id])).find((v) => v.type === 'ROOT');
      if (root) {
        if (root.poolId) await storageStore.use(trx, root.poolId, t.size - root.size);
        await adjust(trx, root.accountId, { primary_storage: t.size - root.size });
        await volumeRows.update(trx, root.id, { removed: this.clock.now(), state: 'Expunged' });
        await snapshotPolicyStore.removeOfVolumes(trx, [root.id]);
        await volumeRows.insert(trx, {
          ...root,
          id: newId(),
          seq: await nextSeq(trx, 'volume'),
          size: t.size,
          templateId: t.id,
          created: this.clock.now(),
          attached: this.clock.now(),
          removed: null,
          state: root.poolId ? 'Ready' : 'Allocated',
        });
      }
      await vmRows.update(trx, vm.id, {
        templateId: t.id,
        password: t.passwordEnabled ? newPassword() : null,
        updated: this.clock.now(),
      });
      await eventLog(trx, this.clock, {
        type: 'VM.RESTORE',
        description: `Restored VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(id);
  }

  private async resetPassword(caller: Caller, id: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      const t = await templateRows.get(trx, vm.templateId);
      if (!t?.passwordEnabled)
        throw invalid(`Fail to reset password for the virtual machine, the template is not password enabled`, 'id');
      if (vm.state !== 'Running' && vm.state !== 'Stopped')
        throw invalidState(`Vm ${vm.id} should be running or stopped to reset its password`, 'VirtualMachine', vm.id);
      await vmRows.update(trx, vm.id, { password: newPassword(), updated: this.clock.now() });
      await eventLog(trx, this.clock, {
        type: 'VM.RESETPASSWORD',
        description: `Reset password of VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(id);
  }

  private async resetSshKey(caller: Caller, id: string, keyPairs: string[]): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      if (vm.state !== 'Stopped')
        throw invalidState(`Vm ${vm.id} should be stopped to do SSH Key reset`, 'VirtualMachine', vm.id);
      if (keyPairs.length === 0) throw invalid('Please specify at least one keypair', 'keypairs');
      const kps = await this.keys.forDeploy(trx, vm.accountId, keyPairs);
      const t = await templateRows.get(trx, vm.templateId);
      await vmRows.update(trx, vm.id, {
        keyPairs: kps.map((k) => k.name).join(','),
        ...(t?.passwordEnabled ? { password: newPassword() } : {}),
        updated: this.clock.now(),
      });
      await eventLog(trx, this.clock, {
        type: 'VM.RESETSSHKEY',
        description: `Reset SSH key of VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(id);
  }

  /** migrateVirtualMachine: a running VM moves to another host, its reservation with it. */
  private async migrate(caller: Caller, id: string, hostId?: string): Promise<JobResult> {
    if (!isRootAdmin(caller)) throw forbidden('Only a root admin can migrate a virtual machine');
    await this.owned(this.store.db, caller, id);
    await migrateVm({ store: this.store, clock: this.clock, agent: this.agent }, caller, id, async (trx, v) => {
      if (v.state !== 'Running')
        throw invalidState(`VM is not Running, unable to migrate the vm ${v.id}`, 'VirtualMachine', v.id);
      const demand = vmDemand(v);
      // Locked: another node may be placing on the same hosts.
      const candidates = (await hostStore.candidates(trx, v.zoneId, true)).filter((h) => h.id !== v.hostId);
      const t = hostId ? candidates.find((h) => h.id === hostId) : candidates.find((h) => fits(h, demand));
      if (hostId && !t)
        throw invalid(
          `Cannot migrate VM ${v.id} to host ${hostId}: it is the VM's host or not an enabled host of its zone`,
          'hostid',
        );
      if (!t || !fits(t, demand))
        throw new DomainError(
          'InsufficientCapacity',
          `Cannot migrate VM ${v.id}: no suitable host with enough capacity`,
          { kind: 'VirtualMachine', id: v.id, capacity: 'server' },
        );
      return t;
    });
    return ok(id);
  }

  private async addNic(caller: Caller, id: string, networkId: string, ipAddress?: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      const zone = await this.catalog.zone(trx, vm.zoneId);
      if (zone.networkType === 'Basic')
        throw invalid(`Zone ${zone.name} is a basic zone: adding NICs is not supported`, 'networkid');
      const net = await networkStore.get(trx, networkId);
      if (!net) throw notFound('Network', networkId, 'networkid');
      if (net.accountId && !(await mayUseNetwork(trx, { id: vm.accountId }, net)))
        assertAccess(caller, { accountId: net.accountId, domainId: net.domainId }, 'Network', net.id);
      if (net.zoneId !== vm.zoneId) throw invalid(`Network ${net.id} is not in the VM's zone`, 'networkid');
      const nics = await vmStore.nicsOf(trx, [vm.id]);
      if (nics.some((n) => n.networkId === net.id))
        throw invalid(`A NIC already exists for VM ${vm.name} in network ${net.name}`, 'networkid');
      const up = vm.state === 'Running' ? await this.networks.implement(trx, net) : net;
      const addr = await this.networks.allocateAddress(trx, up, ipAddress);
      const deviceId = Math.max(-1, ...nics.map((n) => n.deviceId)) + 1;
      const nic: Nic = {
        id: newId(),
        vmId: vm.id,
        networkId: net.id,
        ...addr,
        macAddress: macFromSeq(vm.seq * 8 + deviceId),
        isDefault: 0,
        deviceId,
        broadcastUri: up.vlan ? `vlan://${up.vlan}` : null,
        removed: null,
      };
      await nicRows.insert(trx, nic);
      await eventLog(trx, this.clock, {
        type: 'NIC.CREATE',
        description: `Added a NIC in ${net.name} to VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(id);
  }

  private async nicOf(db: Db, vm: Vm, nicId: string): Promise<Nic> {
    const nic = (await vmStore.nicsOf(db, [vm.id])).find((n) => n.id === nicId);
    if (!nic) throw invalid(`Unable to find NIC ${nicId} of virtual machine ${vm.id}`, 'nicid');
    return nic;
  }

  private async removeNic(caller: Caller, id: string, nicId: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      const nic = await this.nicOf(trx, vm, nicId);
      if (nic.isDefault) throw invalid(`Unable to remove nic from VM ${vm.id}: it is the default nic`, 'nicid');
      await vmStore.removeNic(trx, nic.id, this.clock.now());
      await eventLog(trx, this.clock, {
        type: 'NIC.DELETE',
        description: `Removed NIC ${nic.id} from VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: vm.id,
        resourceType: 'VirtualMachine',
      });
    });
    return ok(id);
  }

  private async defaultNic(caller: Caller, id: string, nicId: string): Promise<JobResult> {
    await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      const nic = await this.nicOf(trx, vm, nicId);
      if (nic.isDefault) throw invalid(`NIC ${nic.id} is already the default NIC of VM ${vm.id}`, 'nicid');
      await vmStore.setDefaultNic(trx, vm.id, nic.id);
    });
    return ok(id);
  }

  async nics(caller: Caller, vmId: string, f: { nicId?: string; networkId?: string }): Promise<Nic[]> {
    const vm = await this.owned(this.store.db, caller, vmId);
    return (await vmStore.nicsOf(this.store.db, [vm.id])).filter(
      (n) => (!f.nicId || n.id === f.nicId) && (!f.networkId || n.networkId === f.networkId),
    );
  }

  /** getVMPassword: the password encrypted with the VM's SSH key, as CloudStack hands it out. */
  async encryptedPassword(caller: Caller, id: string): Promise<string> {
    const vm = await this.owned(this.store.db, caller, id);
    const name = vm.keyPairs?.split(',')[0];
    if (!vm.password || !name) throw invalid(`No password for VM with specified id found.`, 'id');
    const [kp] = await this.keys.forDeploy(this.store.db, vm.accountId, [name]);
    return this.keys.encryptFor(kp!, vm.password);
  }
}
