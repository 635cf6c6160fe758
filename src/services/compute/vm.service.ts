import { randomBytes } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { vmSize } from '../../domain/offerings.js';
import { macFromSeq } from '../../domain/net.js';
import { rootDiskBytes } from '../../domain/rootdisk.js';
import type { Account, DiskOffering, Nic, ServiceOffering, Template, Vm, Volume } from '../../domain/types.js';
import { accountStore } from '../../store/account.store.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { Db, Store } from '../../store/db.js';
import type { PageRequest, Page } from '../../store/paging.js';
import { nextSeq } from '../../store/sequence.store.js';
import { vmStore, type VmFilter, vmRows, vmSecurityGroupRows, nicRows } from '../../store/vm.store.js';
import { volumeStore, volumeRows } from '../../store/volume.store.js';
import type { CatalogService } from '../infrastructure/catalog.service.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import { assertAccess, isAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import type { NetworkService } from '../network/network.service.js';
import { resolveOwner, type OwnerRequest } from '../identity/owner.js';
import { scopeAccounts, type ListScope } from '../identity/scope.js';
import type { SecurityGroupService } from '../network/securitygroup.service.js';
import type { SshKeyService } from './sshkey.service.js';
import type { AffinityService } from './affinity.service.js';
import type { InstanceGroupService } from './instancegroup.service.js';
import { affinityStore } from '../../store/affinity.store.js';
import { validateUserData, type Transport } from './userdata.js';
import { VM_JOBS } from './vm.jobs.js';
import { VM_OPS_JOBS } from './vm.ops.service.js';
import { catalogStore } from '../../store/catalog.store.js';
import { checkLimits, consume, vmDeltas, volumeDeltas } from '../resources.js';
import { assertVmActionAllowed } from './autoscale.guard.js';

export interface DeployRequest extends OwnerRequest {
  zoneId: string;
  serviceOfferingId: string;
  templateId: string;
  name?: string;
  displayName?: string;
  networkIds?: string[];
  ipAddress?: string;
  securityGroupIds?: string[];
  securityGroupNames?: string[];
  affinityGroupIds?: string[];
  affinityGroupNames?: string[];
  keyPairs?: string[];
  userData?: string;
  diskOfferingId?: string;
  /** `overridediskofferingid`: the root volume's disk offering instead of the compute offering's (and its size). */
  overrideDiskOfferingId?: string;
  size?: number;
  /** `rootdisksize`, GiB: the root volume's size instead of the template's. */
  rootDiskSize?: number;
  /** deployVirtualMachine's details: a customized offering's cpuNumber, cpuSpeed and memory. */
  details?: Record<string, string>;
  startVm: boolean;
  /** `dynamicscalingenabled` (default true): whether the VM may be scaled while running. */
  dynamicScalingEnabled?: boolean;
  group?: string;
  hostId?: string;
  transport: Transport;
  /** The owning account when a service deploys for it (an autoscale group's VMs), instead of account/domainid/projectid. */
  ownerAccountId?: string;
}

const HOSTNAME = /^(?!-)(?![0-9])[a-zA-Z0-9-]{1,63}(?<!-)$/;

export class VmService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private config: ConfigService,
    private catalog: CatalogService,
    private networks: NetworkService,
    private groups: SecurityGroupService,
    private keys: SshKeyService,
    private affinity: AffinityService,
    private instanceGroups: InstanceGroupService,
  ) {}

  /** The create phase of deployVirtualMachine: rows first, then a job that places and starts the VM. */
  async deploy(caller: Caller, r: DeployRequest, cmd: string): Promise<{ vm: Vm; jobId: string }> {
    if (r.userData !== undefined)
      r = {
        ...r,
        userData: validateUserData(r.userData, r.transport, this.config.num('vm.userdata.max.length', 32768)),
      };
    if (r.name !== undefined && !HOSTNAME.test(r.name))
      throw invalid(
        `Invalid name. Vm name can contain ASCII letters 'a' through 'z', the digits '0' through '9', and the hyphen ('-'), must be between 1 and 63 characters long, and can't start or end with "-" and can't start with digit`,
        'name',
      );
    // Numbered before the transaction: a counter row updated inside it would stay locked, and every
    // concurrent deploy wait, until it commits. A deploy that fails leaves a gap, as CloudStack's ids do.
    const seq = await nextSeq(this.store.db, 'vm');
    const volumeSeqs = [
      await nextSeq(this.store.db, 'volume'),
      r.diskOfferingId ? await nextSeq(this.store.db, 'volume') : 0,
    ];
    const out = await this.store.tx(async (trx) => {
      const owner = r.ownerAccountId
        ? await this.activeAccount(trx, r.ownerAccountId)
        : await resolveOwner(trx, caller, r);
      const zone = await this.catalog.zone(trx, r.zoneId);
      if (zone.allocationState !== 'Enabled' && !isAdmin(caller))
        throw new DomainError('InvalidState', `Cannot deploy in zone ${zone.name}: it is disabled`, {
          kind: 'Zone',
          id: zone.id,
        });
      const offering = await this.catalog.usableServiceOffering(trx, owner, r.serviceOfferingId, zone.id);
      const size = vmSize(offering, r.details ?? {});
      const template = await this.catalog.usableTemplate(trx, caller, r.templateId, zone.id);
      const rootOffering = r.overrideDiskOfferingId
        ? await this.rootOverride(trx, owner, offering, r.overrideDiskOfferingId, zone.id)
        : undefined;
      const offeringGb = rootOffering ? rootOffering.diskSize : offering.rootDiskSize;
      const rootSize = rootDiskBytes({
        hypervisor: template.hypervisor,
        requestedGb: r.rootDiskSize,
        offeringGb,
        templateSize: template.size,
      });
      const diskOffering = r.diskOfferingId
        ? await this.catalog.usableDiskOffering(trx, owner, r.diskOfferingId, zone.id)
        : undefined;
      const keyPairs = r.keyPairs?.length ? await this.keys.forDeploy(trx, owner.id, r.keyPairs) : [];
      const nets = await this.networks.networksForDeploy(trx, caller, owner, zone, r.networkIds);
      const sgEnabled = zone.securityGroupsEnabled === 1;
      if (!sgEnabled && (r.securityGroupIds?.length || r.securityGroupNames?.length))
        throw invalid(
          `Can't create vm with security groups; security group feature is not enabled for this zone`,
          'securitygroupids',
        );
      const groups = sgEnabled
        ? await this.groups.forDeploy(trx, caller, owner, r.securityGroupIds, r.securityGroupNames)
        : [];
      const affinity = await this.affinity.forDeploy(trx, caller, owner, r.affinityGroupIds, r.affinityGroupNames);
      if (r.hostId && !isAdmin(caller))
        throw invalid('Parameter hostid can only be specified by a Root Admin', 'hostid');

      // Limits are checked before anything is written (a refused deploy leaves nothing); the counts are taken last.
      const dataGb = diskOffering ? (diskOffering.isCustomized ? r.size : diskOffering.diskSize) : undefined;
      const count = await checkLimits(trx, owner.id, {
        ...vmDeltas(size),
        ...volumeDeltas([rootSize, ...(dataGb && dataGb > 0 ? [dataGb * 1024 ** 3] : [])]),
      });
      const group = r.group ? await this.instanceGroups.ensure(trx, owner, r.group) : undefined;
      const id = newId();
      const name = r.name ?? `VM-${id}`;
      if (await vmStore.nameTaken(trx, owner.id, zone.id, name))
        throw invalid(
          `The vm with hostName ${name} already exists in the network domain: ${nets[0]?.networkDomain ?? zone.networkDomain ?? ''}; network=${nets[0]?.name}`,
          'name',
        );
      const now = this.clock.now();
      const vm: Vm = {
        id,
        seq,
        name,
        displayName: r.displayName ?? name,
        instanceName: `i-${seq}-${this.config.get('instance.name') ?? 'VM'}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        zoneId: zone.id,
        podId: null,
        clusterId: null,
        hostId: null,
        lastHostId: r.hostId ?? null,
        templateId: template.id,
        serviceOfferingId: offering.id,
        ...size,
        state: r.startVm ? 'Starting' : 'Stopped',
        haEnable: offering.offerHa,
        userData: r.userData ?? null,
        keyPairs: keyPairs.length ? keyPairs.map((k) => k.name).join(',') : null,
        password: template.passwordEnabled ? randomBytes(9).toString('base64url').slice(0, 12) : null,
        groupName: group?.name ?? null,
        dynamicallyScalable:
          r.dynamicScalingEnabled !== false && this.canScaleDynamically(offering, template, zone.id) ? 1 : 0,
        created: now,
        updated: now,
        destroyedAt: null,
        removed: null,
      };
      await vmRows.insert(trx, vm);
      for (const g of groups) await vmSecurityGroupRows.insert(trx, { vmId: id, securityGroupId: g.id });
      for (const g of affinity) await affinityStore.link(trx, id, g.id);
      // The root disk takes the service offering's disk offering (4.17's split: its own, or the one it was made with),
      // which stays when the VM is scaled (allow.diskOffering.change.during.scale.vm is false).
      await this.createVolume(
        trx,
        vm,
        volumeSeqs[0]!,
        'ROOT',
        rootSize,
        rootOffering?.id ?? offering.diskOfferingId ?? null,
        template.id,
        0,
      );
      if (diskOffering) {
        const gb = diskOffering.isCustomized ? r.size : diskOffering.diskSize;
        if (!gb || gb <= 0) throw invalid('Disk size must be specified for a custom disk offering', 'size');
        await this.createVolume(trx, vm, volumeSeqs[1]!, 'DATADISK', gb * 1024 ** 3, diskOffering.id, null, 1);
      }
      await eventLog(trx, this.clock, {
        type: 'VM.CREATE',
        description: `Created VM ${name}`,
        accountId: owner.id,
        domainId: owner.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VirtualMachine',
      });
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: r.startVm ? VM_JOBS.start : VM_JOBS.created,
        params: { vmId: id, deploy: true },
        instanceType: 'VirtualMachine',
        instanceId: id,
      });
      // Addresses last: allocating one locks the network until the commit, and other deploys in it wait that long.
      for (const [i, net] of nets.entries()) {
        const addr = await this.networks.allocateAddress(trx, net, i === 0 ? r.ipAddress : undefined);
        const nic: Nic = {
          id: newId(),
          vmId: id,
          networkId: net.id,
          ...addr,
          macAddress: macFromSeq(seq * 8 + i),
          isDefault: i === 0 ? 1 : 0,
          deviceId: i,
          broadcastUri: net.vlan ? `vlan://${net.vlan}` : null,
          removed: null,
        };
        await nicRows.insert(trx, nic);
      }
      await count();
      return { vm, jobId };
    });
    this.jobs.kick();
    return out;
  }

  /** AccountService.getActiveAccountById: the account a service deploys for must exist and not be removed. */
  private async activeAccount(db: Db, id: string): Promise<Account> {
    const a = await accountStore.accountById(db, id);
    if (!a || a.removed) throw invalid(`Unable to find active account by id ${id}`);
    return a;
  }

  /**
   * UserVmManagerImpl.createVirtualMachine: `overridediskofferingid` takes the root disk's place of
   * the compute offering's disk offering, unless that mapping is strict.
   */
  private async rootOverride(
    db: Db,
    owner: Account,
    offering: ServiceOffering,
    id: string,
    zoneId: string,
  ): Promise<DiskOffering | undefined> {
    if (offering.diskOfferingStrictness)
      throw invalid(
        `Cannot override disk offering id ${id} since provided service offering is strictly mapped to its disk offering`,
        'overridediskofferingid',
      );
    return this.catalog.usableDiskOffering(db, owner, id, zoneId, 'overridediskofferingid');
  }

  private async createVolume(
    db: Db,
    vm: Vm,
    seq: number,
    type: 'ROOT' | 'DATADISK',
    size: number,
    diskOfferingId: string | null,
    templateId: string | null,
    deviceId: number,
  ): Promise<void> {
    const v: Volume = {
      id: newId(),
      seq,
      name: `${type === 'ROOT' ? 'ROOT' : 'DATA'}-${vm.seq}`,
      vmId: vm.id,
      type,
      state: 'Allocated',
      size,
      zoneId: vm.zoneId,
      poolId: null,
      diskOfferingId,
      templateId,
      accountId: vm.accountId,
      domainId: vm.domainId,
      deviceId,
      created: this.clock.now(),
      attached: this.clock.now(),
      removed: null,
    };
    await volumeRows.insert(db, v);
  }

  /**
   * UserVmManagerImpl.checkIfDynamicScalingCanBeEnabled: the offering, the template and the zone's
   * enable.dynamic.scale.vm must all allow it.
   */
  canScaleDynamically(offering: ServiceOffering, template: Template, zoneId: string): boolean {
    return (
      offering.dynamicScaling !== 0 &&
      !!template.isDynamicallyScalable &&
      this.config.in('enable.dynamic.scale.vm', { scope: 'Zone', id: zoneId }) === 'true'
    );
  }

  /** A VM the caller may act on. */
  async owned(db: Db, caller: Caller, id: string, param = 'id'): Promise<Vm> {
    const vm = await vmStore.get(db, id);
    if (!vm || (vm.state === 'Expunging' && vm.removed)) throw notFound('VirtualMachine', id, param);
    assertAccess(caller, vm, 'VirtualMachine', id);
    return vm;
  }

  /**
   * Submits a lifecycle job for a VM after checking the caller may touch it. A user's stop or reboot
   * of an autoscale group's VM waits until the group is disabled; `internal` work (an account being
   * disabled) is not held to that.
   */
  async submit(
    caller: Caller,
    id: string,
    kind: keyof typeof VM_JOBS,
    cmd: string,
    extra: Record<string, unknown> = {},
    o: { internal?: boolean } = {},
  ): Promise<string> {
    if (kind === 'expunge' || extra['expunge']) this.assertMayExpunge(caller);
    const jobId = await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      if (!o.internal && (kind === 'stop' || kind === 'reboot')) await assertVmActionAllowed(trx, [vm.id]);
      const jobKind = kind === 'reboot' && (await this.isVolatile(trx, vm)) ? VM_OPS_JOBS.restore : VM_JOBS[kind];
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: jobKind,
        params: { vmId: id, ...extra },
        instanceType: 'VirtualMachine',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /**
   * destroyVirtualMachine (UserVmManagerImpl.destroyVm): the data disks named in `volumeids` must be
   * attached to this VM; they are detached and deleted once the VM is destroyed (and expunged).
   */
  async submitDestroy(
    caller: Caller,
    id: string,
    cmd: string,
    o: { expunge: boolean; volumeIds: string[] },
  ): Promise<string> {
    if (o.expunge) this.assertMayExpunge(caller);
    const jobId = await this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      await assertVmActionAllowed(trx, [vm.id]);
      const volumes = await volumeStore.getMany(trx, o.volumeIds);
      const stray = volumes.filter((v) => v.vmId !== vm.id || v.type !== 'DATADISK');
      if (stray.length)
        throw invalid(
          `The following supplied volumes are not DATADISK attached to the VM: ${stray.map((v) => `Vol[${v.seq}|name=${v.name}|vm=${v.vmId ?? 'null'}|${v.type}]; `).join('')}`,
          'volumeids',
        );
      for (const v of volumes) assertAccess(caller, v, 'Volume', v.id);
      const params = {
        vmId: id,
        expunge: o.expunge,
        ...(volumes.length ? { volumeIds: volumes.map((v) => v.id) } : {}),
      };
      return this.jobs.submit(trx, caller, {
        cmd,
        kind: VM_JOBS.destroy,
        params,
        instanceType: 'VirtualMachine',
        instanceId: id,
      });
    });
    this.jobs.kick();
    return jobId;
  }

  /**
   * UserVmManagerImpl.rebootVirtualMachine: a VM of a volatile offering is not rebooted but restored
   * (a fresh root disk from its template) — its disk does not outlive a reboot.
   */
  private async isVolatile(db: Db, vm: Vm): Promise<boolean> {
    const offering = await catalogStore.serviceOffering(db, vm.serviceOfferingId);
    if (!offering)
      throw invalid(`Unable to find service offering: ${vm.serviceOfferingId} corresponding to the vm`, 'id');
    return offering.isVolatile === 1;
  }

  private assertMayExpunge(caller: Caller): void {
    if (!isAdmin(caller) && !this.config.bool('allow.user.expunge.recover.vm'))
      throw invalid(
        'Parameter expunge can be passed by Admin only. Or when the allow.user.expunge.recover.vm key is set.',
        'expunge',
      );
  }

  /** recoverVirtualMachine: Destroyed back to Stopped, synchronously. */
  async recover(caller: Caller, id: string): Promise<Vm> {
    if (!isAdmin(caller) && !this.config.bool('allow.user.expunge.recover.vm'))
      throw invalid(
        'Recovering a vm can only be done by an Admin. Or when the allow.user.expunge.recover.vm key is set.',
        'id',
      );
    return this.store.tx(async (trx) => {
      const vm = await this.owned(trx, caller, id);
      if (vm.state !== 'Destroyed')
        throw invalidState(
          `Unable to recover VM ${vm.name}: it is in state ${vm.state}, not Destroyed`,
          'VirtualMachine',
          id,
        );
      const patch = { state: 'Stopped' as const, destroyedAt: null, updated: this.clock.now() };
      await consume(trx, vm.accountId, vmDeltas(vm));
      await vmRows.update(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'VM.RECOVER',
        description: `Recovered VM ${vm.name}`,
        accountId: vm.accountId,
        domainId: vm.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'VirtualMachine',
      });
      return { ...vm, ...patch };
    });
  }

  async list(
    caller: Caller,
    scope: ListScope,
    f: VmFilter & { tagged?: string[] },
    page?: PageRequest,
  ): Promise<Page<Vm>> {
    return vmStore.list(this.store.db, await this.visible(caller, scope, f), page);
  }

  /** `list` without a page, read `size` VMs at a time for an answer written as it is read. */
  async listChunks(
    caller: Caller,
    scope: ListScope,
    f: VmFilter & { tagged?: string[] },
    size: number,
  ): Promise<{ count: number; chunks: AsyncIterable<Vm[]> }> {
    return vmStore.chunks(this.store.db, await this.visible(caller, scope, f), size);
  }

  /** The filter narrowed to what the caller may see in this scope. */
  private async visible(caller: Caller, scope: ListScope, f: VmFilter & { tagged?: string[] }): Promise<VmFilter> {
    const accounts = await scopeAccounts(this.store.db, caller, scope);
    const ids = f.tagged ? (f.ids ? f.ids.filter((i) => f.tagged!.includes(i)) : f.tagged) : f.ids;
    return { ...f, ids, accountIds: accounts, withDestroyed: f.withDestroyed ?? isAdmin(caller) };
  }

  countsByAccount(accountIds: string[]) {
    return vmStore.countsByAccount(this.store.db, accountIds);
  }

  async userData(caller: Caller, id: string): Promise<Vm> {
    return this.owned(this.store.db, caller, id);
  }

  /** Background expunge of VMs destroyed longer than expunge.delay ago. */
  async sweepExpunged(system: Caller): Promise<number> {
    const due = await vmStore.dueForExpunge(
      this.store.db,
      this.clock.now() - this.config.num('expunge.delay', 86400) * 1000,
    );
    for (const vm of due)
      await this.jobs.run(system, {
        cmd: 'expunge.sweep',
        kind: VM_JOBS.expunge,
        params: { vmId: vm.id },
        instanceType: 'VirtualMachine',
        instanceId: vm.id,
      });
    return due.length;
  }
}
