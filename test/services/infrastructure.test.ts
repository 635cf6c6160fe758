// The infrastructure API refusing bad input with CloudStack's errors, and changing nothing when it does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { cluster, simHost, tinyZone } from '../helpers/tinyzone.js';

const GiB = 1024 ** 3;

describe('infrastructure API: bad input', () => {
  let w: World;
  let api: Api;
  let zoneId: string;
  let podId: string;
  let clusterId: string;
  let pnetId: string;
  before(async () => {
    w = await world({
      delayMs: 0,
      datacenters: [tinyZone('Tiny', [cluster('C0', [simHost('c0/h0', 4, 8000, 8 * GiB)])])],
    });
    api = await apiSession(w);
    zoneId = (await api('listZones', { name: 'Tiny' })).body.zone[0].id;
    podId = (await api('listPods', { zoneid: zoneId })).body.pod[0].id;
    clusterId = (await api('listClusters', { zoneid: zoneId })).body.cluster[0].id;
    pnetId = (await api('listPhysicalNetworks', { zoneid: zoneId })).body.physicalnetwork[0].id;
  });
  after(() => w.close());

  /** Table sizes before and after a refused command must match. */
  const counts = async () => {
    const n = async (
      t: 'vlanRanges' | 'publicIps' | 'hosts' | 'clusters' | 'pods' | 'zones' | 'physicalNetworks' | 'storagePools',
    ) =>
      Number(
        (
          await w.store.db
            .selectFrom(t)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      ranges: await n('vlanRanges'),
      ips: await n('publicIps'),
      hosts: await n('hosts'),
      clusters: await n('clusters'),
      pods: await n('pods'),
      zones: await n('zones'),
      pnets: await n('physicalNetworks'),
      pools: await n('storagePools'),
    };
  };
  async function refused(
    command: string,
    params: Record<string, string>,
    status: number,
    text: string | RegExp,
  ): Promise<void> {
    const before = await counts();
    const r = await api(command, params);
    assert.equal(r.status, status, `${command}: ${JSON.stringify(r.body)}`);
    if (typeof text === 'string') assert.equal(r.body.errortext, text);
    else assert.match(r.body.errortext, text);
    assert.deepEqual(await counts(), before, `${command} changed something while failing`);
  }

  const publicRange = {
    zoneid: '',
    forvirtualnetwork: 'true',
    vlan: '50',
    gateway: '192.168.50.1',
    netmask: '255.255.255.0',
  };

  it('refuses a public range that overlaps an existing one, or the same subnet with another gateway', async () => {
    await refused(
      'createVlanIpRange',
      { ...publicRange, zoneid: zoneId, startip: '192.168.50.40', endip: '192.168.50.60' },
      431,
      'The IP range already has IPs that overlap with the new range. Please specify a different start IP/end IP.',
    );
    await refused(
      'createVlanIpRange',
      { ...publicRange, zoneid: zoneId, gateway: '192.168.50.254', startip: '192.168.50.100', endip: '192.168.50.110' },
      431,
      'The IP range has already been added with gateway 192.168.50.1 ,and netmask 255.255.255.0, Please specify the gateway/netmask if you want to extend ip range',
    );
    const ok = await api('createVlanIpRange', {
      ...publicRange,
      zoneid: zoneId,
      startip: '192.168.50.51',
      endip: '192.168.50.60',
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.vlan.vlan, 'vlan://50');
    assert.equal(ok.body.vlan.cidr, '192.168.50.0/24');
  });

  it('a range for system VMs says so in listVlanIpRanges; it cannot also name an account', async () => {
    const sys = {
      ...publicRange,
      zoneid: zoneId,
      vlan: '51',
      gateway: '192.168.51.1',
      startip: '192.168.51.2',
      endip: '192.168.51.9',
      forsystemvms: 'true',
    };
    await refused(
      'createVlanIpRange',
      { ...sys, account: 'admin' },
      431,
      'Account name should not be provided when ForSystemVMs is enabled',
    );
    const made = await api('createVlanIpRange', sys);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.equal(made.body.vlan.forsystemvms, true);
    const listed = (await api('listVlanIpRanges', { zoneid: zoneId })).body.vlaniprange as any[];
    assert.equal(listed.find((r) => r.id === made.body.vlan.id).forsystemvms, true);
    assert.ok(listed.filter((r) => r.id !== made.body.vlan.id).every((r) => r.forsystemvms === false));
    assert.equal((await api('deleteVlanIpRange', { id: made.body.vlan.id })).status, 200);
  });

  it('refuses a public VLAN that the guest networks allocate from', async () => {
    await refused(
      'createVlanIpRange',
      {
        ...publicRange,
        zoneid: zoneId,
        vlan: '305',
        gateway: '192.168.60.1',
        startip: '192.168.60.2',
        endip: '192.168.60.9',
      },
      431,
      'The VLAN tag 305 is already being used for dynamic vlan allocation for the guest network in zone Tiny',
    );
  });

  it('refuses a range with allocated addresses when asked to delete it', async () => {
    // Without networkid an address goes to the caller's one isolated network in the zone (AssociateIPAddrCmd.getNetworkId).
    const offering = (await api('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' }))
      .body.networkoffering[0].id;
    const net = await api('createNetwork', {
      zoneid: zoneId,
      name: 'tiny-net',
      displaytext: 'tiny-net',
      networkofferingid: offering,
    });
    assert.equal(net.status, 200, JSON.stringify(net.body));
    const ip = await runJob(w, api, 'associateIpAddress', { zoneid: zoneId });
    assert.equal(ip.jobstatus, 1, JSON.stringify(ip.jobresult));
    // .2 and .3 went to the zone's SSVM and console proxy, as CloudStack allocates them from the public range;
    // .4 to the network's source NAT when the address implemented it.
    assert.equal(ip.jobresult.ipaddress.ipaddress, '192.168.50.5', 'the lowest free address of the zone');
    assert.equal(ip.jobresult.ipaddress.associatednetworkid, net.body.network.id);
    const range = (await api('listVlanIpRanges', { zoneid: zoneId, forvirtualnetwork: 'true' })).body.vlaniprange.find(
      (r: { startip: string }) => r.startip === '192.168.50.2',
    );
    await refused(
      'deleteVlanIpRange',
      { id: range.id },
      431,
      "The IP range can't be deleted because it has allocated public IP addresses.",
    );
    // The network's VLAN goes with it; the zone's system VMs still hold public addresses.
    assert.equal((await runJob(w, api, 'deleteNetwork', { id: net.body.network.id })).jobstatus, 1);
  });

  it('adds only simulator hosts, with credentials, and refuses any other URL with the discoverer error', async () => {
    const base = {
      zoneid: zoneId,
      podid: podId,
      clusterid: clusterId,
      hypervisor: 'Simulator',
      username: 'root',
      password: 'password',
    };
    await refused(
      'addHost',
      { ...base, url: 'http://example.com/h9' },
      530,
      'Unable to add the host: Cannot find the server resources at http://example.com/h9',
    );
    await refused(
      'addHost',
      { ...base, url: 'https://sim/c0/h9' },
      530,
      'Unable to add the host: Cannot find the server resources at https://sim/c0/h9',
    );
    await refused(
      'addHost',
      { ...base, username: '', url: 'http://sim/c0/h9' },
      431,
      'Username and Password need to be provided.',
    );
    // Overrides polystack cannot read are refused, not dropped for a default host.
    await refused(
      'addHost',
      { ...base, url: 'http://sim/c0/h9?cpucore=64' },
      431,
      /not a query string: http:\/\/sim\/c0\/h0\/cpucore=8&cpuspeed=4000&memory=17179869184/,
    );
    await refused(
      'addHost',
      { ...base, url: 'http://sim/c0/h9/cores=64' },
      431,
      /Unknown simulator host override "cores" .* the overrides are cpucore, cpuspeed and memory/,
    );
    await refused(
      'addHost',
      { ...base, url: 'http://sim/c0/h9/cpucore=two' },
      431,
      'Simulator host override cpucore=two is not a positive whole number: http://sim/c0/h0/cpucore=8&cpuspeed=4000&memory=17179869184 (cpuspeed in MHz, memory in bytes)',
    );
    await refused(
      'addHost',
      { ...base, url: 'http://sim/c0/h9/memory=16384' },
      431,
      /memory=16384 is in bytes .* 16 GiB is memory=17179869184/,
    );
    const r = await api('addHost', { ...base, url: `http://sim/c0/h9/cpucore=2&cpuspeed=1500&memory=${2 * GiB}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const [h] = r.body.host;
    assert.deepEqual(
      [h.cpunumber, h.cpuspeed, h.memorytotal, h.state, h.resourcestate, h.hypervisor],
      [2, 1500, 2 * GiB, 'Up', 'Enabled', 'Simulator'],
    );
    assert.match(h.name, /^SimulatedAgent\./);
  });

  it('refuses a pod whose subnet another pod of the zone already has, and a duplicate zone name', async () => {
    await refused(
      'createPod',
      {
        zoneid: zoneId,
        name: 'P1',
        gateway: '172.16.20.1',
        netmask: '255.255.255.0',
        startip: '172.16.20.150',
        endip: '172.16.20.160',
      },
      431,
      'The subnet of the pod you are adding conflicts with the subnet of pod P0 in zone Tiny. Please specify a different CIDR.',
    );
    await refused(
      'createZone',
      { name: 'Tiny', dns1: '8.8.8.8', internaldns1: '8.8.8.8', networktype: 'Advanced' },
      431,
      'A zone with that name already exists. Please specify a unique zone name.',
    );
  });

  it('will not delete a zone, pod, cluster or physical network that still has something in it', async () => {
    await refused(
      'deleteZone',
      { id: zoneId },
      530,
      'The zone cannot be deleted because there are servers in this zone.',
    );
    await refused('deletePod', { id: podId }, 530, 'The pod cannot be deleted because there are servers in this pod.');
    await refused(
      'deleteCluster',
      { id: clusterId },
      530,
      `Cluster: ${clusterId} cannot be removed. Cluster still has hosts`,
    );
    const [host] = (await api('listHosts', { clusterid: clusterId })).body.host;
    await refused(
      'deleteHost',
      { id: host.id },
      530,
      `Host ${host.id} cannot be deleted as it is not in maintenance mode. Either put the host into maintenance or perform a forced deletion.`,
    );
    const before = await counts();
    const r = await runJob(w, api, 'deletePhysicalNetwork', { id: pnetId });
    assert.equal(r.jobstatus, 2);
    assert.equal(r.jobresultcode, 530);
    // The address acquired two tests up is on this physical network's public range.
    assert.equal(
      r.jobresult.errortext,
      'The Physical Network is not deletable because there are public IP addresses allocated for this physical network',
    );
    assert.deepEqual(await counts(), before);
  });

  it('keeps a provider disabled until its element is configured, and each traffic type once', async () => {
    const nsp = (await api('listNetworkServiceProviders', { physicalnetworkid: pnetId, name: 'InternalLbVm' })).body
      .networkserviceprovider[0];
    assert.equal(nsp.state, 'Disabled');
    const r = await runJob(w, api, 'updateNetworkServiceProvider', { id: nsp.id, state: 'Enabled' });
    assert.equal(r.jobstatus, 2);
    assert.equal(
      r.jobresult.errortext,
      'Provider is not ready, cannot Enable the provider, please configure the provider first',
    );
    const again = await api('addTrafficType', { physicalnetworkid: pnetId, traffictype: 'Guest' });
    assert.equal(again.status, 530);
    assert.equal(again.body.errortext, 'This physical network already supports the traffic type: Guest');
    const enabled = await api('createPhysicalNetwork', { zoneid: zoneId, name: 'late' });
    assert.equal(enabled.status, 531, 'an enabled zone takes no new physical network');
  });

  it('tears a zone down in reverse order once it is empty', async () => {
    const z = (
      await api('createZone', { name: 'Gone', dns1: '8.8.8.8', internaldns1: '8.8.8.8', networktype: 'Advanced' })
    ).body.zone;
    assert.equal(z.allocationstate, 'Disabled', 'a new zone waits to be enabled');
    const pnet = await api('createPhysicalNetwork', { zoneid: z.id, name: 'gone-pnet', isolationmethods: 'VLAN' });
    assert.ok(pnet.body.id && pnet.body.jobid, 'createPhysicalNetwork answers with the new id and a job');
    await finish(w, pnet.body.jobid);
    const pod = (
      await api('createPod', {
        zoneid: z.id,
        name: 'GP',
        gateway: '172.30.0.1',
        netmask: '255.255.255.0',
        startip: '172.30.0.10',
        endip: '172.30.0.20',
      })
    ).body.pod;
    const c = (
      await api('addCluster', {
        zoneid: z.id,
        podid: pod.id,
        clustername: 'GC',
        clustertype: 'CloudManaged',
        hypervisor: 'Simulator',
      })
    ).body.cluster[0];
    const h = (
      await api('addHost', {
        zoneid: z.id,
        podid: pod.id,
        clusterid: c.id,
        hypervisor: 'Simulator',
        url: 'http://sim/g/h0',
        username: 'u',
        password: 'p',
      })
    ).body.host[0];
    assert.equal(h.ipaddress, '172.30.0.2', 'hosts take pod addresses outside the reserved range first');
    const maint = await runJob(w, api, 'prepareHostForMaintenance', { id: h.id });
    assert.equal(maint.jobresult.host.resourcestate, 'Maintenance');
    for (const [cmd, id] of [
      ['deleteHost', h.id],
      ['deleteCluster', c.id],
      ['deletePod', pod.id],
    ] as const) {
      const r = await api(cmd, { id });
      assert.equal(r.status, 200, `${cmd}: ${JSON.stringify(r.body)}`);
    }
    assert.equal(
      (await api('deleteZone', { id: z.id })).body.errortext,
      'The zone cannot be deleted because there are physical networks in this zone.',
    );
    assert.equal((await runJob(w, api, 'deletePhysicalNetwork', { id: pnet.body.id })).jobstatus, 1);
    assert.equal((await api('deleteZone', { id: z.id })).status, 200);
    assert.equal((await api('listZones', { name: 'Gone' })).body.zone, undefined);
  });

  it('is for root admins only', async () => {
    await api('createAccount', {
      username: 'ops',
      password: 'pw',
      email: 'ops@example.com',
      firstname: 'o',
      lastname: 'p',
      accounttype: '2',
    });
    const da = await apiSession(w, 'ops', 'pw');
    const r = await da('listHosts');
    assert.equal(r.status, 432);
  });
});
