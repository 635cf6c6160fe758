import type { Clock } from '../domain/clock.js';
import { DomainError, invalid, runtimeFailure } from '../domain/errors.js';
import { isIpv4 } from '../domain/net.js';
import type { Network } from '../domain/types.js';
import type { Db } from '../store/db.js';
import { networkStore } from '../store/network.store.js';
import { nicIpStore } from '../store/nicip.store.js';
import { getRow, updateRow } from '../store/repo.js';
import { assertAccess, type Caller } from './context.js';
import { eventLog } from './events.js';
import type { NetworkService, NicAddress } from './network.service.js';

const UPDATABLE = ['Allocated', 'Implemented', 'Setup'];

/**
 * UserVmManagerImpl.updateNicIpForVirtualMachine: a user VM's NIC moves to another address of its
 * network (the one asked for, else the first free). On a shared network the address may lie in any
 * of the network's ranges and the NIC takes that range's gateway and netmask; on an isolated one the
 * static NAT, port forwarding and load balancer rules that sent traffic to the old address follow it.
 * A network with services needs the VM stopped. Answers the VM's id.
 */
export async function updateNicIp(db: Db, clock: Clock, networks: NetworkService, caller: Caller, nicId: string, requested: string | undefined): Promise<string> {
  if (requested !== undefined && !isIpv4(requested)) throw invalid(`Invalid ip address ${requested}`, 'ipaddress');
  const nic = await getRow(db, 'nics', nicId);
  if (!nic || nic.removed) throw invalid(`There is no nic for the ${nicId}`, 'nicid');
  const vm = await getRow(db, 'vms', nic.vmId);
  if (!vm || vm.removed) throw invalid('There is no vm with the nic', 'nicid');
  const net = await networkStore.get(db, nic.networkId);
  if (!net) throw invalid('There is no network with the nic', 'nicid');
  if (!UPDATABLE.includes(net.state)) throw invalid(`Network is not in the right state to update vm nic ip. Correct states are: ${UPDATABLE.join(', ')}`, 'nicid');
  const offering = await networkStore.offering(db, net.networkOfferingId);
  if (!offering) throw invalid('There is no network offering with the network', 'nicid');
  if (Object.keys(JSON.parse(offering.services) as object).length && vm.state !== 'Stopped') throw invalid('VM is not Stopped, unable to update the vm nic having the specified id', 'nicid');
  assertAccess(caller, vm, 'VirtualMachine', vm.id);
  if (net.type === 'L2') throw invalid('UpdateVmNicIpCmd is not supported in L2 network', 'nicid');
  const addr = await newAddress(db, networks, net, nicId, requested);
  const patch = net.type === 'Shared' ? { ipAddress: addr.ipAddress, ipNum: addr.ipNum, gateway: addr.gateway, netmask: addr.netmask } : { ipAddress: addr.ipAddress, ipNum: addr.ipNum };
  if (net.type !== 'Shared' && nic.ipAddress) await nicIpStore.moveRuleTargets(db, net.id, vm.id, nic.ipAddress, addr.ipAddress!);
  await updateRow(db, 'nics', nic.id, patch);
  await eventLog(db, clock, {
    type: 'NIC.UPDATE', description: `Updated IPv4 address of NIC ${nic.id} to ${addr.ipAddress}`, accountId: vm.accountId, domainId: vm.domainId, userId: caller.userId, resourceId: vm.id,
    resourceType: 'VirtualMachine',
  });
  return vm.id;
}

/** allocateGuestIP (isolated) / allocatePublicIpForGuestNic (shared), with their answers when no address is to be had. */
async function newAddress(db: Db, networks: NetworkService, net: Network, nicId: string, requested: string | undefined): Promise<NicAddress> {
  try {
    return await networks.allocateAddress(db, net, requested);
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== 'InsufficientCapacity') throw e;
    if (net.type === 'Shared') throw runtimeFailure('Failed to update ip address on vm NIC. Refer to server logs for details.');
    throw invalid(`Allocating ip to guest nic ${nicId} failed, for insufficient address capacity`, 'ipaddress');
  }
}
