import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiSession, runJob, world, type Api, type World } from '../helpers/inprocess.js';
import { created, deploy, jobFails, offering, refused, tenant } from '../helpers/networking.js';

/**
 * Portable public IP ranges of a region (createPortableIpRange, listPortableIpRanges,
 * deletePortableIpRange), associateIpAddress isportable=true, and enableStaticNat carrying a
 * portable address to a VM's network (RulesManagerImpl / IpAddressManagerImpl.transferPortableIP).
 */
describe('portable public IP addresses', () => {
  let w: World;
  let admin: Api;
  let a: Api;
  let range: any;
  let net1: string;
  let net2: string;
  let vm2: string;
  const rangeParams = {
    regionid: 1,
    startip: '10.88.0.10',
    endip: '10.88.0.12',
    gateway: '10.88.0.1',
    netmask: '255.255.255.0',
    vlan: 10,
  };
  const listed = async () => (await admin('listPortableIpRanges', { id: range.id })).body.portableiprange[0];
  before(async () => {
    w = await world({ delayMs: 0 });
    admin = await apiSession(w);
    a = await tenant(w, admin, 'pip-a');
    const isolated = await offering(admin, 'DefaultIsolatedNetworkOfferingWithSourceNatService');
    const mk = async (name: string) =>
      (await a('createNetwork', { zoneid: w.zones.advanced, name, displaytext: name, networkofferingid: isolated }))
        .body.network.id as string;
    net1 = await mk('pip-1');
    net2 = await mk('pip-2');
    await deploy(w, a, w.zones.advanced, { networkids: net1 });
    vm2 = (await deploy(w, a, w.zones.advanced, { networkids: net2 })).id;
  });
  after(() => w.close());

  it('provisions a range in a region, which turns the region portable IP service on', async () => {
    await refused(w, admin, 'createPortableIpRange', { ...rangeParams, regionid: 9 }, 431, 'Invalid region ID: 9');
    await refused(
      w,
      admin,
      'createPortableIpRange',
      { ...rangeParams, startip: '10.89.0.10', endip: '10.89.0.12' },
      431,
      "Please ensure that your start IP is in the same subnet as your portable IP range's gateway and as per the IP range's netmask.",
    );
    await refused(
      w,
      admin,
      'createPortableIpRange',
      { ...rangeParams, vlan: 50 },
      431,
      /^Found a VLAN id 50 already existing in zone .* that conflicts with VLAN id of the portable ip range being configured$/,
    );
    const { job } = await created(w, admin, 'createPortableIpRange', rangeParams);
    range = job.jobresult.portableiprange;
    assert.deepEqual(
      { ...range, id: undefined },
      {
        id: undefined,
        regionid: 1,
        startip: '10.88.0.10',
        endip: '10.88.0.12',
        gateway: '10.88.0.1',
        netmask: '255.255.255.0',
        vlan: '10',
      },
    );
    assert.equal((await admin('listRegions', { id: 1 })).body.region[0].portableipserviceenabled, true);
    assert.deepEqual(
      (await listed()).portableipaddress.map((x: any) => [x.ipaddress, x.state]),
      [
        ['10.88.0.10', 'Free'],
        ['10.88.0.11', 'Free'],
        ['10.88.0.12', 'Free'],
      ],
    );
    await refused(
      w,
      admin,
      'createPortableIpRange',
      { ...rangeParams, startip: '10.88.0.12', endip: '10.88.0.20' },
      431,
      'Ip  range: 10.88.0.12-10.88.0.20 overlaps with a portable IP range already configured in the region 1',
    );
  });

  it('gives an account a portable address in its zone, standing in as a one-address public range', async () => {
    const ranges = (await admin('listVlanIpRanges', { zoneid: w.zones.advanced })).body.count;
    const ip = (
      await runJob(w, a, 'associateIpAddress', { zoneid: w.zones.advanced, networkid: net1, isportable: true })
    ).jobresult.ipaddress;
    assert.equal(ip.ipaddress, '10.88.0.10');
    assert.equal(ip.isportable, true);
    assert.equal(ip.associatednetworkid, net1);
    assert.equal((await admin('listVlanIpRanges', { zoneid: w.zones.advanced })).body.count, ranges + 1);
    const [first] = (await listed()).portableipaddress;
    const account = (await admin('listAccounts', { name: 'pip-a' })).body.account[0];
    assert.deepEqual(
      { ...first, allocated: undefined },
      {
        ipaddress: '10.88.0.10',
        regionid: 1,
        state: 'Allocated',
        accountid: account.id,
        domainid: account.domainid,
        allocated: undefined,
      },
    );
    await jobFails(
      w,
      admin,
      'deletePortableIpRange',
      { id: range.id },
      431,
      "Can't delete portable IP range as there are IP's assigned.",
    );
  });

  it('moves a portable address to the network of the VM static NAT binds it to, unless something uses it where it is', async () => {
    const [ip] = (await a('listPublicIpAddresses', { ipaddress: '10.88.0.10' })).body.publicipaddress;
    const rule = await runJob(w, a, 'createPortForwardingRule', {
      ipaddressid: ip.id,
      virtualmachineid: (await a('listVirtualMachines', { networkid: net1 })).body.virtualmachine[0].id,
      protocol: 'tcp',
      privateport: 22,
      publicport: 2222,
    });
    assert.equal(rule.jobstatus, 1, JSON.stringify(rule.jobresult));
    await refused(
      w,
      a,
      'enableStaticNat',
      { ipaddressid: ip.id, virtualmachineid: vm2, networkid: net2 },
      431,
      `Portable IP: ${ip.id} has associated services in network ${net1} so can not be transferred to  network ${net2}`,
    );
    assert.equal(
      (await runJob(w, a, 'deletePortForwardingRule', { id: rule.jobresult.portforwardingrule.id })).jobstatus,
      1,
    );
    const r = await a('enableStaticNat', { ipaddressid: ip.id, virtualmachineid: vm2, networkid: net2 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const moved = (await a('listPublicIpAddresses', { id: ip.id })).body.publicipaddress[0];
    assert.equal(moved.associatednetworkid, net2);
    assert.equal(moved.virtualmachineid, vm2);
    assert.equal(moved.isstaticnat, true);
  });

  it('returns a released portable address to the region and drops its stand-in', async () => {
    const [ip] = (await a('listPublicIpAddresses', { ipaddress: '10.88.0.10' })).body.publicipaddress;
    const ranges = (await admin('listVlanIpRanges', { zoneid: w.zones.advanced })).body.count;
    assert.deepEqual((await runJob(w, a, 'disassociateIpAddress', { id: ip.id })).jobresult, { success: true });
    assert.equal((await admin('listVlanIpRanges', { zoneid: w.zones.advanced })).body.count, ranges - 1);
    // CloudStack only marks the row removed: its id still resolves, to nothing.
    assert.equal((await a('listPublicIpAddresses', { id: ip.id })).body.count ?? 0, 0);
    assert.equal((await listed()).portableipaddress[0].state, 'Free');
    assert.deepEqual((await runJob(w, admin, 'deletePortableIpRange', { id: range.id })).jobresult, { success: true });
    assert.equal((await admin('listPortableIpRanges', {})).body.count ?? 0, 0);
    assert.equal((await admin('listRegions', { id: 1 })).body.region[0].portableipserviceenabled, false);
  });

  it('keeps a portable address with its owner when the network goes, and frees it with the account', async () => {
    await created(w, admin, 'createPortableIpRange', rangeParams);
    const b = await tenant(w, admin, 'pip-b');
    const netB = (await deploy(w, b, w.zones.advanced)).nic[0].networkid;
    const ip = (await runJob(w, b, 'associateIpAddress', { networkid: netB, isportable: true })).jobresult.ipaddress;
    for (const vm of (await b('listVirtualMachines', {})).body.virtualmachine)
      await runJob(w, admin, 'destroyVirtualMachine', { id: vm.id, expunge: true });
    assert.equal((await runJob(w, b, 'deleteNetwork', { id: netB })).jobstatus, 1);
    const kept = (await b('listPublicIpAddresses', { id: ip.id })).body.publicipaddress[0];
    assert.equal(kept.associatednetworkid, undefined);
    assert.equal(kept.isportable, true);
    const account = (await admin('listAccounts', { name: 'pip-b' })).body.account[0];
    assert.equal((await runJob(w, admin, 'deleteAccount', { id: account.id })).jobstatus, 1);
    const [rangeNow] = (await admin('listPortableIpRanges', {})).body.portableiprange;
    assert.ok(rangeNow.portableipaddress.every((x: any) => x.state === 'Free'));
  });
});
