import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { NicSecondaryIp } from '../../domain/networking.js';
import type { JobEngine } from '../../jobs/engine.js';
import type { ConfigService } from '../infrastructure/config.service.js';
import type { Db, Store } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { nicIpStore } from '../../store/nicip.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import type { NetworkService } from './network.service.js';
import { updateNicIp } from './nicip.update.js';
import { vmRows, nicRows } from '../../store/vm.store.js';

export const NIC_IP_JOBS = { assign: 'nicip.assign', release: 'nicip.release', update: 'nicip.update' } as const;

/**
 * addIpToNic / removeIpFromNic (NicSecondaryIpServiceImpl in 4.18's NetworkServiceImpl): extra guest
 * addresses on a user VM's NIC, taken from the NIC's network as a NIC's own address is.
 */
export class NicIpService {
  constructor(
    private store: Store,
    private clock: Clock,
    private jobs: JobEngine,
    private networks: NetworkService,
    private config: ConfigService,
  ) {}

  register(jobs: JobEngine): void {
    // The address was taken with the job (AddIpToVmNicCmd.create); configuring it is the job's part.
    jobs.register<{ id: string }>(NIC_IP_JOBS.assign, async ({ params }) => ({
      type: 'object',
      instanceType: 'NicSecondaryIp',
      id: params.id,
    }));
    jobs.register<{ id: string }>(NIC_IP_JOBS.release, async ({ caller, params }) => {
      await this.store.tx((trx) => this.release(trx, caller, params.id));
      return { type: 'success' };
    });
    jobs.register<{ nicId: string; ipAddress?: string }>(NIC_IP_JOBS.update, async ({ caller, params }) => {
      const vm = await this.store.tx((trx) =>
        updateNicIp(trx, this.clock, this.networks, caller, params.nicId, params.ipAddress),
      );
      return { type: 'object', instanceType: 'VirtualMachine', id: vm.id };
    });
  }

  /** updateVmNicIp: every check is the job's (UpdateVmNicIpCmd.execute), which has no instance id. */
  submitUpdate(caller: Caller, nicId: string, ipAddress: string | undefined, cmd: string): Promise<string> {
    return this.jobs.run(caller, {
      cmd,
      kind: NIC_IP_JOBS.update,
      params: { nicId, ...(ipAddress !== undefined ? { ipAddress } : {}) },
      instanceType: 'IpAddress',
    });
  }

  find(id: string): Promise<NicSecondaryIp | undefined> {
    return nicIpStore.get(this.store.db, id);
  }

  ofNics(nicIds: string[]): Promise<NicSecondaryIp[]> {
    return nicIpStore.ofNics(this.store.db, nicIds);
  }

  /** addIpToNic's create phase: the address is held before the job starts. */
  async submitAssign(
    caller: Caller,
    nicId: string,
    requested: string | undefined,
    cmd: string,
  ): Promise<{ ip: NicSecondaryIp; jobId: string }> {
    const out = await this.store.tx(async (trx) => {
      const ip = await this.assign(trx, caller, nicId, requested);
      const jobId = await this.jobs.submit(trx, caller, {
        cmd,
        kind: NIC_IP_JOBS.assign,
        params: { id: ip.id },
        instanceType: 'IpAddress',
        instanceId: ip.id,
      });
      return { ip, jobId };
    });
    this.jobs.kick();
    return out;
  }

  async submitRelease(caller: Caller, id: string, cmd: string): Promise<string> {
    const ip = await nicIpStore.get(this.store.db, id);
    if (!ip) throw invalid('Unable to find secondary ip address by id', 'id');
    const vm = await vmRows.get(this.store.db, ip.vmId);
    if (!vm) throw invalid('There is no vm with the given secondary ip', 'id');
    assertAccess(caller, vm, 'VirtualMachine', vm.id);
    return this.jobs.run(caller, {
      cmd,
      kind: NIC_IP_JOBS.release,
      params: { id },
      instanceType: 'IpAddress',
      instanceId: id,
    });
  }

  private async assign(trx: Db, caller: Caller, nicId: string, requested: string | undefined): Promise<NicSecondaryIp> {
    const nic = await nicRows.get(trx, nicId);
    if (!nic || nic.removed) throw invalid(`There is no NIC with the ID:  ${nicId}`, 'nicid');
    const vm = await vmRows.get(trx, nic.vmId);
    if (!vm || vm.removed) throw invalid(`There is no VM with the NIC [${nicId}]`, 'nicid');
    assertAccess(caller, vm, 'VirtualMachine', vm.id);
    const net = await networkStore.get(trx, nic.networkId);
    if (!net) throw invalid('Invalid network id is given', 'nicid');
    const max = this.config.num('vm.network.nic.max.secondary.ipaddresses', 10);
    if ((await nicIpStore.countOfNic(trx, nic.id)) >= max)
      throw invalid('Allocating guest IP for NIC failed : Maximum Number of Ips per Nic has been crossed.', 'nicid');
    if (net.type !== 'Isolated' && net.type !== 'Shared')
      throw new DomainError('Internal', 'Failed to assign secondary IP to NIC');
    const addr = await this.networks.allocateAddress(trx, net, requested);
    if (addr.ipAddress === null || addr.ipNum === null)
      throw new DomainError('Internal', 'Failed to assign secondary IP to NIC');
    const ip: NicSecondaryIp = {
      id: newId(),
      nicId: nic.id,
      vmId: vm.id,
      networkId: net.id,
      ipAddress: addr.ipAddress,
      ipNum: addr.ipNum,
      accountId: vm.accountId,
      domainId: vm.domainId,
      created: this.clock.now(),
    };
    await nicIpStore.insert(trx, ip);
    await eventLog(trx, this.clock, {
      type: 'NIC.SECONDARY.IP.ASSIGN',
      description: `Assigned secondary IP ${ip.ipAddress} to NIC ${nic.id}`,
      accountId: vm.accountId,
      domainId: vm.domainId,
      userId: caller.userId,
      resourceId: ip.id,
      resourceType: 'NicSecondaryIp',
    });
    return ip;
  }

  /** releaseSecondaryIpFromNic: an address that a port forwarding or LB rule still uses stays. */
  private async release(trx: Db, caller: Caller, id: string): Promise<void> {
    const ip = await nicIpStore.get(trx, id);
    if (!ip) return; // a re-run after the address went
    const net = await networkStore.get(trx, ip.networkId);
    if (net?.type === 'Isolated') {
      // Static NAT here always targets a NIC's own address, so only these two can hold a secondary one.
      const used = await nicIpStore.ruleUsing(trx, ip.networkId, ip.vmId, ip.ipAddress);
      if (used === 'PortForwarding')
        throw invalid(`Can't remove the secondary ip ${ip.ipAddress} is associate with the port forwarding rule`, 'id');
      if (used === 'LoadBalancing')
        throw invalid(`Can't remove the secondary ip ${ip.ipAddress} is mapped to load balancing rule`, 'id');
    }
    await nicIpStore.remove(trx, id);
    await eventLog(trx, this.clock, {
      type: 'NIC.SECONDARY.IP.UNASSIGN',
      description: `Removed secondary IP ${ip.ipAddress}`,
      accountId: ip.accountId,
      domainId: ip.domainId,
      userId: caller.userId,
      resourceId: ip.id,
      resourceType: 'NicSecondaryIp',
    });
  }
}
