import type { Clock } from '../domain/clock.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import type { PublicIp } from '../domain/types.js';
import type { JobEngine } from '../jobs/engine.js';
import type { Store } from '../store/db.js';
import { networkStore } from '../store/network.store.js';
import { portForwardingStore } from '../store/portforwarding.store.js';
import { updateRow } from '../store/repo.js';
import { vmStore } from '../store/vm.store.js';
import { assertAccess, type Caller } from './context.js';
import { eventLog } from './events.js';

export const STATIC_NAT_JOBS = { disable: 'staticnat.disable' } as const;

/** Static NAT: a public address bound one-to-one to a VM (EC2's elastic IP association). */
export class StaticNatService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  register(jobs: JobEngine): void {
    jobs.register<{ ipId: string }>(STATIC_NAT_JOBS.disable, async ({ caller, params }) => {
      await this.disable(caller, params.ipId);
      return { type: 'success' };
    });
  }

  /** enableStaticNat (synchronous, as in CloudStack). */
  async enable(caller: Caller, ipId: string, vmId: string, networkId?: string): Promise<PublicIp> {
    return this.store.tx(async (trx) => {
      const ip = await networkStore.getPublicIp(trx, ipId);
      if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', ipId, 'ipaddressid');
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
      const vm = await vmStore.get(trx, vmId);
      if (!vm) throw notFound('VirtualMachine', vmId, 'virtualmachineid');
      assertAccess(caller, vm, 'VirtualMachine', vm.id);
      if (ip.isSourceNat) throw invalid(`Can't enable static NAT on the source NAT IP address ${ip.address}`, 'ipaddressid');
      if (ip.vmId && ip.vmId !== vm.id) throw new DomainError('Conflict', `Failed to enable static NAT for the ip address ${ip.address}: it is already enabled for another VM`, { kind: 'PublicIpAddress', id: ip.id });
      if ((await portForwardingStore.onIp(trx, ip.id)).length) throw new DomainError('Conflict', `Failed to enable static NAT for the ip address ${ip.address}: it has port forwarding rules`, { kind: 'PublicIpAddress', id: ip.id });
      const nics = await vmStore.nicsOf(trx, [vm.id]);
      const nic = nics.find((n) => n.networkId === (networkId ?? ip.networkId)) ?? (ip.networkId ? undefined : nics.find((n) => n.isDefault));
      if (!nic) throw invalid(`VM ${vm.id} has no NIC in the network of IP address ${ip.address}`, 'virtualmachineid');
      const other = (await networkStore.listPublicIps(trx, { allocatedOnly: true })).find((x) => x.vmId === vm.id && x.id !== ip.id);
      if (other) throw new DomainError('Conflict', `Failed to enable static NAT for VM ${vm.id}: it already has static NAT with ${other.address}`, { kind: 'VirtualMachine', id: vm.id });
      const patch = { vmId: vm.id, networkId: ip.networkId ?? nic.networkId };
      await updateRow(trx, 'publicIps', ip.id, patch);
      await eventLog(trx, this.clock, { type: 'STATICNAT.ENABLE', description: `Enabled static NAT ${ip.address} -> ${vm.name}`, accountId: ip.accountId!, domainId: ip.domainId!, userId: caller.userId, resourceId: ip.id, resourceType: 'PublicIpAddress' });
      return { ...ip, ...patch };
    });
  }

  async disable(caller: Caller, ipId: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const ip = await networkStore.getPublicIp(trx, ipId);
      if (!ip || ip.state === 'Free') throw notFound('PublicIpAddress', ipId, 'ipaddressid');
      assertAccess(caller, ip, 'PublicIpAddress', ip.id);
      if (!ip.vmId) throw invalid(`Specified IP address id is not associated with any vm Id`, 'ipaddressid');
      await updateRow(trx, 'publicIps', ip.id, { vmId: null });
      await eventLog(trx, this.clock, { type: 'STATICNAT.DISABLE', description: `Disabled static NAT on ${ip.address}`, accountId: ip.accountId!, domainId: ip.domainId!, userId: caller.userId, resourceId: ip.id, resourceType: 'PublicIpAddress' });
    });
  }
}
