import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, world, type Api, type World } from '../helpers/inprocess.js';
import { offering, refused } from '../helpers/networking.js';

/** createNetwork isolatedpvlan / isolatedpvlantype (NetworkServiceImpl.createGuestNetwork, NetworkOrchestrator). */
describe('private VLAN networks', () => {
  let w: World;
  let admin: Api;
  let shared: string;
  let isolated: string;
  const base = {
    name: 'pvlan',
    displaytext: 'pvlan',
    gateway: '10.10.10.1',
    netmask: '255.255.255.0',
    startip: '10.10.10.10',
    endip: '10.10.10.20',
    vlan: 2468,
  };
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    shared = await offering(admin, 'DefaultSharedNetworkOffering');
    isolated = await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
  });
  after(() => w.close());

  it('makes a shared network with a primary and an isolated secondary VLAN, shown as a pvlan:// broadcast URI', async () => {
    const r = await admin('createNetwork', {
      ...base,
      zoneid: w.zones.advanced,
      networkofferingid: shared,
      isolatedpvlan: 864,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const n = r.body.network;
    assert.equal(n.broadcastdomaintype, 'Pvlan');
    assert.equal(n.broadcasturi, 'pvlan://2468-i864');
    assert.equal(n.vlan, 'N/A', 'a VLAN is named for vlan:// and vxlan:// networks only');
    await refused(
      w,
      admin,
      'createNetwork',
      { ...base, name: 'again', zoneid: w.zones.advanced, networkofferingid: shared, isolatedpvlan: 864 },
      431,
      /^Network with primary vlan 2468 and secondary vlan 864 type isolated already exists or overlaps with other network pvlans in physical network /,
    );
    const promiscuous = await admin('createNetwork', {
      ...base,
      name: 'prom',
      gateway: '10.10.11.1',
      startip: '10.10.11.10',
      endip: '10.10.11.20',
      zoneid: w.zones.advanced,
      networkofferingid: shared,
      isolatedpvlantype: 'promiscuous',
    });
    assert.equal(promiscuous.status, 200, JSON.stringify(promiscuous.body));
    assert.equal(promiscuous.body.network.broadcasturi, 'pvlan://2468-p2468');
    assert.equal((await admin('deleteNetwork', { id: n.id })).status, 200);
  });

  it('refuses what CloudStack refuses: IPv6, isolated networks, types that do not fit the VLANs', async () => {
    const z = { zoneid: w.zones.advanced };
    await refused(
      w,
      admin,
      'createNetwork',
      {
        ...base,
        ...z,
        networkofferingid: shared,
        isolatedpvlan: 865,
        ip6gateway: 'fc00:1234::1',
        ip6cidr: 'fc00:1234::/64',
        startipv6: 'fc00:1234::10',
        endipv6: 'fc00:1234::20',
      },
      431,
      'Can only support create Private VLAN network with IPv4!',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { name: 'iso', displaytext: 'iso', ...z, networkofferingid: isolated, isolatedpvlan: 865 },
      431,
      'Can only support create Private VLAN network with advanced shared or L2 network!',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...base, ...z, networkofferingid: shared, isolatedpvlan: 865, isolatedpvlantype: 'promiscuous' },
      431,
      'Private VLAN type is set to Promiscuous, but VLAN ID and Secondary VLAN ID differ',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...base, ...z, networkofferingid: shared, isolatedpvlan: 2468, isolatedpvlantype: 'community' },
      431,
      'Private VLAN type is set to Community, but VLAN ID and Secondary VLAN ID are equal',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...base, ...z, networkofferingid: shared, isolatedpvlantype: 'isolated' },
      431,
      'Private VLAN ID has not been set, therefore Promiscuous type is expected',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...base, ...z, networkofferingid: shared, isolatedpvlan: 866, isolatedpvlantype: 'x' },
      431,
      'Unexpected Private VLAN type: x',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...base, ...z, networkofferingid: shared, isolatedpvlan: 150 },
      431,
      'The VLAN tag 150 is already being used for dynamic vlan allocation for the guest network in zone Sandbox-simulator-advanced',
    );
  });
});
