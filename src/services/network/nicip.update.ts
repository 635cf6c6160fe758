import type { Clock } from '../../domain/clock.js';
import { DomainError, invalid, runtimeFailure } from '../../domain/errors.js';
import { isIpv4 } from '../../domain/net.js';
import type { Network, Nic, Vm } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { networkStore } from '../../store/network.store.js';
import { assertAccess, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';
import type { NetworkService } from './network.service.js';
import { nicRows, vmRows } from '../../store/vm.store.js';
import { zoneRows } from '../../store/datacenter.store.js';

/** The network states a NIC's address may change in. */
const UPDATABLE = ['Allocated', 'Implemented', 'Setup'];
const FAILED = 'Failed to update ip address on vm NIC. Refer to server logs for details.';

/**
 * updateVmNicIp's job (UpdateVmNicIpCmd.execute and UserVmManagerImpl.updateNicIpForVirtualMachine):
 * a user VM's NIC gets the address asked for, or any free one, of its network. A network with
 * services only lets a stopped VM's address change. Only the VM's owner or an admin over it may.
 */
export async function updateNicIp(
  db: Db,
  clock: Clock,
  networks: NetworkService,
  caller: Caller,
  nicId: string,
  requested: string | undefined,
): Promise<Vm> {
  if (requested !== undefined && !isIpv4(requested)) throw runtimeFailure(`Invalid ip address ${requested}`);
  const nic = await nicRows.get(db, nicId);
  if (!nic || nic.removed) throw invalid(`There is no nic for the ${nicId}`, 'nicid');
  const vm = await vmRows.get(db, nic.vmId);
  // A system VM's NIC has no user VM behind it.
  if (!vm) throw invalid('The nic is not belongs to user vm', 'nicid');
  if (vm.removed) throw invalid('There is no vm with the nic', 'nicid');
  const net = await networkStore.get(db, nic.networkId);
  if (!net) throw invalid('There is no network with the nic', 'nicid');
  if (!UPDATABLE.includes(net.state))
    throw invalid(
      `Network is not in the right state to update vm nic ip. Correct states are: ${UPDATABLE.join(', ')}`,
      'nicid',
    );
  const offering = await networkStore.offering(db, net.networkOfferingId);
  if (!offering) throw invalid('There is no network offering with the network', 'nicid');
  const hasServices = Object.keys(JSON.parse(offering.services) as Record<string, unknown>).length > 0;
  if (hasServices && vm.state !== 'Stopped')
    throw invalid('VM is not Stopped, unable to update the vm nic having the specified id', 'nicid');
  assertAccess(caller, vm, 'VirtualMachine', vm.id);
  const zone = await zoneRows.get(db, net.zoneId);
  const address = await newAddress(db, networks, net, nic, vm, zone?.networkType === 'Basic', requested);
  await nicRows.update(db, nic.id, address);
  const where = `associating ip to nic id: ${net.id} in zone ${net.zoneId}`;
  await eventLog(db, clock, {
    type: 'NET.IPASSIGN',
    description: where,
    accountId: vm.accountId,
    domainId: vm.domainId,
    userId: caller.userId,
    resourceId: nic.id,
    resourceType: 'Nic',
  });
  return vm;
}

/**
 * allocateGuestIP for an isolated network of an advanced zone (a refusal names the NIC), or
 * allocatePublicIpForGuestNic for a shared or basic-zone network (a refusal is the command's
 * general failure); any other network cannot change a NIC's address.
 */
async function newAddress(
  db: Db,
  networks: NetworkService,
  net: Network,
  nic: Nic,
  vm: Vm,
  basic: boolean,
  requested: string | undefined,
): Promise<Pick<Nic, 'ipAddress' | 'ipNum' | 'netmask' | 'gateway'>> {
  const isolated = !basic && net.type === 'Isolated';
  if (!isolated && !basic && net.type !== 'Shared') throw runtimeFailure(FAILED);
  if (basic && !vm.podId)
    throw invalid("vm pod id is null in Basic zone; can't decide the range for ip allocation", 'nicid');
  try {
    const a = await networks.allocateAddress(db, net, requested);
    if (a.ipAddress === null) throw runtimeFailure(FAILED);
    return a;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    if (isolated) throw invalid(`Allocating ip to guest nic ${nic.id} failed, please choose another ip`, 'ipaddress');
    throw runtimeFailure(FAILED);
  }
}
