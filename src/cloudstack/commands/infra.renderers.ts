import type { Services } from '../../services/services.js';
import { hostObject } from './host.commands.js';
import type { ResultRenderer } from '../views/job.view.js';
import { elementView, physicalNetworkView, providerView, trafficTypeView } from '../views/physicalnetwork.view.js';
import { storagePoolView } from '../views/storage.view.js';
import { portableIpRangeView } from '../views/portableip.view.js';

/** How the infrastructure jobs' result objects are shown, keyed by the result's instance type. */
export function infraRenderers(s: Services): Record<string, ResultRenderer> {
  return {
    PhysicalNetwork: async (lk, id) => {
      const p = await s.physicalNetworks.get(id);
      return p ? ['physicalnetwork', await physicalNetworkView(lk, p)] : undefined;
    },
    TrafficType: async (_lk, id) => {
      const t = await s.physicalNetworks.trafficType(id);
      return t ? ['traffictype', trafficTypeView(t)] : undefined;
    },
    NetworkServiceProvider: async (_lk, id) => {
      const n = await s.providers.get(id);
      return n ? ['networkserviceprovider', providerView(n)] : undefined;
    },
    ProviderElement: async (_lk, id) => {
      const [e] = await s.providers.elements({ id }, ['VirtualRouter', 'VPCVirtualRouter', 'InternalLbVm']);
      if (!e) return undefined;
      return [e.type === 'InternalLbVm' ? 'internalloadbalancerelement' : 'virtualrouterelement', elementView(e)];
    },
    Host: async (_lk, id) => {
      const h = await s.hosts.get(id);
      return h ? ['host', await hostObject(s, h)] : undefined;
    },
    PortableIpRange: async (_lk, id) => {
      const [r] = await s.portableIps.list({ id });
      return r ? ['portableiprange', portableIpRangeView(r.range)] : undefined;
    },
    StoragePool: async (lk, id) => {
      const p = await s.storagePools.get(id);
      return p ? ['storagepool', await storagePoolView(lk, p, s.config.poolOverprovision(p.id))] : undefined;
    },
  };
}
