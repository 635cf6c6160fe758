import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { double, encodeJson } from '../../src/cloudstack/encode.js';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, tenant } from '../helpers/networking.js';

const GIB = 1024 ** 3;

/** The metrics plugin's commands against the simulated data center: figures follow what runs where. */
describe('metrics commands', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  const hostMetrics = async (id: string) => (await admin('listHostsMetrics', { id })).body.host[0];
  const clusterMetrics = async (id: string) => (await admin('listClustersMetrics', { id })).body.cluster[0];

  it('a deployed VM moves its host, cluster and zone figures; listHosts and listHostsMetrics agree', async () => {
    const hosts = (await admin('listHosts', { zoneid: w.zones.advanced, type: 'Routing' })).body.host;
    const idle = new Map<string, any>();
    for (const h of hosts) idle.set(h.id, await hostMetrics(h.id));
    const zoneBefore = (await admin('listZonesMetrics', { id: w.zones.advanced })).body.zone[0];

    const routersOn = async (hostid: string) =>
      ((await admin('listRouters', { listall: true, hostid })).body.router ?? []).length;
    const routersBefore = new Map<string, number>();
    for (const h of hosts) routersBefore.set(h.id, await routersOn(h.id));
    const vm = await deploy(w, admin, w.zones.advanced);
    const host = await hostMetrics(vm.hostid);
    // The VM's network may have brought a virtual router (256 MB) up on the same host.
    const newRouters = (await routersOn(vm.hostid)) - routersBefore.get(vm.hostid)!;
    const before0 = idle.get(vm.hostid);
    const listed = (await admin('listHosts', { id: vm.hostid })).body.host[0];
    assert.equal(host.cpuallocated, listed.cpuallocated);
    assert.equal(host.memoryallocated, listed.memoryallocated);
    assert.equal(host.memoryallocated - before0.memoryallocated, vm.memory * 1024 * 1024);
    // The agent reports the guests it runs: the VM's memory is now used, its share of CPU busy.
    assert.equal(host.memoryused - before0.memoryused, (vm.memory + 256 * newRouters) * 1024 * 1024);
    assert.ok(parseFloat(host.cpuused) > parseFloat(before0.cpuused), `${before0.cpuused} -> ${host.cpuused}`);
    assert.equal(host.instances, '1 / 1');
    assert.equal(host.cputotalghz, `${((host.cpunumber * host.cpuspeed) / 1000).toFixed(2)} Ghz`);
    assert.equal(host.memorytotalgb, `${(host.memorytotal / GIB).toFixed(2)} GB`);
    assert.equal(host.memoryusedgb, `${(host.memoryused / GIB).toFixed(2)} GB`);
    assert.equal(host.powerstate, 'Disabled');

    const zoneAfter = (await admin('listZonesMetrics', { id: w.zones.advanced })).body.zone[0];
    assert.ok(parseFloat(zoneAfter.memoryallocated) > parseFloat(zoneBefore.memoryallocated ?? '0'));
    assert.ok(parseFloat(zoneAfter.memoryused) > parseFloat(zoneBefore.memoryused));
    assert.match(zoneAfter.clusters, /^\d+ \/ \d+$/);
    const cputotal = hosts.reduce((a: number, h: any) => a + h.cpunumber * h.cpuspeed, 0);
    assert.equal(zoneAfter.cputotal, `${(cputotal / 1000).toFixed(2)} Ghz`);

    await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true });
    const gone = await hostMetrics(vm.hostid);
    assert.equal(gone.memoryused - before0.memoryused, 256 * newRouters * 1024 * 1024);
    assert.equal(gone.instances, '0 / 0');
  });

  it('threshold flags flip when a cluster-scoped threshold falls below what is allocated, and only there', async () => {
    const vm = await deploy(w, admin, w.zones.advanced);
    const clusterId = (await hostMetrics(vm.hostid)).clusterid;
    const before = await clusterMetrics(clusterId);
    assert.equal(before.cpuallocatedthreshold, false);
    assert.equal(before.memoryallocatedthreshold, false);
    for (const name of [
      'cluster.cpu.allocated.capacity.notificationthreshold',
      'cluster.memory.allocated.capacity.notificationthreshold',
    ]) {
      const r = await admin('updateConfiguration', { name, value: '0.0001', clusterid: clusterId });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const after = await clusterMetrics(clusterId);
    assert.equal(after.cpuallocatedthreshold, true);
    assert.equal(after.memoryallocatedthreshold, true);
    assert.equal(after.memorythreshold, true, 'used memory (the guests) is over 0.01 % too');
    // The disable thresholds are other settings: untouched, they stay false.
    assert.equal(after.cpuallocateddisablethreshold, false);
    const host = await hostMetrics(vm.hostid);
    assert.equal(host.cpuallocatedthreshold, true);
    assert.equal(host.memoryallocatedthreshold, true);
    // Another cluster of the zone keeps the global values.
    const others = ((await admin('listClustersMetrics', { zoneid: w.zones.advanced })).body.cluster as any[]).filter(
      (c) => c.id !== clusterId,
    );
    assert.ok(others.length > 0);
    for (const c of others) assert.equal(c.memoryallocatedthreshold, false, c.name);
    // The disable threshold, set at the cluster, flips its own flag.
    await admin('updateConfiguration', {
      name: 'cluster.memory.allocated.capacity.disablethreshold',
      value: '0.0001',
      clusterid: clusterId,
    });
    assert.equal((await clusterMetrics(clusterId)).memoryallocateddisablethreshold, true);
    for (const name of [
      'cluster.cpu.allocated.capacity.notificationthreshold',
      'cluster.memory.allocated.capacity.notificationthreshold',
      'cluster.memory.allocated.capacity.disablethreshold',
    ])
      await admin('resetConfiguration', { name, clusterid: clusterId });
    assert.equal((await clusterMetrics(clusterId)).memoryallocatedthreshold, false);
    await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true });
  });

  it('clusters: hosts up / total, used and allocated shares, the deviation of the busiest host', async () => {
    const cluster = (await admin('listClusters', { zoneid: w.zones.advanced })).body.cluster[0];
    const m = await clusterMetrics(cluster.id);
    const hosts = (await admin('listHosts', { clusterid: cluster.id, type: 'Routing' })).body.host as any[];
    assert.equal(m.hosts, `${hosts.filter((h) => h.state === 'Up').length} / ${hosts.length}`);
    assert.equal(m.state, cluster.allocationstate);
    const used = hosts.reduce((a, h) => a + h.memoryused, 0);
    const total = hosts.reduce((a, h) => a + h.memorytotal, 0);
    assert.equal(m.memoryused, `${((used * 100) / total).toFixed(2)}%`);
    assert.equal(m.memorytotal, `${(total / GIB).toFixed(2)} GB`);
    const avg = used / hosts.length;
    const max = Math.max(...hosts.map((h) => h.memoryused));
    assert.equal(m.memorymaxdeviation, `${(((max - avg) * 100) / avg).toFixed(2)}%`);
  });

  it('VM metrics: totals, the guest stats of a running VM growing with its uptime, none for a stopped one', async () => {
    const vm = await deploy(w, admin, w.zones.advanced);
    const show = async () =>
      (await admin('listVirtualMachinesMetrics', { id: vm.id, accumulate: true })).body.virtualmachine[0];
    const m = await show();
    assert.equal(m.id, vm.id);
    assert.equal(m.cputotal, `${((vm.cpunumber * vm.cpuspeed) / 1000).toFixed(1)} Ghz`);
    assert.equal(m.memorytotal, `${(vm.memory / 1024).toFixed(2)} GiB`);
    assert.equal(m.cpuused, '10%');
    assert.equal(m.memorykbs, vm.memory * 1024);
    const read0 = m.networkkbsread;
    w.clock.advance(5 * 60_000);
    const later = await show();
    assert.ok(later.networkkbsread > read0, `${read0} -> ${later.networkkbsread}`);
    assert.equal(later.networkread, `${(later.networkkbsread / 1024).toFixed(2)} MiB`);
    assert.equal(later.diskiopstotal, later.diskioread + later.diskiowrite);
    // Without accumulate, only the last sample (one vm.stats.interval) counts.
    const last = (await admin('listVirtualMachinesMetrics', { id: vm.id, accumulate: false })).body.virtualmachine[0];
    assert.ok(last.networkkbsread < later.networkkbsread);

    await runJob(w, admin, 'stopVirtualMachine', { id: vm.id });
    const stopped = await show();
    assert.equal(stopped.state, 'Stopped');
    for (const k of ['cpuused', 'networkkbsread', 'networkread', 'diskiopstotal'])
      assert.equal(stopped[k], undefined, k);
    assert.ok(stopped.cputotal);
    await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true });
  });

  it('volumes and storage pools: the base fields plus GiB sizes, storage type and threshold flags', async () => {
    const vol = (await admin('listVolumesMetrics', { listall: true })).body.volume?.[0];
    if (vol) {
      assert.equal(vol.sizegb, `${(vol.size / GIB).toFixed(2)} GiB`);
      assert.equal(vol.storagetype, `Shared (${vol.type})`);
    }
    const pool = (await admin('listStoragePools', { zoneid: w.zones.advanced })).body.storagepool[0];
    const pm = (await admin('listStoragePoolsMetrics', { id: pool.id })).body.storagepool[0];
    assert.equal(pm.disksizeallocated, pool.disksizeallocated);
    assert.equal(pm.state, pool.state);
    assert.equal(pm.disksizetotalgb, `${(pool.disksizetotal / GIB).toFixed(2)} GB (x${pool.overprovisionfactor})`);
    assert.equal(pm.storageallocatedthreshold, false);
    const vm = await deploy(w, admin, w.zones.advanced);
    const root = (await admin('listVolumes', { virtualmachineid: vm.id, type: 'ROOT' })).body.volume[0];
    const rootPool = (await admin('listStoragePoolsMetrics', { id: root.storageid })).body.storagepool[0];
    assert.ok(rootPool.disksizeallocated > 0);
    await admin('updateConfiguration', { name: 'cluster.storage.capacity.notificationthreshold', value: '0' });
    assert.equal(
      (await admin('listStoragePoolsMetrics', { id: root.storageid })).body.storagepool[0].storageallocatedthreshold,
      true,
    );
    await admin('resetConfiguration', { name: 'cluster.storage.capacity.notificationthreshold' });
    await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true });
  });

  it('listInfrastructure counts what the list commands list', async () => {
    const li = (await admin('listInfrastructure')).body.infrastructure;
    const n = async (cmd: string, key: string, p: Record<string, string> = {}) =>
      ((await admin(cmd, p)).body[key] ?? []).length;
    assert.equal(li.zones, await n('listZones', 'zone'));
    assert.equal(li.pods, await n('listPods', 'pod'));
    assert.equal(li.clusters, await n('listClusters', 'cluster'));
    assert.equal(li.hosts, await n('listHosts', 'host', { type: 'Routing' }));
    assert.equal(li.storagepools, await n('listStoragePools', 'storagepool'));
    assert.equal(li.imagestores, await n('listImageStores', 'imagestore'));
    assert.equal(li.systemvms, await n('listSystemVms', 'systemvm'));
    assert.equal(li.routers, await n('listRouters', 'router', { listall: 'true' }));
    assert.equal(li.cpusockets, li.hosts);
  });

  it('management server, database and usage server metrics', async () => {
    const ms = (await admin('listManagementServersMetrics')).body.managementserver as any[];
    assert.equal(ms.length, ((await admin('listManagementServers')).body.managementserver as any[]).length);
    const me = ms.find((m) => m.state === 'Up');
    assert.ok(me, JSON.stringify(ms));
    assert.ok(Number.isInteger(me.availableprocessors) && me.availableprocessors > 0);
    assert.ok(me.heapmemoryused <= me.heapmemorytotal);
    assert.ok(me.threadsblockedcount <= me.threadstotalcount);
    assert.equal(me.systemloadaverages.length, 3);
    assert.equal(me.systemcycleusage.length, 3);
    assert.match(me.collectiontime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);

    const db = (await admin('listDbMetrics')).body.dbMetrics;
    assert.ok(db.queries > 0 && Number.isInteger(db.connections) && db.version);
    const first = db.queries;
    assert.ok((await admin('listDbMetrics')).body.dbMetrics.queries > first, 'every statement counts');
    assert.ok(db.dbloadaverages.length <= 3);

    const usage = (await admin('listUsageServerMetrics')).body.usageMetrics;
    assert.equal(usage.state, 'Down');
    assert.equal(usage.hostname, 'N/A');

    const user = await tenant(w, admin, 'metricsuser');
    assert.equal((await user('listDbMetrics')).status, 432);
    assert.equal((await user('listHostsMetrics')).status, 432);
  });

  it('a Java double keeps its decimal point in JSON', () => {
    assert.equal(
      encodeJson('r', { a: double(4), b: [double(0.25), double(12345678)] }),
      '{"r":{"a":4.0,"b":[0.25,1.2345678E7]}}',
    );
  });
});

describe('createConsoleEndpoint', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it('answers the owner and root admins with a URL on the console proxy, anyone else with success false', async () => {
    const owner = await tenant(w, admin, 'consoleowner');
    const vm = await deploy(w, owner, w.zones.advanced);
    const proxy = (
      (await admin('listSystemVms', { zoneid: w.zones.advanced, systemvmtype: 'consoleproxy' })).body.systemvm as any[]
    )[0];
    for (const api of [admin, owner]) {
      const e = (await api('createConsoleEndpoint', { virtualmachineid: vm.id, token: 'xyz' })).body.consoleendpoint;
      assert.equal(e.success, true);
      assert.ok(
        e.url.startsWith(`http://${proxy.publicip}/resource/noVNC/vnc.html?autoconnect=true&port=8080&token=`),
        e.url,
      );
      assert.ok(e.url.endsWith('&extra=xyz'));
      assert.deepEqual(
        [e.websocket.host, e.websocket.port, e.websocket.path, e.websocket.extra],
        [proxy.publicip, '8080', 'websockify', 'xyz'],
      );
    }
    const other = await tenant(w, admin, 'consoleother');
    const refused = await other('createConsoleEndpoint', { virtualmachineid: vm.id });
    assert.equal(refused.status, 200);
    assert.deepEqual(refused.body.consoleendpoint, { success: false, details: 'Permission denied', websocket: {} });

    await runJob(w, owner, 'stopVirtualMachine', { id: vm.id });
    const stopped = (await owner('createConsoleEndpoint', { virtualmachineid: vm.id })).body.consoleendpoint;
    assert.equal(stopped.success, false);
    assert.match(stopped.details, /must be running to connect console/);

    const missing = await admin('createConsoleEndpoint', { virtualmachineid: '4c8f4f47-0b3c-4a7e-9d5e-2d2f6c7a9b10' });
    assert.equal(missing.status, 431);
  });
});
