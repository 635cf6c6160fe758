import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails, refused } from '../helpers/networking.js';

/**
 * Static NAT, port forwarding and load balancing when the address (the network owner's) and the VM
 * (an account the network is shared with) have different owners: each is checked on its own, so
 * only a domain admin over both may join them, and the VM's owner must still be allowed the network.
 */
describe('address and VM of different owners on a shared isolated network', () => {
  let w: World;
  let admin: Api;
  let dadmin: Api;
  let owner: Api;
  let other: Api;
  let net: string;
  let vm: any;
  let ip: any;
  let otherId: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    const domainid = (await admin('createDomain', { name: 'np' })).body.domain.id;
    const account = async (name: string, accounttype: number) => {
      const r = await admin('createAccount', {
        account: name,
        username: name,
        password: 'pw',
        email: `${name}@x`,
        firstname: name,
        lastname: 't',
        accounttype,
        domainid,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.account.id as string;
    };
    await account('np-dadmin', 2);
    await account('np-owner', 0);
    otherId = await account('np-other', 0);
    [dadmin, owner, other] = await Promise.all(
      ['np-dadmin', 'np-owner', 'np-other'].map((n) => apiSession(w, n, 'pw', '/np')),
    );
    const offering = (
      await admin('listNetworkOfferings', { name: 'DefaultIsolatedNetworkOfferingWithSourceNatService' })
    ).body.networkoffering[0].id;
    net = (
      await owner!('createNetwork', {
        zoneid: w.zones.advanced,
        name: 'np-net',
        displaytext: 'np-net',
        networkofferingid: offering,
      })
    ).body.network.id;
    assert.equal(
      (await owner!('createNetworkPermissions', { networkid: net, accountids: otherId })).body.success,
      true,
    );
    vm = await deploy(w, other!, w.zones.advanced, { networkids: net });
    ip = (await runJob(w, owner!, 'associateIpAddress', { networkid: net })).jobresult.ipaddress;
  });
  after(() => w.close());

  it("enableStaticNat: neither owner alone may (each lacks the other's resource); the domain admin may", async () => {
    const p = { ipaddressid: ip.id, virtualmachineid: vm.id };
    await refused(
      w,
      owner,
      'enableStaticNat',
      p,
      531,
      `Account 'np-owner' does not have permission to operate with resource VirtualMachine ${vm.id}`,
    );
    await refused(
      w,
      other,
      'enableStaticNat',
      p,
      531,
      `Account 'np-other' does not have permission to operate with resource PublicIpAddress ${ip.id}`,
    );
    assert.equal((await dadmin('enableStaticNat', p)).body.success, true);
    const shown = (await owner('listPublicIpAddresses', { id: ip.id })).body.publicipaddress[0];
    assert.deepEqual([shown.isstaticnat, shown.virtualmachineid], [true, vm.id]);
    // The address's owner may take it back.
    assert.equal((await runJob(w, owner, 'disableStaticNat', { ipaddressid: ip.id })).jobstatus, 1);
  });

  it('port forwarding and load balancer assignment follow the same rule; the rule owner removes and deletes', async () => {
    const pf = { ipaddressid: ip.id, virtualmachineid: vm.id, protocol: 'tcp', publicport: 22, privateport: 22 };
    await refused(
      w,
      owner,
      'createPortForwardingRule',
      pf,
      531,
      `Account 'np-owner' does not have permission to operate with resource VirtualMachine ${vm.id}`,
    );
    const rule = await runJob(w, dadmin, 'createPortForwardingRule', pf);
    assert.equal(rule.jobstatus, 1, JSON.stringify(rule.jobresult));
    assert.equal(rule.jobresult.portforwardingrule.virtualmachineid, vm.id);
    assert.equal(
      (await runJob(w, owner, 'deletePortForwardingRule', { id: rule.jobresult.portforwardingrule.id })).jobstatus,
      1,
    );

    const lb = (
      await runJob(w, owner, 'createLoadBalancerRule', {
        publicipid: ip.id,
        name: 'np-lb',
        algorithm: 'roundrobin',
        publicport: 80,
        privateport: 80,
        networkid: net,
      })
    ).jobresult.loadbalancer;
    await jobFails(
      w,
      owner,
      'assignToLoadBalancerRule',
      { id: lb.id, virtualmachineids: vm.id },
      531,
      `Account 'np-owner' does not have permission to operate with resource VirtualMachine ${vm.id}`,
    );
    assert.equal(
      (await runJob(w, dadmin, 'assignToLoadBalancerRule', { id: lb.id, virtualmachineids: vm.id })).jobstatus,
      1,
    );
    assert.equal(
      (await runJob(w, owner, 'removeFromLoadBalancerRule', { id: lb.id, virtualmachineids: vm.id })).jobstatus,
      1,
    );
    assert.equal((await runJob(w, owner, 'deleteLoadBalancerRule', { id: lb.id })).jobstatus, 1);
  });

  it("once the network is no longer shared, the VM's owner may not use it: even the domain admin is refused", async () => {
    assert.equal((await owner('resetNetworkPermissions', { networkid: net })).body.success, true);
    await refused(
      w,
      dadmin,
      'enableStaticNat',
      { ipaddressid: ip.id, virtualmachineid: vm.id },
      531,
      `Unable to use network with id= ${net}, permission denied`,
    );
  });
});
