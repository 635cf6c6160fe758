import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { count, created, deploy, jobFails, refused, tenant } from '../helpers/networking.js';

describe('firewall, port forwarding, load balancing and static NAT on public addresses', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let b: Api;
  let vm: any;
  let other: any;
  let network: string;
  before(async () => {
    w = await world({ delayMs: 10 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'rules-a');
    b = await tenant(w, admin, 'rules-b');
    vm = await deploy(w, a, w.zones.advanced);
    other = await deploy(w, a, w.zones.advanced);
    network = vm.nic[0].networkid;
  });
  after(() => w.close());

  const newIp = async () => (await runJob(w, a, 'associateIpAddress', { networkid: network })).jobresult.ipaddress;

  it('associateIpAddress takes the address asked for with ipaddress; one already taken is refused at once (the address is claimed before the job), writing nothing', async () => {
    // Addresses are handed out from the bottom of the range: its last one is free.
    const wanted = (await admin('listVlanIpRanges', { zoneid: w.zones.advanced })).body.vlaniprange[0].endip;
    const ip = (await runJob(w, a, 'associateIpAddress', { networkid: network, ipaddress: wanted })).jobresult
      .ipaddress;
    assert.deepEqual([ip.ipaddress, ip.associatednetworkid, ip.state], [wanted, network, 'Allocated']);
    assert.equal((await a('listPublicIpAddresses', { ipaddress: wanted })).body.publicipaddress[0].id, ip.id);
    await refused(
      w,
      a,
      'associateIpAddress',
      { networkid: network, ipaddress: wanted },
      533,
      `Insufficient address capacity: the requested IP ${wanted} is not free in zone Sandbox-simulator-advanced`,
    );
  });

  it("listPublicIpAddresses allocatedonly=false adds the free addresses, never another account's", async () => {
    const mine = await newIp();
    const all = (await b('listPublicIpAddresses', { zoneid: w.zones.advanced, allocatedonly: false })).body
      .publicipaddress;
    const free = all.filter((ip: any) => ip.state === 'Free');
    assert.ok(free.length > 0, 'free addresses are listed');
    assert.ok(
      free.every((ip: any) => ip.account === undefined),
      'a free address belongs to no account',
    );
    assert.ok(!all.some((ip: any) => ip.id === mine.id), "B does not see A's address");
    const asA = (await a('listPublicIpAddresses', { zoneid: w.zones.advanced, allocatedonly: false })).body
      .publicipaddress;
    assert.ok(asA.some((ip: any) => ip.id === mine.id) && asA.some((ip: any) => ip.state === 'Free'));
    assert.ok(
      !(await a('listPublicIpAddresses', { zoneid: w.zones.advanced })).body.publicipaddress.some(
        (ip: any) => ip.state === 'Free',
      ),
      'allocatedonly defaults to true',
    );
  });

  it('creates ingress firewall rules as create-style jobs and lists them', async () => {
    const ip = await newIp();
    const { id, job } = await created(w, a, 'createFirewallRule', {
      ipaddressid: ip.id,
      protocol: 'TCP',
      startport: 22,
      endport: 22,
    });
    assert.equal(job.jobinstancetype, 'FirewallRule');
    assert.equal(job.jobinstanceid, id);
    const rule = job.jobresult.firewallrule;
    assert.deepEqual(
      {
        id: rule.id,
        protocol: rule.protocol,
        startport: rule.startport,
        endport: rule.endport,
        ipaddressid: rule.ipaddressid,
        ipaddress: rule.ipaddress,
        state: rule.state,
        cidrlist: rule.cidrlist,
        networkid: rule.networkid,
      },
      {
        id,
        protocol: 'tcp',
        startport: 22,
        endport: 22,
        ipaddressid: ip.id,
        ipaddress: ip.ipaddress,
        state: 'Active',
        cidrlist: '0.0.0.0/0',
        networkid: network,
      },
    );
    const listed = await a('listFirewallRules', { ipaddressid: ip.id });
    assert.equal(listed.body.count, 1);
    assert.equal(listed.body.firewallrule[0].id, id);
    const icmp = await created(w, a, 'createFirewallRule', { ipaddressid: ip.id, protocol: 'icmp' });
    assert.equal(icmp.job.jobresult.firewallrule.icmptype, -1);
    assert.equal(icmp.job.jobresult.firewallrule.icmpcode, -1);
    assert.equal(icmp.job.jobresult.firewallrule.startport, undefined);
    assert.deepEqual((await runJob(w, a, 'deleteFirewallRule', { id })).jobresult, { success: true });
    assert.equal((await a('listFirewallRules', { ipaddressid: ip.id })).body.count, 1);
  });

  it("answers CloudStack's errors for bad ports, protocols, CIDRs and overlaps, writing nothing", async () => {
    const ip = await newIp();
    const fw = (p: Record<string, string | number>) => ({ ipaddressid: ip.id, protocol: 'tcp', ...p });
    await created(w, a, 'createFirewallRule', fw({ startport: 20, endport: 30 }));
    await refused(
      w,
      a,
      'createFirewallRule',
      fw({ startport: 25, endport: 40 }),
      537,
      /^The range specified, 25-40, conflicts with rule [0-9a-f-]{36} which has 20-30$/,
    );
    await refused(w, a, 'createFirewallRule', fw({ startport: 70000 }), 431, 'publicPort is an invalid value: 70000');
    await refused(
      w,
      a,
      'createFirewallRule',
      fw({ startport: 80, endport: 70 }),
      431,
      "Start port can't be bigger than end port",
    );
    await refused(
      w,
      a,
      'createFirewallRule',
      fw({ protocol: 'gre', startport: 1 }),
      431,
      `Protocol gre is not supported in zone ${w.zones.advanced}`,
    );
    await refused(
      w,
      a,
      'createFirewallRule',
      fw({ protocol: 'icmp', startport: 1 }),
      431,
      "Can't specify start/end port when protocol is ICMP",
    );
    await refused(
      w,
      a,
      'createFirewallRule',
      fw({ startport: 1, icmptype: 8 }),
      431,
      'Can specify icmpCode and icmpType for ICMP protocol only',
    );
    await refused(
      w,
      a,
      'createFirewallRule',
      fw({ startport: 1, cidrlist: '10.0.0.0/8,bogus' }),
      431,
      'Source CIDRs formatting error bogus',
    );
    // Different sources or another protocol do not clash.
    await created(w, a, 'createFirewallRule', fw({ startport: 25, endport: 40, cidrlist: '192.168.0.0/16' }));
    await created(w, a, 'createFirewallRule', fw({ protocol: 'udp', startport: 25, endport: 40 }));
  });

  it('lets a firewall rule and a forwarding rule share a port, but not two forwarding rules', async () => {
    const ip = await newIp();
    await created(w, a, 'createFirewallRule', { ipaddressid: ip.id, protocol: 'tcp', startport: 80, endport: 80 });
    const pf = await created(w, a, 'createPortForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      publicport: 80,
      privateport: 8080,
      virtualmachineid: vm.id,
    });
    const lb = { publicipid: ip.id, name: 'web', algorithm: 'roundrobin', publicport: 80, privateport: 8080 };
    await refused(
      w,
      a,
      'createLoadBalancerRule',
      lb,
      537,
      `The range specified, 80-80, conflicts with rule ${pf.id} which has 80-80`,
    );
    await refused(w, a, 'createLoadBalancerRule', { ...lb, protocol: 'udp' }, 537, /conflicts with rule/);
    const ok = await created(w, a, 'createLoadBalancerRule', { ...lb, publicport: 443, privateport: 8443 });
    await refused(
      w,
      a,
      'createPortForwardingRule',
      {
        ipaddressid: ip.id,
        protocol: 'tcp',
        publicport: 440,
        publicendport: 450,
        privateport: 440,
        privateendport: 450,
        virtualmachineid: vm.id,
      },
      537,
      `The range specified, 440-450, conflicts with rule ${ok.id} which has 443-443`,
    );
    // Port forwarding of the same ports over another protocol is allowed.
    await created(w, a, 'createPortForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'udp',
      publicport: 80,
      privateport: 8080,
      virtualmachineid: vm.id,
    });
  });

  it('balances a public port over member VMs; the rule is Active only while it has members', async () => {
    const ip = await newIp();
    await refused(
      w,
      a,
      'createLoadBalancerRule',
      { publicipid: ip.id, name: 'x', algorithm: 'fastest', publicport: 80, privateport: 80 },
      431,
      'Invalid algorithm: fastest',
    );
    await refused(
      w,
      a,
      'createLoadBalancerRule',
      { publicipid: ip.id, name: 'x', algorithm: 'source', publicport: 80, privateport: 0 },
      431,
      'privatePort is an invalid value: 0',
    );
    await refused(
      w,
      a,
      'createLoadBalancerRule',
      { publicipid: ip.id, name: 'x', algorithm: 'source', publicport: 80, privateport: 80, cidrlist: '1.2.3.0/33' },
      431,
      'CIDR [1.2.3.0/33] is invalid.',
    );
    const { id, job } = await created(w, a, 'createLoadBalancerRule', {
      publicipid: ip.id,
      name: 'web',
      algorithm: 'roundrobin',
      publicport: 8080,
      privateport: 80,
    });
    const lb = job.jobresult.loadbalancer;
    assert.equal(lb.id, id);
    assert.equal(lb.state, 'Add');
    assert.equal(lb.publicport, '8080');
    assert.equal(lb.privateport, '80');
    assert.equal(lb.publicip, ip.ipaddress);
    assert.equal(lb.zoneid, w.zones.advanced);
    assert.deepEqual(
      (await runJob(w, a, 'assignToLoadBalancerRule', { id, virtualmachineids: `${vm.id},${other.id}` })).jobresult,
      { success: true },
    );
    assert.equal((await a('listLoadBalancerRules', { id })).body.loadbalancerrule[0].state, 'Active');
    const members = (await a('listLoadBalancerRuleInstances', { id })).body;
    assert.deepEqual(members.loadbalancerruleinstance.map((v: any) => v.id).sort(), [vm.id, other.id].sort());
    const withIps = (await a('listLoadBalancerRuleInstances', { id, lbvmips: true })).body.lbrulevmidip;
    assert.deepEqual(withIps.find((x: any) => x.loadbalancerruleinstance.id === vm.id).lbvmipaddresses, [
      vm.nic[0].ipaddress,
    ]);
    assert.equal(
      (await a('listLoadBalancerRules', { virtualmachineid: vm.id })).body.loadbalancerrule.some(
        (r: any) => r.id === id,
      ),
      true,
    );
    await jobFails(
      w,
      a,
      'assignToLoadBalancerRule',
      { id, virtualmachineids: vm.id },
      431,
      `VM ${vm.id} with ${vm.nic[0].ipaddress} is already mapped to load balancer.`,
    );
    const elsewhere = await deploy(w, admin, w.zones.advanced);
    await jobFails(
      w,
      a,
      'assignToLoadBalancerRule',
      { id, virtualmachineids: elsewhere.id },
      531,
      /does not have permission/,
    );
    const updated = await runJob(w, a, 'updateLoadBalancerRule', {
      id,
      algorithm: 'leastconn',
      description: 'weighted',
    });
    assert.equal(updated.jobresult.loadbalancer.algorithm, 'leastconn');
    assert.equal(updated.jobresult.loadbalancer.description, 'weighted');
    await refused(w, a, 'updateLoadBalancerRule', { id, algorithm: 'random' }, 431, 'Invalid algorithm: random');
    await runJob(w, a, 'removeFromLoadBalancerRule', { id, virtualmachineids: `${vm.id},${other.id}` });
    assert.equal((await a('listLoadBalancerRules', { id })).body.loadbalancerrule[0].state, 'Add');
    await jobFails(
      w,
      a,
      'removeFromLoadBalancerRule',
      { id, virtualmachineids: vm.id },
      431,
      `Failed to remove vm ${vm.id} from load balancer rule ${id}: the vm is not assigned to it`,
    );
    await runJob(w, a, 'assignToLoadBalancerRule', { id, virtualmachineids: vm.id });
    assert.deepEqual((await runJob(w, a, 'deleteLoadBalancerRule', { id })).jobresult, { success: true });
    assert.equal(await count(w, 'lbMembers'), 0, 'members go with the rule');
  });

  it('binds an address to a VM with static NAT and opens ports on it with ip forwarding rules', async () => {
    const ip = await newIp();
    const nat = (await a('listPublicIpAddresses', { associatednetworkid: network, issourcenat: true })).body
      .publicipaddress[0];
    await refused(
      w,
      a,
      'enableStaticNat',
      { ipaddressid: nat.id, virtualmachineid: vm.id },
      431,
      `Can't enable static, ip address ${nat.ipaddress} is a sourceNat ip address`,
    );
    await refused(
      w,
      a,
      'createIpForwardingRule',
      { ipaddressid: ip.id, protocol: 'tcp', startport: 22 },
      537,
      `Can't do static nat on ip address: ${ip.ipaddress}`,
    );
    assert.deepEqual((await a('enableStaticNat', { ipaddressid: ip.id, virtualmachineid: vm.id })).body, {
      success: true,
    });
    const listed = (await a('listPublicIpAddresses', { id: ip.id })).body.publicipaddress[0];
    assert.equal(listed.isstaticnat, true);
    assert.equal(listed.virtualmachineid, vm.id);
    const guest = (await a('listVirtualMachines', { id: vm.id })).body.virtualmachine[0];
    assert.equal(guest.publicip, ip.ipaddress);
    assert.equal(
      listed.vmipaddress,
      guest.nic.find((n: any) => n.networkid === listed.associatednetworkid).ipaddress,
      'the guest address it is NATed to',
    );
    await refused(
      w,
      a,
      'enableStaticNat',
      { ipaddressid: ip.id, virtualmachineid: other.id },
      537,
      `Failed to enable static for the ip address ${ip.ipaddress} and vm id=${other.id} as it's already assigned to antoher vm`,
    );
    const second = await newIp();
    await refused(
      w,
      a,
      'enableStaticNat',
      { ipaddressid: second.id, virtualmachineid: vm.id },
      431,
      `Failed to enable static nat for the ip address id=${second.id} as vm id=${vm.id} is already associated with ip id=${ip.id}`,
    );
    await refused(
      w,
      a,
      'createLoadBalancerRule',
      { publicipid: ip.id, name: 'x', algorithm: 'source', publicport: 80, privateport: 80 },
      537,
      `Can't do load balance on ip address: ${ip.ipaddress}`,
    );

    const { id, job } = await created(w, a, 'createIpForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      startport: 22,
      endport: 25,
    });
    const rule = job.jobresult.ipforwardingrule;
    assert.deepEqual(
      {
        id: rule.id,
        startport: rule.startport,
        endport: rule.endport,
        virtualmachineid: rule.virtualmachineid,
        vmguestip: rule.vmguestip,
        state: rule.state,
      },
      { id, startport: 22, endport: 25, virtualmachineid: vm.id, vmguestip: vm.nic[0].ipaddress, state: 'Active' },
    );
    await refused(
      w,
      a,
      'createIpForwardingRule',
      { ipaddressid: ip.id, protocol: 'tcp', startport: 24 },
      537,
      `The range specified, 24-24, conflicts with rule ${id} which has 22-25`,
    );
    await created(w, a, 'createIpForwardingRule', { ipaddressid: ip.id, protocol: 'udp', startport: 24 });
    assert.equal((await a('listIpForwardingRules', { virtualmachineid: vm.id })).body.count, 2);
    assert.deepEqual((await runJob(w, a, 'deleteIpForwardingRule', { id })).jobresult, { success: true });
    assert.deepEqual((await runJob(w, a, 'disableStaticNat', { ipaddressid: ip.id })).jobresult, { success: true });
    assert.equal(
      (await a('listIpForwardingRules', { ipaddressid: ip.id })).body.count,
      undefined,
      'the rules go with static NAT',
    );
    assert.equal((await a('listPublicIpAddresses', { id: ip.id })).body.publicipaddress[0].isstaticnat, false);
    await jobFails(
      w,
      a,
      'disableStaticNat',
      { ipaddressid: ip.id },
      431,
      'Specified IP address id is not associated with any vm Id',
    );
    await created(w, a, 'createPortForwardingRule', {
      ipaddressid: ip.id,
      protocol: 'tcp',
      publicport: 22,
      privateport: 22,
      virtualmachineid: vm.id,
    });
    await refused(
      w,
      a,
      'enableStaticNat',
      { ipaddressid: ip.id, virtualmachineid: vm.id },
      537,
      `Failed to enable static nat for the ip address ${ip.ipaddress} as it already has PortForwarding rules assigned`,
    );
  });

  it('controls egress per network; the source defaults to the network CIDR', async () => {
    const { id, job } = await created(w, a, 'createEgressFirewallRule', { networkid: network, protocol: 'all' });
    const rule = job.jobresult.firewallrule;
    assert.equal(rule.traffictype, 'Egress');
    assert.equal(rule.cidrlist, '10.1.1.0/24');
    assert.equal(rule.ipaddressid, undefined);
    await refused(
      w,
      a,
      'createEgressFirewallRule',
      { networkid: network, protocol: 'all' },
      537,
      'There is already a firewall rule specified with protocol = all and no ports',
    );
    await refused(
      w,
      a,
      'createEgressFirewallRule',
      { networkid: network, protocol: 'tcp', startport: 1, destcidrlist: '300.0.0.0/8' },
      431,
      'Destination CIDRs formatting error 300.0.0.0/8',
    );
    const listed = await a('listEgressFirewallRules', { networkid: network });
    assert.deepEqual(
      listed.body.firewallrule.map((r: any) => r.id),
      [id],
    );
    assert.equal(
      (await a('listFirewallRules', { networkid: network })).body.firewallrule?.some((r: any) => r.id === id) ?? false,
      false,
      'egress rules are not ingress rules',
    );
    await refused(w, a, 'deleteFirewallRule', { id }, 431, /Invalid parameter id value=|not found/);
    assert.deepEqual((await runJob(w, a, 'deleteEgressFirewallRule', { id })).jobresult, { success: true });
  });

  it("refuses rules on another account's addresses and releases every rule with the address", async () => {
    const ip = await newIp();
    await created(w, a, 'createFirewallRule', { ipaddressid: ip.id, protocol: 'tcp', startport: 22 });
    const lb = await created(w, a, 'createLoadBalancerRule', {
      publicipid: ip.id,
      name: 'web',
      algorithm: 'roundrobin',
      publicport: 80,
      privateport: 80,
    });
    const denied = `Account 'rules-b' does not have permission to operate with resource PublicIpAddress ${ip.id}`;
    await refused(w, b, 'createFirewallRule', { ipaddressid: ip.id, protocol: 'tcp', startport: 23 }, 531, denied);
    await refused(
      w,
      b,
      'createLoadBalancerRule',
      { publicipid: ip.id, name: 'x', algorithm: 'source', publicport: 81, privateport: 81 },
      531,
      denied,
    );
    await refused(w, b, 'enableStaticNat', { ipaddressid: ip.id, virtualmachineid: vm.id }, 531, denied);
    await refused(
      w,
      b,
      'createPortForwardingRule',
      { ipaddressid: ip.id, protocol: 'tcp', publicport: 90, privateport: 90, virtualmachineid: vm.id },
      531,
      denied,
    );
    await refused(w, b, 'deleteLoadBalancerRule', { id: lb.id }, 531, /does not have permission/);
    await refused(
      w,
      b,
      'createEgressFirewallRule',
      { networkid: network, protocol: 'all' },
      531,
      /does not have permission/,
    );
    assert.equal((await b('listLoadBalancerRules', { listall: true })).body.count, undefined);
    assert.equal((await b('listFirewallRules', { listall: true })).body.count, undefined);
    await runJob(w, a, 'disassociateIpAddress', { id: ip.id });
    assert.equal((await a('listLoadBalancerRules', { id: lb.id })).body.count, undefined);
    assert.equal((await a('listFirewallRules', { ipaddressid: ip.id })).body.count, undefined);
  });
});
