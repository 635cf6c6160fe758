import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails } from '../helpers/networking.js';

/** L2 guest networks (GuestType.L2): a VLAN and nothing else — no addresses, no router, no services. */
describe('L2 networks', () => {
  let w: World;
  let admin: Api;
  let offering: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    const o = await admin('createNetworkOffering', {
      name: 'l2',
      displaytext: 'l2',
      guestiptype: 'L2',
      supportedservices: '',
      traffictype: 'GUEST',
      availability: 'Optional',
    });
    assert.equal(o.status, 200, JSON.stringify(o.body));
    offering = o.body.networkoffering.id;
    assert.equal((await admin('updateNetworkOffering', { id: offering, state: 'Enabled' })).status, 200);
  });
  after(() => w.close());

  const create = async (name: string) => {
    const r = await admin('createNetwork', {
      zoneid: w.zones.advanced,
      name,
      displaytext: name,
      networkofferingid: offering,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.network;
  };

  it('is created Allocated, without CIDR or gateway; a VM on it gets a NIC with no address and the network a VLAN but no router', async () => {
    const net = await create('l2-a');
    assert.deepEqual([net.type, net.state, net.cidr, net.gateway], ['L2', 'Allocated', undefined, undefined]);
    const vm = await deploy(w, admin, w.zones.advanced, { networkids: net.id });
    const nic = vm.nic[0];
    assert.equal(nic.type, 'L2');
    assert.ok(!('ipaddress' in nic) && !('gateway' in nic) && !('netmask' in nic), JSON.stringify(nic));
    assert.equal(vm.ipaddress, undefined);
    const up = (await admin('listNetworks', { id: net.id })).body.network[0];
    assert.equal(up.state, 'Implemented');
    assert.match(up.vlan, /^\d+$/);
    assert.equal((await admin('listRouters', { networkid: net.id })).body.count ?? 0, 0);
    // Two VMs share it: addressless NICs never clash.
    await deploy(w, admin, w.zones.advanced, { networkids: net.id });
    await jobFails(w, admin, 'deleteNetwork', { id: net.id }, 530, 'Failed to delete network');
  });

  it('restartNetwork is refused while it is Allocated, and works once a VM brought it up', async () => {
    const net = await create('l2-b');
    const r = await runJob(w, admin, 'restartNetwork', { id: net.id, cleanup: true });
    assert.equal(r.jobstatus, 2);
    assert.equal(
      r.jobresult.errortext,
      'Network is not in the right state to be restarted. Correct states are: Implemented, Setup',
    );
    await deploy(w, admin, w.zones.advanced, { networkids: net.id });
    assert.equal((await runJob(w, admin, 'restartNetwork', { id: net.id, cleanup: false })).jobstatus, 1);
  });

  it('a network of a persistent offering is implemented on creation: an L2 one on the VLAN asked for, an isolated one with its router', async () => {
    const mk = async (p: Record<string, string | boolean>) => {
      const o = await admin('createNetworkOffering', {
        traffictype: 'GUEST',
        availability: 'Optional',
        ispersistent: true,
        ...p,
      });
      assert.equal(o.status, 200, JSON.stringify(o.body));
      assert.equal(o.body.networkoffering.ispersistent, true);
      await admin('updateNetworkOffering', { id: o.body.networkoffering.id, state: 'Enabled' });
      return o.body.networkoffering.id;
    };
    const l2 = await mk({
      name: 'l2p',
      displaytext: 'l2p',
      guestiptype: 'L2',
      supportedservices: '',
      specifyvlan: true,
    });
    const r = await admin('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'l2p',
      displaytext: 'l2p',
      networkofferingid: l2,
      vlan: 90,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(
      [r.body.network.state, r.body.network.vlan, r.body.network.ispersistent],
      ['Implemented', '90', true],
    );
    const iso = await mk({
      name: 'isop',
      displaytext: 'isop',
      guestiptype: 'Isolated',
      supportedservices: 'Dhcp,Dns,SourceNat',
      'serviceproviderlist[0].service': 'Dhcp',
      'serviceproviderlist[0].provider': 'VirtualRouter',
      'serviceproviderlist[1].service': 'Dns',
      'serviceproviderlist[1].provider': 'VirtualRouter',
      'serviceproviderlist[2].service': 'SourceNat',
      'serviceproviderlist[2].provider': 'VirtualRouter',
    });
    const n = await admin('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'isop',
      displaytext: 'isop',
      networkofferingid: iso,
    });
    assert.equal(n.status, 200, JSON.stringify(n.body));
    assert.equal(n.body.network.state, 'Implemented');
    assert.match(n.body.network.vlan, /^\d+$/);
    assert.equal((await admin('listRouters', { networkid: n.body.network.id })).body.count, 1);
  });
});
