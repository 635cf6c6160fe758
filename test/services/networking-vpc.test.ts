import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { count, created, deploy, fingerprint, jobFails, offering, refused, tenant } from '../helpers/networking.js';

describe('VPCs, their tiers and network ACLs', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let vpcOffering: string;
  let tierOffering: string;
  let vpc: any;
  let tier: any;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'vpc-a');
    b = await tenant(w, admin, 'vpc-b');
    tierOffering = await offering(admin, 'DefaultIsolatedNetworkOfferingForVpcNetworks');
  });
  after(() => w.close());

  const tierParams = (extra: Record<string, string> = {}) => ({
    zoneid: w.zones.advanced,
    name: 'web',
    networkofferingid: tierOffering,
    vpcid: vpc.id,
    gateway: '10.10.1.1',
    netmask: '255.255.255.0',
    ...extra,
  });
  const label = () => `[VPC [${vpc.id}-${vpc.name}]`;

  it('lists the default VPC offering', async () => {
    const r = (await a('listVPCOfferings', {})).body;
    assert.equal(r.count, 1);
    const o = r.vpcoffering[0];
    assert.equal(o.name, 'Default VPC offering');
    assert.equal(o.isdefault, true);
    assert.equal(o.state, 'Enabled');
    assert.ok(o.service.some((s: any) => s.name === 'NetworkACL' && s.provider[0].name === 'VpcVirtualRouter'));
    vpcOffering = o.id;
  });

  it('creates a VPC as a create-style job: it comes up with a source NAT address and a router', async () => {
    const base = { zoneid: w.zones.advanced, name: 'prod', displaytext: 'production', vpcofferingid: vpcOffering };
    await refused(w, a, 'createVPC', { ...base, cidr: '10.10.0.0/33' }, 431, 'Invalid CIDR specified 10.10.0.0/33');
    await refused(
      w,
      a,
      'createVPC',
      { ...base, cidr: '8.8.0.0/16' },
      431,
      'Guest Cidr 8.8.0.0/16 is not RFC1918 compliant',
    );
    await refused(
      w,
      a,
      'createVPC',
      { ...base, cidr: '10.10.0.0/16', zoneid: w.zones.basic },
      431,
      /VPC can't be created in zone/,
    );
    const { id, job } = await created(w, a, 'createVPC', { ...base, cidr: '10.10.0.0/16' });
    assert.equal(job.jobinstancetype, 'Vpc');
    vpc = job.jobresult.vpc;
    assert.equal(vpc.id, id);
    assert.equal(vpc.state, 'Enabled');
    assert.equal(vpc.cidr, '10.10.0.0/16');
    assert.equal(vpc.vpcofferingname, 'Default VPC offering');
    assert.equal(vpc.account, 'vpc-a');
    assert.deepEqual(vpc.network, []);
    assert.equal((await a('listVPCs', {})).body.vpc[0].id, id);
    const nat = (await a('listPublicIpAddresses', { vpcid: id })).body.publicipaddress;
    assert.equal(nat.length, 1);
    assert.equal(nat[0].issourcenat, true);
    assert.equal(nat[0].vpcid, id);
    const routers = (await admin('listRouters', { vpcid: id, listall: true })).body.router;
    assert.equal(routers.length, 1);
    assert.equal(routers[0].vpcid, id);
    assert.equal(routers[0].publicip, nat[0].ipaddress);
    const u = await runJob(w, a, 'updateVPC', { id, name: 'prod-1', displaytext: 'renamed' });
    assert.equal(u.jobresult.vpc.name, 'prod-1');
    vpc = u.jobresult.vpc;
  });

  it('adds tiers inside the VPC CIDR; they use the VPC router and start on default_deny', async () => {
    await refused(
      w,
      a,
      'createNetwork',
      tierParams({ gateway: '10.20.1.1' }),
      431,
      `Network cidr 10.20.1.0/24 is not within vpc ${label()} cidr`,
    );
    await refused(
      w,
      a,
      'createNetwork',
      tierParams({ gateway: '', netmask: '' }),
      431,
      'Gateway/netmask are required when create network for VPC',
    );
    const isolated = await offering(a, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    await refused(
      w,
      a,
      'createNetwork',
      tierParams({ networkofferingid: isolated }),
      431,
      'Provider of type VirtualRouter is not supported for network offerings that can be used in VPC',
    );
    await refused(
      w,
      b,
      'createNetwork',
      tierParams(),
      531,
      `Account 'vpc-b' does not have permission to operate with resource Vpc ${vpc.id}`,
    );
    tier = (await a('createNetwork', tierParams())).body.network;
    assert.equal(tier.vpcid, vpc.id);
    assert.equal(tier.vpcname, 'prod-1');
    assert.equal(tier.aclname, 'default_deny');
    assert.equal(tier.cidr, '10.10.1.0/24');
    await refused(
      w,
      a,
      'createNetwork',
      tierParams({ name: 'db', gateway: '10.10.1.129', netmask: '255.255.255.128' }),
      431,
      `Network cidr 10.10.1.128/25 crosses other network cidr [Network [${tier.id}-web] belonging to the same vpc ${label()}`,
    );
    const vm = await deploy(w, a, w.zones.advanced, { networkids: tier.id });
    assert.equal(vm.nic[0].gateway, '10.10.1.1');
    assert.equal((await a('listNetworks', { id: tier.id })).body.network[0].state, 'Implemented');
    assert.equal(
      (await admin('listRouters', { vpcid: vpc.id, listall: true })).body.count,
      1,
      'tiers share the VPC router',
    );
    assert.equal((await admin('listRouters', { networkid: tier.id, listall: true })).body.count, undefined);
    assert.equal((await a('listVPCs', { id: vpc.id })).body.vpc[0].network[0].id, tier.id);
    // A VPC address belongs to no tier until a rule names one.
    const ip = (await runJob(w, a, 'associateIpAddress', { vpcid: vpc.id })).jobresult.ipaddress;
    assert.equal(ip.vpcid, vpc.id);
    assert.equal(ip.associatednetworkid, undefined);
    await refused(
      w,
      a,
      'createPortForwardingRule',
      { ipaddressid: ip.id, protocol: 'tcp', publicport: 22, privateport: 22, virtualmachineid: vm.id },
      431,
      `Unable to create port forwarding rule; ip id=${ip.id} is not associated with any network`,
    );
    await created(w, a, 'createPortForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      publicport: 22,
      privateport: 22,
      virtualmachineid: vm.id,
      networkid: tier.id,
    });
    assert.equal(
      (await a('listPublicIpAddresses', { id: ip.id })).body.publicipaddress[0].associatednetworkid,
      tier.id,
    );
  });

  it('manages ACL lists and their numbered rules, and switches a tier to another list', async () => {
    const lists = (await a('listNetworkACLLists', { vpcid: vpc.id })).body.networkacllist
      .map((l: any) => l.name)
      .sort();
    assert.deepEqual(lists, ['default_allow', 'default_deny']);
    const deny = (await a('listNetworkACLLists', { name: 'default_deny' })).body.networkacllist[0];
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: deny.id, protocol: 'tcp', startport: 22 },
      431,
      'Default ACL cannot be modified',
    );
    const { id: aclId, job } = await created(w, a, 'createNetworkACLList', {
      name: 'web-acl',
      description: 'web',
      vpcid: vpc.id,
    });
    assert.equal(job.jobresult.networkacllist.name, 'web-acl');
    assert.equal(job.jobresult.networkacllist.vpcid, vpc.id);
    const item = await created(w, a, 'createNetworkACL', {
      aclid: aclId,
      protocol: 'tcp',
      startport: 22,
      endport: 22,
      cidrlist: '10.0.0.0/8',
      action: 'Allow',
    });
    const acl = item.job.jobresult.networkacl;
    assert.deepEqual(
      {
        number: acl.number,
        protocol: acl.protocol,
        startport: acl.startport,
        endport: acl.endport,
        traffictype: acl.traffictype,
        action: acl.action,
        aclid: acl.aclid,
        state: acl.state,
      },
      {
        number: 1,
        protocol: 'tcp',
        startport: '22',
        endport: '22',
        traffictype: 'Ingress',
        action: 'Allow',
        aclid: aclId,
        state: 'Active',
      },
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'tcp', startport: 80, number: 1 },
      431,
      `ACL item with number 1 already exists in ACL: ${aclId}`,
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'gre' },
      431,
      'Invalid protocol [gre]. Expected one of: [tcp, udp, icmp, all]',
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'all', startport: 1 },
      431,
      "start port and end port must be null if protocol = 'all'",
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'tcp', startport: 90, endport: 80 },
      431,
      "Start port can't be bigger than end port [startport=90,endport=80]",
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'tcp', startport: 80, action: 'drop' },
      431,
      'Invalid action [drop]. Permitted actions are Allow and Deny',
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'tcp', startport: 80, traffictype: 'sideways' },
      431,
      'Invalid traffic type sideways',
    );
    await refused(
      w,
      a,
      'createNetworkACL',
      { aclid: aclId, protocol: 'tcp', startport: 80, cidrlist: '10.0.0.0/40' },
      431,
      'Source cidrs formatting error 10.0.0.0/40',
    );
    await refused(
      w,
      b,
      'createNetworkACL',
      { aclid: aclId, protocol: 'tcp', startport: 80 },
      531,
      /does not have permission/,
    );
    const second = await created(w, a, 'createNetworkACL', {
      aclid: aclId,
      protocol: 'icmp',
      traffictype: 'Egress',
      action: 'deny',
    });
    assert.equal(second.job.jobresult.networkacl.number, 2, 'numbers follow the highest one');
    assert.equal(second.job.jobresult.networkacl.action, 'Deny');

    assert.deepEqual((await runJob(w, a, 'replaceNetworkACLList', { aclid: aclId, networkid: tier.id })).jobresult, {
      success: true,
    });
    assert.equal((await a('listNetworks', { id: tier.id })).body.network[0].aclname, 'web-acl');
    assert.equal((await a('listNetworkACLs', { networkid: tier.id })).body.count, 2);
    assert.equal((await a('listNetworkACLLists', { networkid: tier.id })).body.networkacllist[0].id, aclId);
    await jobFails(
      w,
      a,
      'deleteNetworkACLList',
      { id: aclId },
      431,
      `ACL is still associated with 1 tier(s). Cannot delete network ACL: ${aclId}`,
    );
    await refused(w, a, 'deleteNetworkACLList', { id: deny.id }, 431, 'Default ACL cannot be removed');
    await refused(
      w,
      a,
      'deleteNetworkACL',
      { id: (await a('listNetworkACLs', { aclid: deny.id })).body.networkacl[0].id },
      431,
      'ACL Items in default ACL cannot be deleted',
    );
    assert.deepEqual((await runJob(w, a, 'deleteNetworkACL', { id: item.id })).jobresult, { success: true });
    assert.equal((await a('listNetworkACLs', { aclid: aclId })).body.count, 1);
    const other = (await b('listNetworkACLs', { listall: true })).body.networkacl ?? [];
    assert.ok(!other.some((i: any) => i.aclid === aclId), "B does not see A's rules");
  });

  it('refuses to delete a VPC with tiers; once they are gone it takes its router, addresses and ACL lists', async () => {
    await refused(w, b, 'deleteVPC', { id: vpc.id }, 531, /does not have permission/);
    await jobFails(w, a, 'deleteVPC', { id: vpc.id }, 431, `Can't delete VPC ${label()} as its used by 1 networks`);
    const vm = (await a('listVirtualMachines', { networkid: tier.id })).body.virtualmachine[0];
    await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true });
    assert.equal((await runJob(w, a, 'deleteNetwork', { id: tier.id })).jobstatus, 1);
    assert.equal(
      (await a('listPublicIpAddresses', { vpcid: vpc.id })).body.count,
      2,
      'the VPC keeps its addresses when a tier goes',
    );
    const lists = await count(w, 'networkAcls');
    assert.deepEqual((await runJob(w, a, 'restartVPC', { id: vpc.id, cleanup: true })).jobresult, { success: true });
    assert.equal((await runJob(w, a, 'deleteVPC', { id: vpc.id })).jobstatus, 1);
    assert.equal((await a('listVPCs', {})).body.count, undefined);
    assert.equal((await admin('listRouters', { vpcid: vpc.id, listall: true })).body.count, undefined);
    assert.equal((await a('listPublicIpAddresses', {})).body.count, undefined, 'its addresses went back');
    assert.equal(await count(w, 'networkAcls'), lists - 1, 'its own ACL list went, the built-in ones stay');
    const before = await fingerprint(w);
    const again = await a('deleteVPC', { id: vpc.id });
    assert.equal(again.status, 431);
    assert.equal(await fingerprint(w), before);
  });
});
