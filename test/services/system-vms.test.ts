// The zone's secondary storage VM and console proxy, as CloudStack's managers keep them (issue 14, gap 6).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, until, world, type Api, type World } from '../helpers/inprocess.js';
import { cluster, simHost, tinyZone } from '../helpers/tinyzone.js';

const GiB = 1024 ** 3;

describe('system VMs', () => {
  let w: World;
  let api: Api;
  let zoneId: string;
  before(async () => {
    w = await world({
      delayMs: 0,
      datacenters: [
        tinyZone('Tiny', [cluster('C0', [simHost('c0/h0', 4, 8000, 8 * GiB), simHost('c0/h1', 4, 8000, 8 * GiB)])]),
      ],
    });
    api = await apiSession(w);
    zoneId = (await api('listZones', { name: 'Tiny' })).body.zone[0].id;
  });
  after(() => w.close());

  const listOf = async (type: string) =>
    (await api('listSystemVms', { zoneid: zoneId, systemvmtype: type })).body.systemvm ?? [];

  it('gives an enabled zone with secondary storage one running SSVM and one console proxy', async () => {
    const all = (await api('listSystemVms', { zoneid: zoneId })).body;
    assert.equal(all.count, 2);
    const [s] = await listOf('secondarystoragevm');
    const [v] = await listOf('consoleproxy');
    assert.match(s.name, /^s-\d+-VM$/);
    assert.match(v.name, /^v-\d+-VM$/);
    for (const vm of [s, v]) {
      assert.equal(vm.state, 'Running');
      assert.equal(vm.zonename, 'Tiny');
      assert.equal(vm.agentstate, 'Up');
      assert.ok(vm.hostid && vm.podid && vm.templateid, JSON.stringify(vm));
      // Management NIC from the pod's range, public NIC from the zone's public range, link-local 169.254/16.
      assert.match(vm.privateip, /^172\.16\.20\.\d+$/);
      assert.match(vm.publicip, /^192\.168\.50\.\d+$/);
      assert.equal(vm.gateway, '192.168.50.1');
      assert.match(vm.linklocalip, /^169\.254\./);
    }
    assert.notEqual(s.privateip, v.privateip);
    assert.notEqual(s.publicip, v.publicip);
    assert.equal(v.activeviewersessions, 0);
    assert.equal(s.activeviewersessions, undefined);
  });

  it('registers their agents as hosts of type SecondaryStorageVM and ConsoleProxy, and keeps them out of user VM lists', async () => {
    const [s] = await listOf('secondarystoragevm');
    const hs = (await api('listHosts', { type: 'SecondaryStorageVM', zoneid: zoneId })).body.host;
    assert.equal(hs.length, 1);
    assert.equal(hs[0].name, s.name);
    assert.equal(hs[0].state, 'Up');
    assert.equal(hs[0].ipaddress, s.privateip);
    assert.equal((await api('listHosts', { type: 'ConsoleProxy', zoneid: zoneId })).body.host.length, 1);
    assert.equal((await api('listHosts', { type: 'Routing', zoneid: zoneId })).body.host.length, 2);
    assert.equal((await api('listVirtualMachines', { listall: true })).body.count ?? 0, 0);
  });

  it('holds no host capacity, like polystack routers (deviation: CloudStack reserves the system offering)', async () => {
    const hosts = (await api('listHosts', { type: 'Routing', zoneid: zoneId })).body.host;
    assert.equal(
      hosts.reduce((n: number, h: any) => n + Number(h.cpuallocatedvalue), 0),
      0,
    );
  });

  it('stops, reboots and migrates as async jobs with SSVM./PROXY. events; a stopped one is started again by the scan', async () => {
    const [v] = await listOf('consoleproxy');
    const other = (await api('listHosts', { type: 'Routing', zoneid: zoneId })).body.host.find(
      (h: any) => h.id !== v.hostid,
    );
    const moved = await runJob(w, api, 'migrateSystemVm', { virtualmachineid: v.id, hostid: other.id });
    assert.equal(moved.jobresult.systemvm.hostid, other.id, JSON.stringify(moved));
    const rebooted = await runJob(w, api, 'rebootSystemVm', { id: v.id });
    assert.equal(rebooted.jobresult.systemvm.state, 'Running');
    const stopped = await runJob(w, api, 'stopSystemVm', { id: v.id });
    assert.equal(stopped.jobresult.systemvm.state, 'Stopped');
    assert.equal((await api('listHosts', { type: 'ConsoleProxy', zoneid: zoneId })).body.host[0].state, 'Disconnected');
    const types = ((await api('listEvents', { listall: true, page: 1, pagesize: 200 })).body.event ?? []).map(
      (e: any) => e.type,
    );
    for (const t of ['PROXY.MIGRATE', 'PROXY.REBOOT', 'PROXY.STOP']) assert.ok(types.includes(t), t);
    // The manager's scan brings it back.
    await until(async () => {
      if (w.clock.waiting > 0) w.clock.advance(1000);
      return (await listOf('consoleproxy'))[0]?.state === 'Running';
    });
    assert.equal((await api('listHosts', { type: 'ConsoleProxy', zoneid: zoneId })).body.host[0].state, 'Up');
  });

  it('replaces a destroyed SSVM with a new one under a new name', async () => {
    const [s] = await listOf('secondarystoragevm');
    const r = await runJob(w, api, 'destroySystemVm', { id: s.id });
    assert.equal(r.jobstatus, 1, JSON.stringify(r));
    const now = await listOf('secondarystoragevm');
    assert.equal(now.length, 1);
    assert.notEqual(now[0].name, s.name);
    assert.equal(now[0].state, 'Running');
    const hs = (await api('listHosts', { type: 'SecondaryStorageVM', zoneid: zoneId })).body.host;
    assert.deepEqual(
      hs.map((h: any) => h.name),
      [now[0].name],
    );
  });

  it('is for root admins only, and refuses unknown ids', async () => {
    const r = await api('startSystemVm', { id: '00000000-0000-0000-0000-000000000000' });
    assert.equal(r.status, 431, JSON.stringify(r.body));
  });

  it('keeps the zone from being deleted', async () => {
    const r = await api('deleteZone', { id: zoneId });
    assert.equal(r.status, 530, JSON.stringify(r.body));
  });
});
