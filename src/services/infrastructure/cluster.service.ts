import type { Clock } from '../../domain/clock.js';
import { forbidden, invalid, notFound, runtimeFailure } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { ALLOCATION_STATES } from '../../domain/infra.js';
import type { Cluster } from '../../domain/types.js';
import { datacenterStore as dc, zoneRows } from '../../store/datacenter.store.js';
import type { Db, Store } from '../../store/db.js';
import { isRootAdmin, type Caller } from '../../domain/caller.js';
import { eventLog } from '../operations/events.js';

export interface NewCluster {
  zoneId: string;
  podId: string;
  name: string;
  hypervisor: string;
  clusterType: string;
  allocationState?: string;
}
export interface ClusterUpdate {
  name?: string;
  allocationState?: string;
  clusterType?: string;
  hypervisor?: string;
  managedState?: string;
}

/** Hypervisor.HypervisorType names; only the simulator has hosts here, the others resolve but find no resource manager. */
const HYPERVISORS = [
  'XenServer',
  'KVM',
  'VMware',
  'Hyperv',
  'VirtualBox',
  'Parralels',
  'BareMetal',
  'Simulator',
  'Ovm',
  'Ovm3',
  'LXC',
  'Custom',
];
const CLUSTER_TYPES = ['CloudManaged', 'ExternalManaged'];

export const hypervisorName = (h: string) => HYPERVISORS.find((x) => x.toLowerCase() === h.toLowerCase());

/** addCluster / updateCluster / deleteCluster (ResourceManagerImpl). */
export class ClusterService {
  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  async add(caller: Caller, r: NewCluster): Promise<Cluster> {
    return this.store.tx((trx) => addClusterIn(trx, this.clock, caller, r));
  }

  async update(caller: Caller, id: string, u: ClusterUpdate): Promise<Cluster> {
    return this.store.tx(async (trx) => {
      const c = await dc.cluster(trx, id);
      if (!c) throw notFound('Cluster', id);
      const patch: Partial<Cluster> = {};
      if (u.name?.trim()) patch.name = u.name;
      if (u.hypervisor) {
        const h = hypervisorName(u.hypervisor);
        if (!h) throw invalid(`Unable to resolve ${u.hypervisor} to a supported type`, 'hypervisor');
        patch.hypervisor = h;
      }
      if (u.clusterType) {
        if (!CLUSTER_TYPES.includes(u.clusterType))
          throw invalid(`Unable to resolve ${u.clusterType} to a supported type`, 'clustertype');
        patch.clusterType = u.clusterType;
      }
      if (u.allocationState) patch.allocationState = allocationState(u.allocationState);
      if (u.managedState && u.managedState !== 'Managed' && u.managedState !== 'Unmanaged')
        throw invalid(`Unable to resolve Managed State '${u.managedState}' to a supported state`, 'managedstate');
      if (Object.keys(patch).length) await dc.updateCluster(trx, id, patch);
      await eventLog(trx, this.clock, {
        type: 'CLUSTER.EDIT',
        description: `Updated cluster ${c.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Cluster',
      });
      return { ...c, ...patch };
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.store.tx(async (trx) => {
      const c = await dc.cluster(trx, id);
      if (!c) throw runtimeFailure(`Cluster: ${id} does not exist`);
      const inside = await dc.clusterContents(trx, id);
      if (inside === 'hosts') throw runtimeFailure(`Cluster: ${id} cannot be removed. Cluster still has hosts`);
      if (inside === 'storagePools')
        throw runtimeFailure(`Cluster: ${id} cannot be removed. Cluster still has storage pools`);
      await dc.removeCluster(trx, id);
      await eventLog(trx, this.clock, {
        type: 'CLUSTER.DELETE',
        description: `Deleted cluster ${c.name}`,
        accountId: caller.accountId,
        domainId: caller.domainId,
        userId: caller.userId,
        resourceId: id,
        resourceType: 'Cluster',
      });
    });
  }

  list(f: {
    id?: string;
    zoneId?: string;
    podId?: string;
    name?: string;
    keyword?: string;
    allocationState?: string;
    clusterType?: string;
    hypervisor?: string;
  }): Promise<Cluster[]> {
    return dc.clusters(this.store.db, {
      ...f,
      hypervisor: f.hypervisor ? (hypervisorName(f.hypervisor) ?? f.hypervisor) : undefined,
    });
  }
}

function allocationState(s: string): string {
  if (!(ALLOCATION_STATES as readonly string[]).includes(s))
    throw invalid(`Unable to resolve Allocation State '${s}' to a supported state`, 'allocationstate');
  return s;
}

/** discoverCluster, inside the caller's transaction (addHost with a cluster name creates one this way too). */
export async function addClusterIn(db: Db, clock: Clock, caller: Caller, r: NewCluster): Promise<Cluster> {
  const zone = await zoneRows.get(db, r.zoneId);
  if (!zone) throw invalid("Can't find zone by the id specified", 'zoneid');
  if (zone.allocationState === 'Disabled' && !isRootAdmin(caller))
    throw forbidden('Cannot perform this operation, Zone with specified id is currently disabled', 'Zone', zone.id);
  const pod = await dc.pod(db, r.podId);
  if (!pod) throw invalid(`Can't find pod with specified podId ${r.podId}`, 'podid');
  if (pod.zoneId !== zone.id) throw invalid(`Pod with specified id doesn't belong to the zone ${zone.id}`, 'podid');
  if (!r.name) throw invalid('Please specify cluster name', 'clustername');
  if (!r.hypervisor) throw invalid('Please specify a hypervisor', 'hypervisor');
  const hypervisor = hypervisorName(r.hypervisor);
  if (!hypervisor) throw invalid(`Unable to resolve ${r.hypervisor} to a supported `, 'hypervisor');
  if (hypervisor !== 'Simulator')
    throw invalid(`Could not find corresponding resource manager for ${r.hypervisor}`, 'hypervisor');
  if (r.clusterType && !CLUSTER_TYPES.includes(r.clusterType))
    throw invalid(`Unable to resolve ${r.clusterType} to a supported type`, 'clustertype');
  const state = r.allocationState ? allocationState(r.allocationState) : 'Enabled';
  // The cluster table's (pod, name) key: persisting a second one fails, as ClusterDao.persist does.
  if ((await dc.clusters(db, { podId: pod.id, name: r.name })).length)
    throw runtimeFailure(`Unable to create cluster ${r.name} in pod and data center with specified ids`);
  const c: Cluster = {
    id: newId(),
    zoneId: zone.id,
    podId: pod.id,
    name: r.name,
    hypervisor,
    clusterType: r.clusterType || 'CloudManaged',
    allocationState: state,
    created: clock.now(),
  };
  await dc.insertCluster(db, c);
  await eventLog(db, clock, {
    type: 'CLUSTER.CREATE',
    description: `Added cluster ${c.name}`,
    accountId: caller.accountId,
    domainId: caller.domainId,
    userId: caller.userId,
    resourceId: c.id,
    resourceType: 'Cluster',
  });
  return c;
}
