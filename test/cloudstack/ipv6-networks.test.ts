import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eui64, formatIp6, ip6NetContains, parseIp6, parseIp6Net } from '../../src/domain/ipv6.js';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { deploy, jobFails, refused, tenant } from '../helpers/networking.js';

const PREFIX = 'fd17:ac56:1234:1000::/52';
const PUBLIC6 = 'fd17:ac56:1234:2000::/64';
const inside = (cidr: string, addr: string) => ip6NetContains(parseIp6Net(cidr)!, parseIp6(addr)!);
const providers = (svcs: string[], provider: string) =>
  Object.fromEntries(
    svcs.flatMap((s, i) => [
      [`serviceproviderlist[${i}].service`, s],
      [`serviceproviderlist[${i}].provider`, provider],
    ]),
  );

/** Dual-stack isolated networks and VPC tiers: their /64, SLAAC NIC addresses, the router's public IPv6 and routes. */
describe('IPv6 networks', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let dualStack: string;
  let ipv4Only: string;
  let rangeId: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    await admin('updateConfiguration', { name: 'ipv6.offering.enabled', value: 'true' });
    const svcs = ['Dhcp', 'Dns', 'SourceNat', 'Firewall', 'PortForwarding'];
    const off = (name: string, extra: Record<string, string> = {}) =>
      admin('createNetworkOffering', {
        name,
        displaytext: name,
        guestiptype: 'Isolated',
        traffictype: 'GUEST',
        supportedservices: svcs.join(','),
        ...providers(svcs, 'VirtualRouter'),
        enable: true,
        ...extra,
      });
    dualStack = (await off('ds', { internetprotocol: 'DualStack' })).body.networkoffering.id;
    ipv4Only = (await off('v4')).body.networkoffering.id;
    user = await tenant(w, admin, 'six');
  });
  after(() => w.close());

  const network = async (api: Api, name: string, offeringId: string) => {
    const r = await api('createNetwork', {
      name,
      displaytext: name,
      zoneid: w.zones.advanced,
      networkofferingid: offeringId,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.network;
  };
  const listed = async (id: string) => (await admin('listNetworks', { id, listall: true })).body.network[0];

  it('without a guest prefix a dual-stack network cannot be made', async () => {
    await refused(
      w,
      user,
      'createNetwork',
      { name: 'n', displaytext: 'n', zoneid: w.zones.advanced, networkofferingid: dualStack },
      535,
      'Unable to allocate IPv6 network',
    );
  });

  it('a dual-stack network takes a /64 of the zone prefix; its gateway is the /64 ::1; routes wait for a router', async () => {
    assert.equal(
      (await runJob(w, admin, 'createGuestNetworkIpv6Prefix', { zoneid: w.zones.advanced, prefix: PREFIX })).jobstatus,
      1,
    );
    const net = await network(user, 'ds1', dualStack);
    assert.match(net.ip6cidr, /::\/64$/);
    assert.ok(inside(PREFIX, net.ip6cidr.split('/')[0]));
    assert.equal(net.ip6gateway, formatIp6(parseIp6Net(net.ip6cidr)!.network + 1n));
    assert.equal(net.internetprotocol, 'DualStack');
    assert.deepEqual(net.ip6routes, []);
    const [p] = (await admin('listGuestNetworkIpv6Prefixes', { zoneid: w.zones.advanced })).body.guestnetworkipv6prefix;
    assert.equal(p.usedsubnets, 1);
    await jobFails(
      w,
      admin,
      'deleteGuestNetworkIpv6Prefix',
      { id: p.id },
      530,
      `Unable to delete guest network IPv6 prefix ID: ${p.id}. Prefix subnets are in use.`,
    );
    const v4 = await network(user, 'v4', ipv4Only);
    assert.deepEqual([v4.ip6cidr, v4.ip6routes, v4.internetprotocol], [undefined, undefined, undefined]);
  });

  it('implementing it needs a public IPv6 range on the public VLAN', async () => {
    const net = await network(user, 'ds-norange', dualStack);
    const r = await runJob(w, user, 'deployVirtualMachine', {
      zoneid: w.zones.advanced,
      serviceofferingid: w.small,
      templateid: w.template,
      networkids: net.id,
    });
    assert.equal(r.jobstatus, 2);
    assert.equal(r.jobresult.errortext, 'Insufficient address capacity');
  });

  it('VM NICs get their EUI-64 address, the router its public IPv6, the network a route via it', async () => {
    const [v4range] = (await admin('listVlanIpRanges', { zoneid: w.zones.advanced, forvirtualnetwork: true })).body
      .vlaniprange;
    const r = await admin('createVlanIpRange', {
      zoneid: w.zones.advanced,
      ip6gateway: 'fd17:ac56:1234:2000::1',
      ip6cidr: PUBLIC6,
      vlan: v4range.vlan,
      forvirtualnetwork: true,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    rangeId = r.body.vlan.id;
    const net = await network(user, 'ds2', dualStack);
    const vm = await deploy(w, user, w.zones.advanced, { networkids: net.id });
    const nic = (await admin('listNics', { virtualmachineid: vm.id, networkid: net.id })).body.nic[0];
    assert.equal(nic.ip6address, formatIp6(eui64(parseIp6Net(net.ip6cidr)!, nic.macaddress)));
    assert.deepEqual([nic.ip6cidr, nic.ip6gateway], [net.ip6cidr, net.ip6gateway]);
    const [router] = (await admin('listRouters', { networkid: net.id, listall: true })).body.router;
    const guest = router.nic.find((n: any) => n.traffictype === 'Guest');
    const pub = router.nic.find((n: any) => n.traffictype === 'Public');
    assert.deepEqual(
      [guest.ip6address, guest.ip6cidr, guest.ip6gateway],
      [net.ip6gateway, net.ip6cidr, net.ip6gateway],
    );
    assert.deepEqual([pub.ip6cidr, pub.ip6gateway], [PUBLIC6, 'fd17:ac56:1234:2000::1']);
    assert.equal(pub.ip6address, formatIp6(eui64(parseIp6Net(PUBLIC6)!, pub.macaddress)));
    assert.deepEqual((await listed(net.id)).ip6routes, [{ subnet: net.ip6cidr, gateway: pub.ip6address }]);
    // restartNetwork with cleanup: a new router, the same public IPv6 address.
    assert.equal((await runJob(w, user, 'restartNetwork', { id: net.id, cleanup: true })).jobstatus, 1);
    const [again] = (await admin('listRouters', { networkid: net.id, listall: true })).body.router;
    assert.notEqual(again.id, router.id);
    assert.equal(again.nic.find((n: any) => n.traffictype === 'Public').ip6address, pub.ip6address);
    await refused(
      w,
      admin,
      'deleteVlanIpRange',
      { id: rangeId },
      431,
      '2 IPv6 addresses are in use. Cannot delete this vlan',
    );
  });

  it('updateNetwork to an IPv4 offering drops the /64, back to dual stack takes a new one', async () => {
    const net = await network(user, 'ds3', dualStack);
    await deploy(w, user, w.zones.advanced, { networkids: net.id });
    assert.equal((await runJob(w, user, 'updateNetwork', { id: net.id, networkofferingid: ipv4Only })).jobstatus, 1);
    const v4 = await listed(net.id);
    assert.deepEqual([v4.ip6cidr, v4.ip6gateway, v4.ip6routes], [undefined, undefined, undefined]);
    assert.equal((await runJob(w, user, 'updateNetwork', { id: net.id, networkofferingid: dualStack })).jobstatus, 1);
    const ds = await listed(net.id);
    assert.ok(inside(PREFIX, ds.ip6cidr.split('/')[0]));
    assert.equal(ds.ip6routes.length, 1);
  });

  it('IPv6 firewall rules: created in state Add then Active, listed, updated and deleted; refusals', async () => {
    const net = await network(user, 'fw', dualStack);
    const made = await user('createIpv6FirewallRule', {
      networkid: net.id,
      traffictype: 'Ingress',
      protocol: 'tcp',
      startport: 3000,
      endport: 3005,
      cidrlist: 'fd00:1::/64',
      destcidrlist: 'fd00:2::/64',
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const [rule] = (await user('listIpv6FirewallRules', { id: made.body.id })).body.firewallrule;
    assert.deepEqual(
      [rule.networkid, rule.traffictype, rule.protocol, rule.startport, rule.endport, rule.cidrlist, rule.destcidrlist],
      [net.id, 'Ingress', 'tcp', 3000, 3005, 'fd00:1::/64', 'fd00:2::/64'],
    );
    const icmp = await runJob(w, user, 'createIpv6FirewallRule', {
      networkid: net.id,
      protocol: 'icmp',
      icmptype: 128,
      icmpcode: 0,
    });
    assert.deepEqual(
      [
        icmp.jobresult.firewallrule.icmptype,
        icmp.jobresult.firewallrule.icmpcode,
        icmp.jobresult.firewallrule.cidrlist,
      ],
      [128, 0, '::/0'],
    );
    const egress = await runJob(w, user, 'createIpv6FirewallRule', {
      networkid: net.id,
      protocol: 'all',
      traffictype: 'Egress',
    });
    assert.equal(egress.jobresult.firewallrule.state, 'Active');
    assert.equal((await user('listIpv6FirewallRules', { networkid: net.id, traffictype: 'Egress' })).body.count, 1);
    assert.equal(
      (await user('listEgressFirewallRules', { networkid: net.id })).body.count,
      undefined,
      'not an IPv4 egress rule',
    );
    await refused(
      w,
      user,
      'createIpv6FirewallRule',
      { networkid: net.id, protocol: 'all' },
      431,
      'Protocol all is not supported in zone',
    );
    await refused(
      w,
      user,
      'createIpv6FirewallRule',
      { networkid: net.id, protocol: 'tcp', cidrlist: '10.0.0.0/8' },
      431,
      'Invalid source IPv6 CIDR: 10.0.0.0/8',
    );
    await refused(
      w,
      user,
      'createIpv6FirewallRule',
      { networkid: net.id, protocol: '47' },
      431,
      'Protocol 47 not supported',
    );
    await refused(
      w,
      user,
      'createIpv6FirewallRule',
      { networkid: net.id, protocol: 'icmp', startport: 22 },
      431,
      "Can't specify start/end port when protocol is ICMP",
    );
    const stranger = await tenant(w, admin, 'stranger6');
    assert.notEqual((await stranger('createIpv6FirewallRule', { networkid: net.id, protocol: 'tcp' })).status, 200);
    assert.equal((await runJob(w, user, 'updateIpv6FirewallRule', { id: made.body.id })).jobstatus, 1);
    assert.equal((await runJob(w, user, 'deleteIpv6FirewallRule', { id: made.body.id })).jobstatus, 1);
    assert.equal((await user('listIpv6FirewallRules', { networkid: net.id })).body.count, 2);
  });

  it('a dual-stack VPC tier gets a /64; the VPC lists a route per dual-stack tier via its router', async () => {
    const vpcOff = (
      await runJob(w, admin, 'createVPCOffering', {
        name: 'vds',
        displaytext: 'vds',
        supportedservices: 'Dhcp,Dns,SourceNat,NetworkACL',
        internetprotocol: 'dualstack',
      })
    ).jobresult.vpcoffering;
    await runJob(w, admin, 'updateVPCOffering', { id: vpcOff.id, state: 'Enabled' });
    const svcs = ['Dhcp', 'Dns', 'SourceNat', 'NetworkACL'];
    const tierOff = (
      await admin('createNetworkOffering', {
        name: 'tds',
        displaytext: 'tds',
        guestiptype: 'Isolated',
        traffictype: 'GUEST',
        supportedservices: svcs.join(','),
        ...providers(svcs, 'VpcVirtualRouter'),
        enable: true,
        internetprotocol: 'dualstack',
      })
    ).body.networkoffering;
    const vpc = (
      await runJob(w, user, 'createVPC', {
        name: 'v6',
        displaytext: 'v6',
        zoneid: w.zones.advanced,
        cidr: '10.1.0.0/22',
        vpcofferingid: vpcOff.id,
      })
    ).jobresult.vpc;
    const tier = (
      await user('createNetwork', {
        name: 't1',
        displaytext: 't1',
        zoneid: w.zones.advanced,
        networkofferingid: tierOff.id,
        vpcid: vpc.id,
        gateway: '10.1.1.1',
        netmask: '255.255.255.0',
      })
    ).body.network;
    assert.ok(inside(PREFIX, tier.ip6cidr.split('/')[0]));
    await deploy(w, user, w.zones.advanced, { networkids: tier.id });
    const [router] = (await admin('listRouters', { vpcid: vpc.id, listall: true })).body.router;
    const pub = router.nic.find((n: any) => n.traffictype === 'Public');
    const guest = router.nic.find((n: any) => n.traffictype === 'Guest' && n.networkid === tier.id);
    assert.ok(pub.ip6address && guest.ip6address === tier.ip6gateway);
    const [listedVpc] = (await user('listVPCs', { id: vpc.id })).body.vpc;
    assert.deepEqual(listedVpc.ip6routes, [{ subnet: tier.ip6cidr, gateway: pub.ip6address }]);
    await refused(
      w,
      user,
      'createIpv6FirewallRule',
      { networkid: tier.id, protocol: 'tcp' },
      431,
      `Service Firewall is not supported in the network id=${tier.id}`,
    );
    // A tier's IPv6 traffic is governed by its ACL, whose items take IPv6 CIDRs.
    const acl = (await runJob(w, user, 'createNetworkACLList', { name: 'a6', description: 'a6', vpcid: vpc.id }))
      .jobresult.networkacllist;
    const item = await runJob(w, user, 'createNetworkACL', {
      aclid: acl.id,
      protocol: 'tcp',
      startport: 22,
      endport: 22,
      cidrlist: 'fd00:1::/64',
      traffictype: 'Ingress',
    });
    assert.equal(item.jobresult.networkacl.cidrlist, 'fd00:1::/64');
  });
});
