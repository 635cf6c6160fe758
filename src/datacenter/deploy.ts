import type { CsParams } from '../bridge/port.js';
import type { CsApi } from './client.js';
import type {
  MarvinCluster,
  MarvinConfig,
  MarvinIpRange,
  MarvinPhysicalNetwork,
  MarvinPod,
  MarvinPrimaryStorage,
  MarvinZone,
} from './marvin.js';

/** One step of a deployment: a label for the progress display and the API calls it makes. */
export interface Step {
  label: string;
  run(api: CsApi): Promise<void>;
}

export interface StepEvent {
  index: number;
  total: number;
  label: string;
  phase: 'start' | 'done';
  ms?: number;
}

export interface Deployed {
  zones: { name: string; id: string }[];
  steps: number;
}

const truthy = (v: unknown) => String(v ?? 'false').toLowerCase() === 'true';

/**
 * The calls tools/marvin/marvin/deployDataCenter.py makes for a config, in its order: global settings,
 * then per zone the zone, its physical networks (traffic types, providers, enabling), the basic or
 * shared guest network, pods with their guest ranges, clusters, hosts and primary storage, the
 * public ranges of an advanced zone, image stores, zone-wide storage and finally enabling the zone.
 * Steps are planned up front (so progress has a total) and fill in the ids they create as they run.
 */
export function planDeployment(cfg: MarvinConfig, out: Deployed): Step[] {
  const steps: Step[] = [];
  for (const g of cfg.globalConfig ?? []) {
    steps.push({
      label: `updateConfiguration ${g.name}=${g.value}`,
      run: async (api) => void (await api.call('updateConfiguration', { name: g.name, value: g.value })),
    });
  }
  for (const z of cfg.zones) steps.push(...planZone(z, out));
  return steps;
}

function planZone(z: MarvinZone, out: Deployed): Step[] {
  const zone = { id: '', networkId: undefined as string | undefined };
  const sg = truthy(z.securitygroupenabled);
  const steps: Step[] = [
    {
      label: `createZone ${z.name} (${z.networktype})`,
      async run(api) {
        const r = await api.call('createZone', {
          name: z.name,
          dns1: z.dns1,
          dns2: z.dns2,
          internaldns1: z.internaldns1,
          internaldns2: z.internaldns2,
          networktype: z.networktype,
          securitygroupenabled: z.securitygroupenabled === undefined ? undefined : String(z.securitygroupenabled),
          localstorageenabled: z.localstorageenabled === undefined ? undefined : String(z.localstorageenabled),
          domain: z.domain,
          guestcidraddress: sg ? undefined : z.guestcidraddress,
        });
        zone.id = r['zone'].id;
        out.zones.push({ name: z.name, id: zone.id });
      },
    },
  ];
  for (const p of z.physical_networks ?? []) steps.push(...planPhysicalNetwork(p, zone));
  const pods = (networkId: () => string | undefined) => (z.pods ?? []).flatMap((p) => planPod(p, zone, networkId));
  const publicRanges = (z.ipranges ?? []).map((r) => vlanRangeStep(r, zone, { forvirtualnetwork: 'true' }));
  if (z.networktype === 'Basic') {
    const eip = (z.physical_networks?.[0]?.traffictypes ?? []).some((t) => t.typ === 'Public');
    const offering =
      z.networkofferingname ??
      (eip ? 'DefaultSharedNetscalerEIPandELBNetworkOffering' : 'DefaultSharedNetworkOfferingWithSGService');
    steps.push(networkStep(zone, offering, 'guestNetworkForBasicZone', {}));
    steps.push(...pods(() => zone.networkId));
    if (eip) steps.push(...publicRanges);
  } else if (!sg) {
    steps.push(...pods(() => undefined), ...publicRanges);
  } else {
    const r = z.ipranges?.at(-1);
    const range = r ? { startip: r.startip, endip: r.endip, gateway: r.gateway, netmask: r.netmask, vlan: r.vlan } : {};
    steps.push(
      networkStep(
        zone,
        z.networkofferingname ?? 'DefaultSharedNetworkOfferingWithSGService',
        'Shared SG enabled network',
        range,
      ),
    );
    steps.push(...pods(() => zone.networkId));
  }
  for (const c of z.cacheStorages ?? []) {
    steps.push({
      label: `createSecondaryStagingStore ${c.url}`,
      run: async (api) =>
        void (await api.call('createSecondaryStagingStore', {
          url: c.url,
          provider: c.provider,
          zoneid: zone.id,
          details: details(c.details),
        })),
    });
  }
  for (const s of z.secondaryStorages ?? []) {
    const nfs = ['nfs', 'smb'].includes((s.provider ?? '').toLowerCase());
    steps.push({
      label: `addImageStore ${s.url}`,
      run: async (api) =>
        void (await api.call('addImageStore', {
          url: s.url,
          provider: s.provider,
          zoneid: nfs ? zone.id : undefined,
          details: nfs && (s.provider ?? '').toLowerCase() === 'nfs' ? undefined : details(s.details),
        })),
    });
  }
  for (const s of z.primaryStorages ?? []) steps.push(primaryStep(s, () => ({ zoneid: zone.id })));
  if (z.enabled === undefined || z.enabled === 'True') {
    steps.push({
      label: `updateZone ${z.name} allocationstate=Enabled`,
      run: async (api) => void (await api.call('updateZone', { id: zone.id, allocationstate: 'Enabled' })),
    });
  }
  const zoneDetails = z.details;
  if (zoneDetails)
    steps.push({
      label: `updateZone ${z.name} details`,
      run: async (api) =>
        void (await api.call('updateZone', {
          id: zone.id,
          details: zoneDetails.map((d) => ({ key: d.key, value: d.value })),
        })),
    });
  return steps;
}

function planPhysicalNetwork(p: MarvinPhysicalNetwork, zone: { id: string }): Step[] {
  const pnet = { id: '' };
  const steps: Step[] = [
    {
      label: `createPhysicalNetwork ${p.name}`,
      async run(api) {
        pnet.id = (
          await api.run('createPhysicalNetwork', {
            zoneid: zone.id,
            name: p.name,
            isolationmethods: p.isolationmethods,
          })
        )['physicalnetwork'].id;
      },
    },
    ...(p.traffictypes ?? []).map((t) => ({
      label: `addTrafficType ${t.typ} on ${p.name}`,
      run: async (api: CsApi) =>
        void (await api.run('addTrafficType', {
          physicalnetworkid: pnet.id,
          traffictype: t.typ,
          kvmnetworklabel: t.kvm,
          xennetworklabel: t.xen,
          vmwarenetworklabel: t.vmware,
          simulatorlabel: t.simulator,
        })),
    })),
    ...(p.providers ?? []).map((prov) => ({
      label: `configure provider ${prov.name} on ${p.name}`,
      run: (api: CsApi) => configureProvider(api, pnet.id, prov.name),
    })),
    {
      label: `updatePhysicalNetwork ${p.name} state=Enabled${p.vlan ? ` vlan=${p.vlan}` : ''}`,
      run: async (api) =>
        void (await api.run('updatePhysicalNetwork', { id: pnet.id, state: 'Enabled', vlan: p.vlan || undefined })),
    },
  ];
  return steps;
}

/** configureProviders: router-like providers get their element enabled, then the provider; external ones are added first. */
async function configureProvider(api: CsApi, physicalnetworkid: string, name: string): Promise<void> {
  const found = (await api.call('listNetworkServiceProviders', { physicalnetworkid, name, state: 'Disabled' }))[
    'networkserviceprovider'
  ] as { id: string }[] | undefined;
  const nsp = found?.[0];
  if (nsp) {
    if (name === 'VirtualRouter' || name === 'VpcVirtualRouter') {
      const el = (await api.call('listVirtualRouterElements', { nspid: nsp.id }))['virtualrouterelement'][0];
      await api.run('configureVirtualRouterElement', { id: el.id, enabled: 'true' });
    } else if (name === 'InternalLbVm') {
      const el = (await api.call('listInternalLoadBalancerElements', { nspid: nsp.id }))[
        'internalloadbalancerelement'
      ][0];
      await api.run('configureInternalLoadBalancerElement', { id: el.id, enabled: 'true' });
    } else if (name !== 'SecurityGroupProvider') {
      return;
    }
    await api.run('updateNetworkServiceProvider', { id: nsp.id, state: 'Enabled' });
  } else if (
    [
      'JuniperContrailRouter',
      'JuniperContrailVpcRouter',
      'Netscaler',
      'JuniperSRX',
      'F5BigIp',
      'NiciraNvp',
      'NuageVsp',
    ].includes(name)
  ) {
    const added = await api.run('addNetworkServiceProvider', { name, physicalnetworkid });
    await api.run('updateNetworkServiceProvider', { id: added['networkserviceprovider'].id, state: 'Enabled' });
  }
}

function networkStep(
  zone: { id: string; networkId?: string },
  offeringName: string,
  name: string,
  range: CsParams,
): Step {
  return {
    label: `createNetwork ${name}`,
    async run(api) {
      const offerings = (await api.call('listNetworkOfferings', { name: offeringName }))['networkoffering'] as
        { id: string }[] | undefined;
      if (!offerings?.length) throw new Error(`network offering ${offeringName} not found`);
      zone.networkId = (
        await api.call('createNetwork', {
          name,
          displaytext: name,
          zoneid: zone.id,
          networkofferingid: offerings[0]!.id,
          ...range,
        })
      )['network'].id;
    },
  };
}

function planPod(p: MarvinPod, zone: { id: string }, networkId: () => string | undefined): Step[] {
  const pod = { id: '' };
  const steps: Step[] = [
    {
      label: `createPod ${p.name}`,
      async run(api) {
        pod.id = (
          await api.call('createPod', {
            name: p.name,
            gateway: p.gateway,
            netmask: p.netmask,
            startip: p.startip,
            endip: p.endip,
            zoneid: zone.id,
          })
        )['pod'].id;
      },
    },
  ];
  for (const r of p.guestIpRanges ?? []) {
    const step = vlanRangeStep(r, zone, { forvirtualnetwork: 'false' }, () => ({
      podid: pod.id,
      networkid: networkId(),
    }));
    // Guest ranges go on the basic (or shared SG) network; a pure advanced zone has none to put them on.
    steps.push({ label: step.label, run: (api) => (networkId() ? step.run(api) : Promise.resolve()) });
  }
  for (const c of p.clusters ?? []) steps.push(...planCluster(c, zone, pod));
  return steps;
}

function planCluster(c: MarvinCluster, zone: { id: string }, pod: { id: string }): Step[] {
  const cluster = { id: '' };
  return [
    {
      label: `addCluster ${c.clustername}`,
      async run(api) {
        const r = await api.call('addCluster', {
          clustername: c.clustername,
          clustertype: c.clustertype,
          hypervisor: c.hypervisor,
          password: c.password,
          podid: pod.id,
          url: c.url,
          username: c.username,
          zoneid: zone.id,
        });
        cluster.id = r['cluster'][0].id;
      },
    },
    ...(c.hosts ?? []).map((h) => ({
      label: `addHost ${h.url}`,
      run: async (api: CsApi) =>
        void (await api.call('addHost', {
          clusterid: cluster.id,
          hosttags: h.hosttags,
          hypervisor: c.hypervisor,
          password: h.password,
          podid: pod.id,
          url: h.url,
          username: h.username,
          zoneid: zone.id,
        })),
    })),
    {
      label: `listHosts in ${c.clustername}`,
      async run(api) {
        const hosts = ((await api.call('listHosts', { clusterid: cluster.id, zoneid: zone.id }))['host'] ?? []) as {
          name: string;
          state: string;
        }[];
        const down = hosts.find((h) => h.state !== 'Up');
        if (down) throw new Error(`host ${down.name} is ${down.state}, not Up`);
      },
    },
    ...(c.primaryStorages ?? []).map((s) =>
      primaryStep(s, () => ({ zoneid: zone.id, podid: pod.id, clusterid: cluster.id })),
    ),
  ];
}

function primaryStep(
  s: MarvinPrimaryStorage,
  where: () => { zoneid: string; podid?: string; clusterid?: string },
): Step {
  return {
    label: `createStoragePool ${s.name}`,
    async run(api) {
      const w = where();
      const zoneWide = s.scope === 'zone' || !w.clusterid;
      await api.call('createStoragePool', {
        name: s.name,
        url: s.url,
        tags: s.tags,
        zoneid: w.zoneid,
        details: details(s.details),
        ...(zoneWide ? { scope: 'zone', hypervisor: s.hypervisor } : { podid: w.podid, clusterid: w.clusterid }),
      });
    },
  };
}

function vlanRangeStep(
  r: MarvinIpRange,
  zone: { id: string },
  extra: CsParams,
  where: () => CsParams = () => ({}),
): Step {
  return {
    label: `createVlanIpRange ${r.startip}-${r.endip}${r.vlan ? ` vlan ${r.vlan}` : ''}`,
    run: async (api) =>
      void (await api.call('createVlanIpRange', {
        account: r.account,
        domainid: r.domainid,
        endip: r.endip,
        gateway: r.gateway,
        netmask: r.netmask,
        startip: r.startip,
        zoneid: zone.id,
        vlan: r.vlan,
        ...extra,
        ...where(),
      })),
  };
}

const details = (d: Record<string, string> | undefined) =>
  d ? Object.entries(d).map(([key, value]) => ({ key, value })) : undefined;

/** Runs a plan, reporting each step; the first failing call ends it with its CloudStack error. */
export async function runDeployment(api: CsApi, cfg: MarvinConfig, onStep?: (e: StepEvent) => void): Promise<Deployed> {
  const out: Deployed = { zones: [], steps: 0 };
  const steps = planDeployment(cfg, out);
  for (const [i, s] of steps.entries()) {
    onStep?.({ index: i + 1, total: steps.length, label: s.label, phase: 'start' });
    const t0 = performance.now();
    await s.run(api);
    onStep?.({ index: i + 1, total: steps.length, label: s.label, phase: 'done', ms: performance.now() - t0 });
  }
  out.steps = steps.length;
  return out;
}
