import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { count, deploy, fingerprint, jobFails, offering, refused, tenant } from '../helpers/networking.js';

describe('guest networks and their virtual routers through the CloudStack API', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let isolated: string;
  let shared: string;
  let vpcTier: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'net-a');
    b = await tenant(w, admin, 'net-b');
    isolated = await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    shared = await offering(admin, 'DefaultSharedNetworkOffering');
    vpcTier = await offering(admin, 'DefaultIsolatedNetworkOfferingForVpcNetworks');
  });
  after(() => w.close());

  const routersOf = async (networkid: string) =>
    (await admin('listRouters', { networkid, listall: true })).body.router ?? [];

  it('creates an isolated network for a tenant; it is implemented, with a VLAN, source NAT and a router, when its first VM starts', async () => {
    const r = await a('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'web',
      displaytext: 'web tier',
      networkofferingid: isolated,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const net = r.body.network;
    assert.equal(net.state, 'Allocated');
    assert.equal(net.type, 'Isolated');
    assert.equal(net.cidr, '10.1.1.0/24');
    assert.equal(net.gateway, '10.1.1.1');
    assert.equal(net.netmask, '255.255.255.0');
    assert.equal(net.acltype, 'Account');
    assert.equal(net.account, 'net-a');
    assert.equal(net.networkofferingname, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    assert.deepEqual(await routersOf(net.id), [], 'no router before the network is implemented');

    const vm = await deploy(w, a, w.zones.advanced, { networkids: net.id });
    assert.equal(vm.nic[0].networkid, net.id);
    const after = (await a('listNetworks', { id: net.id })).body.network[0];
    assert.equal(after.state, 'Implemented');
    assert.match(after.vlan, /^\d+$/);
    const nat = (await a('listPublicIpAddresses', { associatednetworkid: net.id, issourcenat: true })).body
      .publicipaddress;
    assert.equal(nat.length, 1);
    const [router] = await routersOf(net.id);
    assert.equal(router.state, 'Running');
    assert.equal(router.guestnetworkid, net.id);
    assert.equal(router.publicip, nat[0].ipaddress);
    assert.equal(router.guestipaddress, '10.1.1.1');
    assert.equal(router.account, 'net-a');
    assert.match(router.name, /^r-\d+-VM$/);
    const denied = await a('listRouters', {});
    assert.equal(denied.status, 432, 'routers are for admins');
  });

  it('refuses networks CloudStack refuses, writing nothing', async () => {
    const base = { zoneid: w.zones.advanced, name: 'bad', networkofferingid: isolated };
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, gateway: '8.8.8.1', netmask: '255.255.255.0' },
      431,
      'Virtual Guest Cidr 8.8.8.0/24 is not RFC1918 compliant',
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, gateway: '10.3.0.0', netmask: '255.255.255.0' },
      431,
      'Invalid gateway IP provided. Either the IP is broadcast or network IP.',
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, gateway: '10.3.0.1', netmask: '255.0.255.0' },
      431,
      'Invalid netmask',
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, gateway: '10.3.0.1', netmask: '255.255.0.0' },
      431,
      "Cidr size can't be less than 22",
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, vlan: '555' },
      431,
      'Only ROOT admin is allowed to specify vlanId or bypass vlan overlap check',
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, zoneid: w.zones.basic },
      431,
      "Can't have more than one Guest network in zone with network type Basic",
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, networkofferingid: vpcTier },
      431,
      'Network offering can be used for VPC networks only',
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, acltype: 'Domain' },
      431,
      'AclType should be Account for network of type Isolated',
    );
    await refused(
      w,
      a,
      'createNetwork',
      {
        ...base,
        networkofferingid: shared,
        startip: '10.9.0.10',
        endip: '10.9.0.20',
        gateway: '10.9.0.1',
        netmask: '255.255.255.0',
        vlan: '3001',
      },
      431,
      'Only ROOT admin is allowed to specify vlanId or bypass vlan overlap check',
    );
    await refused(
      w,
      a,
      'createNetwork',
      { ...base, networkofferingid: '6a1e7e52-0000-4000-8000-000000000000' },
      431,
      /Invalid parameter networkofferingid value=6a1e7e52-0000-4000-8000-000000000000 due to incorrect long value format, or entity does not exist/,
    );
  });

  it('lets an admin create a shared network with its own VLAN and range; VMs get addresses from that range', async () => {
    const params = {
      zoneid: w.zones.advanced,
      name: 'shared-3000',
      networkofferingid: shared,
      vlan: '3000',
      gateway: '10.30.0.1',
      netmask: '255.255.255.0',
      startip: '10.30.0.100',
      endip: '10.30.0.110',
    };
    await refused(
      w,
      admin,
      'createNetwork',
      { ...params, vlan: '' },
      431,
      'Vlan has to be specified; corresponding offering says specifyVlan=true',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...params, startip: '', endip: '' },
      431,
      'Either IPv4 or IPv6 start and end address are mandatory',
    );
    await refused(
      w,
      admin,
      'createNetwork',
      { ...params, startip: '10.31.0.100' },
      431,
      "Please ensure that your start IP is in the same subnet as your IP range's gateway, as per the IP range's netmask.",
    );
    const net = (await admin('createNetwork', params)).body.network;
    assert.equal(net.state, 'Setup');
    assert.equal(net.type, 'Shared');
    assert.equal(net.vlan, '3000');
    assert.equal(net.broadcasturi, 'vlan://3000');
    assert.equal(net.acltype, 'Domain');
    assert.equal(net.specifyipranges, true);
    await refused(
      w,
      admin,
      'createNetwork',
      { ...params, name: 'again' },
      431,
      `Network with vlan 3000 already exists or overlaps with other network vlans in zone ${w.zones.advanced}`,
    );
    const vm = await deploy(w, b, w.zones.advanced, { networkids: net.id });
    assert.equal(vm.nic[0].ipaddress, '10.30.0.100');
    assert.equal(vm.nic[0].gateway, '10.30.0.1');
    assert.ok(
      (await b('listNetworks', { id: net.id })).body.network,
      'a domain network is visible to the accounts of the domain',
    );
    assert.equal((await b('deleteNetwork', { id: net.id })).status, 531, 'but only an admin may delete it');
  });

  it('deletes a network only when no VM uses it, taking its router, addresses and VLAN with it', async () => {
    const net = (
      await a('createNetwork', {
        zoneid: w.zones.advanced,
        name: 'short-lived',
        networkofferingid: isolated,
        gateway: '10.5.0.1',
        netmask: '255.255.255.0',
      })
    ).body.network;
    const vm = await deploy(w, a, w.zones.advanced, { networkids: net.id });
    const vlans = await count(w, 'guestVlans');
    const [router] = await routersOf(net.id);
    await jobFails(w, a, 'deleteNetwork', { id: net.id }, 530, 'Failed to delete network');
    assert.equal((await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true })).jobstatus, 1);
    const allocatedBefore = (await admin('listPublicIpAddresses', { zoneid: w.zones.advanced, listall: true })).body
      .count;
    const del = await runJob(w, a, 'deleteNetwork', { id: net.id });
    assert.equal(del.jobstatus, 1, JSON.stringify(del.jobresult));
    assert.deepEqual(del.jobresult, { success: true });
    assert.equal((await a('listNetworks', { id: net.id })).body.network, undefined);
    assert.deepEqual(await routersOf(net.id), []);
    assert.equal(
      (await w.store.db.selectFrom('routers').select('state').where('id', '=', router.id).executeTakeFirstOrThrow())
        .state,
      'Destroyed',
    );
    assert.equal(await count(w, 'guestVlans'), vlans - 1);
    assert.equal(
      (await admin('listPublicIpAddresses', { zoneid: w.zones.advanced, listall: true })).body.count,
      allocatedBefore - 1,
      'the source NAT address went back',
    );
    const again = await a('deleteNetwork', { id: net.id });
    assert.equal(again.status, 431);
    assert.match(
      again.body.errortext,
      new RegExp(`Invalid parameter id value=${net.id} due to incorrect long value format, or entity does not exist`),
    );
  });

  it('updates and restarts a network; cleanup replaces the router', async () => {
    const net = (
      await a('createNetwork', {
        zoneid: w.zones.advanced,
        name: 'upd',
        networkofferingid: isolated,
        gateway: '10.6.0.1',
        netmask: '255.255.255.0',
      })
    ).body.network;
    await jobFails(
      w,
      a,
      'restartNetwork',
      { id: net.id },
      431,
      'Network is not in the right state to be restarted. Correct states are: Implemented, Setup',
    );
    await deploy(w, a, w.zones.advanced, { networkids: net.id });
    const u = await runJob(w, a, 'updateNetwork', { id: net.id, name: 'upd-2', displaytext: 'renamed' });
    assert.equal(u.jobstatus, 1, JSON.stringify(u.jobresult));
    assert.equal(u.jobinstancetype, 'Network');
    assert.equal(u.jobresult.network.name, 'upd-2');
    assert.equal(u.jobresult.network.displaytext, 'renamed');
    await refused(w, a, 'updateNetwork', { id: net.id, networkdomain: '-bad-' }, 431, /^Invalid network domain/);
    const [first] = await routersOf(net.id);
    assert.deepEqual((await runJob(w, a, 'restartNetwork', { id: net.id })).jobresult, { success: true });
    assert.equal((await routersOf(net.id))[0].id, first.id, 'a plain restart keeps the router');
    await runJob(w, a, 'restartNetwork', { id: net.id, cleanup: true });
    const [second] = await routersOf(net.id);
    assert.notEqual(second.id, first.id);
    assert.equal(second.state, 'Running');
    assert.equal(second.publicip, first.publicip, 'the new router serves the same source NAT address');
  });

  it('runs the router lifecycle for admins: stop, reboot only when running, start, destroy', async () => {
    const net = (
      await a('createNetwork', {
        zoneid: w.zones.advanced,
        name: 'vr',
        networkofferingid: isolated,
        gateway: '10.7.0.1',
        netmask: '255.255.255.0',
      })
    ).body.network;
    await deploy(w, a, w.zones.advanced, { networkids: net.id });
    const [router] = await routersOf(net.id);
    assert.equal((await a('stopRouter', { id: router.id })).status, 432);
    const stopped = await runJob(w, admin, 'stopRouter', { id: router.id });
    assert.equal(stopped.jobinstancetype, 'DomainRouter');
    assert.equal(stopped.jobresult.router.state, 'Stopped');
    await jobFails(
      w,
      admin,
      'rebootRouter',
      { id: router.id },
      431,
      'Unable to reboot domR, it is not in right state Stopped',
    );
    assert.equal((await runJob(w, admin, 'startRouter', { id: router.id })).jobresult.router.state, 'Running');
    assert.equal((await runJob(w, admin, 'rebootRouter', { id: router.id })).jobresult.router.state, 'Running');
    assert.equal(
      (await runJob(w, admin, 'startRouter', { id: router.id })).jobresult.router.state,
      'Running',
      'starting a running router is a no-op',
    );
    const destroyed = await runJob(w, admin, 'destroyRouter', { id: router.id });
    assert.equal(destroyed.jobresult.router.state, 'Destroyed');
    assert.deepEqual(await routersOf(net.id), []);
    await runJob(w, a, 'restartNetwork', { id: net.id });
    assert.equal((await routersOf(net.id)).length, 1, 'a restart brings a destroyed router back');
  });

  it("keeps tenants out of each other's networks", async () => {
    const net = (await a('listNetworks', {})).body.network.find((n: any) => n.account === 'net-a');
    await refused(
      w,
      b,
      'updateNetwork',
      { id: net.id, name: 'stolen' },
      531,
      `Account 'net-b' does not have permission to operate with resource Network ${net.id}`,
    );
    await refused(w, b, 'deleteNetwork', { id: net.id }, 531, /does not have permission/);
    await refused(w, b, 'restartNetwork', { id: net.id }, 531, /does not have permission/);
    const seen = (await b('listNetworks', { listall: true })).body.network ?? [];
    assert.ok(!seen.some((n: any) => n.id === net.id));
    const before = await fingerprint(w);
    await b('createNetwork', {
      zoneid: w.zones.advanced,
      name: 'b-in-a',
      networkofferingid: isolated,
      account: 'net-a',
      domainid: net.domainid,
    });
    assert.equal(await fingerprint(w), before);
  });
});
