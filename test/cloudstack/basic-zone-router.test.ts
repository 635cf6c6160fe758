import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, tenant } from '../helpers/networking.js';
import { ipToInt } from '../../src/domain/net.js';
import { simulatorZone } from '../../src/server/datacenters.js';
import type { MarvinConfig } from '../../src/datacenter/marvin.js';

const inRange = (ip: string, range: { startip: string; endip: string }) =>
  ipToInt(range.startip) <= ipToInt(ip) && ipToInt(ip) <= ipToInt(range.endip);

/** The simulator's basic zone with a second pod, POD1, its own host and guest range. */
function twoPods(): MarvinConfig {
  const cfg = simulatorZone('basic');
  const [pod0] = cfg.zones[0]!.pods!;
  const c0 = pod0!.clusters![0]!;
  cfg.zones[0]!.pods!.push({
    name: 'POD1',
    gateway: '172.16.16.1',
    netmask: '255.255.255.0',
    startip: '172.16.16.2',
    endip: '172.16.16.254',
    guestIpRanges: [
      { startip: '60.147.42.2', endip: '60.147.42.254', netmask: '255.255.255.0', gateway: '60.147.42.1' },
    ],
    clusters: [
      {
        ...c0,
        clustername: 'C1',
        hosts: [{ ...c0.hosts![0]!, url: 'http://sim/c1/h0' }],
        primaryStorages: [{ url: 'nfs://nfsstor:/export/home/sandbox/primary1', name: 'PS1' }],
      },
    ],
  });
  return cfg;
}

/** The virtual router of a basic zone's shared network: one per pod, made by the first deploy there. */
describe("a basic zone's virtual router", () => {
  let w: World;
  let admin: Api;
  let user: Api;
  const routers = async (extra: Record<string, string | boolean> = {}) =>
    (await admin('listRouters', { zoneid: w.zones.basic, listall: true, ...extra })).body.router ?? [];

  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    user = await tenant(w, admin, 'basic-vr');
  });
  after(() => w.close());

  it('does not exist before a VM is deployed in the zone', async () => {
    assert.deepEqual(await routers(), []);
  });

  it("is made Running by the first deploy, on a host of the VM's pod, with a guest NIC from the pod's range", async () => {
    const vm = await deploy(w, user, w.zones.basic);
    const list = await routers();
    assert.equal(list.length, 1);
    const [r] = list;
    const host = (await admin('listHosts', { id: r.hostid })).body.host[0];
    const vmHost = (
      await admin('listHosts', {
        id: (await admin('listVirtualMachines', { id: vm.id, listall: true })).body.virtualmachine[0].hostid,
      })
    ).body.host[0];
    const range = (await admin('listVlanIpRanges', { zoneid: w.zones.basic, podid: vmHost.podid })).body.vlaniprange[0];
    assert.equal(r.state, 'Running');
    assert.equal(r.podid, vmHost.podid);
    assert.equal(host.podid, vmHost.podid);
    assert.equal(r.hostcontrolstate, 'Enabled');
    assert.deepEqual([r.account, r.domain], ['system', 'ROOT']);
    assert.equal(r.guestnetworkid, vm.nic[0].networkid);
    assert.equal(r.publicip, undefined, 'a basic zone router has no public NIC');
    assert.ok(inRange(r.guestipaddress, range), `${r.guestipaddress} is in ${range.startip}-${range.endip}`);
    assert.notEqual(r.guestipaddress, vm.nic[0].ipaddress);
    assert.equal(r.guestnetmask, range.netmask);
    assert.deepEqual(
      r.nic.map((x: any) => [x.traffictype, x.ipaddress, x.gateway, x.netmask, x.networkid]),
      [['Guest', r.guestipaddress, range.gateway, range.netmask, vm.nic[0].networkid]],
    );
    assert.equal((await routers({ networkid: vm.nic[0].networkid })).length, 1);
  });

  it('serves the later VMs of the pod: a second deploy makes no second router, nor takes its address', async () => {
    const [r] = await routers();
    const vm = await deploy(w, user, w.zones.basic);
    assert.deepEqual(
      (await routers()).map((x: any) => x.id),
      [r.id],
    );
    assert.notEqual(vm.nic[0].ipaddress, r.guestipaddress);
  });

  it('restartNetwork with cleanup replaces it by a new router on the same address; without cleanup keeps it', async () => {
    const [old] = await routers();
    const job = await runJob(w, admin, 'restartNetwork', { id: old.guestnetworkid, cleanup: true });
    assert.equal(job.jobstatus, 1, JSON.stringify(job.jobresult));
    const [now, ...rest] = await routers();
    assert.deepEqual(rest, []);
    assert.notEqual(now.id, old.id);
    assert.deepEqual([now.state, now.guestipaddress, now.podid], ['Running', old.guestipaddress, old.podid]);
    assert.deepEqual(await routers({ id: old.id }), []);
    assert.equal((await runJob(w, admin, 'restartNetwork', { id: now.guestnetworkid, cleanup: false })).jobstatus, 1);
    assert.deepEqual(
      (await routers()).map((x: any) => x.id),
      [now.id],
    );
  });

  it('is started again by a VM starting in its pod after it was stopped', async () => {
    const [r] = await routers();
    assert.equal((await runJob(w, admin, 'stopRouter', { id: r.id })).jobstatus, 1);
    assert.equal((await routers({ id: r.id }))[0].state, 'Stopped');
    await deploy(w, user, w.zones.basic);
    assert.equal((await routers({ id: r.id }))[0].state, 'Running');
  });

  it('stays when the last VM of the zone is expunged', async () => {
    const [r] = await routers();
    const vms = (await user('listVirtualMachines', { zoneid: w.zones.basic })).body.virtualmachine;
    for (const vm of vms)
      assert.equal((await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true })).jobstatus, 1);
    assert.deepEqual(
      (await routers()).map((x: any) => [x.id, x.state]),
      [[r.id, 'Running']],
    );
  });
});

describe('a basic zone with two pods', () => {
  let w: World;
  let admin: Api;
  before(async () => {
    w = await world({ delayMs: 10, datacenters: [twoPods()] });
    admin = await apiSession(w);
  });
  after(() => w.close());

  it("gets a router in each pod a VM starts in, each on an address of its pod's range; a cleanup restart renews both", async () => {
    const pods = (await admin('listPods', { zoneid: w.zones.basic })).body.pod;
    const hosts = (await admin('listHosts', { zoneid: w.zones.basic, type: 'Routing' })).body.host;
    for (const pod of pods)
      await deploy(w, admin, w.zones.basic, { hostid: hosts.find((h: any) => h.podid === pod.id).id });
    const byPod = async () => {
      const rs = (await admin('listRouters', { zoneid: w.zones.basic, listall: true })).body.router;
      return new Map<string, any>(rs.map((r: any) => [r.podid, r]));
    };
    const first = await byPod();
    assert.equal(first.size, 2);
    for (const pod of pods) {
      const range = (await admin('listVlanIpRanges', { zoneid: w.zones.basic, podid: pod.id })).body.vlaniprange[0];
      const r = first.get(pod.id);
      assert.ok(
        inRange(r.guestipaddress, range),
        `${pod.name}: ${r.guestipaddress} is in ${range.startip}-${range.endip}`,
      );
      assert.equal(hosts.find((h: any) => h.id === r.hostid).podid, pod.id);
    }
    const net = first.get(pods[0].id).guestnetworkid;
    assert.equal((await runJob(w, admin, 'restartNetwork', { id: net, cleanup: true })).jobstatus, 1);
    const after = await byPod();
    for (const pod of pods) {
      assert.notEqual(after.get(pod.id).id, first.get(pod.id).id);
      assert.equal(after.get(pod.id).guestipaddress, first.get(pod.id).guestipaddress);
    }
  });
});
