import { offeringServices } from '../../domain/netoffering.js';
import type { Clock } from '../../domain/clock.js';
import { DomainError } from '../../domain/errors.js';
import { macFromSeq } from '../../domain/net.js';
import type { Router } from '../../domain/networking.js';
import type { Network } from '../../domain/types.js';
import type { Db } from '../../store/db.js';
import { networkStore, networkRows } from '../../store/network.store.js';
import { routerStore } from '../../store/router.store.js';
import { systemVmStore } from '../../store/systemvm.store.js';
import { ensureRouter } from './router.service.js';
import { podNetworkNic } from '../infrastructure/systemvm.service.js';
import { zoneRows } from '../../store/datacenter.store.js';

/**
 * Whether a network gets a virtual router per pod: a basic zone's shared network with a service
 * of the VirtualRouter provider (Dhcp, Dns, UserData of DefaultSharedNetworkOfferingWithSGService).
 */
export async function servedByPodRouters(db: Db, net: Network): Promise<boolean> {
  if (net.type !== 'Shared') return false;
  const zone = await zoneRows.get(db, net.zoneId);
  if (zone?.networkType !== 'Basic') return false;
  const o = await networkStore.offering(db, net.networkOfferingId);
  return !!o && Object.values(offeringServices(o)).some((ps) => ps.includes('VirtualRouter'));
}

/**
 * The router of one pod of a basic zone's network, Running (VirtualRouterElement.prepare with a
 * Basic zone's destination): the one it has, started if it was stopped, or a new one on a host of
 * the pod. As CloudStack's, it belongs to the system account and has a single guest NIC from the
 * pod's range (DirectPodBasedNetworkGuru); that NIC outlives the router as the placeholder that
 * keeps the address for the pod's next router. Undefined for a pod without a range of the network.
 */
export async function podRouter(db: Db, clock: Clock, net: Network, podId: string): Promise<Router | undefined> {
  const live = await routerStore.forNetworkPod(db, net.id, podId);
  if (live?.state === 'Running') return live; // every start in the pod passes here: no lock on the way
  // Two first deploys in one pod make one router: the second waits here, then finds it.
  await networkRows.lock(db, net.id);
  const now = await routerStore.forNetworkPod(db, net.id, podId);
  if (now) {
    if (now.state !== 'Running') await routerStore.update(db, now.id, { state: 'Running' });
    return { ...now, state: 'Running' };
  }
  const system = await systemVmStore.systemAccount(db);
  if (!system) throw new DomainError('Internal', 'No system account to own the virtual router');
  const placeholder = await routerStore.placeholderNic(db, net.id, podId);
  // CloudStack places no VM in a pod without an address range of the network; polystack's planner
  // does not know the ranges, so such a pod just gets no router rather than failing the start.
  if (!placeholder && (await systemVmStore.podGuestRange(db, net.zoneId, podId))?.networkId !== net.id)
    return undefined;
  const r = await ensureRouter(db, clock, {
    zoneId: net.zoneId,
    accountId: system.id,
    domainId: system.domainId,
    networkId: net.id,
    podId,
    publicIp: null,
    guestIp: null,
  });
  let guestIp = placeholder?.ipAddress ?? null;
  if (placeholder) await routerStore.moveNic(db, placeholder.id, r.id);
  else guestIp = await podNetworkNic(db, net.zoneId, podId, r.id, macFromSeq(0x1a000000 + r.seq * 4));
  if (!guestIp)
    throw new DomainError(
      'InsufficientCapacity',
      `Insufficient address capacity in network ${net.name} for the virtual router of pod ${podId}`,
      { kind: 'Pod', id: podId, capacity: 'address' },
    );
  await routerStore.update(db, r.id, { guestIp });
  return { ...r, guestIp };
}

/** restartNetwork of a basic zone's network: a router in each pod with starting or running VMs (RouterDeploymentDefinition.findDestinations). */
export async function podRoutersUp(db: Db, clock: Clock, net: Network): Promise<void> {
  for (const podId of await routerStore.podsInUse(db, net.id)) await podRouter(db, clock, net, podId);
}
