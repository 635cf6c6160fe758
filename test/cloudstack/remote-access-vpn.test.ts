// Remote access VPNs and VPN users through the CloudStack API (RemoteAccessVpnManagerImpl's rules).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, finish, runJob, world, type Api, type World } from '../helpers/inprocess.js';

describe('remote access VPN', () => {
  let w: World;
  let admin: Api;
  let user: Api;
  let other: Api;
  let net = '';
  let ip = '';

  const account = async (name: string) => {
    const r = await admin('createAccount', {
      account: name,
      username: name,
      password: 'pw',
      email: `${name}@x`,
      firstname: name,
      lastname: 'v',
      accounttype: 0,
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return apiSession(w, name, 'pw');
  };
  const newIp = async (api: Api, networkid: string) =>
    (await runJob(w, api, 'associateIpAddress', { networkid })).jobresult.ipaddress.id as string;
  const fwRules = async (api: Api, ipaddressid: string) =>
    ((await api('listFirewallRules', { ipaddressid })).body.firewallrule ?? []) as any[];

  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    user = await account('vpn-owner');
    other = await account('vpn-other');
    const vm = (
      await runJob(w, user, 'deployVirtualMachine', {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    net = vm.nic[0].networkid;
    ip = await newIp(user, net);
  });
  after(() => w.close());

  it('creates a Running VPN with the default client range, a preshared key and its UDP ports opened', async () => {
    const r = await user('createRemoteAccessVpn', { publicipid: ip });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ['id', 'jobid']);
    await finish(w, r.body.jobid);
    const vpn = (await user('queryAsyncJobResult', { jobid: r.body.jobid })).body.jobresult.remoteaccessvpn;
    assert.equal(vpn.id, r.body.id);
    assert.equal(vpn.state, 'Running');
    assert.equal(vpn.publicipid, ip);
    assert.equal(vpn.iprange, '10.1.2.2-10.1.2.8', 'the first address of 10.1.2.1-10.1.2.8 is the server');
    assert.equal(vpn.presharedkey.length, 24);
    assert.equal(vpn.account, 'vpn-owner');
    assert.equal(vpn.fordisplay, true);
    const listed = (await user('listRemoteAccessVpns', { publicipid: ip })).body.remoteaccessvpn;
    assert.deepEqual(listed, [vpn]);
    const opened = (await fwRules(user, ip)).map((f) => [f.protocol, f.startport, f.endport, f.cidrlist, f.state]);
    assert.deepEqual(opened.sort(), [
      ['udp', 1701, 1701, '0.0.0.0/0', 'Active'],
      ['udp', 4500, 4500, '0.0.0.0/0', 'Active'],
      ['udp', 500, 500, '0.0.0.0/0', 'Active'],
    ]);
  });

  it('refuses a second VPN on the address, and its ports to a UDP forwarding rule', async () => {
    const again = await user('createRemoteAccessVpn', { publicipid: ip });
    assert.equal(again.status, 431);
    assert.match(again.body.errortext, /^A remote Access VPN already exists for the public IP address \[/);
    const vm = (await user('listVirtualMachines', {})).body.virtualmachine[0].id;
    const pf = await user('createPortForwardingRule', {
      ipaddressid: ip,
      protocol: 'udp',
      publicport: 4500,
      privateport: 4500,
      virtualmachineid: vm,
    });
    assert.equal(pf.status, 537, JSON.stringify(pf.body));
    const tcp = await user('createPortForwardingRule', {
      ipaddressid: ip,
      protocol: 'tcp',
      publicport: 500,
      privateport: 500,
      virtualmachineid: vm,
    });
    assert.equal(tcp.status, 200, 'the same port over TCP is free');
    await finish(w, tcp.body.jobid);
  });

  it('allows one VPN per account and network', async () => {
    const r = await user('createRemoteAccessVpn', { publicipid: await newIp(user, net) });
    assert.equal(r.status, 431);
    assert.match(r.body.errortext, /^A remote access VPN already exists for the account/);
  });

  it("refuses another account's address (531) and a client range inside the guest network (431)", async () => {
    const denied = await other('createRemoteAccessVpn', { publicipid: await newIp(user, net) });
    assert.equal(denied.status, 531, JSON.stringify(denied.body));
    const otherVm = (
      await runJob(w, other, 'deployVirtualMachine', {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    const otherNet = otherVm.nic[0].networkid;
    const cidr = (await other('listNetworks', { id: otherNet })).body.network[0].cidr as string;
    const base = cidr.split('/')[0]!.split('.').slice(0, 3).join('.');
    const overlap = await other('createRemoteAccessVpn', {
      publicipid: await newIp(other, otherNet),
      iprange: `${base}.5-${base}.9`,
    });
    assert.equal(overlap.status, 431);
    assert.match(overlap.body.errortext, /^Invalid ip range: .* overlaps with guest ip range /);
    const bad = await other('createRemoteAccessVpn', {
      publicipid: await newIp(other, otherNet),
      iprange: '10.1.2.9-10.1.2.1',
    });
    assert.equal(bad.status, 431);
    assert.equal(bad.body.errortext, 'Range of IPs [10.1.2.9-10.1.2.1] is invalid.');
  });

  it('adds, lists and removes VPN users of the account', async () => {
    const add = await user('addVpnUser', { username: 'alice', password: 'secret-1' });
    assert.equal(add.status, 200, JSON.stringify(add.body));
    await finish(w, add.body.jobid);
    const added = (await user('queryAsyncJobResult', { jobid: add.body.jobid })).body.jobresult.vpnuser;
    assert.equal(added.id, add.body.id);
    assert.equal(added.username, 'alice');
    assert.equal(added.state, undefined, 'AddVpnUserCmd sets no state');
    assert.deepEqual(
      (await user('listVpnUsers', {})).body.vpnuser.map((u: any) => [u.username, u.state, u.account]),
      [['alice', 'Active', 'vpn-owner']],
    );
    const dup = await user('addVpnUser', { username: 'alice', password: 'secret-2' });
    assert.equal(dup.status, 431);
    assert.match(dup.body.errortext, /^VPN User with name alice is already added for account/);
    const badName = await user('addVpnUser', { username: 'a!', password: 'secret-2' });
    assert.equal(badName.status, 431);
    const badPassword = await user('addVpnUser', { username: 'bob', password: 'x' });
    assert.equal(badPassword.status, 431);
    assert.equal(
      badPassword.body.errortext,
      "Password has to be 3-32 characters including alphabets, numbers and the set '@+=.-_'",
    );
    const rm = await runJob(w, user, 'removeVpnUser', { username: 'alice' });
    assert.equal(rm.jobstatus, 1, JSON.stringify(rm.jobresult));
    assert.deepEqual((await user('listVpnUsers', {})).body.vpnuser ?? [], []);
    const gone = await runJob(w, user, 'removeVpnUser', { username: 'alice' });
    assert.equal(gone.jobstatus, 2);
    assert.equal(
      gone.jobresult.errortext,
      `Could not find VPN user=[alice]. VPN owner id=[${(await user('listAccounts', {})).body.account[0].id}]`,
    );
  });

  it('holds an account to remote.access.vpn.user.limit (532)', async () => {
    await admin('updateConfiguration', { name: 'remote.access.vpn.user.limit', value: '1' });
    try {
      await runJob(w, user, 'addVpnUser', { username: 'carol', password: 'secret-3' });
      const over = await user('addVpnUser', { username: 'dave', password: 'secret-4' });
      assert.equal(over.status, 532, JSON.stringify(over.body));
      assert.match(over.body.errortext, /^Cannot add more than \[1\] remote access VPN users to /);
    } finally {
      await admin('updateConfiguration', { name: 'remote.access.vpn.user.limit', value: '8' });
    }
  });

  it('fails to add a user to an account without any VPN, and keeps no such user', async () => {
    const j = await runJob(w, other, 'addVpnUser', { username: 'erin', password: 'secret-5' });
    assert.equal(j.jobstatus, 2);
    assert.equal(j.jobresultcode, 530);
    assert.equal(j.jobresult.errortext, 'Failed to add vpn user');
    assert.deepEqual((await other('listVpnUsers', {})).body.vpnuser ?? [], []);
  });

  it('deletes the VPN with the firewall rules it opened; a second delete is refused', async () => {
    const j = await runJob(w, user, 'deleteRemoteAccessVpn', { publicipid: ip });
    assert.equal(j.jobstatus, 1, JSON.stringify(j.jobresult));
    assert.deepEqual((await user('listRemoteAccessVpns', {})).body.remoteaccessvpn ?? [], []);
    assert.deepEqual(await fwRules(user, ip), []);
    const again = await user('deleteRemoteAccessVpn', { publicipid: ip });
    assert.equal(again.status, 431);
    assert.equal(again.body.errortext, 'The specified public ip is not allocated to any Account');
    assert.deepEqual(
      (await user('listVpnUsers', {})).body.vpnuser.map((u: any) => u.username),
      ['carol'],
      'users belong to the account, not to a VPN',
    );
  });

  it('openfirewall=false reserves the ports without opening them; releasing the address removes the VPN', async () => {
    const addr = await newIp(user, net);
    const j = await runJob(w, user, 'createRemoteAccessVpn', { publicipid: addr, openfirewall: false });
    assert.equal(j.jobresult.remoteaccessvpn.state, 'Running');
    assert.deepEqual(await fwRules(user, addr), []);
    assert.equal((await runJob(w, user, 'disassociateIpAddress', { id: addr })).jobstatus, 1);
    assert.deepEqual((await admin('listRemoteAccessVpns', { listall: true })).body.remoteaccessvpn ?? [], []);
  });

  it("serves a VPC's source NAT address without firewall rules, and goes with the VPC", async () => {
    const offering = (await user('listVPCOfferings', {})).body.vpcoffering[0].id;
    const vpc = (
      await runJob(w, user, 'createVPC', {
        name: 'v',
        displaytext: 'v',
        cidr: '10.40.0.0/16',
        zoneid: w.zones.advanced,
        vpcofferingid: offering,
      })
    ).jobresult.vpc.id;
    const nat = (await user('listPublicIpAddresses', { vpcid: vpc, issourcenat: true })).body.publicipaddress[0].id;
    const j = await runJob(w, user, 'createRemoteAccessVpn', { publicipid: nat });
    assert.equal(j.jobresult.remoteaccessvpn.state, 'Running', JSON.stringify(j.jobresult));
    assert.deepEqual(await fwRules(user, nat), []);
    assert.equal((await runJob(w, user, 'deleteVPC', { id: vpc })).jobstatus, 1);
    assert.deepEqual((await user('listRemoteAccessVpns', {})).body.remoteaccessvpn ?? [], []);
  });

  it('refuses a network whose offering lacks the Vpn service', async () => {
    const svcs = ['Dhcp', 'Dns', 'SourceNat', 'Firewall', 'PortForwarding'];
    const providers = Object.fromEntries(
      svcs.flatMap((s, i) => [
        [`serviceproviderlist[${i}].service`, s],
        [`serviceproviderlist[${i}].provider`, 'VirtualRouter'],
      ]),
    );
    const o = (
      await admin('createNetworkOffering', {
        name: 'no-vpn',
        displaytext: 'no-vpn',
        guestiptype: 'Isolated',
        traffictype: 'GUEST',
        supportedservices: svcs.join(','),
        ...providers,
      })
    ).body.networkoffering.id;
    await admin('updateNetworkOffering', { id: o, state: 'Enabled' });
    const n = (
      await user('createNetwork', {
        zoneid: w.zones.advanced,
        name: 'no-vpn',
        displaytext: 'no-vpn',
        networkofferingid: o,
      })
    ).body.network.id;
    const r = await user('createRemoteAccessVpn', { publicipid: await newIp(user, n) });
    assert.equal(r.status, 431);
    assert.equal(r.body.errortext, `Vpn service is not supported in network id=${n}`);
  });

  it('deleting the account removes its VPNs and VPN users', async () => {
    const gone = await account('vpn-gone');
    const vm = (
      await runJob(w, gone, 'deployVirtualMachine', {
        zoneid: w.zones.advanced,
        serviceofferingid: w.small,
        templateid: w.template,
      })
    ).jobresult.virtualmachine;
    await runJob(w, gone, 'createRemoteAccessVpn', { publicipid: await newIp(gone, vm.nic[0].networkid) });
    await runJob(w, gone, 'addVpnUser', { username: 'frank', password: 'secret-6' });
    const id = (await gone('listAccounts', {})).body.account[0].id;
    assert.equal((await runJob(w, admin, 'deleteAccount', { id })).jobstatus, 1);
    const db = w.store.db as any;
    assert.deepEqual(await db.selectFrom('remoteAccessVpns').selectAll().where('accountId', '=', id).execute(), []);
    assert.deepEqual(await db.selectFrom('vpnUsers').selectAll().where('accountId', '=', id).execute(), []);
  });
});
